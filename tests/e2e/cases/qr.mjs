// @ts-check
// Scan QR code on this page (tests/e2e/qr-popup.test.mjs): the pages, their keys and what the
// popup must say, shared by Chromium's test and Firefox's tests/e2e-firefox/qr-popup.test.mjs.
// Pages are [site, file] of the fixtures server.

/**
 * Whether `word` occurs in `text` as a word of its own (a key inside a longer run is another key).
 * @param {string} text @param {string} word
 */
export function holdsWord(text, word) {
  return new RegExp(`(^|[^A-Za-z0-9])${word}([^A-Za-z0-9]|$)`).test(text);
}

/** The name the demo app's scanned account is given. */
export const SCANNED_NAME = 'Scanned demo';

/** A page with two QR codes, their keys, labels and the sentence that lists them. */
export const TWO = /** @type {const} */ (['two', 'qr-two.html']);
export const NORTHWIND = 'JBSWY3DPEHPK3PXP';
export const CONTOSO = 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF';
export const NORTHWIND_LABEL = 'Northwind: alice@example.com';
export const CONTOSO_LABEL = 'Contoso: alice@example.com';
export const TWO_KEYS = '2 keys on this page';
export const CONTOSO_NAME = 'Contoso';
/** @param {string} label */
export const keyReadFrom = (label) => `Key read from the QR code: ${label}.`;

/** A page whose QR code is a web address, a page with none, and what the popup says of each. */
export const NOT_OTP = /** @type {const} */ (['web', 'qr-not-otp.html']);
export const NOT_OTP_SAYS = 'Not used: this QR code is a web address, not an authenticator key (otpauth://)';
export const NO_KEY_SAYS = 'No authenticator key among the QR codes on this page.';
export const NO_QR_PAGE = /** @type {const} */ (['web', 'verify.html']);
export const NO_QR_SAYS = 'No QR code found on this page';

/** A page with backup codes beside its QR code: the codes offered, the box, the account's name. */
export const BACKUP = /** @type {const} */ (['fabrikam', 'qr-backup.html']);
export const BACKUP_CODES = [
  '48261935',
  '77102468',
  '30579142',
  '92835516',
  '11648072',
  '66493301',
  '53987724',
  '20376159',
  '84720963',
  '39154480',
];
export const KEEP_BACKUP = 'Keep these 10 backup codes with the account';
export const BACKUP_NAME = 'Fabrikam';
