// @ts-check
// Codes when the server is away, in Firefox (Chromium's: tests/e2e/offline.test.mjs). Bob joins and
// syncs; the server stops; Firefox suspends Latchkey's event page (idle timeout 3 s by pref), so
// what the background held in memory is gone and the next request starts it again with the server
// unreachable. The demo app's team code step is still filled, from this device's offline copy; the
// popup shows the code marked "Server unreachable" with Retry. The server comes back on the same
// port and data: Retry syncs again with the same session, and the fill made while it was away
// reaches the audit log with its time.
// Not here, unlike Chromium's: a browser restart on the same profile (the harness gives each
// session a fresh profile and a temporary add-on, which Firefox removes at exit).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { referenceCodesBetween } from '../e2e/harness.mjs';
import { TEAM } from '../e2e/offline.mjs';
import { BOB, startWorkspace } from '../e2e/workspace.mjs';
import { TEST_IDLE_MS, idleSuspendPrefs, launchFirefox, openPopup, waitIn, waitSuspended } from './firefox.mjs';
import { joinWithKit } from './workspace.mjs';

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

test('Firefox: with the server away and the event page suspended, the shared code fills from the copy', async (t) => {
  const ws = await startWorkspace(t);
  const ff = await launchFirefox(t, { prefs: idleSuspendPrefs(TEST_IDLE_MS) });
  await joinWithKit(ff, ws, BOB);
  const joinTab = await ff.handle();
  const popup = await openPopup(ff);
  await teamCode(ff);
  await syncSays(ff, 'Synced just now');

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
  await syncSays(ff, 'Server unreachable');
  await ff.screenshot('firefox-popup-offline');

  // The server comes back on the same port and data: Retry syncs, the same session.
  await ws.restart();
  const back = Date.now();
  await ff.press('Retry');
  await waitIn(
    ff,
    () => {
      const line = document.querySelector('#sync-state');
      return Boolean(line && !line.classList.contains('unreachable') && line.textContent?.includes('Synced just now'));
    },
    'the popup synced again',
  );
  const list = await ff.run(() => chrome.runtime.sendMessage({ type: 'list' }));
  assert.equal(list.sync.unreachable, null);
  assert.ok(list.sync.syncedAt >= back, 'a sync after the server came back');
  assert.equal(list.workspace.stage, 'trusted');
  assert.equal(list.workspace.locked, false);

  // The fill made while the server was away reached the audit log, with the time it happened.
  const deadline = Date.now() + 30_000;
  /** @type {Array<{site: string, kind: string, filledAt: number | string}>} */
  let reported = [];
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
    reported = rows ? rows.split('\n').map((r) => JSON.parse(r)) : [];
    if (reported.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(reported.length, 1, JSON.stringify(reported));
  assert.equal(reported[0].site, 'demo.localhost');
  assert.equal(reported[0].kind, 'totp');
  const filledAt = Number(reported[0].filledAt);
  assert.ok(filledAt >= Math.floor(before / 1000) - 1 && filledAt < back / 1000, `filled at ${filledAt}`);
});
