// @ts-check
// The shared demo account's keys across restarts, in Firefox with the built package against a real
// `latchkey serve --demo`: the restarts of Chromium's tests/e2e/workspace.test.mjs ("the shared
// demo account fills the demo app's code for Bob …"), what they check from
// tests/e2e/cases/workspace.mjs. The keys survive the background's restart (session key and saved
// key store); after a browser restart (session storage gone) the PIN opens the device keys, the user
// key is fetched again, and the shared code fills the demo app's code step.
// Firefox's differences: the background's restart is the event page suspended by its idle timeout
// (waitSuspended; Chromium stops the service worker over CDP); the browser restart is a real one,
// Firefox quit and started again on the kept profile with the package installed for good
// (launchOnProfile), where Chromium's test clears `storage.session` and stops the worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEY_STORE_FIELDS, LOCKED, TEAM_ACCOUNT, WORKSPACE_BANNER } from '../e2e/cases/workspace.mjs';
import { referenceCodesBetween } from '../e2e/harness.mjs';
import { BOB, PIN, startWorkspace } from '../e2e/workspace.mjs';
import {
  filledOtpIn,
  idleSuspendPrefs,
  keptProfile,
  launchOnProfile,
  openPopup,
  says,
  TEST_IDLE_MS,
  waitIn,
  waitSuspended,
} from './firefox.mjs';
import { heading, joinWithKit, sharedCodeShown, stored } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

test('Firefox: shared keys survive a suspended event page; after a browser restart the PIN opens them', async (t) => {
  const ws = await startWorkspace(t);
  const profile = await keptProfile(t, 'workspace');
  const prefs = idleSuspendPrefs(TEST_IDLE_MS);
  let ff = await launchOnProfile(t, profile, { prefs });
  await joinWithKit(ff, ws, BOB);
  const joinTab = await ff.handle();
  let popup = await openPopup(ff);
  await sharedCodeShown(ff, TEAM_ACCOUNT);
  await says(ff, '#ws-banner', WORKSPACE_BANNER);
  // The saved store is one sealed blob: the keys inside are named by what they are.
  const s = await stored(ff);
  assert.deepEqual(Object.keys(s.local.workspaceKeys), KEY_STORE_FIELDS, 'only the sealed key store is saved');

  // The event page suspended (Latchkey's pages closed): the code shows again with no PIN.
  await ff.closeTab(popup);
  await ff.closeTab(joinTab);
  await waitSuspended(ff);
  popup = await openPopup(ff);
  await sharedCodeShown(ff, TEAM_ACCOUNT);

  // Firefox quits and starts again on the same profile: locked until the PIN, then the code shows.
  await ff.quit();
  ff = await launchOnProfile(t, profile, { prefs });
  popup = await openPopup(ff);
  await says(ff, '#ws-banner', LOCKED);
  assert.equal((await stored(ff)).session.workspaceSession, undefined, 'session storage is gone after the restart');
  await ff.type('#ws-pin', PIN);
  await ff.click('#ws-pin-submit');
  await sharedCodeShown(ff, TEAM_ACCOUNT);

  // The demo app's team login: password, then the code step filled from the vault.
  await ff.newTab();
  await ff.go(`${ws.demo}/demo/login`);
  await ff.type('#email', 'team@northwind.test');
  await ff.type('#password', ws.signIn.teamPassword);
  const before = Date.now();
  await ff.click('form[action="/demo/login"] button');
  await heading(ff, 'Two-step verification');
  const code = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, before, Date.now()).includes(code), `filled ${code}`);
  await ff.click('form button[type=submit]');
  await waitIn(ff, () => document.body.textContent?.includes('Welcome, team@northwind.test'), 'the welcome page');
  await ff.switchTo(popup);
  // Quit before the profile is removed (Firefox writes to it while it runs).
  await ff.quit();
});
