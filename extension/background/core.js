// @ts-check
/**
 * The wasm core, loaded once per worker life. Loading starts when the worker starts; handlers
 * await `ready()` / `sites()` (no top-level await in a service worker). All OTP and site rules
 * live in the core: this file only loads it and the Public Suffix List it needs.
 */
import init, { changePin, checkPin, code, describe, inboxChoice, Keyring, parseSealedItem, pinMaxAttempts, sealedItemText, Sites, sitesItemId, Vault, version } from '../pkg/latchkey_core.js';

export { changePin, checkPin, code, describe, inboxChoice, Keyring, parseSealedItem, pinMaxAttempts, sealedItemText, Sites, sitesItemId, Vault, version };

const WASM_URL = chrome.runtime.getURL('extension/pkg/latchkey_core_bg.wasm');
const PSL_URL = chrome.runtime.getURL('extension/data/public_suffix_list.dat');
/** Sites that share one sign-in (an app's login on another domain than its own). */
const SIGN_IN_URL = chrome.runtime.getURL('extension/data/sign-in-sites.txt');

/** @type {Promise<unknown> | null} */
let wasm = null;
/** @type {Promise<Sites> | null} */
let suffixes = null;

/** Starts loading at once, so the first message does not wait for all of it. */
export function start() {
  sites().catch((e) => console.error('Latchkey: the core failed to load:', e));
}

/** Resolves once the wasm module is instantiated. A failure is not cached: the next call retries. */
export function ready() {
  wasm ??= init({ module_or_path: WASM_URL }).catch((e) => {
    wasm = null;
    throw e;
  });
  return wasm;
}

/** The Public Suffix List and the sign-in groups, parsed once by the core. */
export function sites() {
  suffixes ??= (async () => {
    await ready();
    const [psl, signIn] = await Promise.all([fetch(PSL_URL), fetch(SIGN_IN_URL)]);
    if (!psl.ok || !signIn.ok) throw new Error('Latchkey’s site lists are missing: reinstall Latchkey.');
    const list = new Sites(await psl.text());
    list.loadSignInSites(await signIn.text());
    return list;
  })().catch((e) => {
    suffixes = null;
    throw e;
  });
  return suffixes;
}

/** The time the core needs, in seconds: it never reads the clock itself. */
export function now() {
  return Date.now() / 1000;
}
