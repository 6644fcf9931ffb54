// @ts-check
/**
 * Message ids whose code was filled, per account, in `chrome.storage.local` (trusted contexts only):
 * a code is never filled twice. Kept bounded: the newest 200 ids per account.
 */

const KEY = 'smsUsed';
const MAX = 200;

/** @returns {Promise<Record<string, string[]>>} */
async function all() {
  const v = (await chrome.storage.local.get(KEY))[KEY];
  return v && typeof v === 'object' ? /** @type {Record<string, string[]>} */ (v) : {};
}

/** @param {string} accountId @returns {Promise<Set<string>>} */
export async function usedIds(accountId) {
  const list = (await all())[accountId];
  return new Set(Array.isArray(list) ? list : []);
}

/** @param {string} accountId @param {string} messageId */
export async function markUsed(accountId, messageId) {
  const map = await all();
  const list = Array.isArray(map[accountId]) ? map[accountId] : [];
  map[accountId] = [...list.filter((x) => x !== messageId), messageId].slice(-MAX);
  await chrome.storage.local.set({ [KEY]: map });
}
