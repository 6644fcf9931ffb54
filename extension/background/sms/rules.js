// @ts-check
/**
 * Which texted code may fill a page: pure rules, no I/O. A message qualifies when it arrived after
 * the wait began or in the last 5 minutes, was never used before, holds a code (the core's
 * `smsCode`), and, when the code names its site (`@example.com #123456`), that site is the page's
 * by registrable domain (the core's site rules).
 */

/** How old a message may be when the wait begins, in seconds. */
export const FRESH_SECONDS = 5 * 60;

/**
 * @typedef {object} OpenedSms
 * @property {string} id the message id
 * @property {number} receivedAt Unix seconds (the server's)
 * @property {boolean} afterWaitBegan it arrived through the wait, after it began
 * @property {{code: string, domain: string | null} | null} found the core's `smsCode` of its text
 */

/**
 * The code to fill, newest message first, or null.
 * @param {OpenedSms[]} messages
 * @param {{now: number, used: ReadonlySet<string>, host: string, sameSite: (a: string, b: string) => boolean}} o
 * @returns {{id: string, code: string} | null}
 */
export function pickCode(messages, o) {
  const newest = [...messages].sort((a, b) => b.receivedAt - a.receivedAt);
  for (const m of newest) {
    if (o.used.has(m.id) || !m.found) continue;
    if (!m.afterWaitBegan && o.now - m.receivedAt > FRESH_SECONDS) continue;
    if (m.found.domain && !o.sameSite(m.found.domain, o.host)) continue;
    return { id: m.id, code: m.found.code };
  }
  return null;
}

/** How long the account used in a tab stays its choice, in milliseconds. */
export const TAB_CHOICE_MS = 15 * 60 * 1000;

/**
 * Whose inbox fills a page when several accounts with a managed number share its site: the one
 * just used in that tab (its code filled there, or the person chose it), else the person is asked.
 * @template {{accountId: string}} A
 * @param {A[]} matches the accounts with a managed number on the page's site
 * @param {{accountId: string, at: number} | null} used the account last used in the tab, and when
 * @param {number} nowMs
 * @returns {{account: A} | {choose: A[]} | null}
 */
export function inboxChoice(matches, used, nowMs) {
  if (matches.length === 1) return { account: matches[0] };
  if (matches.length === 0) return null;
  const recent =
    used && nowMs - used.at <= TAB_CHOICE_MS ? matches.find((a) => a.accountId === used.accountId) : undefined;
  return recent ? { account: recent } : { choose: matches };
}
