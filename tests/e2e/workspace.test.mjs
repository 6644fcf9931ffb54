// @ts-check
// The extension joins a workspace (issue 5), against a real `latchkey serve --demo` and the test's
// SMTP server: a first device trusted with the e-mailed code and its Recovery Kit, a second device
// approved from the first with matching phrases, wrong codes, Remind me later, a disabled device
// wiping itself, and the shared account's code filled into the demo app for another user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPopup, screenshot, waitFor } from './harness.mjs';
import { ALICE, BOB, DASHBOARD_URL, api, enterEmailedCode, joinWithKit, openJoin, startJoining, startWorkspace, workspaceState } from './workspace.mjs';

test('first device of a new user: e-mailed code, Recovery Kit shown and confirmed; a second device approved from it with the same phrase', async (t) => {
  const ws = await startWorkspace(t);
  // Alice (the demo's owner) joins with her kit, then invites Carol, who has no keys yet.
  const aliceCtx = await launchBrowser(t);
  await joinWithKit(aliceCtx, ws, ALICE, { shots: 'join' });
  const alice = await workspaceState(aliceCtx);
  assert.equal(alice.stage, 'trusted');
  const carol = 'carol@northwind.test';
  await api(ws.server, alice.token, 'POST', '/invitations', { email: carol, role: 'user', displayName: 'Carol' });

  const ctx = await launchBrowser(t);
  const page = await openJoin(ctx);
  const since = ws.smtp.count();
  const { suggested } = await startJoining(page, { server: ws.server, email: carol, shots: 'join' });
  assert.match(suggested, /^carol .* - Linux\/Chrom/, `default device name ${suggested}`);
  await page.getByRole('heading', { name: 'Verify your device' }).waitFor();
  await page.locator('#code-sent', { hasText: `We sent a 6-digit code to ${carol}. It expires in 5 minutes.` }).waitFor();
  await screenshot(page, 'join-4-verify-device');
  await enterEmailedCode(page, ws, carol, since);
  await page.getByRole('heading', { name: 'Save your Recovery Kit' }).waitFor();
  const kit = (await page.getByRole('status', { name: 'Recovery Kit' }).textContent()) ?? '';
  assert.match(kit, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){6}$/, `kit ${kit}`);
  await screenshot(page, 'join-5-recovery-kit');
  // Not trusted until the kit is confirmed saved.
  assert.equal(await page.getByRole('button', { name: 'Continue' }).isDisabled(), true);
  assert.equal((await workspaceState(ctx)).stage, 'registered');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save as file' }).click();
  assert.equal((await download).suggestedFilename(), 'Latchkey Recovery Kit.txt');
  await page.getByRole('checkbox', { name: 'I saved my Recovery Kit in a safe place' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'This device is trusted' }).waitFor();
  await screenshot(page, 'join-8-trusted');
  assert.equal((await workspaceState(ctx)).stage, 'trusted');

  // A second profile of Carol: Verify your identity, approved from the first device.
  const second = await launchBrowser(t);
  const page2 = await openJoin(second);
  await startJoining(page2, { server: ws.server, email: carol, name: 'carol laptop' });
  await page2.getByRole('heading', { name: 'Verify your identity' }).waitFor();
  await page2.getByText('Pending approval').waitFor();
  const phrase = ((await page2.getByRole('status', { name: 'Fingerprint phrase' }).textContent()) ?? '').trim();
  assert.equal(phrase.split(' ').length, 6, `phrase ${phrase}`);
  await screenshot(page2, 'join-6-verify-identity');

  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  const request = dashboard.locator('li.request', { hasText: 'carol laptop' });
  await request.waitFor({ timeout: 30_000 });
  assert.equal(((await request.locator('.phrase').textContent()) ?? '').trim(), phrase, 'both devices show the same phrase');
  await dashboard.locator('li[data-device-id]', { hasText: 'carol laptop' }).locator('.status', { hasText: 'Pending approval' }).waitFor();
  await screenshot(dashboard, 'dashboard-pending-approval');
  await request.getByRole('button', { name: 'Approve carol laptop' }).click();
  await page2.getByRole('heading', { name: 'This device is trusted' }).waitFor({ timeout: 30_000 });
  assert.equal((await workspaceState(second)).stage, 'trusted');
  await dashboard.locator('li[data-device-id]', { hasText: 'carol laptop' }).locator('.status', { hasText: 'Approved' }).waitFor();
  await screenshot(dashboard, 'dashboard-devices');
});
