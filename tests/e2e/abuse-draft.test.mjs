// @ts-check
// The attack: a page takes over Latchkey's content script (or finds a way to run code in its
// world) and reads the key a person pasted into Add account but has not saved yet, which the popup
// keeps as a draft while it is closed (issue 16). What stops it: the draft lives in
// `chrome.storage.session`, whose access level the worker sets to trusted contexts, so a content
// script's `chrome.storage` has no session area to read, and the pages' requests are refused to it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEY, areasHolding } from './cases/abuse-draft.mjs';
import { inContentScript, launchBrowser, openPopup, startFixtures, worker } from './harness.mjs';

/** @typedef {import('playwright-core').Page} Page */

test('a content script cannot read the Add account draft (the key pasted before Done)', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('textbox', { name: 'Secret Key', exact: true }).fill(KEY);
  await popup.close();
  const sw = await worker(ctx);
  /** @type {any} */
  const kept = await sw.evaluate(async () => (await chrome.storage.session.get('addDraft')).addDraft);
  assert.equal(kept?.secret, KEY, 'the draft is kept for the popup');

  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', 'verify.html'));
  const read = await inContentScript(ctx, page, `(${areasHolding})(${JSON.stringify(KEY)})`);
  assert.deepEqual(read.value ?? [], [], `the content script read the draft: ${JSON.stringify(read)}`);
  assert.ok(!JSON.stringify(read).includes(KEY), 'the key reached the content script');
});
