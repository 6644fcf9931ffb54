// @ts-check
/**
 * Opening this trusted device's user key and key pair: from the restored key store when it has
 * them, else from the envelopes the server keeps for this device (`GET /me`), opened in wasm.
 */
import * as client from './client.js';
import * as keys from './keys.js';
import { b64, obj } from './shapes.js';
import * as state from './state.js';

/** @returns {Promise<{vault: import('../../pkg/latchkey_core.js').Vault, userKey: number, keyPair: number, ws: Awaited<ReturnType<typeof state.registered>>}>} */
export async function userKeys() {
  const ws = await state.registered();
  if (ws.stage !== 'trusted') throw new Error('This session is not secure: verify this device first.');
  if (await keys.isLocked()) throw new Error('Latchkey is locked. Unlock it to see the workspace.');
  const store = await keys.open(/** @type {any} */ (ws));
  const h = store.handles;
  if (
    typeof h.userKey === 'number' &&
    typeof h.keyPair === 'number' &&
    store.vault.kindOf(h.userKey) &&
    store.vault.kindOf(h.keyPair)
  ) {
    return { vault: store.vault, userKey: h.userKey, keyPair: h.keyPair, ws };
  }
  const me = obj(await client.request('GET', '/me'), 'me');
  const sealedUserKey = b64(me.userKeyEnvelope, 'userKeyEnvelope');
  const sealedPair = b64(me.sealedPrivateKeys, 'sealedPrivateKeys');
  const userKey = store.vault.openUserKey(h.device, sealedUserKey, ws.workspaceId, ws.userId, ws.deviceId);
  const keyPair = store.vault.openUserKeyPair(userKey, sealedPair, ws.workspaceId, ws.userId);
  store.handles = { ...store.handles, userKey, keyPair };
  await keys.persist();
  return { vault: store.vault, userKey, keyPair, ws };
}
