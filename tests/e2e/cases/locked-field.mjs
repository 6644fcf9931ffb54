// @ts-check
// Code fields that cannot be typed in until "Send code" is pressed (tests/e2e/fixtures/disabled.html),
// shared by Chromium's observe-dom.test.mjs and Firefox's: each page's field must stay empty while
// locked and be filled with the current code once a person can type in it.

/** How the field is locked, and the page that locks it so; its code field is #otp, its button "Send code". */
export const LOCKED_FIELD_CASES = /** @type {const} */ ([
  { lock: 'disabled', page: 'disabled.html?lock=disabled' },
  { lock: 'readonly', page: 'disabled.html?lock=readonly' },
]);
