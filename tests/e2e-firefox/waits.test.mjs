// @ts-check
// The SMS and e-mail waits in Firefox, as in Chromium: Bob's browser, trusted, opens the demo app's
// code step of a user whose phone is the team's managed number (or whose codes are e-mailed to its
// managed address); the code texted (a Twilio-signed webhook) or e-mailed (over SMTP to the server's
// listener) fills from the shared inbox. The same step again waits ("Waiting for the SMS code…", or
// the e-mail code) and fills with the next message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD } from '../e2e/demo-app.mjs';
import { freshEmail } from '../e2e/harness.mjs';
import { mailTo } from '../e2e/mail.mjs';
import { MANAGED_NUMBER, TWILIO_TOKEN, textTo } from '../e2e/sms.mjs';
import { BOB, api, startWorkspace } from '../e2e/workspace.mjs';
import { backgroundState, filledOtpIn, idleSuspendPrefs, launchFirefox, TEST_IDLE_MS, waitIn } from './firefox.mjs';
import { heading, joinWithKit, workspaceToken } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * Bob's Firefox, trusted, at the demo app's code step of a new user whose phone is the team's
 * managed number: signing in texts the code, which fills; the same step loaded again (that code was
 * used) shows the waiting mark. Returns the user and the code.
 * @param {Firefox} ff @param {Awaited<ReturnType<typeof startWorkspace>>} ws @param {string} label
 */
async function atTheWaitingSmsStep(ff, ws, label) {
  await joinWithKit(ff, ws, BOB);
  await ff.newTab();
  const email = freshEmail(label);
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

  // Signing in texts the code; it fills, from the shared inbox.
  await ff.go(`${ws.demo}/demo/login`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/login"] button');
  await heading(ff, 'Two-step verification');
  const code = await filledOtpIn(ff);

  // The same step again: that code was used, so the page waits.
  await ff.go(await ff.url());
  await waitIn(
    ff,
    () => document.querySelector('[data-latchkey="mark"]')?.textContent?.includes('Waiting for the SMS code'),
    'the waiting mark',
  );
  return { email, code };
}

test('Firefox: the code texted to the managed number fills the SMS step; the step again waits and fills', async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ff = await launchFirefox(t);
  const { email, code } = await atTheWaitingSmsStep(ff, ws, 'sms');
  assert.equal(await ff.run(() => /** @type {HTMLInputElement} */ (document.querySelector('#otp')).value), '');
  await ff.screenshot('firefox-sms-waiting');
  await textTo(ws, `Your Northwind Cloud sign-in code is ${code}. Don't share it with anyone.`);
  assert.equal(await filledOtpIn(ff), code);
  await ff.click('form button[type=submit]');
  await heading(ff, `Welcome, ${email}`);
});

// Firefox suspends an idle event page even while it works on an answer or waits on the network
// (here after 3 s, by pref; 30 s by default). A step waiting longer than that must still be filled:
// the background holds itself up while a wait is in flight (platform.js `holdAwake`). Without it,
// the background was suspended mid-wait and the text that came later never reached the page.
test('Firefox: a code step waiting longer than the idle timeout is filled by the text that comes late', async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ff = await launchFirefox(t, { prefs: idleSuspendPrefs(TEST_IDLE_MS) });
  const { email, code } = await atTheWaitingSmsStep(ff, ws, 'late-sms');
  // Three idle timeouts pass while the step waits (the time itself is what is tested).
  await new Promise((r) => setTimeout(r, 3 * TEST_IDLE_MS));
  assert.notEqual(await backgroundState(ff), 'stopped', 'the event page was suspended while the step waited');
  await textTo(ws, `Your Northwind Cloud sign-in code is ${code}. Don't share it with anyone.`);
  assert.equal(await filledOtpIn(ff), code);
  await ff.click('form button[type=submit]');
  await heading(ff, `Welcome, ${email}`);
});

test('Firefox: the code e-mailed to the managed address fills the e-mail step; again it waits and fills', async (t) => {
  const ws = await startWorkspace(t, { mail: true });
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, BOB);
  /** @type {{accounts: Array<{name: string, emailAddress: string | null}>}} */
  const { accounts } = await api(ws.server, await workspaceToken(ff), 'GET', '/accounts');
  const address = accounts.find((a) => a.name === 'Northwind Cloud team')?.emailAddress;
  assert.ok(address, 'the demo seed gave the team login a managed address');

  // A Northwind user whose sign-in codes are e-mailed to the team's managed address.
  await ff.newTab();
  const email = freshEmail('mail');
  await ff.go(`${ws.demo}/demo/signup`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/signup"] button');
  await heading(ff, `Welcome, ${email}`);
  await ff.go(`${ws.demo}/demo/account/2fa`);
  await ff.type('#code-email', `${address}\uE007`);
  await waitIn(ff, (a) => document.body.textContent?.includes(`we e-mail to ${a}`), 'e-mailed codes on', address);
  await ff.click('form[action="/demo/logout"] button');
  await heading(ff, 'Sign in');

  // Signing in e-mails the code (the demo app, over SMTP); it fills, from the shared inbox.
  await ff.go(`${ws.demo}/demo/login`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/login"] button');
  await heading(ff, 'Two-step verification');
  const code = await filledOtpIn(ff);

  await ff.go(await ff.url());
  await waitIn(
    ff,
    () => document.querySelector('[data-latchkey="mark"]')?.textContent?.includes('Waiting for the e-mail code'),
    'the e-mail waiting mark',
  );
  assert.equal(await ff.run(() => /** @type {HTMLInputElement} */ (document.querySelector('#otp')).value), '');
  await mailTo(ws, {
    to: address,
    subject: `${code} is your Northwind Cloud sign-in code`,
    text: `Your Northwind Cloud sign-in code is ${code}.`,
  });
  assert.equal(await filledOtpIn(ff), code);
  await ff.click('form button[type=submit]');
  await heading(ff, `Welcome, ${email}`);
});
