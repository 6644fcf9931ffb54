// @ts-check
// Firefox suspends an idle event page even while it works on an answer or waits on the network
// (here after 3 s, by pref; 30 s by default). A code step that waits for its text longer than
// that must still be filled: the background holds itself awake while a wait or a request is in
// flight (platform.js `holdAwake`). Without it, the background was suspended mid-wait and the
// text that came later never reached the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD } from '../e2e/demo-app.mjs';
import { freshEmail } from '../e2e/harness.mjs';
import { MANAGED_NUMBER, TWILIO_TOKEN, textTo } from '../e2e/sms.mjs';
import { BOB, startWorkspace } from '../e2e/workspace.mjs';
import { TEST_IDLE_MS, backgroundState, idleSuspendPrefs, launchFirefox, waitIn } from './firefox.mjs';
import { heading, joinWithKit } from './workspace.mjs';

/** The six digits in #otp, once there. @param {import('./firefox.mjs').Firefox} ff */
const filledOtp = (ff) =>
  waitIn(
    ff,
    () => {
      const v = /** @type {HTMLInputElement | null} */ (document.querySelector('#otp'))?.value ?? '';
      return /^\d{6}$/.test(v) ? v : null;
    },
    'six digits in #otp',
  );

test('Firefox: a code step waiting longer than the idle timeout is filled by the text that comes late', async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ff = await launchFirefox(t, { prefs: idleSuspendPrefs(TEST_IDLE_MS) });
  await joinWithKit(ff, ws, BOB);

  // A Northwind user who chose text messages, with the team's managed number as the phone.
  await ff.newTab();
  const email = freshEmail('late-sms');
  await ff.go(`${ws.demo}/demo/signup`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/signup"] button');
  await heading(ff, `Welcome, ${email}`);
  await ff.go(`${ws.demo}/demo/account/2fa`);
  await ff.type('#phone', `${MANAGED_NUMBER}\uE007`);
  await waitIn(ff, () => document.body.textContent?.includes('ending in 0142'), 'text-message sign-in on');
  await ff.click('form[action="/demo/logout"] button');
  await heading(ff, 'Sign in');

  // Signing in texts the code, which fills; the same step again waits for a new text.
  await ff.go(`${ws.demo}/demo/login`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/login"] button');
  await heading(ff, 'Two-step verification');
  const code = await filledOtp(ff);
  await ff.go(await ff.url());
  await waitIn(
    ff,
    () => document.querySelector('[data-latchkey="sms-waiting"]')?.textContent?.includes('Waiting for the SMS code'),
    'the waiting mark',
  );

  // Three idle timeouts pass while the step waits (the time itself is what is tested).
  await new Promise((r) => setTimeout(r, 3 * TEST_IDLE_MS));
  assert.notEqual(await backgroundState(ff), 'stopped', 'the event page was suspended while the step waited');
  await textTo(ws, `Your Northwind Cloud sign-in code is ${code}. Don't share it with anyone.`);
  assert.equal(await filledOtp(ff), code);
  await ff.click('form button[type=submit]');
  await heading(ff, `Welcome, ${email}`);
});
