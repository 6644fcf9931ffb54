// @ts-check
/**
 * Requests from content scripts. A content script only says how many code fields its frame has;
 * the answer is the code for that frame when exactly one account matches it, else nothing. It never
 * gets a secret, a URI, or anything about other sites.
 */
import * as core from './core.js';
import { codeOf, forFill } from './all-accounts.js';
import { decide } from './fill.js';
import { setFrame } from './frames.js';
import { int } from './senders.js';
import { refreshBadge } from './tab-state.js';

/** @typedef {import('./senders.js').ContentFrame} ContentFrame */
/** @typedef {import('../types/protocol').FieldsReply} FieldsReply */

/**
 * `{type: 'fields', groups}`: the frame found `groups` fillable code fields (0: none any more).
 * @param {ContentFrame} frame @param {Record<string, unknown>} message @returns {Promise<FieldsReply>}
 */
export async function onFields(frame, message) {
  const groups = int(message.groups, 0, 100);
  const record = groups > 0 ? { url: frame.url, documentId: frame.documentId, origin: frame.origin, groups } : null;
  await setFrame(frame.tabId, frame.frameId, record);
  await refreshBadge(frame.tabId, frame.frameId);
  if (groups === 0) return {};
  const [sites, list] = await Promise.all([core.sites(), forFill()]);
  const decision = decide(sites, list, { url: frame.url, topUrl: frame.topUrl, isTop: frame.frameId === 0, origin: frame.origin });
  if (decision.action !== 'fill') return {};
  return { code: codeOf(decision.account, core.now()).code };
}
