// @ts-check
/**
 * What a tab holds for Latchkey: its frames with code fields, which of them may be filled, and
 * the accounts that match them. Feeds the badge, the popup's "On this page", and Fill.
 */
import * as core from './core.js';
import { forFill } from './all-accounts.js';
import { showBadge } from './badge.js';
import { accountsFor, frameVerdict } from './fill.js';
import { prune, tabsWithFrames } from './frames.js';

/** @typedef {import('./all-accounts.js').AnyAccount} Account */

/**
 * @typedef {object} FillableFrame
 * @property {number} frameId
 * @property {string} documentId
 * @property {string} host
 * @property {Account[]} matches
 */

/**
 * @param {number} tabId @param {number} [aliveFrameId] a frame known to be alive (the sender)
 */
export async function tabState(tabId, aliveFrameId) {
  const [frames, sites, list, tab] = await Promise.all([
    prune(tabId, aliveFrameId),
    core.sites(),
    forFill(),
    chrome.tabs.get(tabId).catch(() => undefined),
  ]);
  /** @type {FillableFrame[]} */
  const fillable = [];
  /** @type {Map<string, Account>} */
  const matched = new Map();
  for (const [frameId, record] of Object.entries(frames)) {
    const verdict = frameVerdict(sites, { url: record.url, topUrl: tab?.url, isTop: frameId === '0', origin: record.origin });
    if (!verdict.ok) continue;
    const matches = accountsFor(sites, list, verdict.host);
    fillable.push({ frameId: Number(frameId), documentId: record.documentId, host: verdict.host, matches });
    for (const m of matches) matched.set(m.id, m);
  }
  // The top frame first: that is where a person looks.
  fillable.sort((a, b) => a.frameId - b.frameId);
  return { topUrl: tab?.url, hasField: Object.keys(frames).length > 0, fillable, matches: [...matched.values()] };
}

/** @param {number} tabId @param {number} [aliveFrameId] */
export async function refreshBadge(tabId, aliveFrameId) {
  const state = await tabState(tabId, aliveFrameId);
  await showBadge(tabId, { hasField: state.hasField, matches: state.matches.length });
  return state;
}

/**
 * After accounts change: update every badge, and ask frames with fields to report again so a
 * page open on the app's code step gets its code as soon as the account is saved.
 */
export async function refreshAllTabs() {
  for (const tabId of await tabsWithFrames()) {
    const state = await refreshBadge(tabId).catch(() => null);
    for (const frame of state?.fillable ?? []) {
      chrome.tabs
        .sendMessage(tabId, { type: 'rescan' }, { frameId: frame.frameId, documentId: frame.documentId })
        .catch(() => {});
    }
  }
}
