// @ts-check
/**
 * The tab the popup is about: the active tab of the window. When the popup is opened as a page of
 * its own (a tab, as in tests or a pinned tab), `?tab=ID` names the tab, else the web page used last.
 */

/** @returns {Promise<chrome.tabs.Tab | null>} */
export async function targetTab() {
  const param = new URLSearchParams(location.search).get('tab');
  if (param && /^\d{1,10}$/.test(param)) {
    const tab = await chrome.tabs.get(Number(param)).catch(() => null);
    if (tab) return tab;
  }
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  if (active && !(active.url ?? '').startsWith(location.origin)) return active;
  const tabs = await chrome.tabs.query({ currentWindow: true });
  const web = tabs.filter((t) => /^https?:/.test(t.url ?? ''));
  web.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  return web[0] ?? null;
}

/** The host of a tab's page, when it is a web page. @param {chrome.tabs.Tab | null} tab */
export function webHost(tab) {
  try {
    const url = new URL(tab?.url ?? '');
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.hostname : null;
  } catch {
    return null;
  }
}
