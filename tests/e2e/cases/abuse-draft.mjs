// @ts-check
// The attack of tests/e2e/abuse-draft.test.mjs (a taken-over content script reads the Add account
// draft) and what it must find: shared by Chromium's test and Firefox's
// tests/e2e-firefox/abuse-draft.test.mjs.

/** The key pasted into Add account and left there, unsaved, when the popup closed. */
export const KEY = 'KRSXG5CTMVRXEZLU';

/**
 * Run in a content script's world: every `chrome.storage` area it can read that holds `key`
 * (none, when the draft is out of its reach).
 * @param {string} key @returns {Promise<string[]>}
 */
export async function areasHolding(key) {
  const found = [];
  for (const area of ['session', 'local', 'sync']) {
    try {
      const all = await /** @type {any} */ (chrome.storage)?.[area]?.get(null);
      if (all && JSON.stringify(all).includes(key)) found.push(area);
    } catch {}
  }
  return found;
}
