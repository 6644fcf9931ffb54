// @ts-check
// The detector in Firefox: every labelled page (the shared snapshots and ours) loaded in
// firefox-esr, detector.js run in it, scored and held to the same floors as in Chromium
// (tests/bench/detect-score.mjs: the scoring, the labels, FLOORS; Chromium's test:
// tests/e2e/detector-score.test.mjs). A layout or DOM difference between the browsers that
// changes what is found fails here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { belowFloors, scoreAll, table } from '../bench/detect-score.mjs';
import { launchFirefox } from './firefox.mjs';
import { firefoxScorer } from './score-page.mjs';

test('Firefox: the detector holds the same precision and recall floors per kind on the labelled pages', async (t) => {
  const ff = await launchFirefox(t, { addon: null });
  const scores = await scoreAll(await firefoxScorer(t, ff));
  const misses = scores.total.pages.filter((p) => !p.startsWith('ok'));
  const report = `${table({ 'held back': scores.heldBack, tuning: scores.tuning })}\n${misses.join('\n')}`;
  t.diagnostic(report);
  assert.ok(scores.total.pages.length >= 150, `every set loaded (${scores.total.pages.length} pages)`);
  assert.deepEqual(belowFloors(scores), [], report);
});
