// @ts-check
// The right code for the right account (issue 16): what tests/e2e/right-account.test.mjs types and
// must see, shared by Chromium's test and Firefox's tests/e2e-firefox/right-account.test.mjs.

/** The demo app's site, as saved with each account. */
export const DEMO_SITE = 'demo.localhost';

/** The setup page: how long its code field must stay empty, the mark on it, the popup's note. */
export const SETUP_QUIET_MS = 2000;
export const SETUP_MARK = 'A new two-factor key';
export const SETUP_NOTE = 'setting up two-factor authentication';

/** Two accounts on one site, named from the apps' otpauth:// links. */
export const ANN_NAME = 'Northwind (Ann)';
export const BOB_NAME = 'Northwind (Bob)';
/** The code step opened where no user name was typed: stays empty this long; the popup's note. */
export const NO_NAME_QUIET_MS = 1500;
export const TWO_MATCH = '2 accounts match';

/**
 * Where in its 30 s period the background's clock is set when Sign in is pressed: 4.8 s of the
 * code left, under the 5 s below which a code is not filled.
 */
export const PRESSED_AT_MS = 25_200;
/** The start of the period after the one `at` is in. @param {number} at */
export const nextPeriod = (at) => at - (at % 30_000) + 30_000;
