// @ts-check
/**
 * The toolbar badge of a tab: how many saved accounts match a page with a code field (green),
 * a grey dot for a code field with no matching account, nothing otherwise.
 */

const GREEN = '#1a7f37';
const GREY = '#6b7280';

/**
 * @param {number} tabId
 * @param {{hasField: boolean, matches: number}} state
 */
export async function showBadge(tabId, { hasField, matches }) {
  try {
    if (!hasField) {
      await chrome.action.setBadgeText({ tabId, text: '' });
      await chrome.action.setTitle({ tabId, title: 'Latchkey' });
      return;
    }
    const text = matches > 0 ? String(Math.min(matches, 99)) : '•';
    await chrome.action.setBadgeBackgroundColor({ tabId, color: matches > 0 ? GREEN : GREY });
    await chrome.action.setBadgeTextColor({ tabId, color: '#ffffff' });
    await chrome.action.setBadgeText({ tabId, text });
    await chrome.action.setTitle({
      tabId,
      title:
        matches > 0
          ? `Latchkey: ${matches} account${matches === 1 ? '' : 's'} for this page`
          : 'Latchkey: no account for this page',
    });
  } catch {
    // The tab closed meanwhile: nothing to show.
  }
}
