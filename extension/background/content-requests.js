// @ts-check
/**
 * Requests from content scripts. A content script only says how many code fields its frame has;
 * the answer is the code for that frame when exactly one account matches it, else nothing. It never
 * gets a secret, a URI, or anything about other sites.
 */
import * as core from './core.js';
import { codeOf, forFill, isShared } from './all-accounts.js';
import { decide, frameVerdict } from './fill.js';
import { setFrame } from './frames.js';
import { int } from './senders.js';
import { rememberForTab } from './sms/tab-account.js';
import { startWaiting } from './sms/waiter.js';
import { refreshBadge } from './tab-state.js';

/** @typedef {import('./senders.js').ContentFrame} ContentFrame */
/** @typedef {import('../types/protocol').FieldsReply} FieldsReply */

/**
 * `{type: 'fields', groups, sms}`: the frame found `groups` code fields a TOTP code may fill and
 * `sms` fields an SMS code may fill (0: none any more). A TOTP code is answered at once; for SMS
 * fields (when no TOTP code went) the worker waits on the account's inbox and sends the code later;
 * when several accounts could have been texted, the page is told to ask (`choose`).
 * @param {ContentFrame} frame @param {Record<string, unknown>} message @returns {Promise<FieldsReply>}
 */
export async function onFields(frame, message) {
  const groups = int(message.groups, 0, 100);
  const sms = message.sms === undefined ? 0 : int(message.sms, 0, 100);
  const record =
    groups + sms > 0
      ? { url: frame.url, documentId: frame.documentId, origin: frame.origin, groups: groups + sms, sms }
      : null;
  await setFrame(frame.tabId, frame.frameId, record);
  await refreshBadge(frame.tabId, frame.frameId);
  if (groups === 0 && sms === 0) return {};
  const [sites, list] = await Promise.all([core.sites(), forFill()]);
  const facts = { url: frame.url, topUrl: frame.topUrl, isTop: frame.frameId === 0, origin: frame.origin };
  if (groups > 0) {
    const decision = decide(sites, list, facts);
    if (decision.action === 'fill') {
      // This tab now signs in to that account: its SMS code, if one follows, comes from its inbox.
      if (isShared(decision.account)) await rememberForTab(frame.tabId, decision.account.accountId);
      return { code: codeOf(decision.account, core.now()).code };
    }
  }
  if (sms === 0 || !frameVerdict(sites, facts).ok) return {};
  const wait = await startWaiting({ tabId: frame.tabId, frameId: frame.frameId, documentId: frame.documentId }, facts);
  return wait === 'waiting' ? { waiting: true } : wait === 'choose' ? { choose: true } : {};
}
