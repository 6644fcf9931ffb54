// @ts-check
// The detector's live-page cases in Firefox: Chromium's tests/e2e/detector.test.mjs, its pages and
// answers from tests/e2e/cases/detector.mjs, each page loaded in firefox-esr (the page twin of
// score-page.mjs) with detector.js run in it, checked field by field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CASES, detectOn } from '../e2e/cases/detector.mjs';
import { launchFirefox } from './firefox.mjs';
import { firefoxScorer } from './score-page.mjs';

test('Firefox: the detector finds code fields on real MFA pages and none on look-alikes', async (t) => {
  const ff = await launchFirefox(t, { addon: null });
  const page = await (await firefoxScorer(t, ff)).newPage();
  for (const c of CASES) {
    await t.test(`${c.file}: ${c.why}`, async () => {
      const found = await detectOn(/** @type {any} */ (page), c);
      assert.deepEqual(found.groups, c.groups, found.reasons.join('\n'));
      if (c.codes) assert.deepEqual(found.codes, c.codes, found.reasons.join('\n'));
    });
  }
});
