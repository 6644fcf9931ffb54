// @ts-check
/**
 * This device's membership of a workspace, in `chrome.storage.local` (trusted contexts only: the
 * worker sets the access level). Holds the server address, who and which device this is, its
 * session token and, until the unlock PIN is chosen, the device keys' blob under the device storage
 * key (docs/security.md, "The unlock PIN"); after that the device keys rest only PIN-locked
 * (keys.js). No key in clear: those stay in wasm.
 */

/**
 * @typedef {object} Workspace
 * @property {string} server
 * @property {string} email
 * @property {'begun' | 'registered' | 'trusted'} stage
 * @property {boolean} remindLater the person chose Remind me later: the session stays untrusted
 * @property {number} idleMinutes keys are cleared after this long without use
 * @property {string} [userId]
 * @property {string} [workspaceId]
 * @property {string} [workspaceName]
 * @property {string} [deviceId]
 * @property {string} [deviceName]
 * @property {string} [token]
 * @property {string} [devicePublicKeys]
 * @property {string} [storageKey] the device storage key (base64url), until a PIN is chosen
 * @property {string} [deviceBlob] `Vault.exportDevice` under the storage key, until a PIN is chosen
 * @property {number} [trustedDevices] once the mailbox is proved: how many devices could approve this one
 * @property {boolean} [hasKeys] the user already has keys (a later device)
 * @property {boolean} [emailVerified]
 * @property {'choose' | 'email' | 'approval'} [route] how this device is being verified
 *   (`choose`: not decided yet; the server tells an unverified device nothing, so the person picks)
 * @property {ApprovalRequestState} [request]
 */
/**
 * @typedef {object} ApprovalRequestState
 * @property {string} id
 * @property {number} number the 3-digit number shown here and typed on the trusted device
 * @property {number} expiresAt
 */

const KEY = 'workspace';
const NOTICE = 'workspaceNotice';
export const DEFAULT_IDLE_MINUTES = 15;

/** @returns {Promise<Workspace | null>} */
export async function load() {
  /** @type {any} */
  const stored = (await chrome.storage.local.get(KEY))[KEY];
  if (!stored || typeof stored !== 'object' || typeof stored.server !== 'string' || typeof stored.email !== 'string')
    return null;
  return /** @type {Workspace} */ (stored);
}

/** @param {Workspace} ws */
export async function save(ws) {
  await chrome.storage.local.set({ [KEY]: ws });
}

/** @param {Partial<Workspace>} patch @returns {Promise<Workspace>} */
export async function update(patch) {
  const ws = await load();
  if (!ws) throw new Error('This device has not started joining a workspace.');
  const next = { ...ws, ...patch };
  await save(next);
  return next;
}

/**
 * A device registered but perhaps not yet told who its user is (the server says nothing about the
 * user before the mailbox is proved or the device is approved).
 * (The device storage key and blob are not required: they go once an unlock PIN locks the device keys.)
 * @returns {Promise<Required<Pick<Workspace, 'server' | 'email' | 'deviceId' | 'token' | 'devicePublicKeys'>> & Workspace>}
 */
export async function pending() {
  const ws = await load();
  if (!ws || !ws.token || !ws.deviceId || !ws.devicePublicKeys) {
    throw new Error('Start again: name this device first.');
  }
  return /** @type {any} */ (ws);
}

/** The workspace state, which must have reached registration. @returns {Promise<Required<Pick<Workspace, 'server' | 'email' | 'userId' | 'workspaceId' | 'deviceId' | 'token' | 'devicePublicKeys'>> & Workspace>} */
export async function registered() {
  const ws = await load();
  if (!ws || !ws.token || !ws.userId || !ws.workspaceId || !ws.deviceId || !ws.devicePublicKeys) {
    throw new Error('Start again: name this device first.');
  }
  return /** @type {any} */ (ws);
}

/** Once the device keys are PIN-locked: the storage key and the blob it opens go. */
export async function dropDeviceStorageKey() {
  const ws = await load();
  if (!ws) return;
  const { storageKey: _, deviceBlob: __, ...rest } = ws;
  await save(rest);
}

export async function clear() {
  await chrome.storage.local.remove(KEY);
}

/** Why local data was wiped, shown once in the popup and the join page. @returns {Promise<string | null>} */
export async function notice() {
  const n = (await chrome.storage.local.get(NOTICE))[NOTICE];
  return typeof n === 'string' ? n : null;
}

/** @param {string | null} sentence */
export async function setNotice(sentence) {
  if (sentence) await chrome.storage.local.set({ [NOTICE]: sentence });
  else await chrome.storage.local.remove(NOTICE);
}
