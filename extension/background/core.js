// @ts-check
/**
 * The wasm core, loaded once per worker life. Instantiating it starts when the worker starts;
 * handlers await `ready()` / `sites()` (no top-level await in a service worker). Its bytes and the
 * site lists are read through shipped.js (a checked copy in Cache Storage, faster at a start than
 * the extension's file, and than carrying the core inside the worker's script). The site lists are
 * read and loaded only when a site decision first needs them (`sites()`), so a request that needs
 * none (the popup's codes and list) never waits for them. All OTP and site rules live in the core:
 * this file only loads it and the lists it needs.
 */
import init, { Sites } from '../pkg/latchkey_core.js';
import { shipped } from './shipped.js';

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

/** The core's wasm (./build.sh build). */
const CORE_PATH = 'extension/pkg/latchkey_core_bg.wasm';
/** The Public Suffix List as the core's parsed tables (./build.sh build): loaded by a copy, not parsed. */
const PSL_PATH = 'extension/data/public_suffix_list.bin';
/** Sites that share one sign-in (an app's login on another domain than its own). */
const SIGN_IN_PATH = 'extension/data/sign-in-sites.txt';

/** @type {Promise<unknown> | null} */
let wasm = null;
/** @type {Promise<Sites> | null} */
let suffixes = null;
/** @type {Promise<[Uint8Array, string]> | null} */
let lists = null;

/**
 * Starts instantiating the core at once: the first message then waits for it in part only. The
 * site lists are not read here: a fetch during the start slowed the core's compile and the first
 * message's arrival by 6 to 9 ms (README, "Measured"), and the popup's first request needs no list.
 */
export function start() {
  ready().catch((e) => console.error('Latchkey: the core failed to load:', e));
}

/**
 * Times a step of the worker's start as a User Timing measure (`latchkey:NAME`), which
 * `./build.sh bench` reads from the worker (tests/bench/cold-start.mjs); costs microseconds.
 * Only its first run in a worker's life: the start is what is measured, and a step run at every
 * request must not grow the timeline while the worker lives.
 * @template T @param {string} name @param {() => T} step @returns {T}
 */
export function timed(name, step) {
  if (performance.getEntriesByName(`latchkey:${name}`).length) return step();
  const start = performance.now();
  const done = () => performance.measure(`latchkey:${name}`, { start, end: performance.now() });
  const result = step();
  if (result instanceof Promise) return /** @type {T} */ (result.finally(done));
  done();
  return result;
}

/** Resolves once the wasm module is instantiated. A failure is not cached: the next call retries. */
export function ready() {
  wasm ??= timed('core', async () => {
    const module = await timed('compile', () => shipped(CORE_PATH, (bytes) => WebAssembly.compile(bytes)));
    return timed('instantiate', () => init({ module_or_path: module }));
  }).catch((e) => {
    wasm = null;
    throw e;
  });
  return wasm;
}

/** The Public Suffix List's compact form and the sign-in hosts' text, read once. */
function readLists() {
  /** @type {() => Promise<[Uint8Array, string]>} */
  const both = () =>
    Promise.all([
      shipped(PSL_PATH, (bytes) => new Uint8Array(bytes)),
      shipped(SIGN_IN_PATH, (bytes) => new TextDecoder().decode(bytes)),
    ]);
  lists ??= timed('read-lists', both).catch((e) => {
    lists = null;
    throw e;
  });
  return lists;
}

/** The Public Suffix List's compact form, for the on-demand module's automations (read once). */
export async function suffixListBytes() {
  return (await readLists())[0];
}

/** The Public Suffix List and the sign-in groups, parsed once by the core when first needed. */
export function sites() {
  suffixes ??= (async () => {
    const [, [psl, signIn]] = await Promise.all([ready(), readLists()]);
    return timed('load-lists', () => {
      const list = Sites.fromCompact(psl);
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
