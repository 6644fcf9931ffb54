// @ts-check
// Requests that wake a stopped service worker: they arrive while the worker starts (the core still
// compiling, the site lists not yet read), and each must be answered, correctly, from what storage
// holds now, never dropped and never from what a previous life of the worker knew.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EXTENSION_ID,
  launchBrowser,
  referenceCodesBetween,
  startFixtures,
  stopServiceWorker,
  tabIdOf,
} from './harness.mjs';

const KEEP = 'JBSWY3DPEHPK3PXP';
const GONE = 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF';

test('the first requests after a stop are all answered, from the accounts stored now', async (t) => {
  const { url } = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const shop = await ctx.newPage();
  await shop.goto(url('shop', 'disabled.html'));
  const shopTab = await tabIdOf(ctx, shop);
  const page = await ctx.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/extension/popup/popup.html`);
  /** @param {object} message */
  const ask = (message) => page.evaluate((m) => chrome.runtime.sendMessage(m), message);
  for (const [secret, name] of [
    [KEEP, 'Kept'],
    [GONE, 'Removed while stopped'],
  ]) {
    const added = await ask({ type: 'add', secret, name, site: 'example.com' });
    assert.equal(added.ok, true, JSON.stringify(added));
  }
  // The worker knew both accounts (its Keyring holds them); one is removed from storage behind its
  // back, as another of Latchkey's pages or a sync would, and then the worker is stopped.
  assert.equal((await ask({ type: 'codes' })).codes.length, 2);
  const { version } = await ask({ type: 'list' });
  await page.evaluate(async () => {
    const accounts = /** @type {Array<{name: string}>} */ ((await chrome.storage.local.get('accounts')).accounts);
    await chrome.storage.local.set({
      accounts: accounts.filter((a) => a.name === 'Kept'),
    });
  });
  await stopServiceWorker(ctx, page);

  // Every request the popup makes on opening, sent at once to the stopped worker, and the first
  // site decision after them.
  const from = Date.now();
  const replies = await page.evaluate(async (tabId) => {
    const send = (/** @type {object} */ m) => chrome.runtime.sendMessage(m);
    return Promise.all([
      send({ type: 'codes' }),
      send({ type: 'list' }),
      send({ type: 'codes' }),
      send({ type: 'ws-status' }),
      send({ type: 'page', tabId }),
    ]);
  }, shopTab);
  const [codes, list, again, status, onPage] = replies;
  for (const reply of replies) assert.equal(reply?.ok, true, JSON.stringify(reply));

  const expected = referenceCodesBetween(KEEP, from, Date.now());
  for (const reply of [codes, again]) {
    assert.equal(reply.codes.length, 1, 'only the account stored now');
    assert.ok(expected.includes(reply.codes[0].code), `the code ${reply.codes[0].code} is the reference's`);
  }
  assert.deepEqual(
    list.accounts.map((/** @type {{name: string}} */ a) => a.name),
    ['Kept'],
  );
  assert.equal(list.version, version, 'the core answered the list');
  assert.ok(version);
  assert.equal(status.workspace.stage, 'none');
  assert.equal(onPage.page.host, 'shop.localhost', 'the site decision was made (the lists read then)');
  assert.equal(onPage.page.refusal, null);
});
