// @ts-check
// Codes when the server is away, in Firefox (Chromium's: tests/e2e/offline.test.mjs). First test: Bob
// joins and syncs; the server stops; Firefox suspends Latchkey's event page (idle timeout 3 s by
// pref), so what the background held in memory is gone and the next request starts it again with
// the server unreachable. The demo app's team code step is still filled, from this device's offline
// copy; the popup shows the code marked "Server unreachable" with Retry. The server comes back on
// the same port and data: Retry syncs again with the same session, and the fill made while it was
// away reaches the audit log with its time.
// Second test, Chromium's browser restart: the same with Firefox quit and started again on the kept
// profile (launchOnProfile: Latchkey installed for good, as a temporary add-on leaves with its data
// at exit): locked until the PIN, then the copy's codes shown and filled, an SMS step says the inbox
// cannot be reached; the server back, Retry syncs with the same session, the offline fill reaches
// the audit log and the texted code fills. What is checked and answered: tests/e2e/cases/offline.mjs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
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
} from '../e2e/cases/offline.mjs';
import { referenceCodesBetween, startFixtures } from '../e2e/harness.mjs';
import { TEAM } from '../e2e/offline.mjs';
import { textTo } from '../e2e/sms.mjs';
import { BOB, PIN, startWorkspace } from '../e2e/workspace.mjs';
import {
  filledOtpIn,
  idleSuspendPrefs,
  keptProfile,
  launchFirefox,
  launchOnProfile,
  openPopup,
  says,
  TEST_IDLE_MS,
  waitIn,
  waitSuspended,
} from './firefox.mjs';
import { heading, joinWithKit, stored, workspaceToken } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/** The team account's code in the popup (the current tab), digits only, once it shows one. @param {Firefox} ff */
const teamCode = (ff) =>
  waitIn(
    ff,
    (team) => {
      const row = [...document.querySelectorAll('li.account')].find((li) => li.textContent?.includes(team));
      const digits = (row?.querySelector('.digits')?.textContent ?? '').replace(/\s/g, '');
      return /^\d{6}$/.test(digits) ? digits : null;
    },
    'the team account’s code in the popup',
    TEAM,
  );

/** Waits until the popup's sync line (the current tab) says `text`. @param {Firefox} ff @param {string} text */
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

/** Waits until the popup's sync line (the current tab) says synced, not unreachable. @param {Firefox} ff */
const syncedAgain = (ff) =>
  waitIn(
    ff,
    (x) => {
      const line = document.querySelector('#sync-state');
      return Boolean(line && !line.classList.contains('unreachable') && line.textContent?.includes(x));
    },
    'the popup synced again',
    SYNCED_NOW,
  );

/**
 * The code fills in the server's audit log, once there is one (read from its SQLite file: Bob is no
 * admin). @param {Awaited<ReturnType<typeof startWorkspace>>} ws
 * @returns {Promise<Array<{site: string, kind: string, filledAt: number | string}>>}
 */
