// @ts-check
// The checks of tests/e2e/sms-rules.test.mjs (which texted or e-mailed code may fill a page, and
// whose inbox) as data: each a call of the adapter (extension/background/sms/rules.js) and the
// answer it must give. Shared by that Node test and Firefox's tests/e2e-firefox/sms-rules.test.mjs,
// which makes the same calls in a Firefox page.

/** The rules' windows, as the product states them: 5 minutes, 15 minutes. */
const FRESH_SECONDS = 5 * 60;
const TAB_CHOICE_MS = 15 * 60 * 1000;
/** The rules' clock (Unix seconds), and the page's host. */
export const NOW = 1_800_000_000;
export const HOST = 'demo.localhost';
/** The clock of whose-inbox (milliseconds). */
const NOW_MS = 1_800_000_000_000;

/**
 * @param {string} id @param {number} age @param {string | null} code @param {string | null} [domain]
 * @param {boolean} [after] @param {string | null} [verifiedSender]
 */
const msg = (id, age, code, domain = null, after = false, verifiedSender = null) => ({
  id,
  receivedAt: NOW - age,
  afterWaitBegan: after,
  found: code ? { code, domain } : null,
  verifiedSender,
});

/**
 * `pickCode(messages, {now: NOW, used: new Set(used), host: HOST, sites})` must answer `expect`.
 * @typedef {{pick: ReturnType<typeof msg>[], used?: string[], expect: {id: string, code: string} | null}} Pick
 */
/**
 * `inboxChoice(matches, used, now)` must answer `expect`.
 * @typedef {{choice: {accountId: string}[], used: {accountId: string, at: number} | null, now: number,
 *   expect: unknown}} Choice
 */
/** @typedef {Pick | Choice} Check */

const a = { accountId: 'a' };
const b = { accountId: 'b' };

/** @type {Array<{title: string, checks: Check[]}>} */
export const CASES = [
  {
    title: 'an e-mailed code from a sender verified for the page’s site beats a newer unverified one',
    checks: [
      {
        pick: [msg('site', 60, '111111', null, false, 'demo.localhost'), msg('forged', 5, '999999')],
        expect: { id: 'site', code: '111111' },
      },
      {
        pick: [msg('elsewhere', 60, '111111', null, false, 'evil.example'), msg('forged', 5, '999999')],
        expect: { id: 'forged', code: '999999' },
      },
    ],
  },
  {
    title: 'the newest fresh, unused code on the page’s site is chosen',
    checks: [{ pick: [msg('a', 100, '111111'), msg('b', 10, '222222')], expect: { id: 'b', code: '222222' } }],
  },
  {
    title: 'a code older than 5 minutes is not filled, unless it arrived during the wait',
    checks: [
      { pick: [msg('a', FRESH_SECONDS + 1, '111111')], expect: null },
      { pick: [msg('a', FRESH_SECONDS - 1, '111111')], expect: { id: 'a', code: '111111' } },
      { pick: [msg('a', FRESH_SECONDS + 60, '111111', null, true)], expect: { id: 'a', code: '111111' } },
    ],
  },
  {
    title: 'a used message is never filled again; the next one is',
    checks: [
      { pick: [msg('a', 10, '111111')], used: ['a'], expect: null },
      { pick: [msg('a', 10, '111111'), msg('b', 20, '222222')], used: ['a'], expect: { id: 'b', code: '222222' } },
    ],
  },
  {
    title: 'a code bound to another site is not filled; one bound to this site is',
    checks: [
      { pick: [msg('a', 10, '111111', 'other.example')], expect: null },
      { pick: [msg('a', 10, '111111', 'demo.localhost')], expect: { id: 'a', code: '111111' } },
    ],
  },
  {
    title: 'messages without a code are skipped',
    checks: [{ pick: [msg('a', 10, null)], expect: null }],
  },
  {
    title: 'whose inbox: the only account; of several, the one used in the tab lately; else ask',
    checks: [
      { choice: [], used: null, now: NOW_MS, expect: null },
      { choice: [a], used: { accountId: 'b', at: NOW_MS }, now: NOW_MS, expect: { account: a } },
      { choice: [a, b], used: null, now: NOW_MS, expect: { choose: [a, b] } },
      { choice: [a, b], used: { accountId: 'b', at: NOW_MS - 1000 }, now: NOW_MS, expect: { account: b } },
      // Used too long ago, or an account that does not fit the page: ask.
      {
        choice: [a, b],
        used: { accountId: 'b', at: NOW_MS - TAB_CHOICE_MS - 1 },
        now: NOW_MS,
        expect: { choose: [a, b] },
      },
      { choice: [a, b], used: { accountId: 'c', at: NOW_MS }, now: NOW_MS, expect: { choose: [a, b] } },
    ],
  },
];

/**
 * Makes every check's call with the given adapter; the answers, in order (JSON-shaped). Runs in
 * Node and, passed as source, in a Firefox page: it uses nothing but its arguments.
 * @param {Array<{checks: Check[]}>} cases
 * @param {{pickCode: Function, inboxChoice: Function, sites: unknown, now: number, host: string}} r
 */
export function answers(cases, r) {
  return cases.map((c) =>
    c.checks.map((k) =>
      'pick' in k
        ? r.pickCode(k.pick, { now: r.now, used: new Set(k.used ?? []), host: r.host, sites: r.sites })
        : r.inboxChoice(k.choice, k.used, k.now),
    ),
  );
}
