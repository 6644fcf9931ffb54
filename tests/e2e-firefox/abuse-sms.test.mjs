// @ts-check
// An SMS code fills once, in Firefox with the built package against a real `latchkey serve --demo`
// with the extension trusted as Bob: Chromium's tests/e2e/abuse-sms.test.mjs, its attacks and
// answers from tests/e2e/cases/abuse-sms.mjs. The page makes the document its code went to
// disappear the moment the code is typed, before Latchkey hears back from it (the frame removed;
// the page reloaded), to be served the same code again in the next document. Latchkey claims the
// message as used before it sends the code (extension/background/sms/used.js): the next document
// only waits. Chromium's reload attack runs as an init script; here a probe content script added
// to a copy of the package runs the same function in every document of the tab.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPLAY_QUIET_MS, SMS_CODE, SMS_TEXT, WAITING, takeAndReload } from '../e2e/cases/abuse-sms.mjs';
import { startFixtures } from '../e2e/harness.mjs';
import { MANAGED_NUMBER, TWILIO_TOKEN, textTo } from '../e2e/sms.mjs';
import { BOB, startWorkspace } from '../e2e/workspace.mjs';
import { signInToCode, userTextedAt } from './demo-app.mjs';
import { launchFirefox, packageWithProbe, waitIn } from './firefox.mjs';
import { joinWithKit } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/** The current document (or frame) shows the waiting mark. @param {Firefox} ff */
const waiting = (ff) =>
  waitIn(
    ff,
    (says) => document.querySelector('[data-latchkey="mark"]')?.textContent?.includes(says),
    'the waiting mark',
    WAITING,
  );

/** The value of `#otp` in the current document ('' while there is none yet). @param {Firefox} ff */
const otpValue = (ff) =>
  ff.run(() => /** @type {HTMLInputElement | null} */ (document.querySelector('#otp'))?.value ?? '');

test('Firefox: a frame replaced the moment its SMS field is filled is not served the same code again', async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, BOB);
  // The demo's shared account signs in on demo.localhost: this page is on its site.
  await ff.newTab();
  await ff.go(fixtures.url('demo', 'sms-reframe.html'));
  await ff.frame('#step');
  await waiting(ff);
  await ff.top();
  await textTo(ws, SMS_TEXT);
  await waitIn(ff, (code) => document.body.dataset.taken === code, 'the code filled into the first frame', SMS_CODE);

  // The step again, in a new frame: the code is not filled there, and Latchkey waits for a new one.
  const end = Date.now() + REPLAY_QUIET_MS;
  while (Date.now() < end) {
    await ff.top();
    await ff.frame('#step');
    assert.equal(await otpValue(ff), '', 'the same code was filled again');
    await new Promise((r) => setTimeout(r, 200));
  }
  await waiting(ff);
  assert.equal(await otpValue(ff), '', 'the same code was filled again');
});

test('Firefox: a page that reloads the moment its SMS field is filled is not served the same code again', async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ff = await launchFirefox(t, { addon: await packageWithProbe(t, `(${takeAndReload})();`) });
  await joinWithKit(ff, ws, BOB);
  await ff.newTab();
  const email = await userTextedAt(ff, ws.demo, MANAGED_NUMBER);

  await signInToCode(ff, ws.demo, email);
  const taken = await waitIn(ff, () => sessionStorage.getItem('taken'), 'the texted code to be filled');
  assert.match(taken, /^\d{6}$/);

  // The reloaded step: the taken code is not filled again, and Latchkey waits for a new text.
  await waitIn(
    ff,
    () =>
      /** @type {PerformanceNavigationTiming | undefined} */ (performance.getEntriesByType('navigation')[0])?.type ===
      'reload',
    'the reloaded step',
  );
  const end = Date.now() + REPLAY_QUIET_MS;
  while (Date.now() < end) {
    assert.equal(await otpValue(ff), '', 'the same code was filled again');
    await new Promise((r) => setTimeout(r, 200));
  }
  await waiting(ff);
  assert.equal(await otpValue(ff), '', 'the same code was filled again');
});
