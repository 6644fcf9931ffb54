// @ts-check
/**
 * An account's inbox on this device: `GET /inbox` and `/inbox/wait` checked for shape, each SMS
 * opened in wasm with the account's inbox key (the core) and its code found by the messages module
 * (on demand). Texts are hostile: they are only ever handed to `smsCode` here and to `textContent`
 * in the dashboard. E-mails are opened only for readers that ask (`email: true`: the dashboard),
 * their raw MIME parsed by the core's `mailRead` (HTML reduced to text there, never rendered).
 */
import * as core from '../core.js';
import { messages as messagesModule } from '../on-demand.js';
import * as client from '../workspace/client.js';
import { arr, b64, bool, id, int, obj, oneOf, optText, text } from '../workspace/shapes.js';
import * as keys from '../workspace/keys.js';
import { userKeys } from '../workspace/unlock.js';

/** @typedef {import('../workspace/vault.js').VaultAccount} VaultAccount */

/**
 * @typedef {object} InboxMessage
 * @property {number} seq
 * @property {'sms' | 'email'} type
 * @property {string} id
 * @property {string} accountId
 * @property {string} from the sender as the carrier reported it (SMS), or the e-mail's From address
 * @property {number} receivedAt Unix seconds
 * @property {string} text
 * @property {import('../../pkg/latchkey_messages.js').SmsCode | null} found
 * @property {EmailPart | null} email the e-mail's own parts (null for SMS)
 */

/**
 * @typedef {object} EmailPart
 * @property {string} subject
 * @property {{code: string, in: 'subject' | 'text', start: number, end: number} | null} code
 * @property {Array<{url: string, start: number, end: number}>} links
 * @property {MailAuth | null} auth the server's sender verification, or null when it checked nothing
 */

/** @typedef {{dkim: Outcome, spf: Outcome, dmarc: Outcome, domain: string | null, verified: boolean}} MailAuth */
/** @typedef {'pass' | 'fail' | 'none' | 'temperror' | 'unchecked'} Outcome */

/** @type {readonly Outcome[]} */
const OUTCOMES = ['pass', 'fail', 'none', 'temperror', 'unchecked'];
/** A sealed e-mail (base64url of up to 64 MiB, the server's largest `--smtp-max-bytes`, and its envelope). */
const MAX_SEALED_EMAIL = 90_000_000;

/** The server's verdict on an e-mail's sender, checked for shape. @param {unknown} raw @returns {MailAuth | null} */
function mailAuth(raw) {
  if (raw === undefined || raw === null) return null;
  const a = obj(raw, 'e-mail auth');
  return {
    dkim: oneOf(a.dkim, OUTCOMES, 'dkim'),
    spf: oneOf(a.spf, OUTCOMES, 'spf'),
    dmarc: oneOf(a.dmarc, OUTCOMES, 'dmarc'),
    domain: optText(a.domain, 'auth domain', 255),
    verified: bool(a.verified, 'verified'),
  };
}

/** An e-mail copy's id (the server's, or a Mailgun token and index). @param {unknown} v */
function emailId(v) {
  const s = text(v, 'message id', 128);
  if (!/^[A-Za-z0-9_:-]+$/.test(s)) throw new Error('bad message id');
  return s;
}

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
 * @param {unknown} raw @param {VaultAccount[]} accounts @param {boolean} withEmail open e-mails too
 * @returns {Promise<{messages: InboxMessage[], last: number}>}
 */
async function openReply(raw, accounts, withEmail) {
  await core.ready();
  const { smsCode, mailRead } = await messagesModule();
  const reply = obj(raw, 'inbox');
  const last = int(reply.last, 'last');
  /** @type {InboxMessage[]} */
  const messages = [];
  for (const rawMessage of arr(reply.messages, 'messages')) {
    try {
      const m = obj(rawMessage, 'message');
      if (m.type === 'email' && withEmail) {
        const accountId = id(m.accountId, 'account id');
        const account = accounts.find((a) => a.accountId === accountId);
        if (!account) continue;
        const messageId = emailId(m.id);
        const { vault, ws } = await inboxOf(account);
        const rawMail = vault.openEmail(
          accountId,
          account.generation,
          b64(m.sealed, 'sealed e-mail', MAX_SEALED_EMAIL),
          ws.workspaceId,
          messageId,
        );
        const mail = mailRead(rawMail);
        messages.push({
          seq: int(m.seq, 'seq'),
          type: 'email',
          id: messageId,
          accountId,
          // The From address, else the envelope sender.
          from: mail.from ?? text(m.from, 'sender', 320),
          receivedAt: int(m.receivedAt, 'received at'),
          text: mail.text,
          found: null,
          email: {
            subject: mail.subject,
            code: mail.code
              ? { code: mail.code.code, in: mail.code.in, start: mail.code.start, end: mail.code.end }
              : null,
            links: mail.links.map((l) => ({ url: l.url, start: l.start, end: l.end })),
            auth: mailAuth(m.auth),
          },
        });
        continue;
      }
      // Other kinds share the inbox (`type: "email"`); a reader that did not ask skips them.
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
        type: 'sms',
        id: messageId,
        accountId,
        from: text(sms.from, 'sender', 64),
        receivedAt: int(m.receivedAt, 'received at'),
        text: text(sms.text, 'text', 8192),
        found: smsCode(sms.text) ?? null,
        email: null,
      });
    } catch (e) {
      console.error('Latchkey: a message did not open:', e instanceof Error ? e.message : 'error');
    }
  }
  return { messages, last };
}

/**
 * Messages after `after` (every page), for one account or all; e-mails only with `email: true`.
 * @param {VaultAccount[]} accounts @param {{account?: string, after?: number, email?: boolean}} o
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
    const { messages, last } = await openReply(raw, accounts, o.email === true);
    all.push(...messages);
    if (count < 500 || last <= after) return { messages: all, last };
    after = last;
  }
  return { messages: all, last: after };
}

/**
 * Waits (up to `timeout` seconds) for messages after `after`; e-mails only with `email: true`.
 * @param {VaultAccount[]} accounts @param {{account?: string, after: number, timeout?: number, email?: boolean}} o
 */
export async function wait(accounts, o) {
  const timeout = o.timeout ?? 25;
  const q = new URLSearchParams({ after: String(o.after), timeout: String(timeout) });
  if (o.account) q.set('account', o.account);
  const raw = await client.request('GET', `/inbox/wait?${q}`, undefined, (timeout + 10) * 1000);
  return openReply(raw, accounts, o.email === true);
}
