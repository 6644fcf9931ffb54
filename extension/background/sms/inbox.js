// @ts-check
/**
 * An account's inbox on this device: `GET /inbox` and `/inbox/wait` checked for shape, each message
 * opened in wasm with the account's inbox key (the core: `openSms`, `openEmail`) and its code found
 * by the messages module (on demand: `smsCode` for a text, `mailRead` for a raw e-mail). Messages
 * are hostile: they are only ever handed to those readers here and to `textContent` in the
 * dashboard (HTML is reduced to text by the core's reader, never rendered).
 */
import * as core from '../core.js';
import { messages as messagesModule } from '../on-demand.js';
import * as client from '../workspace/client.js';
import { arr, b64, bool, id, int, obj, oneOf, optText, text } from '../workspace/shapes.js';
import * as keys from '../workspace/keys.js';
import { userKeys } from '../workspace/unlock.js';

/** @typedef {import('../workspace/vault.js').VaultAccount} VaultAccount */
/** @typedef {'sms' | 'email'} MessageKind */

/**
 * @typedef {object} InboxMessage
 * @property {number} seq
 * @property {MessageKind} kind
 * @property {string} id
 * @property {string} accountId
 * @property {string} from the sender as the carrier reported it (an SMS), or the e-mail's `From`
 * @property {number} receivedAt Unix seconds
 * @property {string} text the SMS, or the e-mail's text (HTML turned into text by the reader)
 * @property {string} subject the e-mail's subject ("" for an SMS)
 * @property {{code: string, domain: string | null, in: 'text' | 'subject', start: number, end: number} | null} found
 *   the code and where it is written: `text.slice(start, end)`, or `subject.slice(…)` (UTF-16 units)
 * @property {Array<{url: string, start: number, end: number}>} links an e-mail's verification links
 *   (spans in `text`; none for an SMS), opened only on the person's click
 * @property {MailAuth | null} auth the server's verdict on an e-mail's sender, or null (an SMS, or
 *   nothing was checked)
 */

/** @typedef {{dkim: Outcome, spf: Outcome, dmarc: Outcome, domain: string | null, verified: boolean}} MailAuth */
/** @typedef {'pass' | 'fail' | 'none' | 'temperror' | 'unchecked'} Outcome */

/** @type {readonly Outcome[]} */
const OUTCOMES = ['pass', 'fail', 'none', 'temperror', 'unchecked'];

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

/** A sealed e-mail (base64url of up to 64 MiB, the server's largest `--smtp-max-bytes`, and its envelope). */
const MAX_SEALED_EMAIL = 90_000_000;

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
 * Opens the messages of a reply (`{messages, last}`) of the wanted kinds; those that do not open
 * are skipped.
 * @param {unknown} raw @param {VaultAccount[]} accounts @param {ReadonlySet<MessageKind>} kinds
 * @returns {Promise<{messages: InboxMessage[], last: number}>}
 */
async function openReply(raw, accounts, kinds) {
  await core.ready();
  const { mailRead, smsCode } = await messagesModule();
  const reply = obj(raw, 'inbox');
  const last = int(reply.last, 'last');
  /** @type {InboxMessage[]} */
  const messages = [];
  for (const rawMessage of arr(reply.messages, 'messages')) {
    // Entries without a type predate e-mail: SMS.
    /** @type {MessageKind} */
    const kind = /** @type {Record<string, unknown>} */ (rawMessage)?.type === 'email' ? 'email' : 'sms';
    try {
      const m = obj(rawMessage, 'message');
      if (m.type !== undefined && m.type !== 'sms' && m.type !== 'email') continue;
      if (!kinds.has(kind)) continue;
      const accountId = id(m.accountId, 'account id');
      const account = accounts.find((a) => a.accountId === accountId);
      if (!account) continue;
      const messageId = kind === 'email' ? emailId(m.id) : id(m.id, 'message id');
      const { vault, ws } = await inboxOf(account);
      const head = {
        seq: int(m.seq, 'seq'),
        kind,
        id: messageId,
        accountId,
        receivedAt: int(m.receivedAt, 'received at'),
      };
      if (kind === 'sms') {
        const sms = vault.openSms(
          accountId,
          account.generation,
          b64(m.sealed, 'sealed sms', 65536),
          ws.workspaceId,
          messageId,
        );
        const found = smsCode(sms.text) ?? null;
        messages.push({
          ...head,
          from: text(sms.from, 'sender', 64),
          text: text(sms.text, 'text', 8192),
          subject: '',
          found: found && { code: found.code, domain: found.domain, in: 'text', start: found.start, end: found.end },
          links: [],
          auth: null,
        });
      } else {
        const rawMail = vault.openEmail(
          accountId,
          account.generation,
          b64(m.sealed, 'sealed e-mail', MAX_SEALED_EMAIL),
          ws.workspaceId,
          messageId,
        );
        const mail = mailRead(rawMail);
        const code = mail.code;
        messages.push({
          ...head,
          // The From address, else the envelope sender.
          from: mail.from ?? text(m.from, 'sender', 320),
          text: String(mail.text ?? '').slice(0, 65536),
          subject: String(mail.subject ?? '').slice(0, 1000),
          found: code
            ? {
                code: code.code,
                domain: code.domain ?? null,
                in: code.in === 'subject' ? 'subject' : 'text',
                start: code.start,
                end: code.end,
              }
            : null,
          links: mail.links.map((l) => ({ url: l.url, start: l.start, end: l.end })),
          auth: mailAuth(m.auth),
        });
      }
    } catch (e) {
      console.error(
        `Latchkey: ${kind === 'email' ? 'an e-mail' : 'an SMS'} did not open:`,
        e instanceof Error ? e.message : 'error',
      );
    }
  }
  return { messages, last };
}

/** What a reader takes when it names no kinds: SMS only (the fill path names its own). */
const SMS_ONLY = new Set(/** @type {MessageKind[]} */ (['sms']));

/**
 * Messages after `after` (every page), for one account or all, of the kinds asked for (SMS by default).
 * @param {VaultAccount[]} accounts @param {{account?: string, after?: number, kinds?: ReadonlySet<MessageKind>}} o
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
    const { messages, last } = await openReply(raw, accounts, o.kinds ?? SMS_ONLY);
    all.push(...messages);
    if (count < 500 || last <= after) return { messages: all, last };
    after = last;
  }
  return { messages: all, last: after };
}

/**
 * Waits (up to `timeout` seconds) for messages after `after`, of the kinds asked for (SMS by default).
 * @param {VaultAccount[]} accounts
 * @param {{account?: string, after: number, timeout?: number, kinds?: ReadonlySet<MessageKind>}} o
 */
export async function wait(accounts, o) {
  const timeout = o.timeout ?? 25;
  const q = new URLSearchParams({ after: String(o.after), timeout: String(timeout) });
  if (o.account) q.set('account', o.account);
  const raw = await client.request('GET', `/inbox/wait?${q}`, undefined, (timeout + 10) * 1000);
  return openReply(raw, accounts, o.kinds ?? SMS_ONLY);
}
