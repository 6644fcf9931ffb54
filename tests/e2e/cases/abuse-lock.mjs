// @ts-check
// The attacks of tests/e2e/abuse-lock.test.mjs on Lock and the unlock PIN (docs/security.md, "The
// unlock PIN") and what Latchkey must answer: shared by Chromium's test and Firefox's
// tests/e2e-firefox/abuse-lock.test.mjs.
import { PIN } from '../workspace.mjs';

/** The PIN the device changes to, and the wrong ones an attacker types (five wipe the device). */
export const NEW_PIN = '4092 7716';
export const WRONG = ['111112', '204863', '918273', '555123', '640128'];

/** PINs the join page refuses, each with its reason. */
export const WEAK_PINS = [
  ['123456', 'That PIN is too easy to guess (it is a run of digits)'],
  ['000000', 'That PIN is too easy to guess (it is one digit repeated)'],
  ['48291', 'A PIN needs at least 6 digits; this one has 5'],
];

/** A weak new PIN at Change PIN (costs no try), and its refusal. */
export const WEAK_NEW_PIN = '121212';
export const TOO_EASY = 'too easy to guess';

/** The popup's banner while locked, and after a wrong PIN with `left` tries left. */
export const LOCKED = 'Latchkey is locked';
/** @param {number} left */
export const wrongPinSays = (left) => `That PIN is wrong. ${left} ${left === 1 ? 'try' : 'tries'} left`;
/** @param {number} left */
export const triesLeft = (left) => `${left} ${left === 1 ? 'try' : 'tries'} left`;
export const PIN_CHANGED = 'Your unlock PIN is changed.';

/** The popup's banner once five wrong PINs wiped the device. */
export const WIPED = ['Too many wrong PINs', 'This device left the workspace'];
/** What the banner says when the server disabled the device for another reason. */
export const DISABLED_ELSEWHERE = 'This device was disabled';
/** What the wipe removes from persistent storage (the session key goes from session storage). */
export const WIPED_KEYS = ['workspace', 'workspaceKeys', 'workspacePin'];

/** The demo's shared account, whose codes Lock withholds. */
export const SHARED_ACCOUNT = 'Northwind Cloud team';

/** What a content script asks to get past the PIN, and the answer each gets. */
export const CONTENT_SCRIPT_ASKS = [
  { type: 'ws-unlock', pin: PIN },
  { type: 'ws-set-pin', pin: '730519' },
  { type: 'ws-change-pin', current: PIN, pin: '730519' },
];
export const PAGE_ONLY = { ok: false, error: 'Only Latchkey’s own pages may ask that.' };

/** A trusted device without a PIN (from before PINs): the banner, the refusal to unlock. */
export const CHOOSE_PIN = 'Choose an unlock PIN';
export const CHOOSE_FIRST = { ok: false, error: 'Choose an unlock PIN first.' };
/** Its first tries: a weak PIN, two entries that differ, then the passphrase it keeps. */
export const NO_PIN_TRIES = {
  weak: '999999',
  passphrase: 'correct horse battery',
  typo: 'correct horse batery',
  differ: 'The two entries differ',
};

/** How long the shared account's code step must stay empty while locked (the time is what is checked). */
export const LOCKED_QUIET_MS = 2500;
