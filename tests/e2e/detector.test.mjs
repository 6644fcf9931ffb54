// @ts-check
// The detector on snapshots of real MFA pages and look-alikes (`fixtures/otp-pages` of the shared
// fixtures beside this repository, found through LATCHKEY_SHARED; see labels.json there), loaded into a plain page. A
// few pages checked field by field; precision and
// recall per kind over every page are in detector-score.test.mjs.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT, SHARED_PAGES } from './harness.mjs';

const PAGES = SHARED_PAGES;
const DETECTOR = join(ROOT, 'extension', 'content', 'detector.js');

/**
 * Per page, the groups the detector must find: each a list of the fields' CSS selectors in the
 * order the characters go; [] means nothing may be found.
 * @type {Array<{file: string, groups: string[][], why: string}>}
 */
const CASES = [
  {
    file: 'ddg01_paypal_segmented6_tel.html',
    groups: [[0, 1, 2, 3, 4, 5].map((i) => `#ci-otpCode-${i}`)],
    why: 'six tel boxes without maxlength, numbered otpCode-0…5',
  },
  {
    file: 'ddg02_aws_quicksight_mfacode_password.html',
    groups: [['#mfacode']],
    why: 'a password-type MFA code; #next_mfacode is hidden, #password is a password',
  },
  { file: 'ddg05_reddit_login_otp_tel.html', groups: [['#otp']], why: 'id otp next to username and password' },
  {
    file: 'ddg07_ign_twoFactorToken.html',
    groups: [['#twoFactorToken']],
    why: 'twoFactorToken, label "6-Digit Authentication Token"',
  },
  {
    file: 'ddg08_world4you_tfa1-6_number_onetimecode.html',
    groups: [[1, 2, 3, 4, 5, 6].map((i) => `input[name="_tfa${i}"]`)],
    why: 'six number boxes with autocomplete=one-time-code',
  },
  { file: 'ddg10_porkbun_bypass_2fa_recovery_fields.html', groups: [], why: 'an account-recovery (bypass) form' },
  {
    file: 'neg01_hulu_profile_pin_4x_password.html',
    groups: [],
    why: 'a static 4-digit profile PIN in password boxes',
  },
  { file: 'neg02_qantas_member_pin.html', groups: [], why: 'a member PIN' },
  { file: 'neg04_planalto_captcha_codigo.html', groups: [], why: 'a captcha' },
  { file: 'neg06_uber_card_first6_digits.html', groups: [], why: 'the first 6 digits of a card' },
  { file: 'neg07_costco_sms_phone_number.html', groups: [], why: 'a phone number for SMS' },
];

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
      await page.setContent(await readFile(join(PAGES, c.file), 'utf8'));
      await page.addScriptTag({ path: DETECTOR });
      const found = await page.evaluate((wanted) => {
        const groups = globalThis.LatchkeyDetector.detect();
        return {
          groups: groups.map((g) =>
            g.fields.map((f) => wanted.find((sel) => f.matches(sel)) ?? f.outerHTML.slice(0, 80)),
          ),
          reasons: groups.map((g) => `${g.kind} ${g.confidence}: ${g.reason}`),
        };
      }, c.groups.flat());
      assert.deepEqual(found.groups, c.groups, found.reasons.join('\n'));
    });
  }
});
