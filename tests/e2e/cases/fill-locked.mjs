// @ts-check
// The content script's side of fields that cannot be typed in yet, shared by the browsers' suites:
// tests/e2e/fill-locked.test.mjs (Chromium, Playwright) and tests/e2e-firefox/fill-locked.test.mjs
// (Firefox, the WebDriver twin of a Playwright page in score-page.mjs). A group the detector reports
// with `disabled` (or whose field is disabled or read-only at fill time) is filled once it is enabled,
// with a code asked for at that moment, and only once. The content script's parts run in a plain
// page, with a stand-in detector that reports the field as the detector does (with `disabled`) and a
// stand-in `chrome.runtime` that plays the worker: each report is answered with the next code of a
// list.
import assert from 'node:assert/strict';
import { CONTENT_SCRIPTS, waitFor } from '../harness.mjs';

/** @typedef {import('playwright-core').Page} Page */

const PAGE = `<!doctype html><html lang="en"><body><main><h1>Two-step verification</h1>
  <label for="otp">Authentication code</label><input id="otp" autocomplete="one-time-code" maxlength="6">
  <button id="send" type="button">Send code</button></main></body></html>`;

const STANDINS = `
  globalThis.LatchkeyDetector = { detect: () => {
    const f = document.getElementById('otp');
    return [{ kind: 'single', fields: [f], confidence: 0.9, reason: 'stand-in', channel: 'app', code: 'totp',
      disabled: f.disabled || f.readOnly }];
  }, isVisible: () => true, lastHidden: () => 0 };
  globalThis.reports = [];
  const codes = ['012345', '067890', '099999'];
  globalThis.chrome = { runtime: { id: 'test',
    sendMessage: async (m) => { reports.push(m); return { ok: true, code: codes[reports.length - 1] }; },
    onMessage: { addListener: () => {} } } };`;

/** The ways a site locks its field until "Send code". */
export const LOCKS = /** @type {const} */ (['disabled', 'readonly']);

/**
 * Declares one test per lock with `test`, each on a page `newPage` opens (a Playwright page or its
 * twin: setContent, addScriptTag, evaluate).
 * @param {(name: string, fn: () => Promise<void>) => unknown} test @param {() => Promise<Page>} newPage
 */
export function lockedFieldCases(test, newPage) {
  for (const lock of LOCKS) {
    test(`a ${lock} field is filled once it is enabled, with the code current then, and only once`, async () => {
      const page = await newPage();
      await page.setContent(PAGE);
      /** @param {boolean} on */
      const locked = (on) =>
        page.evaluate(
          ([attr, set]) => document.getElementById('otp')?.toggleAttribute(/** @type {string} */ (attr), Boolean(set)),
          [lock, on],
        );
      await locked(true);
      await page.addScriptTag({ content: STANDINS });
      // Every part but the detector, in the manifest's order.
      for (const path of CONTENT_SCRIPTS.slice(1)) await page.addScriptTag({ path });
      const reports = () => page.evaluate(() => /** @type {any} */ (globalThis).reports.length);
      const value = () => page.evaluate(() => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value);

      await waitFor(async () => (await reports()) === 1, 'the first report');
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(await value(), '', `the ${lock} field was filled`);

      await locked(false);
      await waitFor(
        async () => (await value()) === '067890',
        'the field to get the code answered after it was enabled',
      );
      assert.equal(await reports(), 2, 'one more report, when the field was enabled');

      // Locked and unlocked again: the same field, nothing new to fill.
      await locked(true);
      await new Promise((resolve) => setTimeout(resolve, 600));
      await locked(false);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      assert.equal(await reports(), 2, 'no further report for the same field');
      assert.equal(await value(), '067890');
    });
  }
}
