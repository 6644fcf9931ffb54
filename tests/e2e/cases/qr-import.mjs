// @ts-check
// Scan QR code and Import in the dashboard (tests/e2e/qr-import.test.mjs): the files, what is typed
// and what must be seen, shared by Chromium's test and Firefox's tests/e2e-firefox/qr-import.test.mjs.
import { join } from 'node:path';
import { ROOT } from '../harness.mjs';

/** The core's import test files, and the password of the encrypted Aegis backup. */
export const DATA = join(ROOT, 'crate', 'tests', 'data', 'import');
export const AEGIS = join(DATA, 'aegis-encrypted.json');
export const GOOGLE = join(DATA, 'google-migration.txt');
export const ACCOUNTS = join(DATA, 'accounts.json');
export const IMPORT_PASSWORD = 'correct horse battery staple';

/** The key an account starts with before Set as MFA replaces it. */
export const OTHER_KEY = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';
export const QR_LOGIN = 'QR login';
export const OWNED = 'Shared · you own it';

/** The Aegis preview: what the password steps say, each entry's parameters and refusals. */
export const ENCRYPTED_SAYS = 'the Aegis file is encrypted: enter the password it was exported with';
export const WRONG_PASSWORD_SAYS = 'the password does not open this Aegis file';
export const AEGIS_ENTRIES = 5;
export const GITHUB_PARAMS = 'SHA1 · 6 digits · 30 s';
export const SECOND_PARAMS = 'SHA256 · 8 digits · 60 s';
export const HOTP_SAYS = /counter-based \(HOTP\) key/;
export const MOTP_SAYS = 'Not imported: MOTP codes are not supported';
/** The sites typed for the new accounts (entry number, site), what Import says, the names made. */
export const SITES = /** @type {const} */ ([
  [1, 'github.com'],
  [2, 'example.com'],
  [4, 'store.steampowered.com'],
]);
export const IMPORTED_SAYS = 'Imported 3 of 3.';
export const IMPORTED_NAMES = ['GitHub', 'Example Corp', 'Steam'];
/** The Google export: its entries, and what the first (GitHub's key, now an MFA) says. */
export const GOOGLE_ENTRIES = 3;
export const REPLACES_SAYS = /Replaces the MFA key of GitHub/;

/** Set as MFA on a page with backup codes beside its QR code. */
export const FABRIKAM_LOGIN = { name: 'Fabrikam login', site: 'fabrikam.localhost' };
export const FIRST_BACKUP_CODE = '48261935';
