// @ts-check
// Attacks on the offline copy of the vault (docs/security.md, "The offline copy"), in Chromium with
// the built extension against a real `latchkey serve --demo` that then goes away. The copy lets
// codes show and fill without the server, so it must be as closed as the vault: a content script
// cannot read it; a copy edited in storage does not open and nothing is shown or filled from it;
// a copy another user's device wrote, put in this profile, is refused by name.
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
} from './cases/abuse-offline.mjs';
import { inContentScript, keptProfile, launchBrowser, launchOnProfile, openPopup } from './harness.mjs';
import { stored, teamCodeStep, teamRow, writeLocal } from './offline.mjs';
import { ALICE, BOB, joinWithKit, startWorkspace, unlockWithPin } from './workspace.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The code field stays empty for `ms`. @param {Page} page @param {number} ms */
async function staysEmpty(page, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    assert.equal(await page.locator('#otp').inputValue(), '', `a code was filled on ${page.url()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a content script cannot read the offline copy; an edited copy opens nothing, fills nothing', async (t) => {
  const ws = await startWorkspace(t);
  const profile = await keptProfile(t, 'offline-abuse');
  let ctx = await launchOnProfile(profile);
  await joinWithKit(ctx, ws, BOB);
  let popup = await openPopup(ctx);
  await teamRow(popup).waitFor({ timeout: 30_000 });
  const copy = (await stored(ctx)).local.workspaceVaultCopy;
  assert.equal(typeof copy, 'string');

  // A content script (code that took over one) asks storage and the worker for the copy: refused.
  const app = await teamCodeStep(ctx, ws);
  const { value: read } = await inContentScript(
    ctx,
    app,
    `chrome.storage.local.get('workspaceVaultCopy')
      .then((r) => 'read: ' + JSON.stringify(r), (e) => 'refused: ' + e.message)`,
  );
  assert.match(String(read), /^refused/, `a content script read the copy: ${read}`);
  const { value: asked } = await inContentScript(ctx, app, `chrome.runtime.sendMessage({ type: 'list' })`);
  assert.deepEqual(asked, PAGE_ONLY);
  await app.close();

  // The server goes away; someone with the profile on disk edits the copy (one character of its
  // sealed part) and the browser restarts.
  await ws.stop();
  await writeLocal(ctx, { [COPY_KEY]: editedCopy(copy) });
  await ctx.close();
  ctx = await launchOnProfile(profile);
  popup = await openPopup(ctx);
  await unlockWithPin(popup);

  // Refused whole, saying why: no shared account, no code, nothing filled.
  const state = popup.locator('#sync-state');
  await state.filter({ hasText: UNREACHABLE }).waitFor({ timeout: 30_000 });
  await state.filter({ hasText: ALTERED }).waitFor();
  assert.equal(await teamRow(popup).count(), 0);
  const codes = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'codes' }));
  assert.deepEqual(
    codes.codes.filter((/** @type {{id: string}} */ c) => c.id.startsWith('ws:')),
    [],
    'a shared code from an edited copy',
  );
  const step = await teamCodeStep(ctx, ws);
  await staysEmpty(step, QUIET_MS);
  // Closed before the profile is removed (the browser writes to it while it runs).
  await ctx.close();
});

test('a copy written by another user’s device is refused here', async (t) => {
  const ws = await startWorkspace(t);
  const alice = await launchBrowser(t);
  await joinWithKit(alice, ws, ALICE);
  const bob = await launchBrowser(t);
  await joinWithKit(bob, ws, BOB);
  for (const ctx of [alice, bob]) await teamRow(await openPopup(ctx)).waitFor({ timeout: 30_000 });
  const alicesCopy = (await stored(alice)).local.workspaceVaultCopy;
  assert.equal(typeof alicesCopy, 'string');

  // The server away, Alice's copy put in Bob's profile.
  await ws.stop();
  await writeLocal(bob, { [COPY_KEY]: alicesCopy });
  const popup = await openPopup(bob);
  const state = popup.locator('#sync-state');
  await state.filter({ hasText: UNREACHABLE }).waitFor({ timeout: 30_000 });
  await state.filter({ hasText: OTHER_USER }).waitFor();
  assert.equal(await teamRow(popup).count(), 0);
  const step = await teamCodeStep(bob, ws);
  await staysEmpty(step, QUIET_MS);
  // Bob's own device still unlocks nothing else from it: his popup stays empty of shared codes.
  await popup.reload();
  await state.filter({ hasText: OTHER_USER_SHORT }).waitFor({ timeout: 30_000 });
  assert.equal(await teamRow(popup).count(), 0);
});
