// @ts-check
/**
 * An owner's items on a shared account: "Set as MFA" (the app's secret key becomes the account's
 * TOTP item, sealed in wasm; every member's extension then fills its code), the app's backup
 * codes (sealed as their own item; shown on demand through `revealSecret`, never autofilled), and
 * the account's sites record (where its codes may be filled, sealed at the id the core derives
 * from the account id; the server's plaintext site follows it, for display).
 */
import * as accounts from '../accounts.js';
import { sealedItemText, sitesItemId } from '../core.js';
import * as client from './client.js';
import { randomId } from './shapes.js';
import { userKeys } from './unlock.js';
import * as vault from './vault.js';

/** @param {string} accountId */
async function account(accountId) {
  const found = (await vault.accounts()).find((a) => a.accountId === accountId);
  if (!found) throw new Error('That account is not in your vault.');
  return found;
}

/** @param {import('./vault.js').VaultAccount} a */
function ownerOnly(a) {
  if (a.role !== 'owner') throw new Error('Only the account’s owners manage its MFA and backup codes.');
}

/**
 * Writes an item: a new one (version 1; `existing` may fix its id with version 0) or the next
 * version of an existing one.
 * @param {import('./vault.js').VaultAccount} a @param {import('../../pkg/latchkey_core.js').ItemInput} input
 * @param {{id: string, version: number} | undefined} existing
 */
async function write(a, input, existing) {
  const { vault: store, ws } = await userKeys();
  const itemId = existing?.id ?? randomId();
  const version = (existing?.version ?? 0) + 1;
  const sealed = store.sealItem(a.accountId, a.generation, ws.workspaceId, itemId, version, input);
  const data = sealedItemText(sealed);
  if (existing && existing.version > 0) {
    await client.request('PUT', `/items/${itemId}`, {
      expectedVersion: existing.version,
      data,
      keyGeneration: a.generation,
    });
  } else {
    await client.request('POST', `/accounts/${a.accountId}/items`, { id: itemId, data, keyGeneration: a.generation });
  }
  vault.drop();
}

/**
 * Set as MFA → Done: the secret key (or otpauth URI) as the account's TOTP item.
 * @param {string} accountId
 * @param {string} secret
 */
export async function setMfa(accountId, secret) {
  const a = await account(accountId);
  ownerOnly(a);
  const d = await accounts.describeSecret(secret);
  const existing = a.items.find((i) => i.summary.kind === 'totp');
  await write(a, { kind: 'totp', name: a.name, otp: d.uri }, existing);
  return {};
}

/**
 * The key an automation read from the app's page (an `otpauth://` URI from the core), kept at once
 * as the account's TOTP item so that it is never lost once the app may have accepted it: named as
 * pending until the app took a code from it, then written again under the account's own name.
 * @param {string} accountId @param {string} uri @param {boolean} pending
 */
export async function keepReadKey(accountId, uri, pending) {
  const a = await account(accountId);
  ownerOnly(a);
  const existing = a.items.find((i) => i.summary.kind === 'totp');
  await write(a, { kind: 'totp', name: pending ? `${a.name} (new key, pending)` : a.name, otp: uri }, existing);
}

/**
 * Keeps the app's backup codes (one per line, or separated by spaces).
 * @param {string} accountId
 * @param {string} text
 */
export async function saveBackupCodes(accountId, text) {
  const a = await account(accountId);
  ownerOnly(a);
  const codes = text
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (!codes.length) throw new Error('Paste the backup codes the app gave you, one per line.');
  if (codes.length > 100 || codes.some((c) => c.length > 64))
    throw new Error('That does not look like a list of backup codes.');
  const existing = a.items.find((i) => i.summary.kind === 'backupCodes');
  await write(a, { kind: 'backupCodes', name: `${a.name} backup codes`, codes }, existing);
  return { count: codes.length };
}

/**
 * Where the account's codes may be filled: the sites an owner typed (spaces, commas or lines
 * between them), sealed as the account's sites record; an account made before the record existed
 * gets one this way, after its owner confirms the sites. The plaintext site (what lists show)
 * becomes the first of them.
 * @param {string} accountId @param {string} text
 */
export async function setSites(accountId, text) {
  const a = await account(accountId);
  if (a.role !== 'owner') throw new Error('Only the account’s owners choose where its codes are filled.');
  const typed = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!typed.length)
    throw new Error(
      'Enter the site where this account signs in, such as example.com: Latchkey fills its codes only there.',
    );
  const hosts = [];
  for (const site of typed) hosts.push(await accounts.normalizeSite(site));
  // The record's id is the one the core derives from the account id: at any other id it is ignored.
  await write(
    a,
    { kind: 'sites', name: a.name, sites: hosts },
    a.sitesRecord
      ? { id: a.sitesRecord.item, version: a.sitesRecord.version }
      : { id: sitesItemId(a.accountId), version: 0 },
  );
  if (a.site !== hosts[0]) await client.request('PATCH', `/accounts/${a.accountId}`, { site: hosts[0] });
  return { sites: hosts };
}

/** Shows the backup codes, when a person asks on Latchkey's own page. @param {string} accountId */
export async function revealBackupCodes(accountId) {
  const a = await account(accountId);
  const item = a.items.find((i) => i.summary.kind === 'backupCodes');
  if (!item) throw new Error('No backup codes are kept for this account.');
  const { vault: store } = await userKeys();
  return { codes: store.revealSecret(a.accountId, a.generation, item.sealed, 'codes').split('\n') };
}
