// @ts-check
/**
 * The unlock PIN (docs/security.md, "The unlock PIN"): chosen once the device is trusted, asked at
 * every unlock, changed with the current one. Argon2id and the device keys stay in wasm; this
 * module keeps the PIN-locked blob and the count of wrong tries in `localStore` (platform.js)
 * (trusted contexts only). Each try is counted before it is made, so stopping the worker mid-try
 * does not give it back; after the last one the device's keys are wiped (wipe.js) and the server
 * is asked to disable the device, which then joins again.
 */
import * as core from '../core.js';
import { turns } from '../in-turn.js';
import { call } from './api.js';
import * as keys from './keys.js';
import { migrateLocalAccounts } from './migrate.js';
import * as state from './state.js';
import { wipe } from './wipe.js';

// One PIN operation at a time: two tries racing must each be counted.
const serial = turns();

/** The core's refusal as a sentence for a person: capital first, full stop last. @param {unknown} e */
function sentence(e) {
  const t = (e instanceof Error ? e.message : String(e)).trim();
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return new Error(/[.!?]$/.test(s) ? s : `${s}.`);
}

/** Checks a new PIN against the core's rules. @param {string} pin */
function checkNew(pin) {
  try {
    core.checkPin(pin);
  } catch (e) {
    throw sentence(e);
  }
}

async function trustedDevice() {
  const ws = await state.registered();
  if (ws.stage !== 'trusted') throw new Error('This session is not secure: verify this device first.');
  await core.ready();
  return ws;
}

/** For the status: whether a PIN is set, wrong tries so far, and how many are left. */
export async function status() {
  const p = await keys.pinState();
  await core.ready();
  return { pinSet: !!p.locked, pinFailures: p.failures, pinTriesLeft: Math.max(0, core.pinMaxAttempts() - p.failures) };
}

/**
 * The first PIN, once the device is trusted (the join flow's last step; on a device trusted before
 * PINs existed, the popup asks for it): the device keys locked under it, the storage key dropped.
 * @param {string} pin
 */
export function set(pin) {
  return serial(async () => {
    const ws = await trustedDevice();
    if ((await keys.pinState()).locked)
      throw new Error('This device already has an unlock PIN. Change it on My trusted devices, with the current one.');
    checkNew(pin);
    const store = await keys.open(/** @type {any} */ (ws));
    const locked = store.vault.lockDevice(pin, ws.deviceId);
    await keys.setPinState({ locked, failures: 0 });
    await state.dropDeviceStorageKey();
    await keys.unlockFlag();
    await migrateLocalAccounts().catch((e) => {
      console.error('Latchkey: could not move local accounts into the vault yet:', e);
    });
    return {};
  });
}

/** Unlock: the device keys opened with the PIN (in wasm), a new session started. @param {string} pin */
export function unlock(pin) {
  return serial(async () => {
    const ws = await trustedDevice();
    const p = await keys.pinState();
    if (!p.locked) throw new Error('Choose an unlock PIN first.');
    if (!(await keys.isLocked())) return {};
    const failures = p.failures + 1;
    await keys.setPinState({ failures });
    const vault = new core.Vault();
    let opened;
    try {
      opened = vault.unlockDevice(pin, p.locked, ws.deviceId);
    } catch (e) {
      vault.free();
      await keys.setPinState({ failures: p.failures }); // damaged keys: not a guess
      throw sentence(e);
    }
    if (!opened) {
      vault.free();
      return wrong(failures, ws);
    }
    await keys.setPinState(opened.upgraded ? { failures: 0, locked: opened.upgraded } : { failures: 0 });
    await keys.start(vault, ws.deviceId);
    return {};
  });
}

/** A new PIN, given the current one (a wrong one counts as at Unlock). @param {string} current @param {string} next */
export function change(current, next) {
  return serial(async () => {
    const ws = await trustedDevice();
    const p = await keys.pinState();
    if (!p.locked) throw new Error('Choose an unlock PIN first.');
    checkNew(next); // a weak new PIN costs no try
    const failures = p.failures + 1;
    await keys.setPinState({ failures });
    let changed;
    try {
      changed = core.changePin(current, next, p.locked, ws.deviceId);
    } catch (e) {
      await keys.setPinState({ failures: p.failures });
      throw sentence(e);
    }
    if (!changed) return wrong(failures, ws);
    await keys.setPinState({ locked: changed, failures: 0 });
    return {};
  });
}

/** @param {number} failures @param {import('../../types/workspace').Trusted} ws @returns {Promise<never>} */
async function wrong(failures, ws) {
  const left = core.pinMaxAttempts() - failures;
  if (left > 0) {
    throw new Error(
      `That PIN is wrong. ${left} ${left === 1 ? 'try' : 'tries'} left before Latchkey removes this device’s keys.`,
    );
  }
  // The keys go first, before any wait on the network. Then the server stops serving this
  // device's sealed keys too, so a copy of the profile taken earlier is worth less (best effort:
  // offline, the local wipe is what counts). Its "disabled" replies to requests still on their
  // way find nothing left to wipe, so the reason shown stays this one (wipe.js).
  await wipe('pin_attempts', ws.token);
  await call(ws, 'POST', `/devices/${encodeURIComponent(ws.deviceId)}/disable`, undefined, 5000).catch(() => undefined);
  throw new Error((await state.notice()) ?? 'Too many wrong PINs.');
}
