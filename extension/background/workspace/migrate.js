// @ts-check
/**
 * Once the device is trusted, accounts saved locally before move into the vault: each becomes a
 * new account owned by this user (`createAccount` in wasm, its TOTP item sealed under the account
 * key), uploaded, and only then removed from local storage. Its site goes into its sites record
 * (sealed under the account key) before its TOTP item, so its codes fill where they did. The
 * account is tied to the catalog's app for its site, when there is one, so its owner can give it
 * a managed number.
 */
import * as accounts from '../accounts.js';
import * as client from './client.js';
import * as core from '../core.js';
import { arr, id, obj, randomId, text } from './shapes.js';
import * as keys from './keys.js';
import { userKeys } from './unlock.js';
import * as vault from './vault.js';

/** @returns {Promise<Map<string, string>>} each moved account's local id → its id in the vault (`ws:…`) */
export async function migrateLocalAccounts() {
  const local = await accounts.list();
  /** @type {Map<string, string>} */
  const moved = new Map();
  if (!local.length) return moved;
  const { vault: store, ws } = await userKeys();
  const apps = await catalog();
  const sites = await core.sites();
  for (const a of local) {
    const accountId = await createOwnedAccount(a.name, a.site, a.uri, { apps, sites, store, ws });
    await accounts.remove(a.id);
    moved.set(a.id, `ws:${accountId}`);
  }
  if (moved.size) {
    await keys.persist();
    vault.drop();
  }
  return moved;
}

/**
 * A new account owned by this user: its key made in wasm and sealed to the user, its sites record
 * (sealed under the account key) before its TOTP item, so its codes fill where they should; tied
 * to the catalog's app for its site, when there is one. Returns the new account's id. Used by the
 * move of local accounts and by Import (`ctx` shares the lookups across many accounts).
 * @param {string} name @param {string} site as typed or stored (normalised here) @param {string} uri the key
 * @param {{apps?: Array<{id: string, site: string}>, sites?: Awaited<ReturnType<typeof core.sites>>,
 *   store?: any, ws?: any}} [ctx]
 */
export async function createOwnedAccount(name, site, uri, ctx = {}) {
  const host = await accounts.normalizeSite(site);
  const otp = (await accounts.describeSecret(uri)).uri;
  const { vault: store, ws } = ctx.store && ctx.ws ? { vault: ctx.store, ws: ctx.ws } : await userKeys();
  const apps = ctx.apps ?? (await catalog());
  const sites = ctx.sites ?? (await core.sites());
  const app = apps.find((x) => sites.sameSite(x.site, host));
  const accountId = randomId();
  const itemId = randomId();
  // The new key stays in the store under (accountId, 0), as the next sync would open it.
  const made = store.createAccount(ws.workspaceId, accountId, ws.userId);
  try {
    const mine = made.memberEnvelopes.find((/** @type {{userId: string}} */ m) => m.userId === ws.userId);
    if (!mine) throw new Error('The new account was not sealed to you.');
    const record = store.sealItem(accountId, made.generation, ws.workspaceId, core.sitesItemId(accountId), 1, {
      kind: 'sites',
      name,
      sites: [host],
    });
    const sealed = store.sealItem(accountId, made.generation, ws.workspaceId, itemId, 1, {
      kind: 'totp',
      name,
      otp,
    });
    await client.request('POST', '/accounts', {
      id: accountId,
      name,
      site: host,
      ...(app ? { appId: app.id } : {}),
      wrappedKey: mine.envelope,
      inboxPublicKey: made.inboxPublicKey,
      sealedInboxPrivateKey: made.inboxEnvelope,
    });
    await client.request('POST', `/accounts/${accountId}/items`, {
      id: record.item,
      data: core.sealedItemText(record),
      keyGeneration: made.generation,
    });
    await client.request('POST', `/accounts/${accountId}/items`, {
      id: itemId,
      data: core.sealedItemText(sealed),
      keyGeneration: made.generation,
    });
  } catch (e) {
    store.forgetAccount(accountId);
    throw e;
  }
  if (!ctx.store) {
    await keys.persist();
    vault.drop();
  }
  return accountId;
}

/** The workspace's app catalog; [] when it cannot be read (the account is then made without an app). */
async function catalog() {
  try {
    return arr(await client.request('GET', '/apps'), 'apps', 1000).map((raw) => {
      const a = obj(raw, 'app');
      return { id: id(a.id, 'app id'), site: text(a.site, 'app site', 300) };
    });
  } catch (e) {
    console.error('Latchkey: the app catalog is not available:', e instanceof Error ? e.message : 'error');
    return [];
  }
}
