// @ts-check
/**
 * One Firefox for a file's tests about accounts and fills (right-account, policy, qr-popup): each
 * test starts with no account saved, no cookie and no tab but a popup's, so what one test saved or
 * signed in to cannot fill, count or sign in in the next; the Firefox and its add-on are launched
 * once. And the demo app's sign-up, two-factor set-up, sign-out and sign-in, as a person does them.
 */
import { PASSWORD } from '../e2e/demo-app.mjs';
import { referenceTotp } from '../e2e/harness.mjs';
import { showsText } from './console.mjs';
import { launchFirefox, openPopup, sharedContext, waitIn } from './firefox.mjs';
import { heading } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * A function giving each test the file's Firefox, launched at the first call (`o` as launchFirefox
 * takes it), cleaned for the test: every account removed, every other tab closed (through
 * a popup of Latchkey's, the current tab after, drawn before the cleaning: tests open their own),
 * every cookie removed.
 * @param {(fn: () => Promise<void>) => void} after node:test's `after`
 * @param {Parameters<typeof launchFirefox>[1]} [o]
 * @returns {() => Promise<Firefox>}
 */
export function oneFirefox(after, o) {
  const shared = sharedContext(after);
  /** @type {Promise<Firefox> | undefined} */
  let launched;
  return async () => {
    launched ??= launchFirefox(shared, o);
    const ff = await launched;
    await openPopup(ff);
    const left = await ff.run(async () => {
      const here = (await chrome.tabs.getCurrent())?.id;
      const others = (await chrome.tabs.query({})).map((t) => t.id).filter((id) => id !== undefined && id !== here);
      await chrome.tabs.remove(/** @type {number[]} */ (others));
      const { accounts } = await chrome.runtime.sendMessage({ type: 'list' });
      for (const a of accounts) await chrome.runtime.sendMessage({ type: 'delete', id: a.id });
      return (await chrome.runtime.sendMessage({ type: 'list' })).accounts.length;
    });
    if (left !== 0) throw new Error(`${left} accounts left after removing them all`);
    // Signed out of every site, as a new browser context starts (Chromium's tests get one each).
    await ff.privileged('Services.cookies.removeAll();');
    return ff;
  };
}

// The demo app driven as a person does (the WebDriver twins of tests/e2e/demo-app.mjs's).

/** Signs up; the app signs the new account in. @param {Firefox} ff @param {string} demo @param {string} email */
export async function signUp(ff, demo, email) {
  await ff.go(`${demo}/demo/signup`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/signup"] button');
  await heading(ff, `Welcome, ${email}`);
}

/**
 * The two-factor set-up page, through the account page's link; the key it shows.
 * @param {Firefox} ff @param {string} demo
 */
export async function openTwoFactorSetup(ff, demo) {
  await ff.go(`${demo}/demo/account`);
  await ff.click('a[href*="2fa"]');
  await waitIn(ff, () => document.querySelector('#otpauth-uri')?.textContent?.trim(), 'the set-up key');
  return ff.run(() => ({
    secret: (document.querySelector('#secret')?.textContent ?? '').replace(/\s/g, ''),
    uri: (document.querySelector('#otpauth-uri')?.textContent ?? '').trim(),
  }));
}

/**
 * Signs up and turns two-factor on with the reference code, typed and sent with Enter (in Firefox's
 * layout Latchkey's setup mark covers the Turn on button at this window size: docs/firefox.md).
 * @param {Firefox} ff @param {string} demo @param {string} email
 */
export async function userWithTwoFactor(ff, demo, email) {
  await signUp(ff, demo, email);
  const key = await openTwoFactorSetup(ff, demo);
  await ff.type('#code', `${referenceTotp(key.secret)}\uE007`);
  await showsText(ff, '#twofa-status', 'Two-factor authentication: On');
  return key;
}

/** @param {Firefox} ff */
export async function signOut(ff) {
  await ff.click('form[action="/demo/logout"] button');
  await heading(ff, 'Sign in');
}

/**
 * Signs in as the person types it: the e-mail address, the password, Sign in (the user name is
 * typed on this step, the code asked on the next).
 * @param {Firefox} ff @param {string} demo @param {string} email
 */
export async function signInTyping(ff, demo, email) {
  await ff.go(`${demo}/demo/login`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/login"] button');
  await heading(ff, 'Two-step verification');
}
