// @ts-check
/**
 * The shared vault on this device: `GET /vault` checked for shape, account keys opened in wasm
 * (kept in the key store under their account id and key generation, across restarts), items
 * summarised and codes computed in wasm. What leaves
 * this module is names, sites and codes: the TOTP keys stay inside the core.
 *
 * Where an account's codes may be filled comes from its sites record, opened in wasm
 * (`accountSites`): the server's plaintext `site` is shown, never matched on. An account without
 * the record (made before it existed) fills nowhere until an owner confirms its sites.
 *
 * Each good sync also leaves the offline copy (`workspaceVaultCopy` in `localStore`,
 * trusted contexts only): the reply sealed in wasm under a key derived from the device keys and
 * bound to this workspace, user and device (`Vault.sealCopy`, docs/vault.md). When the server
 * cannot be reached, the vault is read from that copy instead (`Vault.openCopy`, which refuses a
 * copy altered or written elsewhere), and `health()` says since when and why.
 */
import { localStore } from '../platform.js';
import { parseSealedItem, sitesItemId } from '../core.js';
import { ApiError } from './api.js';
import * as client from './client.js';
import { flushFillReports } from './fill-report.js';
import * as keys from './keys.js';
import { arr, b64, id, int, obj, oneOf, optText, text } from './shapes.js';
import * as state from './state.js';
import { userKeys } from './unlock.js';

/** @typedef {import('../../pkg/latchkey_core.js').SealedItem} SealedItem */
/** @typedef {import('../../pkg/latchkey_core.js').ItemSummary} ItemSummary */

/**
 * @typedef {object} SharedAccount a workspace account with a TOTP item, as autofill and the popup use it
 * @property {'workspace'} source
 * @property {string} id `ws:` + the account id (never collides with a local account's UUID)
 * @property {string} accountId
 * @property {string} name
 * @property {string} site the server's plaintext site: for display only
 * @property {string[]} sites where its codes may be filled, from its sealed sites record ([] without one)
 * @property {string | null} issuer
 * @property {string | null} account
 * @property {'owner' | 'member'} role
 * @property {number} createdAt
 * @property {number} generation the account key's generation (its name in the key store, with the id)
 * @property {SealedItem} totp
 */
/**
 * @typedef {object} VaultAccount every account of the vault, with its items' summaries (no secret)
 * @property {string} accountId
 * @property {string} name
 * @property {string} site the server's plaintext site: for display only
 * @property {string[] | null} sites where its codes (TOTP and SMS) may be filled, from its sealed sites record; null
 *   without one
 * @property {{item: string, version: number} | null} sitesRecord the record's id and version, for the next write
 * @property {'owner' | 'member'} role
 * @property {number} generation the account key's generation: with the id, its name in the key store
 * @property {boolean} needsRotation someone lost access: the owner should give the account a new key
 * @property {string | null} phoneNumber the account's managed number
 * @property {string | null} emailAddress the account's managed e-mail address
 * @property {string | null} sealedInbox the inbox private key sealed under the account key (base64url)
 * @property {Array<{id: string, version: number, sealed: SealedItem, summary: ItemSummary}>} items
 */

/** How long a synced vault is used before the popup asks the server again. */
const FRESH_MS = 30_000;
/** Autofill asks at each code field; a newly shared account must fill there too. */
const FILL_FRESH_MS = 5_000;

/** Where the offline copy is kept. */
export const COPY = 'workspaceVaultCopy';

/** @type {{at: number, accounts: SharedAccount[], all: VaultAccount[]} | null} */
let cache = null;
/** @type {Promise<SharedAccount[]> | null} */
let syncing = null;
/** An unchanged vault's copy is written again only this often. */
const COPY_REFRESH_MS = 5 * 60_000;
/** The reply and time of the copy this worker last wrote. @type {{json: string, at: number} | null} */
let written = null;
/** @type {import('../../types/protocol').VaultHealth} */
let lastSync = { syncedAt: null, unreachable: null, copyProblem: null };

export function drop() {
  cache = null;
  written = null;
}

/** When the vault shown was synced, and whether the server was out of reach at the last try. */
export function health() {
  return { ...lastSync };
}

