// @ts-check
// Firefox suspends Latchkey's event page when it has been idle (here after 3 s, by pref; 30 s by
// default), as Chromium stops its service worker: everything in the background's memory is gone.
// After the suspension, the next code step is filled again from what was stored, nothing is lost
// (both accounts still listed) and nothing is widened (the cross-site frame still gets no code).
// Chromium's counterpart: tests/e2e/autofill.test.mjs "after the service worker is stopped".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { freshEmail, referenceCodesBetween, startFixtures, startServer } from '../e2e/harness.mjs';
import { signInAgain, userWithTwoFactor } from './demo-app.mjs';
import {
  addThroughPopup,
  backgroundState,
  idleSuspendPrefs,
  TEST_IDLE_MS,
  launchFirefox,
  openPopup,
  waitIn,
  waitSuspended,
} from './firefox.mjs';

const newKey = () => new OTPAuth.Secret({ size: 20 }).base32;

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * The six digits in field `css` of the current page (frame), once it holds them.
 * @param {Firefox} ff @param {string} css
 */
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

/**
 * Loads frames.html: the same-site frame is filled with a code of `secret`, the cross-site one
 * (another site's account exists) is not. @param {Firefox} ff @param {string} url @param {string} secret
 */
async function framesFilledOnlyForTheirSite(ff, url, secret) {
  const before = Date.now();
  await ff.go(url);
  await ff.frame('#same-site');
  const code = await filled(ff, '#otp');
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code}`);
  await ff.top();
  await ff.frame('#cross-site');
  await waitIn(ff, () => document.readyState === 'complete' && document.querySelector('#otp'), 'the cross-site form');
  // It asked at load as the same-site frame did, and had its answer (nothing) by the time that was filled.
  assert.equal(await ff.run(() => /** @type {HTMLInputElement} */ (document.querySelector('#otp')).value), '');
  await ff.top();
}

test('Firefox: after the event page is suspended, frames fill again for their site only; nothing lost', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t, { prefs: idleSuspendPrefs(TEST_IDLE_MS) });
  const popup = await openPopup(ff);
  const secret = newKey();
  await addThroughPopup(ff, { secret, site: 'fixtures.localhost' });
  await addThroughPopup(ff, { secret: newKey(), site: 'other.localhost' });
  // The popup closes (open, it asks for codes every second and keeps the background up).
  await ff.closeTab(popup);
  await ff.newTab();
  const url = fixtures.url('fixtures', 'frames.html');
  await framesFilledOnlyForTheirSite(ff, url, secret);

  await waitSuspended(ff);
  await framesFilledOnlyForTheirSite(ff, url, secret);
  assert.notEqual(await backgroundState(ff), 'stopped', 'the fill started the event page again');

  // Both accounts are still there, read by the started-again background.
  await waitSuspended(ff);
  await openPopup(ff);
  const sites = await ff.run(async () => {
    const reply = await chrome.runtime.sendMessage({ type: 'list' });
    return reply.accounts.map((/** @type {{site: string}} */ a) => a.site).sort();
  });
  assert.deepEqual(sites, ['fixtures.localhost', 'other.localhost']);
});

test('Firefox demo app: with the event page suspended, the code step loaded again is filled again', async (t) => {
  const { demo } = await startServer(t);
  const ff = await launchFirefox(t, { prefs: idleSuspendPrefs(TEST_IDLE_MS) });
  const app = await ff.newTab();
  const email = freshEmail('carol');
  const { secret } = await userWithTwoFactor(ff, demo, email);
  const popup = await openPopup(ff);
  await addThroughPopup(ff, { secret, site: 'demo.localhost' });
  await ff.closeTab(popup);
  await ff.switchTo(app);
  await signInAgain(ff, demo, email);
  await filled(ff, '#otp');

  // As Chromium's test: the code step loaded again once the background is gone (the demo app
  // refuses a code used twice, so the first is not submitted).
  await waitSuspended(ff);
  const before = Date.now();
  await ff.go(await ff.url());
  const code = await filled(ff, '#otp');
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code} after the suspension`);
  await ff.click('form button[type=submit]');
  await waitIn(ff, (h) => document.body.textContent?.includes(h), 'the welcome page', `Welcome, ${email}`);
});
