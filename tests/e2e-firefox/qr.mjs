// @ts-check
/**
 * The QR and import tests' helpers in Firefox: what Latchkey's event page and a page of its own
 * write to their consoles, everything Latchkey keeps outside the vault, and a probe content script
 * that answers with the content scripts' global's names.
 */
import { stored } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * Answers Object.keys(globalThis) of the add-on's content-script global (Firefox gives all of one
 * add-on's content scripts in a frame one global) when the page asks (askProbe).
 */
export const GLOBALS_PROBE = `document.addEventListener('latchkey-probe', () => {
  document.documentElement.dataset.probeReply = JSON.stringify(Object.keys(globalThis));
});
document.documentElement.dataset.probeReady = '1';
`;

/**
 * Starts recording what Latchkey's event page and the current tab (one of Latchkey's pages, kept
 * open until `watchedConsole`) write to their consoles. Chromium's tests listen to the worker's
 * console through CDP; here the page reaches the event page's global through
 * runtime.getBackgroundPage (both run in the extension's process, whose console Firefox's parent
 * process does not keep: reading it from the browser's chrome saw nothing of the background).
 * @param {Firefox} ff
 */
export const watchConsole = (ff) =>
  ff.run(async () => {
    const bg = /** @type {Window & typeof globalThis} */ (await chrome.runtime.getBackgroundPage());
    /** @type {string[]} */
    const seen = [];
    const w = /** @type {{latchkeySeen?: string[], latchkeyWatched?: Window}} */ (/** @type {unknown} */ (window));
    w.latchkeySeen = seen;
    w.latchkeyWatched = bg;
    /** @param {unknown} x */
    const text = (x) => {
      try {
        return typeof x === 'string' ? x : JSON.stringify(x);
      } catch {
        return String(x);
      }
    };
    for (const target of [bg.console, console]) {
      for (const m of /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug'])) {
        const original = target[m].bind(target);
        target[m] = (...args) => {
          seen.push(args.map(text).join(' '));
          original(...args);
        };
      }
    }
  });

/**
 * What watchConsole recorded, from the tab it was started in (the current one); fails if the event
 * page was suspended since (its new global was not watched).
 * @param {Firefox} ff @returns {Promise<string>}
 */
export const watchedConsole = (ff) =>
  ff.run(async () => {
    const w = /** @type {{latchkeySeen?: string[], latchkeyWatched?: Window}} */ (/** @type {unknown} */ (window));
    if (!w.latchkeySeen) throw new Error('the console was not watched from this page');
    if ((await chrome.runtime.getBackgroundPage()) !== w.latchkeyWatched)
      throw new Error('the event page was restarted since: its console was not watched throughout');
    return w.latchkeySeen.join('\n');
  });

/**
 * Everything Latchkey keeps outside the vault's sealed items, as text: its own store (the extension
 * origin's IndexedDB), `storage.session`, and `storage.local` (which Firefox lets content scripts
 * write); from the current tab, one of Latchkey's pages. The twin of qr-import's `storedText`.
 * @param {Firefox} ff
 */
export async function storedText(ff) {
  const { local, session } = await stored(ff);
  const storageLocal = await ff.run(() => chrome.storage.local.get(null));
  return JSON.stringify({ local, session, storageLocal });
}