/** The server did not answer (down, offline, a proxy's 502-504): the offline copy stands in. @param {unknown} e */
export function unreachable(e) {
  return e instanceof ApiError && (e.code === 'network' || [502, 503, 504].includes(e.status));
}

/** The core's refusal as a sentence for a person: capital first, full stop last. @param {unknown} e */
function sentence(e) {
  const t = (e instanceof Error ? e.message : String(e)).trim();
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/**
 * An item of `GET /vault`, read by the core (`parseSealedItem`), which refuses one that names
 * another workspace, account, id or version than where the server lists it.
 * @param {unknown} raw @param {string} workspace @param {string} accountId @returns {SealedItem}
 */
function sealedItem(raw, workspace, accountId) {
  const item = obj(raw, 'item');
  return parseSealedItem(
    b64(item.data, 'item data'),
    workspace,
    accountId,
    id(item.id, 'item id'),
    int(item.version, 'item version'),
  );
}

/**
 * Syncs from the server now; from the offline copy when the server cannot be reached.
 * @returns {Promise<SharedAccount[]>}
 */
export function sync() {
  syncing ??= (async () => {
    try {
      return await syncOnline();
    } catch (e) {
      if (!unreachable(e)) throw e;
      return fromCopy(e);
    }
  })().finally(() => {
    syncing = null;
  });
  return syncing;
}

async function syncOnline() {
  const { vault, ws } = await userKeys();
  const raw = await client.request('GET', '/vault');
  const out = await apply(vault, ws, raw);
  const at = Date.now();
  lastSync = { syncedAt: at, unreachable: null, copyProblem: null };
  flushFillReports();
  // Autofill syncs every few seconds on a page with a code field: the copy is rewritten when the
  // vault changed, else every few minutes (so its age, shown offline, stays about right).
  const json = JSON.stringify(raw);
  if (written?.json === json && at - written.at < COPY_REFRESH_MS) return out;
  try {
    await localStore.set({ [COPY]: vault.sealCopy(ws.workspaceId, ws.userId, ws.deviceId, at, json) });
    written = { json, at };
  } catch (e) {
    console.error('Latchkey: the offline copy of the vault was not saved:', e);
  }
  return out;
}

/**
 * The vault as the last good sync left it, opened in wasm with the device's keys (the user keys
 * too, from the copy, on a device just unlocked). Throws, saying why, when there is none or it
 * does not open; nothing is then shown or filled from it.
 * @param {unknown} why the server's failure
 */
async function fromCopy(why) {
  cache = null;
  written = null;
  lastSync = { syncedAt: null, unreachable: sentence(why), copyProblem: null };
  const ws = await state.registered();
  if (ws.stage !== 'trusted') throw why;
  const { vault } = await keys.open(/** @type {any} */ (ws));
  const text = (await localStore.get(COPY))[COPY];
  if (typeof text !== 'string') throw why;
  let opened;
  try {
    opened = vault.openCopy(text, ws.workspaceId, ws.userId, ws.deviceId);
  } catch (e) {
    lastSync.copyProblem = sentence(e);
    throw new Error(lastSync.copyProblem);
  }
  if (keys.hasUserKeys(vault)) await keys.persist();
  const out = await apply(vault, ws, JSON.parse(opened.vault));
  lastSync.syncedAt = opened.syncedAt;
  return out;
}

/**
 * Reads a `GET /vault` reply (from the server or the offline copy) into the cache.
 * @param {keys.Vault} vault @param {Awaited<ReturnType<typeof userKeys>>['ws']} ws @param {unknown} body
 * @returns {Promise<SharedAccount[]>}
 */
async function apply(vault, ws, body) {
  const reply = obj(body, 'vault');
  /** @type {SharedAccount[]} */
  const out = [];
  /** @type {VaultAccount[]} */
  const all = [];
  let changed = false;
  for (const raw of arr(reply.accounts, 'accounts')) {
    const a = obj(raw, 'account');
    const accountId = id(a.id, 'account id');
    const generation = int(a.keyGeneration, 'key generation');
    // The store names the key by account and generation: a new generation replaces the old one.
    if (vault.generation(accountId) !== generation) {
      changed = true;
      try {
        vault.openAccountKey(accountId, generation, b64(a.wrappedKey, 'wrapped key'), ws.workspaceId, ws.userId);
      } catch (e) {
        vault.forgetAccount(accountId); // a stale generation is no use either
        console.error('Latchkey: an account key did not open:', e);
        continue;
      }
    }
    const name = text(a.name, 'account name', 200);
    const site = text(a.site, 'account site', 300);
    const role = oneOf(a.role, ['owner', 'member'], 'account role');
    const createdAt = int(a.createdAt, 'createdAt');
    const needsRotation = a.needsRotation === true;
    const phoneNumber = optText(a.phoneNumber, 'phone number', 32);
    const emailAddress = optText(a.emailAddress, 'e-mail address', 254);
    const sealedInbox = a.sealedInboxPrivateKey == null ? null : b64(a.sealedInboxPrivateKey, 'sealed inbox key', 4096);
    /** @type {VaultAccount} */
    const whole = {
      accountId,
      name,
      site,
      sites: null,
      sitesRecord: null,
      role,
      generation,
      needsRotation,
      phoneNumber,
      emailAddress,
      sealedInbox,
      items: [],
    };
    all.push(whole);
    /** @type {SealedItem[]} */
    const sealedItems = [];
    for (const rawItem of arr(a.items, 'items')) {
      try {
        sealedItems.push(sealedItem(rawItem, ws.workspaceId, accountId));
      } catch (e) {
        console.error('Latchkey: an item is malformed:', e);
      }
    }
    // The record's id and version, even when it does not open: an owner's next save replaces it.
    const record = sealedItems.find((i) => i.item === sitesItemId(accountId));
    whole.sitesRecord = record ? { item: record.item, version: record.version } : null;
    try {
      whole.sites = vault.accountSites(accountId, generation, ws.workspaceId, sealedItems) ?? null;
    } catch (e) {
      console.error('Latchkey: an account’s sites record did not open; its codes are not filled:', e);
    }
    let hasCode = false;
    for (const sealed of sealedItems) {
      try {
        const summary = vault.itemSummary(accountId, generation, sealed);
        whole.items.push({ id: sealed.item, version: sealed.version, sealed, summary });
        if (summary.kind !== 'totp' || hasCode) continue;
        hasCode = true; // one code per account
        out.push({
          source: 'workspace',
          id: `ws:${accountId}`,
          accountId,
          name,
          site,
          sites: whole.sites ?? [],
          issuer: optText(summary.issuer, 'issuer', 200),
          account: optText(summary.label, 'label', 200),
          role,
          createdAt: createdAt * 1000,
          generation,
          totp: sealed,
        });
      } catch (e) {
        console.error('Latchkey: an item did not open:', e);
      }
    }
  }
  // Keys of accounts this person no longer reads (removed, or rotated away) are forgotten.
  for (const slot of vault.slots()) {
    if (slot.kind !== 'account' || all.some((a) => a.accountId === slot.account)) continue;
    vault.forgetAccount(slot.account); // its inbox key goes with it
    changed = true;
  }
  if (changed) await keys.persist();
  cache = { at: Date.now(), accounts: out, all };
  return out;
}

/** The shared accounts, synced when the copy in memory is old. @param {{fresh?: boolean}} [options] */
export async function list(options = {}) {
  if (cache && !options.fresh && Date.now() - cache.at < FRESH_MS) return cache.accounts;
  return sync();
}

/** Every account of the vault with its items (the dashboard). @returns {Promise<VaultAccount[]>} */
export async function accounts() {
  await sync();
  return cache?.all ?? [];
}

/** For autofill: a recent copy as is; else a sync, falling back to the copy when the server is out of reach. */
export async function listForFill() {
  if (cache && Date.now() - cache.at < FILL_FRESH_MS) return cache.accounts;
  try {
    return await sync();
  } catch (e) {
    if (cache) return cache.accounts;
    throw e;
  }
}

/** Every account of the vault for autofill: a recent copy, else a sync. @returns {Promise<VaultAccount[]>} */
export async function accountsForFill() {
  await listForFill();
  return cache?.all ?? [];
}

/** The current code of a shared account, computed in wasm. @param {SharedAccount} a @param {number} now */
export function code(a, now) {
  return keys.get().vault.itemCode(a.accountId, a.generation, a.totp, now);
}