async function auditedFills(ws) {
  const deadline = Date.now() + 30_000;
  for (;;) {
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
    if (rows || Date.now() > deadline) return rows ? rows.split('\n').map((r) => JSON.parse(r)) : [];
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many of the popup's (the current tab) accounts are the team's. @param {Firefox} ff */
const teamCount = (ff) =>
  ff.run(
    (team) => [...document.querySelectorAll('li.account')].filter((li) => li.textContent?.includes(team)).length,
    TEAM,
  );

test('Firefox: with the server away and the event page suspended, the shared code fills from the copy', async (t) => {
  const ws = await startWorkspace(t);
  const ff = await launchFirefox(t, { prefs: idleSuspendPrefs(TEST_IDLE_MS) });
  await joinWithKit(ff, ws, BOB);
  const joinTab = await ff.handle();
  const popup = await openPopup(ff);
  await teamCode(ff);
  await syncSays(ff, SYNCED_NOW);

  // The server goes away; Latchkey's pages close and the background is suspended.
  await ws.stop();
  await ff.closeTab(popup);
  await ff.closeTab(joinTab);
  await waitSuspended(ff);

  // The demo app's team code step is filled from the copy.
  await ff.newTab();
  await ff.go(`${ws.demo}/demo/login`);
  await ff.type('#email', 'team@northwind.test');
  await ff.type('#password', ws.signIn.teamPassword);
  const before = Date.now();
  await ff.click('form[action="/demo/login"] button');
  const filled = await waitIn(
    ff,
    () => {
      const v = /** @type {HTMLInputElement | null} */ (document.querySelector('#otp'))?.value ?? '';
      return /^\d{6}$/.test(v) ? v : null;
    },
    'the shared account’s code in #otp',
  );
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, before, Date.now()).includes(filled), `filled ${filled}`);
  await ff.click('form button[type=submit]');
  await waitIn(ff, () => document.body.textContent?.includes('Welcome, team@northwind.test'), 'the welcome page');

  // The popup shows the code from the copy, and says the server cannot be reached.
  await openPopup(ff);
  const shownFrom = Date.now();
  const shown = await teamCode(ff);
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, shownFrom - 1000, Date.now()).includes(shown));
  await syncSays(ff, UNREACHABLE);
  await ff.screenshot('firefox-popup-offline');

  // The server comes back on the same port and data: Retry syncs, the same session.
  await ws.restart();
  const back = Date.now();
  await ff.press('Retry');
  await syncedAgain(ff);
  const list = await ff.run(() => chrome.runtime.sendMessage({ type: 'list' }));
  assert.equal(list.sync.unreachable, null);
  assert.ok(list.sync.syncedAt >= back, 'a sync after the server came back');
  assert.equal(list.workspace.stage, 'trusted');
  assert.equal(list.workspace.locked, false);

  // The fill made while the server was away reached the audit log, with the time it happened.
  const reported = await auditedFills(ws);
  assert.equal(reported.length, 1, JSON.stringify(reported));
  assert.equal(reported[0].site, 'demo.localhost');
  assert.equal(reported[0].kind, 'totp');
  const filledAt = Number(reported[0].filledAt);
  assert.ok(filledAt >= Math.floor(before / 1000) - 1 && filledAt < back / 1000, `filled at ${filledAt}`);
});

