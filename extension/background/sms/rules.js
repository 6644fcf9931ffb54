// @ts-check
/**
 * Which texted or e-mailed code may fill a page, and whose inbox it comes from: thin adapters over
 * the core's rules (`sms::pick_code` and `sms::inbox_choice`, crate/src/sms/pick.rs), the same for
 * both kinds. A message qualifies when it arrived after the wait began or in the last 5 minutes,
 * was never used before, holds a code (the messages module's `smsCode` or `mailRead`), and, when
 * the code names its site
 * (`@example.com #123456`), that site is the page's by the core's site rules; the newest wins (of the
 * e-mails from a sender verified for the page's site, when there is one).
 * Callers have the core loaded (`core.ready()`).
 */
import { inboxChoice as coreInboxChoice } from '../../pkg/latchkey_core.js';

/** @typedef {import('../../pkg/latchkey_core.js').Sites} SitesList */

/**
 * @typedef {object} OpenedMessage an SMS or an e-mail
 * @property {string} id the message id
 * @property {number} receivedAt Unix seconds (the server's)
 * @property {boolean} afterWaitBegan it arrived through the wait, after it began
 * @property {{code: string, domain: string | null} | null} found the code the messages module found in it
 * @property {string | null} verifiedSender an e-mail's sender domain as the server verified it (null for an SMS or
 *   an unverified sender): a code from a sender verified for the page's site is preferred
 */

/**
 * The code to fill, or null.
 * @param {OpenedMessage[]} messages
 * @param {{now: number, used: ReadonlySet<string>, host: string, sites: SitesList}} o
 * @returns {{id: string, code: string} | null}
 */
export function pickCode(messages, o) {
  const i = o.sites.pickCode(
    o.host,
    o.now,
    messages.map((m) => m.id),
    Float64Array.from(messages, (m) => m.receivedAt),
    Uint8Array.from(messages, (m) => (m.afterWaitBegan ? 1 : 0)),
    messages.map((m) => m.found?.code ?? ''),
    messages.map((m) => m.found?.domain ?? ''),
    messages.map((m) => m.verifiedSender ?? ''),
    [...o.used],
  );
  const found = i === undefined ? null : messages[i].found;
  return i === undefined || !found ? null : { id: messages[i].id, code: found.code };
}

/**
 * Whose inbox fills a page when several accounts with a managed number or address share its site: the one
 * just used in that tab (its code filled there, or the person chose it), else the person is asked.
 * @template {{accountId: string}} A
 * @param {A[]} matches the accounts with a managed number or address on the page's site
 * @param {{accountId: string, at: number} | null} used the account last used in the tab, and when
 * @param {number} nowMs
 * @returns {{account: A} | {choose: A[]} | null}
 */
export function inboxChoice(matches, used, nowMs) {
  const usedIndex = used ? matches.findIndex((a) => a.accountId === used.accountId) : -1;
  const i = coreInboxChoice(matches.length, usedIndex, used?.at ?? 0, nowMs);
  if (i !== undefined) return { account: matches[i] };
  return matches.length ? { choose: matches } : null;
}
