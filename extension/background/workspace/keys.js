// @ts-check
/**
 * The key store of this device's workspace session: one wasm `Vault`, addressed by handles, kept
 * across service-worker restarts exactly as docs/security.md decides:
 * - the session key in `chrome.storage.session` (memory only, trusted contexts), the store's blob
 *   (`Vault.save`) in `chrome.storage.local`: a restarted worker restores every handle;
 * - at browser start the session key is gone: the blob is dropped, the device keys come back from
 *   their own blob (`importDevice`), and the user key is fetched sealed and opened again.
 * Lock and the idle timeout forget every key but the device's.
 */
import * as core from '../core.js';

/**
 * @typedef {object} Handles
 * @property {number} device
 * @property {number} [userKey]
 * @property {number} [keyPair]
 * @property {Record<string, {handle: number, generation: number}>} accounts
 */

const BLOB = 'workspaceKeys';
/** The alarm that locks after the idle timeout, even when nothing asks for a code meanwhile. */
export const IDLE_ALARM = 'latchkey-idle-lock';
const SESSION = 'workspaceSession';

/** @type {{vault: import('../../pkg/latchkey_core.js').Vault, handles: Handles, sessionKey: string, deviceId: string} | null} */
let current = null;

/** @returns {Promise<{key?: string, lastUsed?: number, locked?: boolean}>} */
async function session() {
  const s = (await chrome.storage.session.get(SESSION))[SESSION];
  return s && typeof s === 'object' ? s : {};
}

/** @param {{key?: string, lastUsed?: number, locked?: boolean}} patch */
async function setSession(patch) {
  await chrome.storage.session.set({ [SESSION]: { ...(await session()), ...patch } });
}

/**
 * The key store for a registered device, restored or rebuilt.
 * @param {{deviceId: string, storageKey: string, deviceBlob: string}} device
 */
export async function open(device) {
  if (current && current.deviceId === device.deviceId) return current;
  await core.ready();
  const s = await session();
  /** @type {{blob?: unknown, handles?: Handles} | undefined} */
  const stored = /** @type {{blob?: unknown, handles?: Handles} | undefined} */ ((await chrome.storage.local.get(BLOB))[BLOB]);
  if (s.key && stored && typeof stored.blob === 'string' && stored.handles && typeof stored.handles.device === 'number') {
    try {
      const vault = core.Vault.restore(s.key, stored.blob, device.deviceId);
      current = { vault, handles: /** @type {Handles} */ (stored.handles), sessionKey: s.key, deviceId: device.deviceId };
      return current;
    } catch {
      // Another session's blob: rebuilt below.
    }
  }
  const vault = new core.Vault();
  const handle = vault.importDevice(device.storageKey, device.deviceBlob, device.deviceId);
  const sessionKey = core.Vault.newWrappingKey();
  await setSession({ key: sessionKey });
  current = { vault, handles: { device: handle, accounts: {} }, sessionKey, deviceId: device.deviceId };
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
  const device = vault.createDevice();
  return { vault, device, publicKeys: vault.publicKeys(device) };
}

/**
 * Keeps the new device's keys: returns the storage key and device blob for `state`.
 * @param {import('../../pkg/latchkey_core.js').Vault} vault @param {number} device @param {string} deviceId
 */
export async function adopt(vault, device, deviceId) {
  const storageKey = core.Vault.newWrappingKey();
  const deviceBlob = vault.exportDevice(device, storageKey, deviceId);
  const sessionKey = core.Vault.newWrappingKey();
  await setSession({ key: sessionKey, locked: false, lastUsed: Date.now() });
  current = { vault, handles: { device, accounts: {} }, sessionKey, deviceId };
  await persist();
  return { storageKey, deviceBlob };
}

/** Saves the store after a change (a key opened or forgotten). */
export async function persist() {
  if (!current) return;
  const blob = current.vault.save(current.sessionKey, current.deviceId);
  await chrome.storage.local.set({ [BLOB]: { blob, handles: current.handles } });
}

/** The open store; throws when none is open. */
export function get() {
  if (!current) throw new Error('The workspace keys are not loaded.');
  return current;
}

/** Forgets every key but the device's (Lock, idle timeout). */
export async function lock() {
  if (current) {
    const { vault, handles } = current;
    for (const h of [handles.userKey, handles.keyPair, ...Object.values(handles.accounts).map((a) => a.handle)]) {
      if (typeof h === 'number') vault.forget(h);
    }
    current.handles = { device: handles.device, accounts: {} };
    await persist();
  }
  await setSession({ locked: true });
  await chrome.alarms.clear(IDLE_ALARM);
}

/** Whether the person locked (or the idle timeout did); a new browser session starts unlocked. */
export async function isLocked() {
  return (await session()).locked === true;
}

export async function unlockFlag() {
  await setSession({ locked: false, lastUsed: Date.now() });
}

/**
 * Records use, after locking first if the idle timeout passed since the last use. Only a person's
 * use counts (`record`): a page that keeps reporting code fields must not keep the vault open.
 * @param {number} idleMinutes @param {boolean} [record] @returns {Promise<boolean>} true if it just locked
 */
export async function touch(idleMinutes, record = true) {
  const s = await session();
  const now = Date.now();
  if (!s.locked && s.lastUsed && now - s.lastUsed > idleMinutes * 60_000) {
    await lock();
    return true;
  }
  if (!s.locked && record) {
    await setSession({ lastUsed: now });
    await chrome.alarms.create(IDLE_ALARM, { delayInMinutes: idleMinutes });
  }
  return false;
}

/** Drops everything: memory, the saved store, the session key. */
export async function destroy() {
  current?.vault.free();
  current = null;
  await chrome.storage.local.remove(BLOB);
  await chrome.storage.session.remove(SESSION);
}
