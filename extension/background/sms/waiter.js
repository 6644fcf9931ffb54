// @ts-check
/**
 * Filling a frame from its account's inbox. The worker decides everything from what the browser
 * reports about the frame (its URL, its document): which account (one with a managed number on the
 * frame's site; with several, the one used in the tab or the person's pick), which message (rules.js), and sends only
 * the code, to that document only.
 */
import * as core from '../core.js';
import { frameVerdict, matching } from '../fill.js';
import * as vault from '../workspace/vault.js';
import { unreachable } from '../workspace/vault.js';
import { tell } from '../tell.js';
import * as inbox from './inbox.js';
import { inboxChoice, pickCode } from './rules.js';
import { rememberForTab, usedInTab } from './tab-account.js';
import { claim, release } from './used.js';

/** @typedef {import('../workspace/vault.js').VaultAccount} VaultAccount */
/** @typedef {import('../fill.js').FrameFacts} FrameFacts */
/** @typedef {{tabId: number, frameId: number, documentId: string}} Target */

/** How long a page waits for its code before the mark goes. */
const GIVE_UP_MS = 3 * 60 * 1000;
/** How often the inbox is tried again while the server cannot be reached. */
const RETRY_MS = 5000;

/** Frames being waited for (tab:frame:document) → the account whose inbox they wait on. @type {Map<string, string>} */
const waiting = new Map();

/**
 * The accounts with a managed number (and this device holding their inbox key) whose sealed sites
 * record names the frame's site (or a site whose sign-in the frame's host serves); never by the
 * server's plaintext site.
 * @param {VaultAccount[]} accounts @param {FrameFacts} frame
 */
export async function inboxAccountsFor(accounts, frame) {
  const sites = await core.sites();
  const texted = accounts.filter((a) => a.phoneNumber && a.sealedInbox);
  return matching(sites, frame, texted, (a) => a.sites ?? []);
}

/**
 * Starts waiting for the frame's SMS code when an account fits: the only one with a managed
 * number on the site, the one just used in the tab, or `chosen` (the person picked it). With
 * several and none of those, the person is asked (`choose`).
 * @param {Target} target @param {FrameFacts} frame what the browser reported about the frame
 * @param {string} [chosen] a vault account id the person picked for this tab
 * @returns {Promise<'waiting' | 'choose' | 'none'>}
 */
export async function startWaiting(target, frame, chosen) {
  const verdict = frameVerdict(await core.sites(), frame);
  if (!verdict.ok) return 'none';
  const host = verdict.host;
  let accounts;
  try {
    accounts = await vault.accountsForFill();
  } catch {
    return 'none'; // no trusted workspace
  }
  const matches = await inboxAccountsFor(accounts, frame);
  if (chosen) await rememberForTab(target.tabId, chosen);
  const choice = inboxChoice(matches, await usedInTab(target.tabId), Date.now());
  if (!choice) return 'none';
  if ('choose' in choice) return 'choose';
  const account = choice.account;
  const key = `${target.tabId}:${target.frameId}:${target.documentId}`;
  if (waiting.get(key) === account.accountId) return 'waiting';
  const switching = waiting.has(key);
  waiting.set(key, account.accountId);
  // The wait for another account (if any) ends at its next turn and leaves the mark alone.
  const stillMine = () => waiting.get(key) === account.accountId;
  void run(target, host, account, accounts, stillMine)
    .catch((e) => console.error('Latchkey: waiting for the SMS code failed:', e instanceof Error ? e.message : 'error'))
    .finally(() => {
      if (!stillMine()) return;
      waiting.delete(key);
      void tell(target, 'sms-stop');
    });
  if (switching || chosen) void tell(target, 'sms-waiting');
  return 'waiting';
}

/**
 * @param {Target} target @param {string} host @param {VaultAccount} account @param {VaultAccount[]} accounts
 * @param {() => boolean} current whether this wait is still the frame's
 */
async function run(target, host, account, accounts, current) {
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
        if (away) void tell(target, 'sms-waiting');
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
  const first = await reach(() => inbox.read(accounts, { account: account.accountId }));
  /** @param {inbox.InboxMessage[]} messages @param {boolean} afterWaitBegan */
  const tryFill = async (messages, afterWaitBegan) => {
    if (!current()) return true;
    const opened = messages.map((m) => ({ id: m.id, receivedAt: m.receivedAt, afterWaitBegan, found: m.found }));
    // Claimed (marked used) before it is sent: a page that reloads or leaves the moment its field
    // is filled never answers, and must not get the same code again.
    const pick = await claim(account.accountId, (used) =>
      pickCode(opened, { now: Date.now() / 1000, used, host, sites }),
    );
    if (!pick) return false;
    const reply = await tell(target, 'fill', { code: pick.code, sms: true });
    if (reply?.ok && reply.filled) {
      await rememberForTab(target.tabId, account.accountId);
      return true;
    }
    // The page answered that no field took it: the code stays available.
    if (reply?.ok) await release(account.accountId, pick.id);
    return false;
  };
  if (await tryFill(first.messages, false)) return;
  let last = first.last;
  while (Date.now() - began < GIVE_UP_MS && current()) {
    const alive = (await tell(target, 'ping'))?.ok === true;
    if (!alive) return;
    const next = await reach(() => inbox.wait(accounts, { account: account.accountId, after: last, timeout: 20 }));
    last = Math.max(last, next.last);
    if (await tryFill(next.messages, true)) return;
  }
}
