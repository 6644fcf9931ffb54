// @ts-check
// The content script's observer on a page that changes constantly, in Firefox (Chromium's
// observe-churn.test.mjs, its page actions and bounds shared through cases/observe-churn.mjs):
// churn that cannot bring a code field runs no scan; an added input, or an input's ancestor that
// hides it, does, debounced, and a page that never goes quiet still gets its scan within the
// maximum wait. Such a busy page without a code field is polled instead of observed, and a code
// field that appears on it brings the observers back. A behaviour test: how much the observers
// cost is measured in the benches, not here.
// Chromium's test counts calls in the content script's world through CDP. Here a probe content
// script, run before Latchkey's in the global Firefox gives one extension's content scripts in a
// frame, wraps the same prototypes and answers the test through the DOM (only in this test's copy
// of the package). Where Chromium's test waits a fixed time to see that nothing happens, this one
// waits for the ticker to draw frames: every one of them is churn that must not cost a scan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addCodeStep,
  addElementWithoutInputs,
  addInput,
  addInputsQuickly,
  hideToolbar,
  LEAST_SCANS_UNDER_CHANGES,
  mostScansUnderChanges,
  removeCodeStep,
  scansIn,
} from '../e2e/cases/observe-churn.mjs';
import { startFixtures } from '../e2e/harness.mjs';
import { launchFirefox, packageWithProbeAtStart, waitIn } from './firefox.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * From the start: when the document was queried as a whole (scans), and the observers' observe
 * ("o") and disconnect ("d") calls in order. "count-scans" starts the scans again from none; every
 * command is answered in data-probe-reply with {scans, calls}.
 */
const PROBE = `(() => {
  const scansIn = ${scansIn};
  let scanTimes = [];
  let calls = '';
  const query = Document.prototype.querySelectorAll;
  Document.prototype.querySelectorAll = function (selector) {
    if (this === document) scanTimes.push(performance.now());
    return query.call(this, selector);
  };
  for (const [name, mark] of [['observe', 'o'], ['disconnect', 'd']]) {
    const original = MutationObserver.prototype[name];
    MutationObserver.prototype[name] = function (...args) {
      calls += mark;
      return original.apply(this, args);
    };
  }
  document.addEventListener('latchkey-probe', (e) => {
    if (e.detail === 'count-scans') scanTimes = [];
    document.documentElement.dataset.probeReply = JSON.stringify({ scans: scansIn(scanTimes), calls });
  });
})();
`;

/**
 * What the probe counted in the current page (after `command`, if any).
 * @param {Firefox} ff @param {string} [command] @returns {Promise<{scans: number, calls: string}>}
 */
const probe = (ff, command = 'read') =>
  ff.run((c) => {
    document.dispatchEvent(new CustomEvent('latchkey-probe', { detail: c }));
    return JSON.parse(document.documentElement.dataset.probeReply ?? 'null');
  }, command);

/** Waits until the ticker drew `n` more frames (each one churn). @param {Firefox} ff @param {number} n */
async function framesDrawn(ff, n) {
  const from = await ff.run(() => /** @type {any} */ (window).frames_);
  await waitIn(ff, (f) => /** @type {any} */ (window).frames_ >= f, `${n} frames of the ticker`, from + n);
}

/**
 * Waits until what the probe counted satisfies `ok`.
 * @param {Firefox} ff @param {(c: {scans: number, calls: string}) => boolean} ok @param {string} what
 */
async function until(ff, ok, what) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const counted = await probe(ff);
    if (counted && ok(counted)) return counted;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(counted)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The ticker page in Firefox with Latchkey and the probe, once Latchkey's scan at load is done
 * and the scans are counted again from none.
 * @param {import('node:test').TestContext} t
 */
async function openTicker(t) {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t, { addon: await packageWithProbeAtStart(t, PROBE) });
  await ff.go(fixtures.url('fixtures', 'ticker.html'));
  await until(ff, (c) => c.scans >= 1, 'Latchkey’s scan at load');
  await probe(ff, 'count-scans');
  return ff;
}

/** Whether the content script observes nothing now: its last observer call was a disconnect. @param {string} calls */
const dropped = (calls) => calls.endsWith('d');

test('Firefox: a changing page without code fields costs no scan; inputs and hidden ancestors do', async (t) => {
  const ff = await openTicker(t);
  await framesDrawn(ff, 120);
  assert.equal((await probe(ff)).scans, 0, 'text, class, style and element churn ran a scan');

  await ff.run(addElementWithoutInputs);
  await framesDrawn(ff, 90);
  assert.equal((await probe(ff)).scans, 0, 'an element without inputs ran a scan');

  await ff.run(hideToolbar);
  await until(ff, (c) => c.scans > 0, 'a scan after the input’s ancestor hid it');

  await probe(ff, 'count-scans');
  await ff.run(addInput);
  await until(ff, (c) => c.scans > 0, 'a scan after an input was added');
});

test('Firefox: inputs added faster than the quiet time get scanned within the maximum wait, coalesced', async (t) => {
  const ff = await openTicker(t);
  const elapsed = await ff.run(addInputsQuickly);
  const { scans } = await probe(ff);
  const took = `${elapsed.toFixed(0)} ms`;
  assert.ok(scans >= LEAST_SCANS_UNDER_CHANGES, `${scans} scans in ${took} of changes: the maximum wait forced none`);
  const most = mostScansUnderChanges(elapsed);
  assert.ok(scans <= most, `${scans} scans for 30 changes in ${took} (at most ${most}): not coalesced`);
});

test('Firefox: a busy page without code fields is polled, not observed; a code field appearing is found', async (t) => {
  const ff = await openTicker(t);
  const atDrop = await until(
    ff,
    (c) => dropped(c.calls),
    'the observers dropped on a page that changes every frame and every 8 ms',
  );
  await probe(ff, 'count-scans');
  await framesDrawn(ff, 60); // more than one poll
  const polled = await probe(ff);
  assert.equal(polled.scans, 0, 'the poll scanned although no input came or changed');
  assert.ok(!polled.calls.slice(atDrop.calls.length).includes('o'), 'something is observed again with no code field');

  // The ticker's filter box hidden: the poll notices how the input looks.
  await ff.run(hideToolbar);
  const hidden = await until(ff, (c) => c.scans > 0, 'a scan after the input’s ancestor hid it, found by the poll');
  assert.ok(
    !hidden.calls.slice(atDrop.calls.length).includes('o'),
    'an input that is no code field brought the observers back',
  );

  // A code step appears while the page keeps ticking: scanned, reported, observed again.
  await ff.run(addCodeStep);
  await until(
    ff,
    (c) => c.calls.slice(atDrop.calls.length).includes('o'),
    'the observers back once a code field is there',
  );
  // While a code field is there, churn keeps the observers (nothing is disconnected for a poll).
  await framesDrawn(ff, 60);
  const before = await probe(ff);
  await framesDrawn(ff, 120);
  const after = await probe(ff);
  assert.equal(
    after.calls.slice(before.calls.length).includes('d'),
    false,
    'the observers were dropped although the page has a code field',
  );
  await probe(ff, 'count-scans');
  await ff.run(removeCodeStep);
  await until(ff, (c) => c.scans > 0, 'a scan after the code field went');
});
