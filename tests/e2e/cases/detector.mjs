// @ts-check
// The detector's live-page cases (tests/e2e/detector.test.mjs in Chromium,
// tests/e2e-firefox/detector.test.mjs in Firefox): snapshots of real MFA pages and look-alikes
// (`fixtures/otp-pages` of the shared fixtures, SHARED_PAGES), each checked field by field.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, SHARED_PAGES } from '../harness.mjs';

const DETECTOR = join(ROOT, 'extension', 'content', 'detector.js');

/**
 * Per page, the groups the detector must find: each a list of the fields' CSS selectors in the
 * order the characters go; [] means nothing may be found.
 * @type {Array<{file: string, groups: string[][], why: string}>}
 */
export const CASES = [
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

/**
 * What the detector finds on the case's page in `page` (a Playwright page or its Firefox twin,
 * tests/e2e-firefox/score-page.mjs): each group's fields named by the wanted selector they match (or
 * their markup when none does), and each group's reason.
 * @param {{setContent: (html: string) => Promise<unknown>, addScriptTag: (o: {path: string}) => Promise<unknown>,
 *   evaluate: (fn: (wanted: string[]) => unknown, arg: string[]) => Promise<any>}} page
 * @param {{file: string, groups: string[][]}} c
 * @returns {Promise<{groups: string[][], reasons: string[]}>}
 */
export async function detectOn(page, c) {
  await page.setContent(await readFile(join(SHARED_PAGES, c.file), 'utf8'));
  await page.addScriptTag({ path: DETECTOR });
  return page.evaluate((wanted) => {
    const groups = /** @type {any} */ (globalThis).LatchkeyDetector.detect();
    return {
      groups: groups.map((/** @type {{fields: Element[]}} */ g) =>
        g.fields.map((f) => wanted.find((sel) => f.matches(sel)) ?? f.outerHTML.slice(0, 80)),
      ),
      reasons: groups.map((/** @type {any} */ g) => `${g.kind} ${g.confidence}: ${g.reason}`),
    };
  }, c.groups.flat());
}
