// @ts-check
/**
 * The wasm core, loaded once per worker life. Instantiating it starts when the worker starts;
 * handlers await `ready()` / `sites()` (no top-level await in a service worker). The site lists
 * are read at the start too, but parsed only when a site decision first needs them (`sites()`),
 * so a request that needs none (the popup's codes) never waits for the parse. All OTP and site rules
 * live in the core: this file only loads it and the lists it needs.
 */
import init, { Sites } from '../pkg/latchkey_core.js';

// The core's functions, for the rest of the worker: loaded once, here.
export {
  changePin,
  checkPin,
  code,
  describe,
  fillDelay,
  inboxChoice,
  Keyring,
  parseSealedItem,
  pinMaxAttempts,
  sealedItemText,
  Sites,
  sitesItemId,
  Vault,
  version,
} from '../pkg/latchkey_core.js';

const WASM_URL = chrome.runtime.getURL('extension/pkg/latchkey_core_bg.wasm');
const PSL_URL = chrome.runtime.getURL('extension/data/public_suffix_list.dat');
/** Sites that share one sign-in (an app's login on another domain than its own). */
const SIGN_IN_URL = chrome.runtime.getURL('extension/data/sign-in-sites.txt');

/** @type {Promise<unknown> | null} */
let wasm = null;
/** @type {Promise<Sites> | null} */
let suffixes = null;
/** @type {Promise<string[]> | null} */
let lists = null;

/**
 * Starts instantiating the core, and reading (not parsing) the site lists, at once: the first
 * message then waits for neither in full.
 */
export function start() {
  ready().catch((e) => console.error('Latchkey: the core failed to load:', e));
  readLists().catch((e) => console.error('Latchkey: the site lists failed to load:', e));
}

/**
 * Times a step of the worker's start as a User Timing measure (`latchkey:NAME`), which
 * `./build.sh bench` reads from the worker (tests/bench/cold-start.mjs); costs microseconds.
 * @template T @param {string} name @param {() => T} step @returns {T}
 */
function timed(name, step) {
  const start = performance.now();
  const done = () => performance.measure(`latchkey:${name}`, { start, end: performance.now() });
  const result = step();
  if (result instanceof Promise) return /** @type {T} */ (result.finally(done));
  done();
  return result;
}

/** Resolves once the wasm module is instantiated. A failure is not cached: the next call retries. */
export function ready() {
  wasm ??= timed('core', () => init({ module_or_path: WASM_URL })).catch((e) => {
    wasm = null;
    throw e;
  });
  return wasm;
}

/** @param {string} url */
async function text(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error('Latchkey’s site lists are missing: reinstall Latchkey.');
  return r.text();
}

/** The texts of the Public Suffix List and the sign-in hosts, read once. */
function readLists() {
  lists ??= timed('read-lists', () => Promise.all([text(PSL_URL), text(SIGN_IN_URL)])).catch((e) => {
    lists = null;
    throw e;
  });
  return lists;
}

/** The Public Suffix List and the sign-in groups, parsed once by the core when first needed. */
export function sites() {
  suffixes ??= (async () => {
    const [, [psl, signIn]] = await Promise.all([ready(), readLists()]);
    return timed('parse-lists', () => {
      const list = new Sites(psl);
      list.loadSignInSites(signIn);
      return list;
    });
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
