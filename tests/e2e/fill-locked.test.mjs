// @ts-check
// The content script's side of fields that cannot be typed in yet, in Chromium: the cases are in
// tests/e2e/cases/fill-locked.mjs, shared with the Firefox suite (tests/e2e-firefox/fill-locked.test.mjs).
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { lockedFieldCases } from './cases/fill-locked.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
});
after(() => browser?.close());

lockedFieldCases(test, () => browser.newPage());
