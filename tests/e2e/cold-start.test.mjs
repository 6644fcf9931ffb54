// @ts-check
// Requests that wake a stopped service worker, in Chromium: each is answered, correctly, from what
// storage holds now (the case and its checks: tests/e2e/cases/cold-start.mjs, run in Firefox too).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GONE, KEEP, SHOP, burst, checkBurst } from './cases/cold-start.mjs';
import {
  CACHE,
  builtHashes,
  changeCopies,
  changedCopies,
  expectedCopies,
  keptCopies,
} from './cases/shipped-copies.mjs';
import { EXTENSION_ID, launchBrowser, startFixtures, stopServiceWorker, tabIdOf, waitFor } from './harness.mjs';

/**
 * The shop's page (its tab id) and Latchkey's popup page, with a way to ask the worker from it.
 * @param {import('node:test').TestContext} t
 */
async function openShopAndPopup(t) {
  const { url } = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const shop = await ctx.newPage();
  await shop.goto(url(...SHOP));
  const shopTab = await tabIdOf(ctx, shop);
  const page = await ctx.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/extension/popup/popup.html`);
  /** @param {object} message */
  const ask = (message) => page.evaluate((m) => chrome.runtime.sendMessage(m), message);
  return { ctx, page, shopTab, ask };
}

test('the first requests after a stop are all answered, from the accounts stored now', async (t) => {
  const { ctx, page, shopTab, ask } = await openShopAndPopup(t);
  for (const account of [KEEP, GONE]) {
    const added = await ask({ type: 'add', ...account });
    assert.equal(added.ok, true, JSON.stringify(added));
  }
  // The worker knew both accounts (its Keyring holds them); one is removed from storage behind its
  // back, as another of Latchkey's pages or a sync would, and then the worker is stopped.
  assert.equal((await ask({ type: 'codes' })).codes.length, 2);
  const { version } = await ask({ type: 'list' });
  await page.evaluate(async (kept) => {
    const accounts = /** @type {Array<{name: string}>} */ ((await chrome.storage.local.get('accounts')).accounts);
    await chrome.storage.local.set({ accounts: accounts.filter((a) => a.name === kept) });
  }, KEEP.name);
  await stopServiceWorker(ctx, page);

  const from = Date.now();
  const replies = await page.evaluate(burst, shopTab);
  checkBurst(replies, { from, to: Date.now(), version });
});

test('copies of the core and the site lists changed behind the worker are never used, and are replaced', async (t) => {
  const { ctx, page, shopTab, ask } = await openShopAndPopup(t);
  assert.equal((await ask({ type: 'add', ...KEEP })).ok, true);
  const { version } = await ask({ type: 'list' });
  // A site decision reads the lists; the core was read at the worker's start. Each is kept.
  checkBurst(await page.evaluate(burst, shopTab), { from: Date.now() - 1000, to: Date.now(), version });
  const expected = expectedCopies(builtHashes());
  const kept = () => page.evaluate(keptCopies, CACHE);
  await waitFor(async () => JSON.stringify(await kept()) === JSON.stringify(expected), 'a copy of each file kept');

  assert.equal(await page.evaluate(changeCopies, { cacheName: CACHE, changed: changedCopies() }), 3);
  await stopServiceWorker(ctx, page);
  const from = Date.now();
  const replies = await page.evaluate(burst, shopTab);
  checkBurst(replies, { from, to: Date.now(), version });
  assert.deepEqual(replies[4].page.matches, [], 'the changed sign-in list sent the account’s code to the shop');
  await waitFor(async () => JSON.stringify(await kept()) === JSON.stringify(expected), 'the changed copies replaced');
});
