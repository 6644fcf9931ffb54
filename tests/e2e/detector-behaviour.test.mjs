// @ts-check
// The detector's rules one at a time, on small pages, in Chromium: the cases are in
// tests/e2e/cases/detector-behaviour.mjs, shared with the Firefox suite
// (tests/e2e-firefox/detector-behaviour.test.mjs).
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { detectorBehaviourCases } from './cases/detector-behaviour.mjs';

/** A browser of its own for each test. @param {{after: (fn: () => unknown) => void}} t */
async function openPage(t) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
  t.after(() => browser.close());
  return browser.newPage();
}

detectorBehaviourCases(test, openPage);
