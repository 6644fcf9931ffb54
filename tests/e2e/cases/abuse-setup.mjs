// @ts-check
// The attack of tests/e2e/abuse-setup.test.mjs (a page that claims to be a two-factor setup step)
// and what Latchkey must answer: shared by Chromium's test and Firefox's
// tests/e2e-firefox/abuse-setup.test.mjs. Pages are [site, file] of the fixtures server.

/** The account saved for the claiming page's site. */
export const SAVED = { site: 'shop.localhost', name: 'Shop' };

/** That site's ordinary code step (fills), and its page claiming a setup step (gets nothing). */
export const SHOP_VERIFY = /** @type {const} */ (['shop', 'verify.html']);
export const SHOP_CLAIM = /** @type {const} */ (['shop', 'setup-claim.html']);

/** The key the claiming page shows, as the popup offers it, and the accounts after it is saved. */
export const OFFERED_KEY = /^otpauth:\/\/totp\/Evil:/;
export const NAMES_AFTER = ['Evil', 'Shop'];

/** Another site the same tab moves to: its setup claim and its sign-in page get nothing. */
export const EVIL_CLAIM = /** @type {const} */ (['evil', 'setup-claim.html']);
export const EVIL_VERIFY = /** @type {const} */ (['evil', 'verify.html']);

/** How long a refused page is watched, and the shorter watch of the last sign-in page. */
export const QUIET_MS = 2500;
export const LAST_QUIET_MS = 1500;
