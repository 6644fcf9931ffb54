// @ts-check
/**
 * Filling a frame from its account's inbox: texted codes (a managed number) and e-mailed codes (a
 * managed address), by one waiter under one set of rules. The worker decides everything from what
 * the browser reports about the frame (its URL, its document) and the kinds of code its fields take
 * (`sms`, `email`, or both for a field that could take either): which account (one that receives
 * such codes on the frame's site; with several, the one used in the tab or the person's pick),
 * which message (rules.js, over the account's messages of those kinds: whichever code comes
 * first), and sends only the code, to that document only.
 */
import * as core from '../core.js';
import { holdAwake } from '../platform.js';
import { frameVerdict, matching } from '../fill.js';
import * as vault from '../workspace/vault.js';
import { unreachable } from '../workspace/vault.js';
import { reportFill } from '../workspace/fill-report.js';
import { tell } from '../tell.js';
import * as inbox from './inbox.js';
import { inboxChoice, pickCode } from './rules.js';
import { rememberForTab, usedInTab } from './tab-account.js';
import { claim, release } from './used.js';

/** @typedef {import('../workspace/vault.js').VaultAccount} VaultAccount */
/** @typedef {import('../fill.js').FrameFacts} FrameFacts */
/** @typedef {{tabId: number, frameId: number, documentId: string}} Target */
/** @typedef {import('./inbox.js').MessageKind} MessageKind */
/** What the page's mark names: the kinds of code waited for. @typedef {'sms' | 'email' | 'either'} Via */

/** Both kinds: a caller that does not know the frame's fields (the badge, the popup). */
export const ANY_KIND = new Set(/** @type {MessageKind[]} */ (['sms', 'email']));

/**
 * The kinds of code `account` receives among `wanted`: texts with a managed number, e-mails with
 * a managed address.
 * @param {VaultAccount} account @param {ReadonlySet<MessageKind>} wanted
 * @returns {Set<MessageKind>}
 */
export function kindsFor(account, wanted) {
  /** @type {Set<MessageKind>} */
  const kinds = new Set();
  if (!account.sealedInbox) return kinds;
  if (wanted.has('sms') && account.phoneNumber) kinds.add('sms');
  if (wanted.has('email') && account.emailAddress) kinds.add('email');
  return kinds;
}

/**
 * The kinds of code a frame's fields take, from the counts it reported.
 * @param {{sms?: number, email?: number}} counts @returns {Set<MessageKind>}
 */
export function kindsOf(counts) {
  /** @type {Set<MessageKind>} */
  const kinds = new Set();
  if ((counts.sms ?? 0) > 0) kinds.add('sms');
  if ((counts.email ?? 0) > 0) kinds.add('email');
  return kinds;
}

/** @param {ReadonlySet<MessageKind>} kinds @returns {Via} */
function viaOf(kinds) {
  return kinds.size > 1 ? 'either' : kinds.has('email') ? 'email' : 'sms';
}

/** How long a page waits for its code before the mark goes. */
const GIVE_UP_MS = 3 * 60 * 1000;
/** How often the inbox is tried again while the server cannot be reached. */
const RETRY_MS = 5000;

/**
 * Frames being waited for (tab:frame:document) → the account whose inbox they wait on and the
 * kinds. @type {Map<string, string>}
 */
const waiting = new Map();

/**
 * The accounts that receive codes of the `wanted` kinds (a managed number for texts, a managed
 * address for e-mails; this device holding their inbox key) whose sealed sites record names the
 * frame's site (or a site whose sign-in the frame's host serves); never by the server's plaintext
 * site.
 * @param {VaultAccount[]} accounts @param {FrameFacts} frame @param {ReadonlySet<MessageKind>} [wanted]
 */
export async function inboxAccountsFor(accounts, frame, wanted = ANY_KIND) {
  const sites = await core.sites();
  const receiving = accounts.filter((a) => kindsFor(a, wanted).size > 0);
  return matching(sites, frame, receiving, (a) => a.sites ?? []);
}

/**
 * Starts waiting for the frame's code of the `wanted` kinds when an account fits: the only one
 * receiving such codes on the site, the one just used in the tab, or `chosen` (the person picked
 * it). With several and none of those, the person is asked (`choose`). `via` names what is waited
 * for (the account's kinds among those wanted), for the page's mark.
 * @param {Target} target @param {FrameFacts} frame what the browser reported about the frame
 * @param {ReadonlySet<MessageKind>} wanted the kinds the frame's fields take
 * @param {string} [chosen] a vault account id the person picked for this tab
 * @returns {Promise<{state: 'waiting', via: Via} | {state: 'choose' | 'none'}>}
 */
