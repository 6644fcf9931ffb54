// @ts-check
/**
 * Driving the demo app (Northwind Cloud, served next to `latchkey serve`) in Firefox as a person
 * does: the WebDriver twin of tests/e2e/demo-app.mjs.
 */
import { PASSWORD } from '../e2e/demo-app.mjs';
import { freshEmail, referenceTotp } from '../e2e/harness.mjs';
import { waitIn } from './firefox.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/** @param {Firefox} ff @param {string} heading */
const headingShown = (ff, heading) =>
  waitIn(
    ff,
    (h) => [...document.querySelectorAll('h1, h2')].some((e) => e.textContent?.trim() === h),
    heading,
    heading,
  );

/**
 * Signs up, then turns on two-factor with the reference TOTP.
 * @param {Firefox} ff @param {string} demo @param {string} email
 */
export async function userWithTwoFactor(ff, demo, email) {
  await ff.go(`${demo}/demo/signup`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/signup"] button');
  await headingShown(ff, `Welcome, ${email}`);
  await ff.go(`${demo}/demo/account`);
  await ff.go(
    await ff.run(
      () =>
        /** @type {HTMLAnchorElement | undefined} */ (
          [...document.querySelectorAll('a')].find((a) => /turn on two-factor/i.test(a.textContent ?? ''))
        )?.href ?? '',
    ),
  );
  const secret = (await ff.run(() => document.querySelector('#secret')?.textContent ?? '')).replace(/\s/g, '');
  // Enter in the field, as people do: Latchkey's "new two-factor key" mark below the field covers
  // the Turn on button in Firefox's layout at this window size (docs/firefox.md).
  await ff.type('#code', `${referenceTotp(secret)}\uE007`);
  await waitIn(
    ff,
    () => /Two-factor authentication: On/.test(document.querySelector('#twofa-status')?.textContent ?? ''),
    'two-factor on',
  );
  return { secret };
}

/**
 * Signs out, then in with the password; ends on the two-step verification page.
 * @param {Firefox} ff @param {string} demo @param {string} email
 */
export async function signInAgain(ff, demo, email) {
  await ff.click('form[action="/demo/logout"] button');
  await headingShown(ff, 'Sign in');
  await ff.go(`${demo}/demo/login`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/login"] button');
  await headingShown(ff, 'Two-step verification');
}

/**
 * A demo user whose phone is `number` (text-message sign-in), signed out after: the twin of
 * tests/e2e/sms.mjs's userTextedAt.
 * @param {Firefox} ff @param {string} demo @param {string} number
 */
export async function userTextedAt(ff, demo, number) {
  const email = freshEmail('sms');
  await ff.go(`${demo}/demo/signup`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/signup"] button');
  await headingShown(ff, `Welcome, ${email}`);
  await ff.go(`${demo}/demo/account/2fa`);
  await ff.type('#phone', `${number}\uE007`);
  await waitIn(
    ff,
    (end) => document.body.textContent?.includes(`ending in ${end}`),
    'text-message sign-in on',
    number.slice(-4),
  );
  await ff.click('form[action="/demo/logout"] button');
  await headingShown(ff, 'Sign in');
  return email;
}

/**
 * The demo app's sign-in up to its text-message step: the twin of tests/e2e/sms.mjs's signInToCode.
 * @param {Firefox} ff @param {string} demo @param {string} email
 */
export async function signInToCode(ff, demo, email) {
  await ff.go(`${demo}/demo/login`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/login"] button');
  await headingShown(ff, 'Two-step verification');
}
