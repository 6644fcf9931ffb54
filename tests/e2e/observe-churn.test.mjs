// @ts-check
// The content script's observer on a page that changes constantly: churn that cannot bring a code
// field (text, class, style, elements without inputs, attributes away from inputs) runs no scan at
// all; an added input, or an input's ancestor that hides it, does, debounced, and a page that never
// goes quiet still gets its scan within the maximum wait.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId, returnByValue: true });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  };
}

// Every scan starts with document-wide queries; the observers' own checks never query the document.
// Calls within 50 ms of each other are one scan.
const COUNT_SCANS = `(() => {
  const original = Document.prototype.querySelectorAll;
  globalThis.scanTimes = [];
  Document.prototype.querySelectorAll = function (selector) {
    if (this === document) scanTimes.push(performance.now());
    return original.call(this, selector);
  };
})()`;
const SCANS = `scanTimes.filter((t, i) => i === 0 || t - scanTimes[i - 1] > 50).length`;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a constantly changing page without code fields costs no scan; inputs and hidden ancestors do', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', 'ticker.html'));
  const cdp = await ctx.newCDPSession(page);
  const run = await contentWorld(cdp);
  await sleep(500); // the first scan, at load
  await run(COUNT_SCANS);

  const framesBefore = await page.evaluate(() => /** @type {any} */ (globalThis).frames_);
  await sleep(2500);
  const framesDrawn = (await page.evaluate(() => /** @type {any} */ (globalThis).frames_)) - framesBefore;
  assert.ok(framesDrawn > 30, `the ticker ran (${framesDrawn} frames)`);
  assert.equal(await run(SCANS), 0, 'text, class, style and element churn ran a scan');

  await page.evaluate(() => document.body.append(Object.assign(document.createElement('div'), { textContent: 'More news' })));
  await sleep(800);
  assert.equal(await run(SCANS), 0, 'an element without inputs ran a scan');

  await page.evaluate(() => document.getElementById('toolbar')?.setAttribute('style', 'display: none'));
  await waitFor(() => run(SCANS), 'a scan after the input’s ancestor hid it', 3000);

  await run('scanTimes.length = 0');
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.innerHTML = '<label>Code <input id="late-code" autocomplete="one-time-code" maxlength="6"></label>';
    document.body.append(box);
  });
  await waitFor(() => run(SCANS), 'a scan after an input was added', 3000);
});

test('inputs added faster than the quiet time still get scanned within the maximum wait, coalesced', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', 'ticker.html'));
  const cdp = await ctx.newCDPSession(page);
  const run = await contentWorld(cdp);
  await sleep(500);
  await run(COUNT_SCANS);
  // One input every 100 ms for 3 s: never 250 ms of quiet.
  await page.evaluate(async () => {
    for (let i = 0; i < 30; i++) {
      document.body.append(Object.assign(document.createElement('input'), { name: `field${i}` }));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  const scans = await run(SCANS);
  assert.ok(scans >= 2, `${scans} scans in 3 s of changes: the maximum wait did not force any`);
  assert.ok(scans <= 5, `${scans} scans for 30 changes: not coalesced`);
});
