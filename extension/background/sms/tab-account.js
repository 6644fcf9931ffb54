// @ts-check
/**
 * The workspace account last used in each tab (its code filled there, or the person picked it in
 * the popup), in `chrome.storage.session`: when two accounts of one app both have a managed
 * number, the SMS code comes from the one this tab was just signing in to.
 */

const PREFIX = 'smsTab:';

/** @param {number} tabId @param {string} accountId the vault account id (without `ws:`) */
export async function rememberForTab(tabId, accountId) {
  await chrome.storage.session.set({ [`${PREFIX}${tabId}`]: { accountId, at: Date.now() } });
}

/** @param {number} tabId @returns {Promise<{accountId: string, at: number} | null>} */
export async function usedInTab(tabId) {
  const raw = (await chrome.storage.session.get(`${PREFIX}${tabId}`))[`${PREFIX}${tabId}`];
  if (!raw || typeof raw !== 'object') return null;
  const v = /** @type {Record<string, unknown>} */ (raw);
  if (typeof v.accountId !== 'string' || typeof v.at !== 'number') return null;
  return { accountId: v.accountId, at: v.at };
}
