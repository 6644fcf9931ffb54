// @ts-check
/**
 * An owner shares an account: the account key sealed in wasm to the member's public keys
 * (`shareAccount`) → `PUT /accounts/{id}/members/{userId}`. Removing a member takes their access
 * away and rotates the key at once (`rotateAccount`: a new account key and inbox for the remaining
 * members, every item's content key re-wrapped) → `POST /accounts/{id}/rotate`.
 */
import { parseSealedItem, sealedItemText } from '../core.js';
import * as client from './client.js';
import * as keys from './keys.js';
import { arr, b64, id, int, obj, oneOf, optText, text } from './shapes.js';
import { userKeys } from './unlock.js';
import * as vault from './vault.js';

/** @typedef {import('../../types/protocol').SharingView} SharingView */

/**
 * @returns {Promise<Array<{id: string, email: string, displayName: string, status: string, publicKeys: string |
 * null}>>}
 */
async function users() {
  return arr(await client.request('GET', '/users'), 'users', 10_000).map((raw) => {
    const u = obj(raw, 'user');
    return {
      id: id(u.id, 'user id'),
      email: text(u.email, 'user e-mail', 320),
      displayName: text(u.displayName, 'display name', 200),
      status: text(u.status, 'user status', 20),
      publicKeys:
        u.publicKeys === null || u.publicKeys === undefined ? null : b64(u.publicKeys, 'user public keys', 200),
    };
  });
}

/** @param {string} accountId */
async function members(accountId) {
  return arr(await client.request('GET', `/accounts/${accountId}/members`), 'members', 10_000).map((raw) => {
    const m = obj(raw, 'member');
    return {
      userId: id(m.userId, 'member id'),
      email: text(m.email, 'member e-mail', 320),
      displayName: optText(m.displayName, 'display name', 200) ?? '',
      role: oneOf(m.role, ['owner', 'member'], 'member role'),
    };
  });
}

/**
 * The vault's accounts, with their members and (for owners) whom they could be shared with.
 * @returns {Promise<SharingView>}
 */
export async function overview() {
  const { ws } = await userKeys();
  const all = await vault.accounts();
  const everyone = all.some((a) => a.role === 'owner') ? await users() : [];
  const shareable = everyone.filter((u) => u.status === 'active' && u.publicKeys && u.id !== ws.userId);
  const accounts = [];
  for (const a of all) {
    const list = await members(a.accountId);
    const backup = a.items.find((i) => i.summary.kind === 'backupCodes');
    accounts.push({
      id: a.accountId,
      name: a.name,
      site: a.site,
      sites: a.sites,
      role: a.role,
      needsRotation: a.needsRotation,
      hasCode: a.items.some((i) => i.summary.kind === 'totp'),
      backupCodes: backup ? (backup.summary.codeCount ?? 0) : null,
      members: list.map((m) => ({ ...m, you: m.userId === ws.userId })),
      candidates:
        a.role === 'owner'
          ? shareable
              .filter((u) => !list.some((m) => m.userId === u.id))
              .map((u) => ({ id: u.id, email: u.email, displayName: u.displayName }))
          : [],
    });
  }
  return { accounts };
}

/** @param {string} accountId */
async function owned(accountId) {
  const found = (await vault.accounts()).find((a) => a.accountId === accountId && a.role === 'owner');
  if (!found) throw new Error('You do not own that account, or it is gone.');
  return found;
}

/** @param {string} accountId @param {string} userId */
export async function share(accountId, userId) {
  const { vault: store, ws } = await userKeys();
  const account = await owned(accountId);
  const user = (await users()).find((u) => u.id === userId);
  if (!user?.publicKeys || user.status !== 'active')
    throw new Error('That person has not set up Latchkey yet: they can be added once their first device is trusted.');
  const generation = account.generation;
  const wrappedKey = store.shareAccount(accountId, generation, user.publicKeys, ws.workspaceId, userId);
  await client.request('PUT', `/accounts/${accountId}/members/${userId}`, {
    role: 'member',
    wrappedKey,
    keyGeneration: generation,
  });
  return {};
}

/**
 * Removes a member, then rotates the account key so new versions are out of their reach.
 * @param {string} accountId
 * @param {string} userId
 */
export async function unshare(accountId, userId) {
  const { ws } = await userKeys();
  await owned(accountId);
  id(userId, 'user id');
  if (userId === ws.userId) throw new Error('You own this account: you cannot remove yourself.');
  await client.request('DELETE', `/accounts/${accountId}/members/${userId}`);
  return rotate(accountId);
}

/**
 * A new account key for the current members (after a removal, or a deprovisioned member).
 * @param {string} accountId
 */
export async function rotate(accountId) {
  const { vault: store, ws } = await userKeys();
  const account = await owned(accountId);
  const everyone = await users();
  const remaining = (await members(accountId)).map((m) => {
    const keysOf = everyone.find((u) => u.id === m.userId)?.publicKeys;
    if (!keysOf) throw new Error(`${m.email} has no public keys: the key cannot be rotated to them.`);
    return { userId: m.userId, publicKeys: keysOf };
  });
  const items = arr(await client.request('GET', `/accounts/${accountId}/items`), 'items').map((raw) => {
    const item = obj(raw, 'item');
    return parseSealedItem(
      b64(item.data, 'item data'),
      ws.workspaceId,
      accountId,
      id(item.id, 'item id'),
      int(item.version, 'item version'),
    );
  });
  // The store keeps the new key in place of the old one at once. Should the server refuse it,
  // the next sync sees the server's generation and opens that key again.
  const made = store.rotateAccount(accountId, account.generation, ws.workspaceId, remaining, items);
  try {
    await client.request('POST', `/accounts/${accountId}/rotate`, {
      keyGeneration: made.generation,
      members: made.memberEnvelopes.map((m) => ({ userId: m.userId, wrappedKey: m.envelope })),
      inboxPublicKey: made.inboxPublicKey,
      sealedInboxPrivateKey: made.inboxEnvelope,
      items: made.items.map((s) => ({ id: s.item, version: s.version, data: sealedItemText(s) })),
    });
  } finally {
    await keys.persist();
    vault.drop();
  }
  return {};
}
