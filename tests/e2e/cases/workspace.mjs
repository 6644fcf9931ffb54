// @ts-check
// What tests/e2e/workspace.test.mjs's restarts check (the shared demo account's keys surviving the
// background's restarts and a browser restart) and what Latchkey must answer: shared by Chromium's
// test and Firefox's tests/e2e-firefox/workspace.test.mjs.

/** The shared account Bob gets, and the banner naming the workspace while unlocked. */
export const TEAM_ACCOUNT = 'Northwind Cloud team';
export const WORKSPACE_BANNER = 'Northwind Demo';

/** The fields of the saved key store: one sealed blob, no index of handles beside it. */
export const KEY_STORE_FIELDS = ['blob'];

/** The popup's banner after a browser restart, until the PIN. */
export const LOCKED = 'Latchkey is locked';
