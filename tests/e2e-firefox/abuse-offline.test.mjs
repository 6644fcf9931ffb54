// @ts-check
// Attacks on the offline copy of the vault (docs/security.md, "The offline copy"), in Firefox with
// the built package against a real `latchkey serve --demo` that then goes away: Chromium's
// tests/e2e/abuse-offline.test.mjs, its attacks and answers from tests/e2e/cases/abuse-offline.mjs.
// A content script cannot read the copy; a copy edited in storage does not open after a browser
// restart and nothing is shown or filled from it; a copy another user's device wrote, put in this
// profile, is refused by name.
// Firefox's differences: the content script is a probe added to a copy of the package (Chromium
// runs code in the content script's world over CDP); Firefox lets a content script read
// `storage.local` (Chromium refuses it), so the check is that what it reads there, and in the
// IndexedDB it can open, holds no copy: Latchkey keeps it in its own origin's IndexedDB. The
// restart is on a kept profile with the package installed for good (launchOnProfile).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ALTERED,
  COPY_KEY,
  OTHER_USER,
  OTHER_USER_SHORT,
  PAGE_ONLY,
  QUIET_MS,
  UNREACHABLE,
  editedCopy,
} from '../e2e/cases/abuse-offline.mjs';
import { TEAM } from '../e2e/offline.mjs';
import { ALICE, BOB, PIN, startWorkspace } from '../e2e/workspace.mjs';
import {
  askProbe,
  keptProfile,
  launchFirefox,
  launchOnProfile,
  openPopup,
  staysEmptyIn,
  waitIn,
  writeLocal,
  zippedPackageWithProbe,
} from './firefox.mjs';
import { joinWithKit, sharedCodes, stored, teamCodeStep } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * What code that took over a content script does when the page asks (a `latchkey-probe` event):
 * reads everything in `storage.local` and in the IndexedDB a content script opens (the page's), or
 * sends a message to the background; the answer goes back into the DOM.
 */
const PROBE = `const answer = (r) => { document.documentElement.dataset.probeReply = JSON.stringify(r ?? null); };
const fail = (err) => answer({ thrown: String(err && err.message) });
const readEverywhere = async () => ({
  local: await chrome.storage.local.get(null).then((r) => r, (e) => 'refused: ' + e.message),
  indexedDb: await new Promise((resolve) => {
    const open = indexedDB.open('latchkey');
    open.onerror = () => resolve('refused: ' + open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('local')) return resolve({});
      const all = db.transaction('local').objectStore('local').getAll();
      all.onsuccess = () => resolve(all.result);
      all.onerror = () => resolve('refused: ' + all.error);
    };
  }),
});
document.addEventListener('latchkey-probe', (e) => {
  const ask = JSON.parse(String(e.detail));
  if (ask.message) chrome.runtime.sendMessage(ask.message).then(answer, fail);
  else readEverywhere().then(answer, fail);
});
document.documentElement.dataset.probeReady = '1';
`;

/** Waits until the popup's (the current tab) sync line says `text`. @param {Firefox} ff @param {string} text */
const syncSays = (ff, text) =>
  waitIn(
    ff,
    (x) => {
      const line = document.querySelector('#sync-state');
      return Boolean(line?.checkVisibility() && line.textContent?.includes(x));
    },
    `“${text}” in the popup’s sync line`,
    text,
  );

/** How many of the popup's (the current tab) accounts are the team's. @param {Firefox} ff */
const teamCount = (ff) =>
  ff.run(
    (team) => [...document.querySelectorAll('li.account')].filter((li) => li.textContent?.includes(team)).length,
    TEAM,
  );

/** The popup (the current tab) lists the team account. @param {Firefox} ff */
const teamListed = (ff) =>
  waitIn(
    ff,
    (team) => [...document.querySelectorAll('li.account')].some((li) => li.textContent?.includes(team)),
    'the team account in the popup',
    TEAM,
  );

test('Firefox: a content script cannot read the offline copy; an edited copy opens and fills nothing', async (t) => {
  const ws = await startWorkspace(t);
  const profile = await keptProfile(t, 'offline-abuse');
  const addon = await zippedPackageWithProbe(t, PROBE);
  let ff = await launchOnProfile(t, profile, { addon });
  await joinWithKit(ff, ws, BOB);
  await openPopup(ff);
  await teamListed(ff);
  const copy = (await stored(ff)).local[COPY_KEY];
  assert.equal(typeof copy, 'string');

  // A content script (code that took over one) reads what it can reach and asks the background:
  // no copy anywhere it reads, and the background refuses.
  await teamCodeStep(ff, ws);
  const read = JSON.stringify(await askProbe(ff, {}));
  assert.ok(!read.includes(copy.slice(0, 64)), `a content script read the copy: ${read.slice(0, 200)}`);
  assert.ok(!read.includes(COPY_KEY), `a content script found the copy's key: ${read.slice(0, 200)}`);
  assert.deepEqual(await askProbe(ff, { message: { type: 'list' } }), PAGE_ONLY);

  // The server goes away; someone with the profile on disk edits the copy (one character of its
  // sealed part) and Firefox restarts.
  await ws.stop();
  await openPopup(ff);
  await writeLocal(ff, { [COPY_KEY]: editedCopy(copy) });
  await ff.quit();
  ff = await launchOnProfile(t, profile, { addon });
  const popup = await openPopup(ff);
  await ff.type('#ws-pin', PIN);
  await ff.click('#ws-pin-submit');

  // Refused whole, saying why: no shared account, no code, nothing filled.
  await syncSays(ff, UNREACHABLE);
  await syncSays(ff, ALTERED);
  assert.equal(await teamCount(ff), 0);
  assert.deepEqual(await sharedCodes(ff), [], 'a shared code from an edited copy');
  await teamCodeStep(ff, ws);
  await staysEmptyIn(ff, QUIET_MS, 'a shared code from an edited copy', { fields: '#otp' });
  await ff.switchTo(popup);
  // Quit before the profile is removed (Firefox writes to it while it runs).
  await ff.quit();
});

test('Firefox: a copy written by another user’s device is refused here', async (t) => {
  const ws = await startWorkspace(t);
  const alice = await launchFirefox(t);
  await joinWithKit(alice, ws, ALICE);
  const bob = await launchFirefox(t);
  await joinWithKit(bob, ws, BOB);
  for (const ff of [alice, bob]) {
    await openPopup(ff);
    await teamListed(ff);
  }
  const alicesCopy = (await stored(alice)).local[COPY_KEY];
  assert.equal(typeof alicesCopy, 'string');

  // The server away, Alice's copy put in Bob's profile.
  await ws.stop();
  await writeLocal(bob, { [COPY_KEY]: alicesCopy });
  const popup = await openPopup(bob);
  await syncSays(bob, UNREACHABLE);
  await syncSays(bob, OTHER_USER);
  assert.equal(await teamCount(bob), 0);
  await teamCodeStep(bob, ws);
  await staysEmptyIn(bob, QUIET_MS, 'a shared code from another user’s copy', { fields: '#otp' });
  // Bob's own device still unlocks nothing else from it: his popup stays empty of shared codes.
  await bob.switchTo(popup);
  await bob.run(() => {
    document.documentElement.dataset.old = '1';
    location.reload();
  });
  await waitIn(
    bob,
    () => !document.documentElement.dataset.old && /core/.test(document.querySelector('#version')?.textContent ?? ''),
    'the popup loaded again',
  );
  await syncSays(bob, OTHER_USER_SHORT);
  assert.equal(await teamCount(bob), 0);
});
