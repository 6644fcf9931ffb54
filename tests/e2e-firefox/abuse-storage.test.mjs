// @ts-check
// The attack: code running in a Latchkey content script of a web page (a page that took one over,
// or the renderer it shares a process with) reads the extension's storage. Firefox cannot restrict
// `storage.local` to trusted contexts as Chromium does, so the secrets live where a content script
// cannot reach (extension/background/platform.js). A probe content script, added to a copy of the
// built Firefox package exactly like Latchkey's own, reads every area it can, and tries to reach
// one of Latchkey's pages (which could open the extension's database) by window.open or fetch; it
// hands the page what it found: the account's key must not be in it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { startFixtures } from '../e2e/harness.mjs';
import { addThroughPopup, launchFirefox, openPopup, packageWithProbe, waitIn } from './firefox.mjs';

/** What a content script can read, written into the page's DOM (where the page picks it up). */
const PROBE = `(async () => {
  const found = {};
  for (const area of ['local', 'session', 'sync']) {
    try { found[area] = await chrome.storage[area].get(null); } catch (e) { found[area] = 'refused: ' + e.message; }
  }
  try {
    found.indexedDB = await new Promise((resolve, reject) => {
      const req = indexedDB.open('latchkey');
      req.onsuccess = () => resolve([...req.result.objectStoreNames]);
      req.onerror = () => reject(req.error);
    });
  } catch (e) { found.indexedDB = 'refused: ' + e.message; }
  // Or through one of Latchkey's pages, which could open the extension's database: opened, or fetched.
  try { found.opened = String(window.open(chrome.runtime.getURL('extension/popup/popup.html'))); }
  catch (e) { found.opened = 'refused: ' + e.message; }
  try { found.fetch = (await fetch(chrome.runtime.getURL('extension/popup/popup.html'))).status; }
  catch (e) { found.fetch = 'refused: ' + e.message; }
  document.documentElement.dataset.probe = JSON.stringify(found);
})();
`;

/** Whether `word` stands in `text` as a word of its own (not inside a longer run of letters or digits). */
function holdsWord(/** @type {string} */ text, /** @type {string} */ word) {
  return text.split(/[^A-Za-z0-9]+/).includes(word);
}

test('Firefox: a content script reads every storage area it can reach and finds no account key', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t, { addon: await packageWithProbe(t, PROBE) });
  await openPopup(ff);
  const base32 = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(ff, { secret: base32, site: 'probe.localhost' });
  await waitIn(ff, () => document.querySelectorAll('li.account').length === 1, 'the saved account');

  await ff.go(fixtures.url('probe', 'verify.html'));
  const seen = await waitIn(ff, () => document.documentElement.dataset.probe, 'the probe’s findings');
  const found = JSON.parse(seen);
  assert.ok(!holdsWord(seen, base32), `the key is readable from a content script: ${seen}`);
  assert.deepEqual(found.local, {}, 'storage.local holds nothing a content script could read');
  assert.equal(typeof found.session, 'string', 'storage.session is refused to content scripts');
  assert.deepEqual(found.indexedDB, [], 'a content script’s indexedDB is the page’s, without Latchkey’s store');
  assert.match(String(found.opened), /^refused/, 'a Latchkey page was opened');
  assert.match(String(found.fetch), /^refused/, 'a Latchkey page was fetched');
});
