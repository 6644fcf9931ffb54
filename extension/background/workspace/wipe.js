// @ts-check
/**
 * Forgetting this device's workspace: its keys (in wasm and in storage, the PIN-locked ones too),
 * its token, the cached vault and its offline copy. Done when the server says the device was disabled or its user
 * deprovisioned, or after too many wrong PINs, and says why.
 */
import { turns } from '../in-turn.js';
import { localStore } from '../platform.js';
import * as keys from './keys.js';
import * as state from './state.js';
import * as vault from './vault.js';

/** @type {Record<string, string>} */
const WHY = {
  device_disabled:
    'This device was disabled (from another of your devices or by an administrator), so Latchkey removed its ' +
    'workspace keys and data from this browser. Join again to use the workspace here.',
  user_deprovisioned: 'You were removed from the workspace, so Latchkey removed its keys and data from this browser.',
  device_denied:
    'This device was not approved in time (or the approval was denied), so Latchkey forgot it. Start again to ' +
    'trust it.',
  pin_attempts:
    'Too many wrong PINs, so Latchkey removed this device’s workspace keys from this browser: nobody can keep ' +
    'guessing. Join again with the code we e-mail you and an approval from another of your devices, or your ' +
    'Recovery Kit.',
  unauthenticated:
    'The server no longer knows this device, so Latchkey forgot it. Join again to use the workspace here.',
};

// Wipes come from replies to concurrent requests: one at a time, so the first decides.
const inTurn = turns();

/**
 * Forgets this device's workspace and says why, if `token` is still this device's: a reply to a
 * request sent before an earlier wipe (a long poll, a list loading as the fifth wrong PIN wipes the
 * keys and disables the device) comes too late to change anything or the reason shown.
 * @param {string} reason an API error code, or `pin_attempts`
 * @param {string} token the device token the reason was learnt with
 */
export function wipe(reason, token) {
  return inTurn(async () => {
    const ws = await state.load();
    if (!ws || ws.stage === 'begun' || ws.token !== token) return;
    await keys.destroy();
    vault.drop();
    await localStore.remove(vault.COPY);
    await state.clear();
    await state.setNotice(WHY[reason] ?? WHY.unauthenticated);
  });
}
