// @ts-check
// Small things people notice (issue 16), in Chromium: Remove asks first, says what it did and what
// is left to do at the app; a key pasted into Add account survives the popup closing; a locked
// popup is the lock screen only; Copy buttons say "Copied".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DASHBOARD_URL, joinWithKit, PIN, startWorkspace, unlockWithPin, ALICE } from './workspace.mjs';
import { COPY_SITE, DRAFT, KEY, LOCKED, REMOVE, SAVE_CODE_HEADING } from './cases/small-things.mjs';
import { launchBrowser, openPopup, screenshot, shownCode, worker } from './harness.mjs';

/** @typedef {import('playwright-core').BrowserContext} BrowserContext */

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
  const remove = page.locator(`button[aria-label^="${REMOVE.button}"]`);
  await remove.waitFor({ timeout: 30_000 });
  // Cancel: nothing happens.
  await remove.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: REMOVE.heading }).waitFor();
  assert.match((await dialog.textContent()) ?? '', REMOVE.asked);
  await screenshot(page, 'dashboard-remove-confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForTimeout(300);
  assert.ok(await remove.isVisible(), 'Cancel removed the member');
  // Remove: done, and what is left to do.
  await remove.click();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  const done = page.locator('#sharing-done');
  await done.filter({ hasText: REMOVE.done }).waitFor({ timeout: 30_000 });
  const said = (await done.textContent()) ?? '';
  for (const left of REMOVE.leftToDo) assert.match(said, left);
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
  await popup.getByRole('textbox', { name: 'Name', exact: true }).fill(DRAFT.name);
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill(DRAFT.site);
  await popup.close();
  popup = await openPopup(ctx);
  await popup.getByRole('heading', { name: SAVE_CODE_HEADING }).waitFor();
  assert.equal(await popup.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), DRAFT.name);
  assert.equal(await popup.getByRole('textbox', { name: 'Site', exact: true }).inputValue(), DRAFT.site);
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('li.account', { hasText: DRAFT.name }).waitFor();
  assert.equal(await draft(ctx), null, 'Done left the draft');
  // Cancel clears it too.
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('textbox', { name: 'Secret Key', exact: true }).fill(KEY);
  assert.ok(await draft(ctx));
  await popup.getByRole('button', { name: 'Cancel' }).click();
  await popup.locator('li.account', { hasText: DRAFT.name }).waitFor();
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
  await popup.locator('#ws-banner', { hasText: LOCKED.title }).waitFor();
  assert.match((await popup.locator('#ws-text').textContent()) ?? '', LOCKED.text);
  for (const hidden of LOCKED.hidden) {
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
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill(COPY_SITE);
  await popup.getByRole('button', { name: 'Done' }).click();
  // Named with the code once it shows ("Copy code 123 456 for …").
  const code = popup.getByRole('button', { name: new RegExp(`^Copy code .* for ${COPY_SITE.replace('.', '\\.')}`) });
  await code.click();
  // "Copied" is there all along at opacity 0 (which Playwright counts as visible): it shows while
  // the button is-copied.
  await popup.locator('li.account .code-button.is-copied .copied', { hasText: 'Copied' }).waitFor();
});
