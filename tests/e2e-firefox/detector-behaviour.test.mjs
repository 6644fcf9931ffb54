// @ts-check
// The detector's rules one at a time, on small pages, in Firefox: the Chromium suite's cases
// (tests/e2e/cases/detector-behaviour.mjs) on the WebDriver twin of a Playwright page
// (score-page.mjs), one Firefox for them all. Visibility, layout order, shadow roots and text are
// each browser's own: a difference in Firefox fails here.
import { after, before, test } from 'node:test';
import { detectorBehaviourCases } from '../e2e/cases/detector-behaviour.mjs';
import { launchFirefox, sharedContext } from './firefox.mjs';
import { firefoxScorer } from './score-page.mjs';

const ctx = sharedContext(after);
/** @type {{newPage: () => Promise<any>}} */
let pages;
before(async () => {
  pages = await firefoxScorer(ctx, await launchFirefox(ctx, { addon: null }));
});

detectorBehaviourCases(
  (name, fn) => test(`Firefox: ${name}`, fn),
  () => pages.newPage(),
);
