// @ts-check
/**
 * Filling a frame from its account's inbox. The worker decides everything from what the browser
 * reports about the frame (its URL, its document): which account (one with a managed number on the
 * frame's site), which message (rules.js), and sends only the code, to that document only.
 */
import * as core from '../core.js';
import * as vault from '../workspace/vault.js';
import * as inbox from './inbox.js';
import { pickCode } from './rules.js';
import { markUsed, usedIds } from './used.js';

/** @typedef {import('../workspace/vault.js').VaultAccount} VaultAccount */
/** @typedef {{tabId: number, frameId: number, documentId: string}} Target */

/** How long a page waits for its code before the mark goes. */
const GIVE_UP_MS = 3 * 60 * 1000;

/** Frames being waited for, by tab:frame:document. @type {Set<string>} */
const waiting = new Set();

/**
 * The account whose inbox fills `host`: the one account with a managed number on that site, else
 * none (several: the person chooses with the popup's Fill).
 * @param {VaultAccount[]} accounts @param {string} host
 */
export async function inboxAccountFor(accounts, host) {
  const sites = await core.sites();
  const matches = accounts.filter((a) => a.phoneNumber && a.sealedInbox && sites.sameSite(a.site, host));
  return matches.length === 1 ? matches[0] : null;
}

/** @param {Target} t @param {object} message */
function send(t, message) {
  return chrome.tabs.sendMessage(t.tabId, message, { frameId: t.frameId, documentId: t.documentId });
}

/**
 * Starts waiting for the frame's SMS code when an account fits; whether it waits.
 * @param {Target} target @param {string} host the frame's host, already judged fillable
 */
export async function startWaiting(target, host) {
  let accounts;
  try {
    accounts = await vault.accountsForFill();
  } catch {
    return false; // no trusted workspace
  }
  const account = await inboxAccountFor(accounts, host);
  if (!account) return false;
  const key = `${target.tabId}:${target.frameId}:${target.documentId}`;
  if (waiting.has(key)) return true;
  waiting.add(key);
  void run(target, host, account, accounts)
    .catch((e) => console.error('Latchkey: waiting for the SMS code failed:', e instanceof Error ? e.message : 'error'))
    .finally(() => {
      waiting.delete(key);
      send(target, { type: 'sms-stop' }).catch(() => {});
    });
  return true;
}

/**
 * @param {Target} target @param {string} host @param {VaultAccount} account @param {VaultAccount[]} accounts
 */
async function run(target, host, account, accounts) {
  const sites = await core.sites();
  const began = Date.now();
  const first = await inbox.read(accounts, { account: account.accountId });
  /** @param {inbox.InboxMessage[]} messages @param {boolean} afterWaitBegan */
  const tryFill = async (messages, afterWaitBegan) => {
    const used = await usedIds(account.accountId);
    const pick = pickCode(
      messages.map((m) => ({ id: m.id, receivedAt: m.receivedAt, afterWaitBegan, found: m.found })),
      { now: Date.now() / 1000, used, host, sameSite: (a, b) => sites.sameSite(a, b) },
    );
    if (!pick) return false;
    const reply = await send(target, { type: 'fill', code: pick.code, sms: true }).catch(() => null);
    if (reply?.ok && reply.filled) {
      await markUsed(account.accountId, pick.id);
      return true;
    }
    return false;
  };
  if (await tryFill(first.messages, false)) return;
  let last = first.last;
  while (Date.now() - began < GIVE_UP_MS) {
    const alive = await send(target, { type: 'ping' }).then((r) => r?.ok === true, () => false);
    if (!alive) return;
    const next = await inbox.wait(accounts, { account: account.accountId, after: last, timeout: 20 });
    last = Math.max(last, next.last);
    if (await tryFill(next.messages, true)) return;
  }
}
