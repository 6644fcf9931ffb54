// @ts-check
/**
 * The key store of this device's workspace session: one wasm `Vault`, whose keys are named by what
 * they are (the device keys, the user key and key pair, each account's key by account id and key
 * generation), so this module keeps no index of its own. Kept exactly as docs/security.md decides:
 * - unlocked: the session key in `chrome.storage.session` (memory only, trusted contexts), the
 *   store's blob (`Vault.save`) in `localStore`: a restarted worker restores every key;
 * - locked (Lock, the idle timeout, a browser start): no store anywhere. The wasm store is freed
 *   (its keys zeroized), its blob and the session key deleted. The device keys rest only under
 *   the unlock PIN (`workspacePin`, made and opened in wasm by pin.js), so nothing on this device
 *   opens the vault until the PIN is typed;
 * - before a PIN is chosen (while joining, or on a device trusted before PINs existed): the device
 *   keys under a storage key beside them in `workspace`, as before, and the vault stays closed.
 */
import { localStore } from '../platform.js';
import * as core from '../core.js';

/**
 * @typedef {object} PinState the unlock PIN's storage (`localStore`, trusted contexts only)
 * @property {string} [locked] the device keys locked by the PIN (`Vault.lockDevice`)
 * @property {number} failures wrong PINs in a row, counted before each try
 */

const BLOB = 'workspaceKeys';
/** The alarm that locks after the idle timeout, even when nothing asks for a code meanwhile. */
export const IDLE_ALARM = 'latchkey-idle-lock';
const SESSION = 'workspaceSession';
const PIN = 'workspacePin';

/** Thrown when the vault is locked: only the PIN opens it. */
export class LockedError extends Error {}

/** @typedef {import('../../pkg/latchkey_core.js').Vault} Vault */
/** @type {{vault: Vault, sessionKey: string, deviceId: string} | null} */
let current = null;

/** @returns {Promise<{key?: string, lastUsed?: number}>} */
async function session() {
  const s = (await chrome.storage.session.get(SESSION))[SESSION];
  return s && typeof s === 'object' ? s : {};
}

/** @param {{key?: string, lastUsed?: number}} patch */
async function setSession(patch) {
  await chrome.storage.session.set({ [SESSION]: { ...(await session()), ...patch } });
}

/** @returns {Promise<PinState>} */
export async function pinState() {
  /** @type {any} */
  const p = (await localStore.get(PIN))[PIN];
  const failures = p && typeof p === 'object' && Number.isInteger(p.failures) && p.failures >= 0 ? p.failures : 0;
  return { locked: p && typeof p === 'object' && typeof p.locked === 'string' ? p.locked : undefined, failures };
}

/** @param {Partial<PinState>} patch */
export async function setPinState(patch) {
  await localStore.set({ [PIN]: { ...(await pinState()), ...patch } });
}

/**
 * The key store for a registered device: restored while unlocked; before a PIN exists, rebuilt
 * from the device blob. Throws `LockedError` when only the PIN can open it.
 * @param {{deviceId: string, storageKey?: string, deviceBlob?: string}} device
 */
export async function open(device) {
  if (current && current.deviceId === device.deviceId) return current;
  await core.ready();
  const s = await session();
  /** @type {{blob?: unknown} | undefined} */
  const stored = /** @type {any} */ ((await localStore.get(BLOB))[BLOB]);
  if (s.key && stored && typeof stored.blob === 'string') {
    try {
      const vault = core.Vault.restore(s.key, stored.blob, device.deviceId);
      current = { vault, sessionKey: s.key, deviceId: device.deviceId };
      return current;
    } catch {
      // Another session's blob: rebuilt below, or locked.
    }
  }
  if ((await pinState()).locked) {
    await lock();
    throw new LockedError('Latchkey is locked. Enter your PIN to unlock it.');
  }
  if (!device.storageKey || !device.deviceBlob)
    throw new Error('This device’s keys are missing. Join the workspace again.');
  const vault = new core.Vault();
  vault.importDevice(device.storageKey, device.deviceBlob, device.deviceId);
  return start(vault, device.deviceId);
}

/**
 * Makes `vault` (holding the device keys) this session's store, under a new session key.
 * @param {Vault} vault @param {string} deviceId
 */
export async function start(vault, deviceId) {
  if (current && current.vault !== vault) current.vault.free();
  const sessionKey = core.Vault.newWrappingKey();
  await setSession({ key: sessionKey, lastUsed: Date.now() });
  current = { vault, sessionKey, deviceId };
  await persist();
  return current;
}

/**
 * A brand-new device: fresh device keys (not yet saved; `adopt` saves them once the server gave
 * the device its id).
 */
export async function fresh() {
  await core.ready();
  current?.vault.free();
  current = null;
  const vault = new core.Vault();
  return { vault, publicKeys: vault.createDevice() };
}

/**
 * Keeps the new device's keys: returns the storage key and device blob for `state`.
 * @param {Vault} vault @param {string} deviceId
 */
export async function adopt(vault, deviceId) {
  const storageKey = core.Vault.newWrappingKey();
  const deviceBlob = vault.exportDevice(storageKey, deviceId);
  await start(vault, deviceId);
  return { storageKey, deviceBlob };
}

/** Saves the store after a change (a key opened or forgotten). */
export async function persist() {
  if (!current) return;
  const blob = current.vault.save(current.sessionKey, current.deviceId);
  await localStore.set({ [BLOB]: { blob } });
}

/** The open store; throws when none is open. */
export function get() {
  if (!current) throw new Error('The workspace keys are not loaded.');
  return current;
}

/** Whether the store holds the user key and key pair (opened on this device). @param {Vault} vault */
export function hasUserKeys(vault) {
  const kinds = vault.slots().map((s) => s.kind);
  return kinds.includes('userKey') && kinds.includes('userKeyPair');
}

/**
 * Lock and the idle timeout: forgets every key, the device's too. The store is freed (wasm zeroizes
 * its keys), its blob and the session key deleted; only the PIN opens the device keys again.
 */
export async function lock() {
  current?.vault.free();
  current = null;
  await localStore.remove(BLOB);
  await chrome.storage.session.remove(SESSION);
  await chrome.alarms.clear(IDLE_ALARM);
}

/** Whether the vault is closed: no PIN chosen yet, or no store open in this browser session. */
export async function isLocked() {
  if (!(await pinState()).locked) return true;
  if (current) return false;
  return !(await session()).key;
}

/** Marks use (the join flow, once trusted). */
export async function unlockFlag() {
  if ((await session()).key) await setSession({ lastUsed: Date.now() });
}

/**
 * Records use, after locking first if the idle timeout passed since the last use. Only a person's
 * use counts (`record`): a page that keeps reporting code fields must not keep the vault open.
 * @param {number} idleMinutes @param {boolean} [record] @returns {Promise<boolean>} true if it just locked
 */
export async function touch(idleMinutes, record = true) {
  const s = await session();
  const now = Date.now();
  if (!s.key) return false;
  if (s.lastUsed && now - s.lastUsed > idleMinutes * 60_000) {
    await lock();
    return true;
  }
  if (record) {
    await setSession({ lastUsed: now });
    await chrome.alarms.create(IDLE_ALARM, { delayInMinutes: idleMinutes });
  }
  return false;
}

/** Drops everything: memory, the saved store, the session key, the PIN-locked keys and their count. */
export async function destroy() {
  current?.vault.free();
  current = null;
  await localStore.remove([BLOB, PIN]);
  await chrome.storage.session.remove(SESSION);
}
