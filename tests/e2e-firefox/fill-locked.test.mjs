// @ts-check
// The content script's side of fields that cannot be typed in yet, in Firefox: Chromium's cases
// (tests/e2e/cases/fill-locked.mjs) on the WebDriver twin of a Playwright page (score-page.mjs), the
// content script's files run in a plain page with stand-ins for the detector and the worker.
import { after, before, test } from 'node:test';
import { lockedFieldCases } from '../e2e/cases/fill-locked.mjs';
import { launchFirefox, sharedContext } from './firefox.mjs';
import { firefoxScorer } from './score-page.mjs';

const ctx = sharedContext(after);
/** @type {{newPage: () => Promise<any>}} */
let pages;
before(async () => {
  pages = await firefoxScorer(ctx, await launchFirefox(ctx, { addon: null }));
});

lockedFieldCases(
  (name, fn) => test(`Firefox: ${name}`, fn),
  () => pages.newPage(),
);
