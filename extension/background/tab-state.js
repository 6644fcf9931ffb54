// @ts-check
/**
 * What a tab holds for Latchkey: its frames with code fields, which of them may be filled, and
 * the accounts that match them. Feeds the badge, the popup's "On this page", and Fill.
 */
import * as core from './core.js';
import { forFill } from './all-accounts.js';
import { showBadge } from './badge.js';
import { accountsFor, decide, frameVerdict } from './fill.js';
import { prune, tabsWithFrames } from './frames.js';
import { inboxAccountsFor, kindsOf } from './sms/waiter.js';
import { stepOf } from './tab-step.js';
import { tell } from './tell.js';
import * as vault from './workspace/vault.js';

/** @typedef {import('./all-accounts.js').AnyAccount} Account */

/**
 * @typedef {object} FillableFrame
 * @property {number} frameId
 * @property {string} documentId
 * @property {string} host
 * @property {import('./fill.js').FrameFacts} facts what the browser reported about the frame
 * @property {Account[]} matches accounts whose TOTP code may go here
 * @property {InboxMatch[]} inbox accounts whose texted or e-mailed code may go here (the frame has
 *   SMS or e-mail code fields)
 * @property {Set<import('./sms/inbox.js').MessageKind>} kinds the kinds of code its fields take
 */

/**
 * An account with a managed number or address on the frame's site (`deliveredTo`: the number, else
 * the address).
 * @typedef {{id: string, accountId: string, name: string, site: string, deliveredTo: string}} InboxMatch
 */

/**
 * The vault's accounts with an inbox, when some frame takes a texted or e-mailed code; [] when none
 * does or the vault is out of reach.
 * @param {import('./frames.js').TabFrames} frames
 */
async function inboxAccounts(frames) {
  if (!Object.values(frames).some((r) => kindsOf(r).size > 0)) return [];
  return vault.accountsForFill().catch(() => []);
}

/**
 * @param {number} tabId @param {number} [aliveFrameId] a frame known to be alive (the sender)
 */
export async function tabState(tabId, aliveFrameId) {
  const [frames, sites, list, tab, step] = await Promise.all([
    prune(tabId, aliveFrameId),
    core.sites(),
    forFill(),
    chrome.tabs.get(tabId).catch(() => undefined),
    stepOf(tabId),
  ]);
  const setup = step.setup && Object.hasOwn(frames, String(step.setup.frameId)) ? step.setup : undefined;
  const withInbox = await inboxAccounts(frames);
  /** @type {FillableFrame[]} */
  const fillable = [];
  /** @type {Map<string, Account>} */
  const matched = new Map();
  /** @type {Map<string, InboxMatch>} */
  const texted = new Map();
  for (const [frameId, record] of Object.entries(frames)) {
    const facts = { url: record.url, topUrl: tab?.url, isTop: frameId === '0', origin: record.origin };
    const verdict = frameVerdict(sites, facts);
    if (!verdict.ok) continue;
    // On a setup step only the account saved from it may fill (the core's rule).
    const onSetup =
      setup?.frameId === Number(frameId) ? decide(sites, list, facts, { setup: true, newKey: setup.newKey }) : null;
    const matches = onSetup ? (onSetup.action === 'fill' ? [onSetup.account] : []) : accountsFor(sites, facts, list);
    const kinds = kindsOf(record);
    const inbox =
      kinds.size > 0
        ? (await inboxAccountsFor(withInbox, facts, kinds)).map((a) => ({
            id: `ws:${a.accountId}`,
            accountId: a.accountId,
            name: a.name,
            site: a.site,
            deliveredTo: (kinds.has('sms') ? a.phoneNumber : null) ?? a.emailAddress ?? a.phoneNumber ?? '',
          }))
        : [];
    fillable.push({
      frameId: Number(frameId),
      documentId: record.documentId,
      host: verdict.host,
      facts,
      matches,
      inbox,
      kinds,
    });
    for (const m of matches) matched.set(m.id, m);
    for (const m of inbox) texted.set(m.id, m);
  }
  // The top frame first: that is where a person looks.
  fillable.sort((a, b) => a.frameId - b.frameId);
  return {
    topUrl: tab?.url,
    hasField: Object.keys(frames).length > 0,
    setup: setup ? { host: setup.host, secret: setup.secret } : null,
    fillable,
    matches: [...matched.values()],
    // Accounts only a texted or e-mailed code could come from (no TOTP match of the same account).
    inboxOnly: [...texted.values()].filter((m) => !matched.has(m.id)),
  };
}

/** @param {number} tabId @param {number} [aliveFrameId] */
export async function refreshBadge(tabId, aliveFrameId) {
  const state = await tabState(tabId, aliveFrameId);
  await showBadge(tabId, { hasField: state.hasField, matches: state.matches.length + state.inboxOnly.length });
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
      void tell({ tabId, frameId: frame.frameId, documentId: frame.documentId }, 'rescan');
    }
  }
}
