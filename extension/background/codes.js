// @ts-check
/**
 * Codes for the popup's list: the accounts are parsed once into a wasm Keyring, which then makes
 * every code at each tick. The Keyring is rebuilt only when the list of accounts changes.
 */
import * as core from './core.js';

/** @typedef {import('./accounts.js').Account} Account */
/** @typedef {import('../types/protocol').CodeView} CodeView */

/** @type {import('../pkg/latchkey_core.js').Keyring | null} */
let ring = null;
/** @type {Account[] | null} the list `ring` was built from (the accounts module caches it) */
let builtFrom = null;
/** For each account, its entry in `ring` (-1: its URI did not parse) and its period. */
/** @type {Array<{index: number, period: number | null}>} */
let entries = [];

/** @param {Account[]} accounts */
function build(accounts) {
  ring?.free();
  ring = new core.Keyring();
  const keyring = ring;
  entries = accounts.map((a) => {
    try {
      const index = keyring.add(a.uri);
      return { index, period: keyring.period(index) ?? null };
    } catch {
      return { index: -1, period: null };
    }
  });
  builtFrom = accounts;
}

/**
 * Every account's current code, with the seconds left in its period.
 * @param {Account[]} accounts @param {number} now Unix seconds
 * @returns {CodeView[]}
 */
export function codesAt(accounts, now) {
  if (builtFrom !== accounts || !ring) build(accounts);
  const keyring = /** @type {import('../pkg/latchkey_core.js').Keyring} */ (ring);
  const codes = keyring.codesText(now).split('\n');
  // Seconds left come from the core too: one per distinct period is enough.
  /** @type {Map<number, number | null>} */
  const left = new Map();
  return accounts.map((a, i) => {
    const { index, period } = entries[i];
    if (period !== null && !left.has(period)) left.set(period, keyring.secondsLeft(index, now) ?? null);
    return {
      id: a.id,
      code: index >= 0 ? codes[index] : '',
      secondsLeft: period === null ? null : (left.get(period) ?? null),
      period,
    };
  });
}
