// @ts-check
/**
 * Checks on what the server sends. Every byte from the network is hostile until one of these
 * accepted it: a wrong shape throws a sentence, never lets an unexpected value through.
 */

export class ShapeError extends Error {}

/** @param {string} what */
function bad(what) {
  return new ShapeError(
    `The server sent something unexpected (${what}). Check the server address, or try again later.`,
  );
}

/** @param {unknown} v @param {string} what @returns {Record<string, unknown>} */
export function obj(v, what) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(what);
  return /** @type {Record<string, unknown>} */ (v);
}

/** @param {unknown} v @param {string} what @returns {unknown[]} */
export function arr(v, what, max = 10_000) {
  if (!Array.isArray(v) || v.length > max) throw bad(what);
  return v;
}

/** @param {unknown} v @param {string} what @returns {string} */
export function text(v, what, max = 4096) {
  if (typeof v !== 'string' || v.length > max) throw bad(what);
  return v;
}

/** @param {unknown} v @param {string} what @returns {string | null} */
export function optText(v, what, max = 4096) {
  return v === null || v === undefined ? null : text(v, what, max);
}

/** base64url without padding. @param {unknown} v @param {string} what */
export function b64(v, what, max = 1 << 20) {
  const s = text(v, what, max);
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw bad(what);
  return s;
}

/** An id the server or a client chose: letters, digits, dashes. @param {unknown} v @param {string} what */
export function id(v, what) {
  const s = text(v, what, 128);
  if (!/^[A-Za-z0-9_-]+$/.test(s)) throw bad(what);
  return s;
}

/** @param {unknown} v @param {string} what @returns {number} */
export function int(v, what) {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(what);
  return v;
}

/** @param {unknown} v @param {string} what @returns {boolean} */
export function bool(v, what) {
  if (typeof v !== 'boolean') throw bad(what);
  return v;
}

/** @template {string} T @param {unknown} v @param {readonly T[]} allowed @param {string} what @returns {T} */
export function oneOf(v, allowed, what) {
  if (typeof v !== 'string' || !allowed.includes(/** @type {T} */ (v))) throw bad(what);
  return /** @type {T} */ (v);
}

/** 128 random bits as 32 lower-case hex digits (ids of accounts and items). */
export function randomId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
