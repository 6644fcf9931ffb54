// @ts-check
/**
 * An account's inbox on this device: `GET /inbox` and `/inbox/wait` checked for shape, each SMS
 * opened in wasm with the account's inbox key (the core) and its code found by the messages module
 * (on demand). Texts are hostile: they are only ever handed to `smsCode` here and to `textContent`
 * in the dashboard.
 */
import * as core from '../core.js';
import { messages as messagesModule } from '../on-demand.js';
import * as client from '../workspace/client.js';
import { arr, b64, id, int, obj, text } from '../workspace/shapes.js';
import * as keys from '../workspace/keys.js';
import { userKeys } from '../workspace/unlock.js';

/** @typedef {import('../workspace/vault.js').VaultAccount} VaultAccount */

/**
 * @typedef {object} InboxMessage
 * @property {number} seq
 * @property {string} id
 * @property {string} accountId
 * @property {string} from the sender as the carrier reported it
 * @property {number} receivedAt Unix seconds
 * @property {string} text
 * @property {import('../../pkg/latchkey_messages.js').SmsCode | null} found
 */

/** The key store, holding the account's inbox key (opened in wasm the first time). @param {VaultAccount} account */
async function inboxOf(account) {
  const { vault, ws } = await userKeys();
  if (!account.sealedInbox) throw new Error('This account has no inbox key.');
  const { accountId, generation } = account;
  const open = vault.slots().some((s) => s.kind === 'inbox' && s.account === accountId && s.generation === generation);
  if (!open) {
    vault.openInbox(accountId, generation, account.sealedInbox, ws.workspaceId);
    await keys.persist();
  }
  return { vault, ws };
}

/**
 * Opens the messages of a reply (`{messages, last}`); those that do not open are skipped.
 * @param {unknown} raw @param {VaultAccount[]} accounts
 * @returns {Promise<{messages: InboxMessage[], last: number}>}
 */
async function openReply(raw, accounts) {
  await core.ready();
  const { smsCode } = await messagesModule();
  const reply = obj(raw, 'inbox');
  const last = int(reply.last, 'last');
  /** @type {InboxMessage[]} */
  const messages = [];
  for (const rawMessage of arr(reply.messages, 'messages')) {
    try {
      const m = obj(rawMessage, 'message');
      // E-mails share the inbox (`type: "email"`); this reader opens SMS only.
      if (m.type !== undefined && m.type !== 'sms') continue;
      const accountId = id(m.accountId, 'account id');
      const account = accounts.find((a) => a.accountId === accountId);
      if (!account) continue;
      const messageId = id(m.id, 'message id');
      const { vault, ws } = await inboxOf(account);
      const sms = vault.openSms(
        accountId,
        account.generation,
        b64(m.sealed, 'sealed sms', 65536),
        ws.workspaceId,
        messageId,
      );
      messages.push({
        seq: int(m.seq, 'seq'),
        id: messageId,
        accountId,
        from: text(sms.from, 'sender', 64),
        receivedAt: int(m.receivedAt, 'received at'),
        text: text(sms.text, 'text', 8192),
        found: smsCode(sms.text) ?? null,
      });
    } catch (e) {
      console.error('Latchkey: an SMS did not open:', e instanceof Error ? e.message : 'error');
    }
  }
  return { messages, last };
}

/**
 * Messages after `after` (every page), for one account or all.
 * @param {VaultAccount[]} accounts @param {{account?: string, after?: number}} o
 */
export async function read(accounts, o) {
  /** @type {InboxMessage[]} */
  const all = [];
  let after = o.after ?? 0;
  for (let page = 0; page < 20; page++) {
    const q = new URLSearchParams({ after: String(after), limit: '500' });
    if (o.account) q.set('account', o.account);
    const raw = await client.request('GET', `/inbox?${q}`);
    const count = arr(obj(raw, 'inbox').messages, 'messages').length;
    const { messages, last } = await openReply(raw, accounts);
    all.push(...messages);
    if (count < 500 || last <= after) return { messages: all, last };
    after = last;
  }
  return { messages: all, last: after };
}

/**
 * Waits (up to `timeout` seconds) for messages after `after`.
 * @param {VaultAccount[]} accounts @param {{account?: string, after: number, timeout?: number}} o
 */
export async function wait(accounts, o) {
  const timeout = o.timeout ?? 25;
  const q = new URLSearchParams({ after: String(o.after), timeout: String(timeout) });
  if (o.account) q.set('account', o.account);
  const raw = await client.request('GET', `/inbox/wait?${q}`, undefined, (timeout + 10) * 1000);
  return openReply(raw, accounts);
}
