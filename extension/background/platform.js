// @ts-check
/**
 * What differs between the browsers Latchkey runs in, and nothing else: the rest of the worker
 * calls this module and never asks which browser it is in (docs/firefox.md).
 *
 * Persistent storage. Chromium restricts `storage.local` to trusted contexts (setAccessLevel, from
 * 140): it keeps the accounts, the key-store blob, the PIN-locked device keys. Firefox cannot
 * restrict `storage.local`: any content script (which shares a process with a web page) may read
 * it. There the same items live in the extension origin's IndexedDB instead, which only the
 * background and Latchkey's own pages can open: a content script's `indexedDB` is the page's.
 * `storage.session` is trusted-only by default in both.
 */

/** @typedef {Record<string, unknown>} Items */
/**
 * @typedef {object} LocalStore the subset of `chrome.storage.local` the worker uses
 * @property {(keys: string | string[]) => Promise<Items>} get
 * @property {(items: Items) => Promise<void>} set
 * @property {(keys: string | string[]) => Promise<void>} remove
 */

// Firefox's StorageArea lacks setAccessLevel on `storage.local` (Mozilla bug 1724754); Chromium's has it.
const localRestrictable = typeof chrome.storage.local.setAccessLevel === 'function';

/** @type {Set<(changed: string[]) => void>} */
const listeners = new Set();

/**
 * Runs `fn` with the names of persistent items after they change (set or removed).
 * @param {(changed: string[]) => void} fn
 */
export function onLocalChanged(fn) {
  listeners.add(fn);
}

/** @param {string | string[]} keys */
const list = (keys) => (typeof keys === 'string' ? [keys] : keys);

/**
 * The extension origin's IndexedDB as a key-value store with `storage.local`'s semantics: values
 * go through JSON, as `storage.local` stores them, so both browsers read back the same shapes.
 * @returns {LocalStore}
 */
function indexedDbStore() {
  /** @type {Promise<IDBDatabase> | null} */
  let db = null;
  const open = () =>
    (db ??= new Promise((resolve, reject) => {
      const req = indexedDB.open('latchkey', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('local');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => {
        db = null;
        reject(req.error);
      };
    }));
  /** @param {IDBTransactionMode} mode @param {(store: IDBObjectStore) => void} work */
  const inTransaction = async (mode, work) => {
    const t = (await open()).transaction('local', mode);
    work(t.objectStore('local'));
    await new Promise((resolve, reject) => {
      t.oncomplete = resolve;
      t.onerror = t.onabort = () => reject(t.error ?? new Error('Latchkey could not use its storage.'));
    });
  };
  return {
    async get(keys) {
      /** @type {Items} */
      const items = {};
      await inTransaction('readonly', (store) => {
        for (const key of list(keys)) {
          const req = store.get(key);
          req.onsuccess = () => {
            if (req.result !== undefined) items[key] = JSON.parse(req.result);
          };
        }
      });
      return items;
    },
    async set(items) {
      await inTransaction('readwrite', (store) => {
        for (const [key, value] of Object.entries(items)) {
          if (value !== undefined) store.put(JSON.stringify(value), key);
        }
      });
      for (const fn of listeners) fn(Object.keys(items));
    },
    async remove(keys) {
      await inTransaction('readwrite', (store) => {
        for (const key of list(keys)) store.delete(key);
      });
      for (const fn of listeners) fn(list(keys));
    },
  };
}

/** Where the worker keeps what must survive a restart, out of content scripts' reach. @type {LocalStore} */
export const localStore = localRestrictable
  ? {
      get: (keys) => chrome.storage.local.get(keys),
      set: (items) => chrome.storage.local.set(items),
      remove: (keys) => chrome.storage.local.remove(keys),
    }
  : indexedDbStore();

if (localRestrictable) {
  // Another context's writes too (a test, a future page): the cache that listens must drop its copy.
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local') for (const fn of listeners) fn(Object.keys(changes));
  });
}

/**
 * Keeps storage from content scripts, where the browser lets it be restricted at all: Chrome
 * remembers the level, and setting it at each start costs nothing.
 */
export function restrictStorage() {
  if (localRestrictable) {
    chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' }).catch((e) => {
      console.error('Latchkey: could not restrict storage to trusted contexts:', e);
    });
  }
  // The session key of the workspace's key store lives here: trusted contexts only (both browsers'
  // default, stated so it stays true).
  chrome.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch((e) => {
    console.error('Latchkey: could not restrict session storage to trusted contexts:', e);
  });
}

/** Whether the browser has begun to stop this background (see `stopping`). */
let suspending = false;
/** @type {Array<() => void>} */
const resumed = [];

/**
 * Follows the browser's word that it is stopping this background. Firefox tells an event page
 * (`runtime.onSuspend`) before it unloads it, and the extension calls still in flight then fail:
 * a failure seen then says nothing about the page or the app.
 */
export function watchStopping() {
  chrome.runtime.onSuspend?.addListener(() => {
    suspending = true;
  });
  chrome.runtime.onSuspendCanceled?.addListener(() => {
    suspending = false;
    for (const wake of resumed.splice(0)) wake();
  });
}

/**
 * Whether an error just seen came from the background being stopped: resolves `false` at once
 * when it is not being stopped, or when the stop is called off; never resolves when the stop goes
 * on (the background is gone, and its next start deals with what was left).
 * @returns {Promise<boolean>}
 */
export function stopping() {
  if (!suspending) return Promise.resolve(false);
  return new Promise((resolve) => resumed.push(() => resolve(false)));
}

/** How often a call holds the background up: well under any idle timeout a browser uses. */
const AWAKE_EVERY_MS = 1000;
/** How much work is in flight. */
let inFlight = 0;
/** @type {ReturnType<typeof setInterval> | null} */
let awake = null;

/**
 * Holds the background up while `work` runs. Firefox suspends an event page that has been idle
 * for a while (30 s by default) even while it works on an answer or waits on the network (a code
 * step waiting minutes for its text); an extension API call counts as activity there, so one is
 * made every second while anything is in flight. Chromium's service worker is held by the same
 * calls, which only lengthen what its events already give. Test: tests/e2e-firefox/waits.test.mjs.
 * @template T @param {Promise<T>} work @returns {Promise<T>}
 */
export function holdAwake(work) {
  inFlight += 1;
  awake ??= setInterval(() => {
    chrome.runtime.getPlatformInfo().catch(() => undefined);
  }, AWAKE_EVERY_MS);
  const done = () => {
    inFlight -= 1;
    if (inFlight === 0 && awake !== null) {
      clearInterval(awake);
      awake = null;
    }
  };
  work.then(done, done);
  return work;
}
