// @ts-check
/**
 * Every account this device fills codes for: the ones saved locally (a device that never joined a
 * workspace, or before it is trusted) and the workspace vault's shared accounts (trusted and
 * unlocked only). Codes come from the core either way; a shared account's key never leaves wasm.
 */
import * as core from './core.js';
import * as accounts from './accounts.js';
import * as keys from './workspace/keys.js';
import * as state from './workspace/state.js';
import * as vault from './workspace/vault.js';

/** @typedef {import('./accounts.js').Account} LocalAccount */
/** @typedef {import('./workspace/vault.js').SharedAccount} SharedAccount */
/** @typedef {LocalAccount | SharedAccount} AnyAccount */

/**
 * The shared accounts, when this device may show them; [] otherwise (not trusted, locked, or the
 * server unreachable: local accounts keep working).
 * @param {'popup' | 'fill' | 'sync'} [purpose] sync: ask the server now (the popup opening)
 * @returns {Promise<SharedAccount[]>}
 */
export async function shared(purpose = 'popup') {
  const ws = await state.load();
  if (ws?.stage !== 'trusted' || (await keys.isLocked())) return [];
  if (await keys.touch(ws.idleMinutes, purpose !== 'fill')) {
    vault.drop();
    return [];
  }
  try {
    if (purpose === 'sync') return await vault.list({ fresh: true });
    return purpose === 'fill' ? await vault.listForFill() : await vault.list();
  } catch (e) {
    console.error('Latchkey: the workspace vault is not available:', e);
    return [];
  }
}

/** Local and shared accounts, for autofill. @returns {Promise<AnyAccount[]>} */
export async function forFill() {
  const [local, ws] = await Promise.all([accounts.list(), shared('fill')]);
  return [...local, ...ws];
}

/** @param {AnyAccount} a @returns {a is SharedAccount} */
export function isShared(a) {
  return 'source' in a && a.source === 'workspace';
}

/** The current code of any account. @param {AnyAccount} a @param {number} now */
export function codeOf(a, now) {
  return isShared(a) ? vault.code(a, now) : core.code(a.uri, now);
}
