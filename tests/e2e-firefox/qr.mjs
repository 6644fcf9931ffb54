// @ts-check
/**
 * The QR and import tests' helpers in Firefox: what Firefox's console holds (pages' and the
 * background's messages, read from the browser's chrome, where Chromium's tests listen to the
 * worker through CDP), everything Latchkey keeps outside the vault, and a probe content script
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
 * Every console message Firefox keeps: the console API's (pages, the background) and the errors.
 * @param {Firefox} ff @returns {Promise<string>}
 */
export const consoleText = (ff) =>
  ff.privileged(
    `const storage = Cc['@mozilla.org/consoleAPI-storage;1'].getService(Ci.nsIConsoleAPIStorage);
    const api = storage.getEvents().map((e) => (e.arguments || []).map((a) => {
      try { return typeof a === 'string' ? a : JSON.stringify(a); } catch { return String(a); }
    }).join(' '));
    const errors = Services.console.getMessageArray().map((m) => m.message || String(m));
    return api.concat(errors).join('\\n');`,
  );

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
