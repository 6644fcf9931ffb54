// @ts-check
// Autofill in Firefox, as in Chromium: the demo app's sign-in code (one field, then six boxes)
// fills itself from a key added in the popup; a same-site frame is filled and a cross-site one is
// not; a code step inside an open shadow root is filled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { freshEmail, referenceCodesBetween, startFixtures, startServer } from '../e2e/harness.mjs';
import { signInAgain, userWithTwoFactor } from './demo-app.mjs';
import { addThroughPopup, launchFirefox, openPopup, waitIn } from './firefox.mjs';

const newKey = () => new OTPAuth.Secret({ size: 20 }).base32;

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/** The six digits in field `css` of the current page, once it holds them. @param {Firefox} ff @param {string} css */
const filled = (ff, css) =>
  waitIn(
    ff,
    (c) => {
      const v = /** @type {HTMLInputElement | null} */ (document.querySelector(c))?.value ?? '';
      return /^\d{6}$/.test(v) ? v : null;
    },
    `six digits in ${css}`,
    css,
  );

test('Firefox demo app: the sign-in code fills itself in one field and in six boxes; the login succeeds', async (t) => {
  const { demo } = await startServer(t);
  const ff = await launchFirefox(t);
  const app = await ff.newTab();
  const email = freshEmail('alice');
  const { secret } = await userWithTwoFactor(ff, demo, email);
  await openPopup(ff);
  await addThroughPopup(ff, { secret, site: 'demo.localhost' });
  await ff.switchTo(app);

  let before = Date.now();
  await signInAgain(ff, demo, email);
  const code = await filled(ff, '#otp');
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code}`);
  await ff.screenshot('firefox-demo-filled');

  before = Date.now();
  await ff.go(`${demo}/demo/login/verify?ui=segmented`);
  const digits = await waitIn(
    ff,
    () => {
      const values = [...document.querySelectorAll('.boxes input')].map(
        (i) => /** @type {HTMLInputElement} */ (i).value,
      );
      return values.length === 6 && values.every((v) => /^\d$/.test(v)) ? values.join('') : null;
    },
    'all six boxes to hold one digit',
  );
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(digits), `filled ${digits}`);
  await ff.click('form button[type=submit]');
  await waitIn(ff, (h) => document.body.textContent?.includes(h), 'the welcome page', `Welcome, ${email}`);
});

test('Firefox: a same-site frame is filled, a cross-site frame is not; a code step in a shadow root is', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  await openPopup(ff);
  const secret = newKey();
  await addThroughPopup(ff, { secret, site: 'fixtures.localhost' });
  await addThroughPopup(ff, { secret: newKey(), site: 'other.localhost' });

  await ff.newTab();
  const before = Date.now();
  await ff.go(fixtures.url('fixtures', 'frames.html'));
  await ff.frame('#same-site');
  const code = await filled(ff, '#otp');
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code}`);
  await ff.top();
  await ff.frame('#cross-site');
  await waitIn(ff, () => document.readyState === 'complete' && document.querySelector('#otp'), 'the cross-site form');
  // The cross-site frame asked at load as the same-site one did; it got its answer (nothing) by now.
  assert.equal(await ff.run(() => /** @type {HTMLInputElement} */ (document.querySelector('#otp')).value), '');
  await ff.top();

  for (const mode of ['new', 'nested', 'later']) {
    await ff.go(fixtures.url('fixtures', `shadow.html?mode=${mode}`));
    const start = Date.now();
    await ff.click('#next');
    const inShadow = await waitIn(
      ff,
      () => {
        const field = /** @type {any} */ (globalThis).codeField?.();
        return field && /^\d{6}$/.test(field.value) && field.getRootNode() instanceof ShadowRoot ? field.value : null;
      },
      `the code in the shadow root (${mode})`,
    );
    assert.ok(referenceCodesBetween(secret, start, Date.now()).includes(inShadow), `${mode}: filled ${inShadow}`);
  }
});