export async function startWaiting(target, frame, wanted, chosen) {
  const verdict = frameVerdict(await core.sites(), frame);
  if (!verdict.ok || wanted.size === 0) return { state: 'none' };
  const host = verdict.host;
  let accounts;
  try {
    accounts = await vault.accountsForFill();
  } catch {
    return { state: 'none' }; // no trusted workspace
  }
  const matches = await inboxAccountsFor(accounts, frame, wanted);
  if (chosen) await rememberForTab(target.tabId, chosen);
  const choice = inboxChoice(matches, await usedInTab(target.tabId), Date.now());
  if (!choice) return { state: 'none' };
  if ('choose' in choice) return { state: 'choose' };
  const account = choice.account;
  const kinds = kindsFor(account, wanted);
  const via = viaOf(kinds);
  const key = `${target.tabId}:${target.frameId}:${target.documentId}`;
  const mine = `${account.accountId}/${[...kinds].sort().join('+')}`;
  if (waiting.get(key) === mine) return { state: 'waiting', via };
  const switching = waiting.has(key);
  waiting.set(key, mine);
  // The wait for another account (if any) ends at its next turn and leaves the mark alone.
  const stillMine = () => waiting.get(key) === mine;
  void holdAwake(run(target, host, account, accounts, kinds, stillMine))
    .catch((e) => console.error('Latchkey: waiting for the code failed:', e instanceof Error ? e.message : 'error'))
    .finally(() => {
      if (!stillMine()) return;
      waiting.delete(key);
      void tell(target, 'sms-stop');
    });
  if (switching || chosen) void tell(target, 'sms-waiting', { via });
  return { state: 'waiting', via };
}

/**
 * @param {Target} target @param {string} host @param {VaultAccount} account @param {VaultAccount[]} accounts
 * @param {ReadonlySet<MessageKind>} kinds the kinds of message that may fill
 * @param {() => boolean} current whether this wait is still the frame's
 */
async function run(target, host, account, accounts, kinds, current) {
  const via = viaOf(kinds);
  const sites = await core.sites();
  const began = Date.now();
  let away = false;
  /**
   * One inbox call; while the server cannot be reached the mark says so and the call is tried
   * again (as long as the wait lasts and the page is there), and says "Waiting" once it answers.
   * @template T @param {() => Promise<T>} call @returns {Promise<T>}
   */
  const reach = async (call) => {
    for (;;) {
      try {
        const r = await call();
        if (away) void tell(target, 'sms-waiting', { via });
        away = false;
        return r;
      } catch (e) {
        if (!unreachable(e) || Date.now() - began > GIVE_UP_MS || !current()) throw e;
        // Said at each try: the page may have just shown its "Waiting" answer over it.
        void tell(target, 'sms-unreachable');
        away = true;
        await new Promise((r) => setTimeout(r, RETRY_MS));
        if ((await tell(target, 'ping'))?.ok !== true) throw e;
      }
    }
  };
  const first = await reach(() => inbox.read(accounts, { account: account.accountId, kinds }));
  /** @param {inbox.InboxMessage[]} messages @param {boolean} afterWaitBegan */
  const tryFill = async (messages, afterWaitBegan) => {
    if (!current()) return true;
    const opened = messages.map((m) => ({
      id: m.id,
      kind: m.kind,
      receivedAt: m.receivedAt,
      afterWaitBegan,
      found: m.found,
      verifiedSender: m.auth?.verified ? m.auth.domain : null,
    }));
    // Claimed (marked used) before it is sent: a page that reloads or leaves the moment its field
    // is filled never answers, and must not get the same code again.
    const pick = await claim(account.accountId, (used) =>
      pickCode(opened, { now: Date.now() / 1000, used, host, sites }),
    );
    if (!pick) return false;
    const kind = opened.find((m) => m.id === pick.id)?.kind ?? 'sms';
    const reply = await tell(target, 'fill', { code: pick.code, sms: true, kind });
    if (reply?.ok && (reply.filled || reply.reached)) {
      // Typed into the page's field: used, and recorded, even when the page refused it (it could
      // read the code from the input events it cancelled, and must not get it again).
      await rememberForTab(target.tabId, account.accountId);
      reportFill(account.accountId, host, kind === 'email' ? 'email' : 'sms');
      return true;
    }
    // The page answered that the code never reached a field: it stays available.
    if (reply?.ok) await release(account.accountId, pick.id);
    return false;
  };
  if (await tryFill(first.messages, false)) return;
  let last = first.last;
  while (Date.now() - began < GIVE_UP_MS && current()) {
    const alive = (await tell(target, 'ping'))?.ok === true;
    if (!alive) return;
    const next = await reach(() =>
      inbox.wait(accounts, { account: account.accountId, after: last, timeout: 20, kinds }),
    );
    last = Math.max(last, next.last);
    if (await tryFill(next.messages, true)) return;
  }
}
