// @ts-check
// A field disabled or read-only until "Send code" is pressed, in Firefox (Chromium's
// observe-dom.test.mjs, third test; its shadow-root and frame cases run in autofill.test.mjs):
// not filled while locked, filled with the current code once a person can type in it.
// "Not filled while locked" is checked, without a fixed wait, once the content script has looked at
// the locked field: it reported the frame's fields to the background and acted on the answer (a
// disabled field: a code, which it keeps until the field is enabled; a read-only one is no code
// field yet: nothing). The product shows no sign of that (no badge or mark for a read-only field),
// so a probe content script, run before Latchkey's in the global Firefox gives one extension's
// content scripts in a frame, sees the background's answers to those reports reach the content
// script. The probe exists only in this test's copy of the package; the page learns nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { LOCKED_FIELD_CASES } from '../e2e/cases/locked-field.mjs';
import { referenceCodesBetween, startFixtures } from '../e2e/harness.mjs';
import { addThroughPopup, launchFirefox, openPopup, packageWithProbeAtStart, waitIn } from './firefox.mjs';

/**
 * Counts, in data-probe-answered, the content script's reports of its fields (`fields`) that were
 * answered and acted on: a task after the reply reached it, when whatever it does with the reply
 * up to the first write into a field is done.
 */
const PROBE = `(() => {
  const runtime = chrome.runtime;
  const send = runtime.sendMessage;
  runtime.sendMessage = function (message, ...rest) {
    const reply = send.call(runtime, message, ...rest);
    if (message && message.type === 'fields') {
      const answered = () => setTimeout(() => {
        const root = document.documentElement;
        root.dataset.probeAnswered = String(Number(root.dataset.probeAnswered || 0) + 1);
      }, 0);
      reply.then(answered, answered);
    }
    return reply;
  };
})();
`;

test('Firefox: a field disabled or read-only until "Send code" is filled once it can be typed in', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t, { addon: await packageWithProbeAtStart(t, PROBE) });
  await openPopup(ff);
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(ff, { secret, site: 'fixtures.localhost' });
  await ff.newTab();
  for (const { lock, page } of LOCKED_FIELD_CASES) {
    await t.test(lock, async () => {
      await ff.go(fixtures.url('fixtures', page));
      // The content script reported the frame's fields and acted on the answer (or, the rule
      // broken, wrote the code in).
      const seen = await waitIn(
        ff,
        () => {
          const value = /** @type {HTMLInputElement} */ (document.querySelector('#otp')).value;
          const answered = Number(document.documentElement.dataset.probeAnswered || 0);
          return answered > 0 || value !== '' ? { answered, value } : null;
        },
        'the content script to wait for the locked field',
      );
      assert.equal(seen.value, '', `a ${lock} field was filled`);
      const before = Date.now();
      await ff.click('#send');
      const code = await waitIn(
        ff,
        () => {
          const v = /** @type {HTMLInputElement} */ (document.querySelector('#otp')).value;
          return /^\d{6}$/.test(v) ? v : null;
        },
        'six digits in the unlocked field',
      );
      assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code}`);
      assert.equal(
        await ff.run((l) => document.querySelector('#otp')?.hasAttribute(l), lock),
        false,
        'filled while still locked',
      );
    });
  }
});
