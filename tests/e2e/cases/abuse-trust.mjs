// @ts-check
// The attacks of tests/e2e/abuse-trust.test.mjs on the trust flow (docs/security.md, "Attacks on the
// trust flow") and what Latchkey must answer: shared by Chromium's test and Firefox's
// tests/e2e-firefox/abuse-trust.test.mjs.

/** The trusted device, the new one asking to be approved, and the one a flood hides. */
export const TRUSTED = 'alice laptop';
export const NEW_DEVICE = 'alice phone';
export const OTHER_TRUSTED = 'alice old desktop';

/** The number a new device shows, and a guess that is not it. */
export const NUMBER = /^[1-9]\d\d$/;
/** @param {string} shown */
export const wrongNumber = (shown) => (shown === '500' ? '501' : '500');

/** What the trusted device's dashboard says of a wrong number, and what the new device says. */
/** @param {string} wrong @param {string} name */
export const wrongNumberSays = (wrong, name) => `${wrong} is not the number “${name}” shows, so its request was denied`;
export const NEW_DEVICE_TOLD = 'The number typed on your trusted device was not this one';
export const WAITING = 'Waiting for approval';

/** A flood: addresses, requests from each (each address is cut off after 5 in 5 minutes). */
export const FLOOD_ADDRESSES = 24;
export const FLOOD_ASKS = 6;
/** @param {number} i */
export const floodAddress = (i) => `127.0.9.${i + 1}`;
/** At least this many requests get through, and the dashboard shows at most this many. */
export const FLOOD_MADE_AT_LEAST = 100;
export const FLOOD_SHOWN_AT_MOST = 10;

/**
 * A device name with a text-direction control (refused by the join page, with this reason), and a
 * look-alike of the trusted device's name (a Cyrillic а for the Latin a): its request says so and
 * cannot be approved until the trusted device renames it.
 */
export const BIDI_NAME = 'alice \u202Epotpal';
export const BIDI_SAYS = 'invisible or text-direction character (U+202E)';
export const LOOK_ALIKE = '\u0430lice laptop';
export const LOOK_ALIKE_SAYS = `Its name looks like your device “${TRUSTED}”`;
