// @ts-check
// The content script's observer on a page that changes constantly: churn that cannot bring a code
// field (text, class, style, elements without inputs, attributes away from inputs) runs no scan at
// all; an added input, or an input's ancestor that hides it, does, debounced, and a page that never
// goes quiet still gets its scan within the maximum wait. Such a busy page without a code field is
// polled instead of observed, and a code field that appears on it brings the observers back.
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
} from './cases/observe-churn.mjs';
import { launchBrowser, startFixtures, waitFor } from './harness.mjs';

/** @typedef {import('playwright-core').CDPSession} CDPSession */

/**
 * A handle on Latchkey's content-script world of a page (CDP isolated world).
 * @param {CDPSession} cdp
 */
async function contentWorld(cdp) {
  /** @type {number[]} */
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => {
    if (context.auxData?.type === 'isolated' && context.name === 'Latchkey') contexts.push(context.id);
  });
  await cdp.send('Runtime.enable');
  const contextId = await waitFor(() => contexts[0], 'Latchkey’s content-script world');
  /** @param {string} expression */
  return async (expression) => {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression,
      contextId,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  };
}

// When the document was queried as a whole; scansIn (cases/observe-churn.mjs) makes them scans.
const COUNT_SCANS = `(() => {
  const original = Document.prototype.querySelectorAll;
  globalThis.scanTimes = [];
  Document.prototype.querySelectorAll = function (selector) {
    if (this === document) scanTimes.push(performance.now());
    return original.call(this, selector);
  };
})()`;
const SCANS = `(${scansIn})(scanTimes)`;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The ticker page in Chromium with Latchkey, and a way to run code in Latchkey's world there.
 * With `held`, the page does not change until `page.evaluate(startTicker)`.
 * @param {import('node:test').TestContext} t @param {{held?: boolean}} [options]
 */
async function openTicker(t, { held = false } = {}) {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  const world = contentWorld(cdp); // listening before the page loads, so its world is not missed
  await page.goto(`${fixtures.url('fixtures', 'ticker.html')}${held ? '?held' : ''}`);
  return { page, run: await world };
}

const startTicker = () => /** @type {any} */ (globalThis).startTicker();

test('a constantly changing page without code fields costs no scan; inputs and hidden ancestors do', async (t) => {
  const { page, run } = await openTicker(t);
  await sleep(500); // the first scan, at load
  await run(COUNT_SCANS);

  const framesBefore = await page.evaluate(() => /** @type {any} */ (globalThis).frames_);
  await sleep(2500);
  const framesDrawn = (await page.evaluate(() => /** @type {any} */ (globalThis).frames_)) - framesBefore;
  assert.ok(framesDrawn > 30, `the ticker ran (${framesDrawn} frames)`);
  assert.equal(await run(SCANS), 0, 'text, class, style and element churn ran a scan');

  await page.evaluate(addElementWithoutInputs);
  await sleep(800);
  assert.equal(await run(SCANS), 0, 'an element without inputs ran a scan');

  await page.evaluate(hideToolbar);
  await waitFor(() => run(SCANS), 'a scan after the input’s ancestor hid it', 8000);

  await run('scanTimes.length = 0');
  await page.evaluate(addInput);
  await waitFor(() => run(SCANS), 'a scan after an input was added', 8000);
});

test('inputs added faster than the quiet time still get scanned within the maximum wait, coalesced', async (t) => {
  const { page, run } = await openTicker(t);
  await sleep(500);
  await run(COUNT_SCANS);
  // The bounds follow how long the changes took as the page measured it, not the wall clock we hoped for.
  const elapsed = await page.evaluate(addInputsQuickly);
  const scans = await run(SCANS);
  assert.ok(
    scans >= LEAST_SCANS_UNDER_CHANGES,
    `${scans} scans in ${elapsed.toFixed(0)} ms of changes: the maximum wait did not force any`,
  );
  const most = mostScansUnderChanges(elapsed);
  const took = `${elapsed.toFixed(0)} ms`;
  assert.ok(scans <= most, `${scans} scans for 30 changes in ${took} (at most ${most}): not coalesced`);
});

// Counts, in the content script's world, the observers' observe and disconnect calls.
const COUNT_OBSERVERS = `(() => {
  globalThis.observerCalls = { observe: 0, disconnect: 0 };
  for (const name of ['observe', 'disconnect']) {
    const original = MutationObserver.prototype[name];
    MutationObserver.prototype[name] = function (...args) {
      observerCalls[name]++;
      return original.apply(this, args);
    };
  }
})()`;

test('a busy page without code fields is polled, not observed; a code field appearing is found', async (t) => {
  // Held until the observers are counted: on a loaded machine the page could be busy, and the
  // observers dropped, before the count began (it failed a clean-clone run so).
  const { page, run } = await openTicker(t, { held: true });
  await run(COUNT_OBSERVERS);
  await run(COUNT_SCANS);
  await page.evaluate(startTicker);
  // Dropped within about 1 s: the page changes on a timer as well as every frame, since a loaded
  // machine draws too few frames to count as busy (waiting on frames alone failed a clean-clone
  // run at load 12). A loaded machine stretches timers too, so wait for it, within reason.
  const calls = await waitFor(
    async () => {
      const c = await run('observerCalls');
      return c.disconnect >= 1 ? c : null;
    },
    'the observers dropped on a page that changes every frame and every 8 ms',
    10_000,
  );
  assert.equal(calls.observe, 0, 'something is observed again on a page with no code field');
  assert.equal(await run(SCANS), 0, 'the poll scanned although no input came or changed');

  // The ticker's filter box hidden: the poll notices how the input looks.
  await page.evaluate(hideToolbar);
  await waitFor(() => run(SCANS), 'a scan after the input’s ancestor hid it, found by the poll', 8000);
  assert.equal((await run('observerCalls')).observe, 0, 'an input that is no code field brought the observers back');

  // A code step appears while the page keeps ticking: scanned, reported, observed again.
  await page.evaluate(addCodeStep);
  await waitFor(
    async () => (await run('observerCalls')).observe > 0,
    'the observers back once a code field is there',
    8000,
  );
  // While a code field is there, churn keeps the observers (nothing is disconnected for a poll).
  await sleep(1000);
  const before = await run('observerCalls');
  await sleep(2000);
  assert.equal(
    (await run('observerCalls')).disconnect,
    before.disconnect,
    'the observers were dropped although the page has a code field',
  );
  await run('scanTimes.length = 0');
  await page.evaluate(removeCodeStep);
  await waitFor(() => run(SCANS), 'a scan after the code field went', 8000);
});
