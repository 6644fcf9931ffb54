// @ts-check
/**
 * Each account's automation job as this browser runs it, kept in `chrome.storage.session`
 * (trusted contexts only: content scripts cannot read it; gone when the browser closes): the
 * job's id, its tab, the step it is at and how it ended. No secret is ever kept here: the secret
 * read from the app goes into the vault (pending) and nowhere else. A worker stopped mid-job
 * finds its jobs here when it starts again and ends them saying where they stopped.
 */

const PREFIX = 'automation:';

/**
 * @typedef {object} Progress
 * @property {string} jobId
 * @property {string} accountId
 * @property {string} task
 * @property {number | null} tabId
 * @property {'running' | 'succeeded' | 'failed' | 'needs_attention'} status
 * @property {number} line the automation's line of the step being run (or last run)
 * @property {string} step what that step does, for the dashboard (never a value)
 * @property {string} [kind] that step's kind (open, fill, …), for the log
 * @property {'none' | 'pending' | 'confirmed'} secret where the new authenticator key is
 * @property {number} backupCodes how many backup codes were saved
 * @property {string | null} reason why the job ended other than `succeeded`
 * @property {number} startedAt
 * @property {number} [endedAt]
 */

/** @param {string} accountId */
const keyOf = (accountId) => `${PREFIX}${accountId}`;

/** @param {string} accountId @returns {Promise<Progress | null>} */
export async function get(accountId) {
  const raw = (await chrome.storage.session.get(keyOf(accountId)))[keyOf(accountId)];
  return raw && typeof raw === 'object' ? /** @type {Progress} */ (raw) : null;
}

/** @param {Progress} p */
export function put(p) {
  return chrome.storage.session.set({ [keyOf(p.accountId)]: p });
}

/** Every job this browser session knows. @returns {Promise<Progress[]>} */
export async function all() {
  const everything = await chrome.storage.session.get(null);
  return Object.entries(everything)
    .filter(([k, v]) => k.startsWith(PREFIX) && v && typeof v === 'object')
    .map(([, v]) => /** @type {Progress} */ (v));
}
