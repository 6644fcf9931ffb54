// @ts-check
/**
 * Opening this trusted device's user key and key pair: from the restored key store when it has
 * them, else from the envelopes the server keeps for this device (`GET /me`), opened in wasm.
 */
import * as client from './client.js';
import * as keys from './keys.js';
import { b64, obj } from './shapes.js';
import * as state from './state.js';

/**
 * The key store, holding the user key and key pair.
 * @returns {Promise<{vault: keys.Vault, ws: Awaited<ReturnType<typeof state.registered>>}>}
 */
export async function userKeys() {
  const ws = await state.registered();
  if (ws.stage !== 'trusted') throw new Error('This session is not secure: verify this device first.');
  if (await keys.isLocked()) throw new Error('Latchkey is locked. Unlock it to see the workspace.');
  const { vault } = await keys.open(/** @type {any} */ (ws));
  if (keys.hasUserKeys(vault)) return { vault, ws };
  const me = obj(await client.request('GET', '/me'), 'me');
  vault.openUserKey(b64(me.userKeyEnvelope, 'userKeyEnvelope'), ws.workspaceId, ws.userId, ws.deviceId);
  vault.openUserKeyPair(b64(me.sealedPrivateKeys, 'sealedPrivateKeys'), ws.workspaceId, ws.userId);
  await keys.persist();
  return { vault, ws };
}
