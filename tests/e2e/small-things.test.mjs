// @ts-check
// Small things people notice (issue 16), in Chromium: Remove asks first, says what it did and what
// is left to do at the app; a key pasted into Add account survives the popup closing; a locked
// popup is the lock screen only; Copy buttons say "Copied".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DASHBOARD_URL, joinWithKit, PIN, startWorkspace, unlockWithPin, ALICE } from './workspace.mjs';
import { launchBrowser, openPopup, screenshot, shownCode, worker } from './harness.mjs';

/** @typedef {import('playwright-core').BrowserContext} BrowserContext */

const KEY = 'JBSWY3DPEHPK3PXP';

/** What the popup keeps of Add account, as the worker sees it. @param {BrowserContext} ctx */
async function draft(ctx) {
  const sw = await worker(ctx);
  return sw.evaluate(async () => (await chrome.storage.session.get('addDraft')).addDraft ?? null);
}

test('Remove asks first, says what it did, and suggests a new password and MFA key at the app', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto(DASHBOARD_URL);
  const remove = page.getByRole('button', { name: /^Remove bob@northwind\.test from / });
  await remove.waitFor({ timeout: 30_000 });
  // Cancel: nothing happens.
  await remove.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: /^Remove Bob from / }).waitFor();
  assert.match((await dialog.textContent()) ?? '', /changes the account’s key/);
  await screenshot(page, 'dashboard-remove-confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForTimeout(300);
  assert.ok(await remove.isVisible(), 'Cancel removed the member');
  // Remove: done, and what is left to do.
  await remove.click();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  const done = page.locator('#sharing-done');
  await done.filter({ hasText: /Removed Bob from .*\. They no longer get its codes\./ }).waitFor({ timeout: 30_000 });
  const said = (await done.textContent()) ?? '';
  assert.match(said, /change the password at the app/);
  assert.match(said, /new key/);
  await remove.waitFor({ state: 'detached' });
  await screenshot(page, 'dashboard-removed');
});

test('a key pasted into Add account survives the popup closing; Done and Cancel clear it', async (t) => {
  const ctx = await launchBrowser(t);
  let popup = await openPopup(ctx);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('textbox', { name: 'Secret Key', exact: true }).fill(KEY);
  await popup.close(); // a click outside the popup closes it
  popup = await openPopup(ctx);
  const secret = popup.getByRole('textbox', { name: 'Secret Key', exact: true });
  await secret.waitFor();
  assert.equal(await secret.inputValue(), KEY, 'the pasted key is back');
  // On the Save Code step with a name typed: closed and opened again, it is still there.
  await popup.getByRole('button', { name: 'Save Code' }).click();
  await shownCode(popup);
  await popup.getByRole('textbox', { name: 'Name', exact: true }).fill('Drafted');
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill('drafted.example');
  await popup.close();
  popup = await openPopup(ctx);
  await popup.getByRole('heading', { name: 'Enter this code in the app' }).waitFor();
  assert.equal(await popup.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), 'Drafted');
  assert.equal(await popup.getByRole('textbox', { name: 'Site', exact: true }).inputValue(), 'drafted.example');
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('li.account', { hasText: 'Drafted' }).waitFor();
  assert.equal(await draft(ctx), null, 'Done left the draft');
  // Cancel clears it too.
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('textbox', { name: 'Secret Key', exact: true }).fill(KEY);
  assert.ok(await draft(ctx));
  await popup.getByRole('button', { name: 'Cancel' }).click();
  await popup.locator('li.account', { hasText: 'Drafted' }).waitFor();
  assert.equal(await draft(ctx), null, 'Cancel left the draft');
  await popup.close();
  popup = await openPopup(ctx);
  assert.ok(await popup.locator('#view-list').isVisible(), 'the popup opens on the list again');
});

test('a locked popup shows the lock screen only; Unlock asks for the PIN and brings the list back', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const popup = await openPopup(ctx);
  await popup.getByRole('button', { name: 'Lock' }).click();
  await popup.locator('#ws-banner', { hasText: 'Latchkey is locked' }).waitFor();
  assert.match((await popup.locator('#ws-text').textContent()) ?? '', /unlock PIN/);
  for (const hidden of ['#view-list', '#add-open', '#profile-open']) {
    assert.ok(await popup.locator(hidden).isHidden(), `${hidden} shows on a locked popup`);
  }
  await screenshot(popup, 'popup-locked');
  await unlockWithPin(popup, PIN);
  await popup.locator('li.account').first().waitFor({ timeout: 30_000 });
  assert.ok(await popup.locator('#add-open').isVisible());
});

test('Copy buttons say “Copied”', async (t) => {
  const ctx = await launchBrowser(t);
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
  const popup = await openPopup(ctx);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('textbox', { name: 'Secret Key', exact: true }).fill(KEY);
  await popup.getByRole('button', { name: 'Save Code' }).click();
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill('copy.example');
  await popup.getByRole('button', { name: 'Done' }).click();
  const code = popup.getByRole('button', { name: /^Copy code .* for copy\.example/ });
  await code.click();
  await popup.locator('li.account .copied', { hasText: 'Copied' }).waitFor({ state: 'visible' });
});
