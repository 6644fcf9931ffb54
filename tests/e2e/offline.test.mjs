// @ts-check
// Codes when the server is away (issue 16), as a person meets it in Chromium with the built
// extension against a real `latchkey serve --demo`: join and sync; the server stops and the
// browser restarts; after the PIN the popup shows the shared codes from this device's offline copy,
// marked with their age and "Server unreachable" with Retry, and the demo app's code step is filled;
// an SMS wait says the inbox cannot be reached. The server comes back on the same port and data:
// Retry syncs again, with no new trust step, the fill made while it was away reaches the audit log
// with its time, and the texted code arrives.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  filledIn,
  keptProfile,
  launchOnProfile,
  openPopup,
  referenceCodesBetween,
  screenshot,
  startFixtures,
  waitFor,
} from './harness.mjs';
import {
  COPY_CLEAR,
  LOCKED,
  NO_TEXTS,
  SMS_CODE,
  SMS_TEXT,
  SMS_UNREACHABLE,
  SMS_WAITING,
  SYNCED_AGO,
  SYNCED_NOW,
  UNREACHABLE,
} from './cases/offline.mjs';
import { stored, teamCode, teamCodeStep, teamRow } from './offline.mjs';
import { textTo } from './sms.mjs';
import { BOB, joinWithKit, startWorkspace, unlockWithPin, workspaceState } from './workspace.mjs';

test('with the server away after a browser restart, codes show and fill from the copy; it comes back', async (t) => {
  const ws = await startWorkspace(t);
  const fixtures = await startFixtures(t);
  const profile = await keptProfile(t, 'offline');
  let ctx = await launchOnProfile(profile);
  await joinWithKit(ctx, ws, BOB);
  const joined = await workspaceState(ctx);

  // Synced: the popup lists the shared account and says the data is fresh.
  let popup = await openPopup(ctx);
  await teamRow(popup).waitFor({ timeout: 30_000 });
  await popup.locator('#sync-state', { hasText: SYNCED_NOW }).waitFor();
  assert.equal(await popup.locator('#sync-retry').isVisible(), false);
  // The copy is on the device, and nothing of the vault reads in clear there.
  const copy = (await stored(ctx)).local.workspaceVaultCopy;
  assert.equal(typeof copy, 'string', 'the offline copy was written');
  const raw = Buffer.from(copy, 'base64url').toString('latin1');
  for (const clear of COPY_CLEAR) {
    assert.ok(!raw.includes(clear), `the copy holds ${clear} in clear`);
  }

  // The server goes away; the browser restarts on the same profile.
  await ws.stop();
  await ctx.close();
  ctx = await launchOnProfile(profile);
  popup = await openPopup(ctx);
  // Locked after the restart: nothing shows until the PIN.
  await popup.locator('#ws-banner', { hasText: LOCKED }).waitFor();
  assert.equal(await teamRow(popup).count(), 0);
  assert.equal(await popup.locator('#sync-state').isVisible(), false);
  await unlockWithPin(popup);

  // The shared code shows, from the copy, with its age and the server's absence.
  const shownFrom = Date.now();
  await teamRow(popup).waitFor({ timeout: 30_000 });
  const shown = await teamCode(popup);
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, shownFrom - 1000, Date.now()).includes(shown));
  const state = popup.locator('#sync-state');
  await state.filter({ hasText: UNREACHABLE }).waitFor();
  await state.filter({ hasText: SYNCED_AGO }).waitFor();
  await state.filter({ hasText: NO_TEXTS }).waitFor();
  assert.equal(await popup.getByRole('button', { name: 'Retry' }).isVisible(), true);
  await screenshot(popup, 'popup-offline');

  // The demo app's code step is filled from the copy.
  const before = Date.now();
  const app = await teamCodeStep(ctx, ws);
  const filled = await filledIn(app.locator('#otp'));
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, before, Date.now()).includes(filled));
  await app.getByRole('button', { name: 'Verify' }).click();
  await app.getByRole('heading', { name: 'Welcome, team@northwind.test' }).waitFor();

  // An SMS step says the inbox cannot be reached, instead of waiting silently.
  const sms = await ctx.newPage();
  await sms.goto(fixtures.url('demo', 'sms-verify.html'));
  const mark = sms.locator('[data-latchkey="mark"]');
  await mark.filter({ hasText: SMS_UNREACHABLE }).waitFor({ timeout: 30_000 });
  await screenshot(sms, 'sms-inbox-unreachable');

  // Retry while still away: still unreachable, the codes still there.
  await popup.getByRole('button', { name: 'Retry' }).click();
  await state.filter({ hasText: UNREACHABLE }).waitFor();
  assert.equal(await teamRow(popup).count(), 1);

  // The server comes back on the same port and data: Retry syncs, no trust step is asked.
  await ws.restart();
  const back = Date.now();
  await popup.getByRole('button', { name: 'Retry' }).click();
  await popup.locator('#sync-state:not(.unreachable)', { hasText: SYNCED_NOW }).waitFor({ timeout: 30_000 });
  assert.equal(await popup.getByRole('button', { name: 'Retry' }).isVisible(), false);
  await teamRow(popup).waitFor();
  const list = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'list' }));
  assert.equal(list.ok, true);
  assert.equal(list.sync.unreachable, null);
  assert.ok(list.sync.syncedAt >= back, 'a sync after the server came back');
  assert.equal(list.workspace.stage, 'trusted');
  assert.equal(list.workspace.locked, false);
  const now = await workspaceState(ctx);
  assert.equal(now.token, joined.token, 'the same session: no new trust step');
  assert.equal(now.deviceId, joined.deviceId);

  // The fill made while the server was away was kept and reported once it came back (read from the
  // server's SQLite file: Bob is no admin), with the time it happened, not the time it arrived.
  const reported = await waitFor(() => {
    const rows = execFileSync(
      'sqlite3',
      [
        '-cmd',
        '.timeout 5000',
        join(ws.dataDir, 'latchkey.db'),
        "SELECT detail FROM audit_events WHERE action = 'code.filled'",
      ],
      { encoding: 'utf8' },
    ).trim();
    return rows ? rows.split('\n').map((r) => JSON.parse(r)) : null;
  }, 'the fill made offline in the audit log');
  assert.equal(reported.length, 1, JSON.stringify(reported));
  assert.equal(reported[0].site, 'demo.localhost');
  assert.equal(reported[0].kind, 'totp');
  const filledAt = Number(reported[0].filledAt);
  assert.ok(filledAt >= Math.floor(before / 1000) - 1 && filledAt < back / 1000, `filled at ${filledAt}`);

  // The SMS wait resumed: the mark says it waits again, and the texted code arrives.
  await mark.filter({ hasText: SMS_WAITING }).waitFor({ timeout: 30_000 });
  await textTo(ws, SMS_TEXT);
  await sms.waitForFunction(
    (code) => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value === code,
    SMS_CODE,
    { timeout: 30_000 },
  );
  // Closed before the profile is removed (the browser writes to it while it runs).
  await ctx.close();
});
