// @ts-check
// Requests that wake a stopped event page, in Firefox with the built package: Chromium's
// tests/e2e/cold-start.test.mjs, its case and checks from tests/e2e/cases/cold-start.mjs. The
// background is ended as about:debugging's "Terminate background script" does (stopBackground), the
// accounts it knew changed behind its back in the store Firefox's Latchkey keeps (the extension
// origin's IndexedDB, platform.js); each request of the burst must be answered from what is stored now.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GONE, KEEP, SHOP, burst, checkBurst } from '../e2e/cases/cold-start.mjs';
import {
  CACHE,
  builtHashes,
  changeCopies,
  changedCopies,
  expectedCopies,
  keptCopies,
} from '../e2e/cases/shipped-copies.mjs';
import { startFixtures } from '../e2e/harness.mjs';
import { BASE, launchFirefox, stopBackground, waitIn, writeLocal } from './firefox.mjs';

/**
 * Firefox with the shop's page, then Latchkey's join page, with a way to ask the background from it.
 * The requests go from the join page, which asks nothing by itself once loaded: an open popup asks
 * for codes every second and would start the background again before a burst.
 * @param {import('node:test').TestContext} t
 */
async function openShopAndJoinPage(t) {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  await ff.go(fixtures.url(...SHOP));
  const shopUrl = await ff.url();
  await ff.openExtensionPage(`${BASE}extension/dashboard/join.html`);
  await waitIn(ff, () => typeof chrome !== 'undefined' && Boolean(chrome.runtime?.id), 'the join page');
  const ask = (/** @type {object} */ message) => ff.run((m) => chrome.runtime.sendMessage(m), message);
  return { ff, shopUrl, ask };
}

test('Firefox: the first requests after a stop are all answered, from the accounts stored now', async (t) => {
  const { ff, shopUrl, ask } = await openShopAndJoinPage(t);
  for (const account of [KEEP, GONE]) {
    const added = await ask({ type: 'add', ...account });
    assert.equal(added.ok, true, JSON.stringify(added));
  }
  // The background knew both accounts (its Keyring holds them); one is removed from storage behind
  // its back, as another of Latchkey's pages would, and then the background is ended.
  assert.equal((await ask({ type: 'codes' })).codes.length, 2);
  const { version, accounts } = await ask({ type: 'list' });
  assert.equal(accounts.length, 2);
  const stored = await ff.run(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('latchkey');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('local').objectStore('local').get('accounts');
          get.onsuccess = () => resolve(JSON.parse(get.result));
          get.onerror = () => reject(get.error);
        };
      }),
  );
  await writeLocal(ff, { accounts: stored.filter((/** @type {{name: string}} */ a) => a.name === KEEP.name) });
  await stopBackground(ff);

  const shopTab = await ff.run(async (u) => (await chrome.tabs.query({})).find((tab) => tab.url === u)?.id, shopUrl);
  if (typeof shopTab !== 'number') throw new Error(`no tab shows ${shopUrl}`);
  const from = Date.now();
  const replies = await ff.run(burst, shopTab);
  checkBurst(replies, { from, to: Date.now(), version });
});

test('Firefox: copies of the core and the site lists changed behind the background are never used', async (t) => {
  const { ff, shopUrl, ask } = await openShopAndJoinPage(t);
  assert.equal((await ask({ type: 'add', ...KEEP })).ok, true);
  const { version } = await ask({ type: 'list' });
  const shopTab = await ff.run(async (u) => (await chrome.tabs.query({})).find((tab) => tab.url === u)?.id, shopUrl);
  if (typeof shopTab !== 'number') throw new Error(`no tab shows ${shopUrl}`);
  // A site decision reads the lists; the core was read at the background's start. Each is kept.
  checkBurst(await ff.run(burst, shopTab), { from: Date.now() - 1000, to: Date.now(), version });
  const expected = JSON.stringify(expectedCopies(builtHashes()));
  /** @param {string} what */
  const copiesKept = async (what) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const last = JSON.stringify(await ff.run(keptCopies, CACHE));
      if (last === expected) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await copiesKept('a copy of each file kept');

  assert.equal(await ff.run(changeCopies, { cacheName: CACHE, changed: changedCopies() }), 3);
  await stopBackground(ff);
  const from = Date.now();
  const replies = await ff.run(burst, shopTab);
  checkBurst(replies, { from, to: Date.now(), version });
  assert.deepEqual(replies[4].page.matches, [], 'the changed sign-in list sent the account’s code to the shop');
  await copiesKept('the changed copies replaced');
});
