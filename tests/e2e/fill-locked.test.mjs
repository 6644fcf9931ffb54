// @ts-check
// The content script's side of fields that cannot be typed in yet: a group the detector reports with
// `disabled` (or whose field is disabled or read-only at fill time) is filled once it is enabled,
// with a code asked for at that moment, and only once. autofill.js runs in a plain page here, with
// a stand-in detector that reports the field as the detector does (with `disabled`) and a stand-in
// `chrome.runtime` that plays the worker: each report is answered with the next code of a list.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT, waitFor } from './harness.mjs';

const AUTOFILL = join(ROOT, 'extension', 'content', 'autofill.js');

const PAGE = `<!doctype html><html lang="en"><body><main><h1>Two-step verification</h1>
  <label for="otp">Authentication code</label><input id="otp" autocomplete="one-time-code" maxlength="6">
  <button id="send" type="button">Send code</button></main></body></html>`;

const STANDINS = `
  globalThis.LatchkeyDetector = { detect: () => {
    const f = document.getElementById('otp');
    return [{ kind: 'single', fields: [f], confidence: 0.9, reason: 'stand-in', channel: 'app', code: 'totp', disabled: f.disabled || f.readOnly }];
  }, isVisible: () => true, lastHidden: () => 0 };
  globalThis.reports = [];
  const codes = ['012345', '067890', '099999'];
  globalThis.chrome = { runtime: { id: 'test',
    sendMessage: async (m) => { reports.push(m); return { ok: true, code: codes[reports.length - 1] }; },
    onMessage: { addListener: () => {} } } };`;

for (const lock of ['disabled', 'readonly']) {
  test(`a ${lock} field is filled once it is enabled, with the code current then, and only once`, async (t) => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox'],
    });
    t.after(() => browser.close());
    const page = await browser.newPage();
    await page.setContent(PAGE);
    await page.evaluate((attr) => document.getElementById('otp')?.setAttribute(attr, ''), lock);
    await page.addScriptTag({ content: STANDINS });
    await page.addScriptTag({ path: AUTOFILL });
    const reports = () => page.evaluate(() => /** @type {any} */ (globalThis).reports.length);
    const value = () => page.locator('#otp').inputValue();

    await waitFor(async () => (await reports()) === 1, 'the first report');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(await value(), '', `the ${lock} field was filled`);

    await page.evaluate((attr) => document.getElementById('otp')?.removeAttribute(attr), lock);
    await waitFor(async () => (await value()) === '067890', 'the field to get the code answered after it was enabled');
    assert.equal(await reports(), 2, 'one more report, when the field was enabled');

    // Locked and unlocked again: the same field, nothing new to fill.
    await page.evaluate((attr) => document.getElementById('otp')?.setAttribute(attr, ''), lock);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await page.evaluate((attr) => document.getElementById('otp')?.removeAttribute(attr), lock);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(await reports(), 2, 'no further report for the same field');
    assert.equal(await value(), '067890');
  });
}