test('Firefox: server away, browser restarted: codes show and fill from the copy; the server comes back', async (t) => {
  const ws = await startWorkspace(t);
  const fixtures = await startFixtures(t);
  const profile = await keptProfile(t, 'offline');
  let ff = await launchOnProfile(t, profile);
  await joinWithKit(ff, ws, BOB);
  const joined = (await stored(ff)).local.workspace;

  // Synced: the popup lists the shared account and says the data is fresh.
  await openPopup(ff);
  await teamCode(ff);
  await syncSays(ff, SYNCED_NOW);
  assert.equal(await ff.run(() => document.querySelector('#sync-retry')?.checkVisibility() ?? false), false);
  // The copy is on the device, and nothing of the vault reads in clear there.
  const copy = (await stored(ff)).local.workspaceVaultCopy;
  assert.equal(typeof copy, 'string', 'the offline copy was written');
  const raw = Buffer.from(copy, 'base64url').toString('latin1');
  for (const clear of COPY_CLEAR) assert.ok(!raw.includes(clear), `the copy holds ${clear} in clear`);

  // The server goes away; Firefox quits and starts again on the same profile.
  await ws.stop();
  await ff.quit();
  ff = await launchOnProfile(t, profile);
  const popup = await openPopup(ff);
  // Locked after the restart: nothing shows until the PIN.
  await says(ff, '#ws-banner', LOCKED);
  assert.equal(await teamCount(ff), 0);
  assert.equal(await ff.run(() => document.querySelector('#sync-state')?.checkVisibility() ?? false), false);
  await ff.type('#ws-pin', PIN);
  await ff.click('#ws-pin-submit');

  // The shared code shows, from the copy, with its age and the server's absence.
  const shownFrom = Date.now();
  const shown = await teamCode(ff);
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, shownFrom - 1000, Date.now()).includes(shown));
  await syncSays(ff, UNREACHABLE);
  await waitIn(
    ff,
    (re) => new RegExp(re).test(document.querySelector('#sync-state')?.textContent ?? ''),
    `${SYNCED_AGO} in the popup’s sync line`,
    SYNCED_AGO.source,
  );
  await syncSays(ff, NO_TEXTS);
  assert.equal(await ff.run(() => document.querySelector('#sync-retry')?.checkVisibility() ?? false), true);
  await ff.screenshot('firefox-popup-offline-restart');

  // The demo app's code step is filled from the copy.
  await ff.newTab();
  await ff.go(`${ws.demo}/demo/login`);
  await ff.type('#email', 'team@northwind.test');
  await ff.type('#password', ws.signIn.teamPassword);
  const before = Date.now();
  await ff.click('form[action="/demo/login"] button');
  await heading(ff, 'Two-step verification');
  const filled = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, before, Date.now()).includes(filled), `filled ${filled}`);
  await ff.click('form button[type=submit]');
  await waitIn(ff, () => document.body.textContent?.includes('Welcome, team@northwind.test'), 'the welcome page');

  // An SMS step says the inbox cannot be reached, instead of waiting silently.
  const sms = await ff.newTab();
  await ff.go(fixtures.url('demo', 'sms-verify.html'));
  /** @param {string} text */
  const markSays = (text) =>
    waitIn(
      ff,
      (x) => document.querySelector('[data-latchkey="mark"]')?.textContent?.includes(x),
      `“${text}” in the SMS step’s mark`,
      text,
    );
  await markSays(SMS_UNREACHABLE);
  await ff.screenshot('firefox-sms-inbox-unreachable');

  // Retry while still away: still unreachable, the codes still there.
  await ff.switchTo(popup);
  await ff.press('Retry');
  await syncSays(ff, UNREACHABLE);
  assert.equal(await teamCount(ff), 1);

  // The server comes back on the same port and data: Retry syncs, no trust step is asked.
  await ws.restart();
  const back = Date.now();
  await ff.press('Retry');
  await syncedAgain(ff);
  assert.equal(await ff.run(() => document.querySelector('#sync-retry')?.checkVisibility() ?? false), false);
  await teamCode(ff);
  const list = await ff.run(() => chrome.runtime.sendMessage({ type: 'list' }));
  assert.equal(list.ok, true);
  assert.equal(list.sync.unreachable, null);
  assert.ok(list.sync.syncedAt >= back, 'a sync after the server came back');
  assert.equal(list.workspace.stage, 'trusted');
  assert.equal(list.workspace.locked, false);
  assert.equal(await workspaceToken(ff), joined.token, 'the same session: no new trust step');
  assert.equal((await stored(ff)).local.workspace.deviceId, joined.deviceId);

  // The fill made while the server was away was kept and reported once it came back, with the time
  // it happened, not the time it arrived.
  const reported = await auditedFills(ws);
  assert.equal(reported.length, 1, JSON.stringify(reported));
  assert.equal(reported[0].site, 'demo.localhost');
  assert.equal(reported[0].kind, 'totp');
  const filledAt = Number(reported[0].filledAt);
  assert.ok(filledAt >= Math.floor(before / 1000) - 1 && filledAt < back / 1000, `filled at ${filledAt}`);

  // The SMS wait resumed: the mark says it waits again, and the texted code arrives.
  await ff.switchTo(sms);
  await markSays(SMS_WAITING);
  await textTo(ws, SMS_TEXT);
  await waitIn(
    ff,
    (code) => /** @type {HTMLInputElement | null} */ (document.getElementById('otp'))?.value === code,
    'the texted code in #otp',
    SMS_CODE,
  );
  // Quit before the profile is removed (Firefox writes to it while it runs).
  await ff.quit();
});
