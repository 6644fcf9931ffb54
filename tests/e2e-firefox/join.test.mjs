// @ts-check
// The join flow in Firefox, as in Chromium: Bob's browser becomes a trusted device (server and
// e-mail, Start, Next, the e-mailed code, his Recovery Kit, an unlock PIN), and then the demo app's
// sign-in as the team login fills the shared account's code from the workspace vault.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referenceCodesBetween } from '../e2e/harness.mjs';
import { BOB, startWorkspace } from '../e2e/workspace.mjs';
import { launchFirefox, waitIn } from './firefox.mjs';
import { joinWithKit } from './workspace.mjs';

test('Firefox: joining with the e-mailed code and the Recovery Kit, then the shared code fills', async (t) => {
  const ws = await startWorkspace(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, BOB);
  await ff.screenshot('firefox-join-trusted');

  // The team login signs in to the demo app; the code of the shared account fills by itself.
  await ff.newTab();
  await ff.go(`${ws.demo}/demo/login`);
  await ff.type('#email', 'team@northwind.test');
  const before = Date.now();
  await ff.type('#password', ws.signIn.teamPassword);
  await ff.click('form[action="/demo/login"] button');
  const code = await waitIn(
    ff,
    () => {
      const v = /** @type {HTMLInputElement | null} */ (document.querySelector('#otp'))?.value ?? '';
      return /^\d{6}$/.test(v) ? v : null;
    },
    'the shared account’s code in #otp',
  );
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, before, Date.now()).includes(code), `filled ${code}`);
  await ff.click('form button[type=submit]');
  await waitIn(ff, () => document.body.textContent?.includes('Welcome, team@northwind.test'), 'the welcome page');
});
