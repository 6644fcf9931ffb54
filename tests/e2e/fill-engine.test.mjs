// @ts-check
// The fill engine (extension/content/fill.js) on its own, in Chromium: the cases are in
// tests/e2e/cases/fill-engine.mjs, shared with the Firefox suite (tests/e2e-firefox/fill-engine.test.mjs).
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { fillEngineCases } from './cases/fill-engine.mjs';

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

fillEngineCases(test, () => browser.newPage());
