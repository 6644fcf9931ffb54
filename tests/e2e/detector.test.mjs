// @ts-check
// The detector on snapshots of real MFA pages and look-alikes (`fixtures/otp-pages` of the shared
// fixtures beside this repository, found through LATCHKEY_SHARED; see labels.json there), loaded
// into a plain page. A few pages checked field by field (the cases: tests/e2e/cases/detector.mjs,
// run in Firefox too); precision and recall per kind over every page are in detector-score.test.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { CASES, detectOn } from './cases/detector.mjs';

test('the detector finds code fields on real MFA pages and none on look-alikes', async (t) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
  t.after(() => browser.close());
  const page = await browser.newPage();
  for (const c of CASES) {
    await t.test(`${c.file}: ${c.why}`, async () => {
      const found = await detectOn(page, c);
      assert.deepEqual(found.groups, c.groups, found.reasons.join('\n'));
      if (c.codes) assert.deepEqual(found.codes, c.codes, found.reasons.join('\n'));
    });
  }
});
