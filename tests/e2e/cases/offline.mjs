// @ts-check
// What tests/e2e/offline.test.mjs's browser restart with the server away checks, and what Latchkey
// must answer: shared by Chromium's test and Firefox's tests/e2e-firefox/offline.test.mjs.

/** Words of the vault that must not read in clear in the offline copy on the device. */
export const COPY_CLEAR = ['Northwind', 'demo.localhost', 'accounts', '+1202'];

/** The popup's banner after the restart, until the PIN. */
export const LOCKED = 'Latchkey is locked';

/** The popup's sync line: synced with the server, then what it says with the server away. */
export const SYNCED_NOW = 'Synced just now';
export const UNREACHABLE = 'Server unreachable';
export const SYNCED_AGO = /Synced (just now|\d+ min ago)/;
export const NO_TEXTS = 'Texted codes cannot reach this device';

/** The SMS step's mark with the server away, then once it is back. */
export const SMS_UNREACHABLE = 'Latchkey cannot reach the SMS inbox';
export const SMS_WAITING = 'Waiting for the SMS code';

/** The text that reaches the inbox once the server is back, and the code it must fill. */
export const SMS_TEXT = 'Your Northwind Cloud sign-in code is 135790.';
export const SMS_CODE = '135790';
