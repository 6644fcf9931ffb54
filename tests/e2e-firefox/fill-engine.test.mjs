// @ts-check
// The fill engine (extension/content/fill.js) on its own, in Firefox: the Chromium suite's cases
// (tests/e2e/cases/fill-engine.mjs) on the WebDriver twin of a Playwright page (score-page.mjs),
// one Firefox for them all. Events, the paste, the prototype's setter and the visibility check are
// each browser's own: a difference in Firefox fails here.
import { after, before, test } from 'node:test';
import { fillEngineCases } from '../e2e/cases/fill-engine.mjs';
import { launchFirefox, sharedContext } from './firefox.mjs';
import { firefoxScorer } from './score-page.mjs';

const ctx = sharedContext(after);
/** @type {{newPage: () => Promise<any>}} */
let pages;
before(async () => {
  pages = await firefoxScorer(ctx, await launchFirefox(ctx, { addon: null }));
});

fillEngineCases(
  (name, fn) => test(`Firefox: ${name}`, fn),
  () => pages.newPage(),
);
