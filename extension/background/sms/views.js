// @ts-check
/**
 * What Latchkey's dashboard may ask about inboxes and managed numbers. Messages go to the
 * dashboard (a trusted extension page) as plain data; it renders them with textContent only.
 */
import * as client from '../workspace/client.js';
import { bool, id, obj, optText, text } from '../workspace/shapes.js';
import * as vault from '../workspace/vault.js';
import * as inbox from './inbox.js';

/** The dashboard shows both kinds. */
const BOTH = new Set(/** @type {const} */ (['sms', 'email']));

/** @typedef {import('../../types/protocol').InboxView} InboxView */
/** @typedef {import('../../types/protocol').PhoneNumberView} PhoneNumberView */
/** @typedef {import('../../types/protocol').EmailAddressView} EmailAddressView */

/** @param {Awaited<ReturnType<typeof inbox.read>>} r @param {vault.VaultAccount[]} accounts @returns {InboxView} */
function view(r, accounts) {
  const byId = new Map(accounts.map((a) => [a.accountId, a]));
  return {
    last: r.last,
    messages: r.messages.map((m) => ({
      seq: m.seq,
      type: m.kind,
      id: m.id,
      accountId: m.accountId,
      accountName: byId.get(m.accountId)?.name ?? '',
      app: byId.get(m.accountId)?.site ?? '',
      from: m.from,
      receivedAt: m.receivedAt,
      text: m.text,
      subject: m.kind === 'email' ? m.subject : null,
      code: m.found ? { code: m.found.code, in: m.found.in, start: m.found.start, end: m.found.end } : null,
      links: m.links,
      auth: m.auth,
    })),
  };
}

/**
 * The messages (SMS and e-mail) after `after`, of one account or of all.
 * @param {string | null} account @param {number} after
 */
export async function read(account, after) {
  const accounts = await vault.accounts();
  return view(await inbox.read(accounts, { account: account ?? undefined, after, kinds: BOTH }), accounts);
}

/** Waits up to 20 s for messages after `after`. @param {string | null} account @param {number} after */
export async function wait(account, after) {
  // A recent copy of the vault is enough here: each poll must not cost a full sync.
  const accounts = await vault.accountsForFill();
  return view(await inbox.wait(accounts, { account: account ?? undefined, after, timeout: 20, kinds: BOTH }), accounts);
}

/** @param {string} accountId @returns {Promise<PhoneNumberView>} */
export async function phone(accountId) {
  const r = obj(
    await client.request('GET', `/accounts/${encodeURIComponent(id(accountId, 'account id'))}/phone-number`),
    'phone number',
  );
  return { number: optText(r.number, 'number', 32), supported: bool(r.supported, 'supported') };
}

/** Obtains a managed number for the account. @param {string} accountId */
export async function create(accountId) {
  const r = obj(
    await client.request('POST', `/accounts/${encodeURIComponent(id(accountId, 'account id'))}/phone-number`, {}),
    'phone number',
  );
  vault.drop();
  return { number: optText(r.number, 'number', 32) };
}

/** Gives the account's number back. @param {string} accountId */
export async function release(accountId) {
  await client.request('DELETE', `/accounts/${encodeURIComponent(id(accountId, 'account id'))}/phone-number`);
  vault.drop();
  return {};
}

/** @param {string} accountId @returns {Promise<EmailAddressView>} */
export async function address(accountId) {
  const r = obj(
    await client.request('GET', `/accounts/${encodeURIComponent(id(accountId, 'account id'))}/email-address`),
    'e-mail address',
  );
  return {
    address: optText(r.address, 'address', 254),
    supported: bool(r.supported, 'supported'),
    proposed: optText(r.proposed, 'proposed address', 254),
  };
}

/** Creates the account's managed address (the one `address` proposed). @param {string} accountId */
export async function createAddress(accountId) {
  const r = obj(
    await client.request('POST', `/accounts/${encodeURIComponent(id(accountId, 'account id'))}/email-address`, {}),
    'e-mail address',
  );
  vault.drop();
  return { address: text(r.address, 'address', 254) };
}
