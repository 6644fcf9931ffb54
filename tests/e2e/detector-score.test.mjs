// @ts-check
// The detector's precision and recall per kind on the labelled page sets (the shared snapshots and
// ours in tests/fixtures/otp-pages), the tuning part and the held-back part each held to floors so a
// regression fails.
// The scoring and the floors live in tests/bench/detect-score.mjs, which `./build.sh bench` prints;
// tests/e2e-firefox/detector-score.test.mjs holds Firefox to the same floors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { SETS, belowFloors, heldBack, loadLabels, normalise, scoreAll, table } from '../bench/detect-score.mjs';

test('labels.json rows parse the way the shared README describes them', () => {
  // A `totp\|sms` cell split the Markdown row: the target then sits in `split`.
  assert.deepEqual(
    normalise({ file: 'a', cls: 'totp\\', target: 'sms', selectors: [], split: '`#a-0` … `#a-2`', notes: '6' }),
    {
      file: 'a',
      skip: false,
      neg: false,
      expected: [{ cls: 'totp|sms', fields: ['#a-0', '#a-1', '#a-2'] }],
      setup: false,
      key: null,
    },
  );
  assert.deepEqual(
    normalise({ file: 'b', cls: 'sms (+email)', target: 'SMS: `#p-0` … `-2`; e-mail group `#e-0…2` is email class' })
      .expected,
    [
      { cls: 'sms', fields: ['#p-0', '#p-1', '#p-2'] },
      { cls: 'email', fields: ['#e-0', '#e-1', '#e-2'] },
    ],
  );
  assert.deepEqual(
    normalise({
      file: 'c',
      cls: 'totp',
      target: '[`#x` `#y` `#z` `#w`]',
      notes: 'a second field, `#m` (email class), too',
    }).expected,
    [
      { cls: 'totp', fields: ['#x', '#y', '#z', '#w'] },
      { cls: 'email', fields: ['#m'] },
    ],
  );
  assert.equal(normalise({ file: 'd', cls: 'recovery/neg', target: 'none' }).neg, true);
  assert.equal(normalise({ file: 'e', cls: 'amb', target: '`#v`' }).skip, true);
  const setup = normalise({ file: 'f', cls: 'totp', target: '`#c`', setup: true, key: 'ABCD EFGH' });
  assert.deepEqual([setup.setup, setup.key], [true, 'ABCD EFGH']);
});

test('the detector holds its precision and recall per kind on the labelled pages', async (t) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
  t.after(() => browser.close());
  const scores = await scoreAll(browser);
  const misses = scores.total.pages.filter((p) => !p.startsWith('ok'));
  const report = `${table({ 'held back': scores.heldBack, tuning: scores.tuning })}\n${misses.join('\n')}`;
  t.diagnostic(report);
  assert.ok(scores.total.pages.length >= 150, `every set loaded (${scores.total.pages.length} pages)`);
  assert.deepEqual(belowFloors(scores), [], report);
});

test('the i14p pages are split by a hash of their id, about a third held back', async () => {
  // FNV-1a of "p003" is 2816346588, divisible by 3; of "p001", 2849901826, is not.
  assert.equal(heldBack('i14p003_bare_signed_in_as_email_verify.html'), true);
  assert.equal(heldBack('i14p001_bare_verify_logo_tel.html'), false);
  assert.equal(heldBack('held03_proton_totp.html'), false, 'only i14p and i16s pages are split');
  // FNV-1a of "s03" is divisible by 3, of "s01" not: the setup pages are split by the same rule.
  assert.equal(heldBack('i16s03_aws_setup_two_codes.html'), true);
  assert.equal(heldBack('i16s01_github_setup_qr_hidden_key.html'), false);
  const labels = await loadLabels(SETS.ours);
  const i14 = labels.filter((l) => l.file.startsWith('i14'));
  const held = i14.filter((l) => heldBack(l.file)).length;
  assert.ok(i14.length >= 60 && held > i14.length / 4 && held < i14.length / 2, `${held} of ${i14.length} held back`);
});
