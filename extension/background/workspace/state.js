// @ts-check
/**
 * This device's membership of a workspace, in `localStore` (platform.js: trusted contexts only: the
 * worker sets the access level). Holds the server address, who and which device this is, its
 * session token and, until the unlock PIN is chosen, the device keys' blob under the device storage
 * key (docs/security.md, "The unlock PIN"); after that the device keys rest only PIN-locked
 * (keys.js). No key in clear: those stay in wasm.
 */
import { localStore } from '../platform.js';

/** @typedef {import('../../types/workspace').Workspace} Workspace */
/** @typedef {import('../../types/workspace').WorkspacePatch} WorkspacePatch */
/** @typedef {import('../../types/workspace').Registered} Registered */
/** @typedef {import('../../types/workspace').Trusted} Trusted */
/** @typedef {import('../../types/workspace').Known} Known */

const KEY = 'workspace';
const NOTICE = 'workspaceNotice';
export const DEFAULT_IDLE_MINUTES = 15;

/** @returns {Promise<Workspace | null>} */
export async function load() {
  /** @type {any} */
  const stored = (await localStore.get(KEY))[KEY];
  if (!stored || typeof stored !== 'object' || typeof stored.server !== 'string' || typeof stored.email !== 'string')
    return null;
  return /** @type {Workspace} */ (stored);
}

/** @param {Workspace} ws */
export async function save(ws) {
  await localStore.set({ [KEY]: ws });
}

/** @param {WorkspacePatch} patch @returns {Promise<Workspace>} */
export async function update(patch) {
  const ws = await load();
  if (!ws) throw new Error('This device has not started joining a workspace.');
  const next = /** @type {Workspace} */ ({ ...ws, ...patch });
  await save(next);
  return next;
}

/**
 * A device registered but perhaps not yet told who its user is (the server says nothing about the
 * user before the mailbox is proved or the device is approved).
 * (The device storage key and blob are not required: they go once an unlock PIN locks the device keys.)
 * @returns {Promise<Registered | Trusted>}
 */
export async function pending() {
  const ws = await load();
  if (!ws || ws.stage === 'begun' || !ws.token || !ws.deviceId || !ws.devicePublicKeys) {
    throw new Error('Start again: name this device first.');
  }
  return ws;
}

/**
 * The workspace state, which must have reached registration and know its user.
 * @returns {Promise<(Registered & Known) | Trusted>}
 */
export async function registered() {
  const ws = await pending();
  if (!ws.userId || !ws.workspaceId) throw new Error('Start again: name this device first.');
  return /** @type {(Registered & Known) | Trusted} */ (ws);
}

/** Once the device keys are PIN-locked: the storage key and the blob it opens go. */
export async function dropDeviceStorageKey() {
  const ws = await load();
  if (!ws || ws.stage === 'begun') return;
  const { storageKey: _, deviceBlob: __, ...rest } = ws;
  await save(rest);
}

export async function clear() {
  await localStore.remove(KEY);
}

/** Why local data was wiped, shown once in the popup and the join page. @returns {Promise<string | null>} */
export async function notice() {
  const n = (await localStore.get(NOTICE))[NOTICE];
  return typeof n === 'string' ? n : null;
}

/** @param {string | null} sentence */
export async function setNotice(sentence) {
  if (sentence) await localStore.set({ [NOTICE]: sentence });
  else await localStore.remove(NOTICE);
}
