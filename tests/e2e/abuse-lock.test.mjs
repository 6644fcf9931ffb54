// @ts-check
// Lock and the unlock PIN (docs/security.md, "The unlock PIN"), as an attacker at the browser tries it, in Chromium
// with
// the built extension against a real `latchkey serve --demo`. Before the unlock PIN, Unlock opened
// the vault again from the server's envelopes with no secret asked, and the device keys sat in
// storage beside the key that opens them. Now: after Lock, a stopped worker and a browser restart
// the shared codes are neither shown nor filled until the PIN is typed; nothing in storage opens the
// vault; wrong PINs are counted where only Latchkey's own pages can write; five wipe the device,
// which must join again; a content script cannot ask to unlock; the right PIN fills codes again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CHOOSE_FIRST,
  CHOOSE_PIN,
  CONTENT_SCRIPT_ASKS,
  DISABLED_ELSEWHERE,
  LOCKED,
  LOCKED_QUIET_MS,
  NEW_PIN,
  NO_PIN_TRIES,
  PAGE_ONLY,
  PIN_CHANGED,
  SHARED_ACCOUNT,
  TOO_EASY,
  WEAK_NEW_PIN,
  WEAK_PINS,
  WIPED,
  WIPED_KEYS,
  WRONG,
  triesLeft,
  wrongPinSays,
} from './cases/abuse-lock.mjs';
import { startGate } from './gate.mjs';
import {
  filledIn,
  inContentScript,
  keptProfile,
  launchBrowser,
  launchOnProfile,
  openPopup,
  screenshot,
  stopServiceWorker,
  worker,
} from './harness.mjs';
import {
  BOB,
  DASHBOARD_URL,
  PIN,
  api,
  choosePin,
  joinWithKit,
  startWorkspace,
  unlockWithPin,
  workspaceState,
} from './workspace.mjs';

/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */

/**
 * The demo app's team login, up to its code step (the shared account's site).
 * @param {BrowserContext} ctx @param {Awaited<ReturnType<typeof startWorkspace>>} ws
 */
async function teamCodeStep(ctx, ws) {
  const app = await ctx.newPage();
  await app.goto(`${ws.demo}/demo/login`);
  await app.locator('#email').fill('team@northwind.test');
  await app.locator('#password').fill(ws.signIn.teamPassword);
  await app.getByRole('button', { name: 'Sign in' }).click();
  await app.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  return app;
}

/** Everything the extension keeps, in both storage areas. @param {BrowserContext} ctx */
async function stored(ctx) {
  const sw = await worker(ctx);
  return sw.evaluate(async () => ({
    local: /** @type {Record<string, any>} */ (await chrome.storage.local.get(null)),
    session: /** @type {Record<string, any>} */ (await chrome.storage.session.get(null)),
  }));
}

/**
 * Types a wrong PIN in the popup and waits for its refusal.
 * @param {Page} popup @param {string} pin @param {string | RegExp} says
 */
async function wrongPin(popup, pin, says) {
  await popup.getByLabel('PIN or passphrase').fill(pin);
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await popup.locator('#ws-pin-error', { hasText: says }).waitFor({ timeout: 30_000 });
}

/** @param {Page} popup */
async function sharedCount(popup) {
  return popup.locator('li.account', { hasText: SHARED_ACCOUNT }).count();
}

// Replies that come late: requests sent before the fifth wrong PIN reach the server only after
// it has disabled the device (a long poll, a list loading). Their "disabled" replies must neither
// replace the reason the device was wiped nor wipe the membership it has joined since.
test('late replies neither change why the device was wiped nor undo its joining again', async (t) => {
  const ws = await startWorkspace(t);
  const gate = await startGate(t, ws.server);
  const ctx = await launchBrowser(t);
  const through = { ...ws, server: gate.url };
  await joinWithKit(ctx, through, BOB);
  const popup = await openPopup(ctx);
  await popup.getByRole('button', { name: 'Lock' }).click();
  await popup.locator('#ws-banner', { hasText: LOCKED }).waitFor();

  for (let i = 0; i < 4; i++) await wrongPin(popup, WRONG[i], wrongPinSays(4 - i));
  // Asked as the dashboard asks, from a page of its own (the popup reloads meanwhile), just before
  // the fifth wrong PIN; the answers must say the server's refusal, not a network failure.
  const asker = await openPopup(ctx);
  const ask = (/** @type {object} */ message) =>
    asker.evaluate((m) => chrome.runtime.sendMessage(m), message).then((r) => /** @type {any} */ (r));
  const devicesHeld = gate.hold('GET', '/api/v1/devices');
  const devicesLate = ask({ type: 'ws-devices' });
  const letDevicesThrough = await devicesHeld;
  const approvalsHeld = gate.hold('GET', '/api/v1/approvals');
  const approvalsLate = ask({ type: 'ws-approvals', wait: 20 }); // waits up to 30 s
  const letApprovalsThrough = await approvalsHeld;

  await popup.getByLabel('PIN or passphrase').fill(WRONG[4]);
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await popup.locator('#ws-banner', { hasText: WIPED[0] }).waitFor({ timeout: 30_000 });

  letDevicesThrough();
  assert.match((await devicesLate).error ?? 'served', /was disabled/, 'the disabled device was served its list');
  await popup.reload();
  await popup.locator('#ws-banner', { hasText: WIPED[0] }).waitFor();
  assert.equal(await popup.locator('#ws-banner', { hasText: DISABLED_ELSEWHERE }).count(), 0);

  await popup.getByRole('button', { name: 'OK' }).click();
  await joinWithKit(ctx, through, BOB);
  const joined = (await workspaceState(ctx)).token;
  letApprovalsThrough();
  assert.match((await approvalsLate).error ?? 'served', /was disabled/, 'the old device was served approvals');
  assert.equal((await workspaceState(ctx)).token, joined, 'a late reply undid the joining');
  await popup.reload();
  await popup.locator('li.account', { hasText: SHARED_ACCOUNT }).waitFor({ timeout: 30_000 });
  assert.equal(await popup.locator('#ws-banner', { hasText: WIPED[0] }).count(), 0);
});

// Wrong PINs are counted, five wipe the device; a content script cannot unlock.
test('after Lock, a stopped worker and a browser restart only the PIN opens the vault', async (t) => {
  const ws = await startWorkspace(t);
  const profile = await keptProfile(t, 'lock');
  let ctx = await launchOnProfile(profile);

  // Joining ends with Choose an unlock PIN; the obvious ones are refused with a reason.
  const joinPage = await joinWithKit(ctx, ws, BOB, { pin: null });
  for (const [pin, says] of WEAK_PINS) {
    await joinPage.getByLabel('Unlock PIN').fill(pin);
    await joinPage.getByLabel('Type it again').fill(pin);
    await joinPage.getByRole('button', { name: 'Save PIN' }).click();
    await joinPage.locator('#pin-error', { hasText: says }).waitFor();
  }
  await screenshot(joinPage, 'join-7c-pin-refused');
  await choosePin(joinPage, PIN);
  let s = await stored(ctx);
  assert.equal(typeof s.local.workspacePin?.locked, 'string', 'the device keys are PIN-locked');
  assert.equal(s.local.workspace.storageKey, undefined, 'the storage key beside the device keys is gone');
  assert.equal(s.local.workspace.deviceBlob, undefined);
  const token = (await workspaceState(ctx)).token;

  // Unlocked, the shared code fills the demo app's code step.
  let app = await teamCodeStep(ctx, ws);
  await filledIn(app.locator('#otp'));
  await app.close();

  // Lock: the shared account leaves the popup, no code is given or filled, and no key that opens
  // the vault is left in either storage area.
  const popup = await openPopup(ctx);
  await popup.getByRole('button', { name: 'Lock' }).click();
  await popup.locator('#ws-banner', { hasText: LOCKED }).waitFor();
  await screenshot(popup, 'popup-locked-pin');
  assert.equal(await sharedCount(popup), 0);
  const codes = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'codes' }));
  assert.equal(codes.ok, true);
  assert.deepEqual(
    codes.codes.filter((/** @type {{id: string}} */ c) => c.id.startsWith('ws:')),
    [],
    'no shared code while locked',
  );
  s = await stored(ctx);
  assert.equal(s.local.workspaceKeys, undefined, 'the key store blob is gone');
  assert.equal(s.session.workspaceSession, undefined, 'the session key is gone');
  assert.equal(s.local.workspace.storageKey, undefined);
  app = await teamCodeStep(ctx, ws);
  await app.waitForTimeout(LOCKED_QUIET_MS);
  assert.equal(await app.locator('#otp').inputValue(), '', 'a shared code was filled while locked');

  // The worker stopped as Chrome stops an idle one: still locked.
  await stopServiceWorker(ctx, popup);
  await popup.reload();
  await popup.locator('#ws-banner', { hasText: LOCKED }).waitFor();
  assert.equal(await sharedCount(popup), 0);

  // A wrong PIN is refused and counted, and the count survives the worker stopping.
  await wrongPin(popup, WRONG[0], wrongPinSays(4));
  assert.equal((await stored(ctx)).local.workspacePin.failures, 1);
  await screenshot(popup, 'popup-wrong-pin');
  await stopServiceWorker(ctx, popup);
  await popup.reload();
  await popup.locator('#ws-banner', { hasText: triesLeft(4) }).waitFor();

  // The browser restarts on the same profile: still locked, still counted.
  await ctx.close();
  ctx = await launchOnProfile(profile);
  const popup2 = await openPopup(ctx);
  await popup2.locator('#ws-banner', { hasText: LOCKED }).waitFor();
  await popup2.locator('#ws-banner', { hasText: triesLeft(4) }).waitFor();
  assert.equal(await sharedCount(popup2), 0);
  app = await teamCodeStep(ctx, ws);
  await app.waitForTimeout(LOCKED_QUIET_MS);
  assert.equal(await app.locator('#otp').inputValue(), '', 'a shared code was filled after the restart');

  // A content script cannot unlock, set or change the PIN, nor reset the count.
  for (const message of CONTENT_SCRIPT_ASKS) {
    const { value: reply } = await inContentScript(ctx, app, `chrome.runtime.sendMessage(${JSON.stringify(message)})`);
    assert.deepEqual(reply, PAGE_ONLY, message.type);
  }
  const { value: write } = await inContentScript(
    ctx,
    app,
    `chrome.storage.local.set({ workspacePin: { failures: 0 } }).then(() => 'written', (e) => 'refused: ' + e.message)`,
  );
  assert.match(String(write), /^refused/, `a content script wrote the PIN state: ${write}`);
  assert.equal((await stored(ctx)).local.workspacePin.failures, 1);
  await popup2.reload();
  await popup2.locator('#ws-banner', { hasText: LOCKED }).waitFor();

  // The right PIN opens the vault; the count is cleared and the code fills again.
  await unlockWithPin(popup2, PIN);
  await popup2
    .locator('li.account', { hasText: SHARED_ACCOUNT })
    .locator('.digits')
    .filter({ hasText: /\d{3} \d{3}/ })
    .waitFor({ timeout: 30_000 });
  assert.equal((await stored(ctx)).local.workspacePin.failures, 0);
  await app.reload();
  await app.close();
  app = await teamCodeStep(ctx, ws);
  await filledIn(app.locator('#otp'));

  // Changing the PIN needs the current one (a wrong one counts); the old PIN then opens nothing.
  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  const changeForm = dashboard.locator('#pin-change-form');
  await changeForm.getByLabel('Current PIN').fill(WRONG[1]);
  await changeForm.getByLabel('New PIN or passphrase').fill(NEW_PIN);
  await changeForm.getByLabel('Type the new one again').fill(NEW_PIN);
  await changeForm.getByRole('button', { name: 'Change PIN' }).click();
  await dashboard.locator('#pin-change-status', { hasText: wrongPinSays(4) }).waitFor({ timeout: 30_000 });
  await changeForm.getByLabel('Current PIN').fill(PIN);
  await changeForm.getByLabel('New PIN or passphrase').fill(WEAK_NEW_PIN);
  await changeForm.getByLabel('Type the new one again').fill(WEAK_NEW_PIN);
  await changeForm.getByRole('button', { name: 'Change PIN' }).click();
  await dashboard.locator('#pin-change-status', { hasText: TOO_EASY }).waitFor();
  assert.equal((await stored(ctx)).local.workspacePin.failures, 1, 'a weak new PIN costs no try');
  await changeForm.getByLabel('Current PIN').fill(PIN);
  await changeForm.getByLabel('New PIN or passphrase').fill(NEW_PIN);
  await changeForm.getByLabel('Type the new one again').fill(NEW_PIN);
  await changeForm.getByRole('button', { name: 'Change PIN' }).click();
  await dashboard.locator('#pin-change-status', { hasText: PIN_CHANGED }).waitFor({ timeout: 30_000 });
  await screenshot(dashboard, 'dashboard-change-pin');
  await popup2.reload();
  await popup2.getByRole('button', { name: 'Lock' }).click();
  await wrongPin(popup2, PIN, wrongPinSays(4));
  await unlockWithPin(popup2, NEW_PIN);
  await popup2.locator('li.account', { hasText: SHARED_ACCOUNT }).waitFor({ timeout: 30_000 });

  // Five wrong PINs in a row: the device's keys are wiped, the server disables it, and it says why.
  await popup2.getByRole('button', { name: 'Lock' }).click();
  for (let i = 0; i < 4; i++) {
    await wrongPin(popup2, WRONG[i], wrongPinSays(4 - i));
  }
  await popup2.getByLabel('PIN or passphrase').fill(WRONG[4]);
  await popup2.getByRole('button', { name: 'Unlock' }).click();
  await popup2.locator('#ws-banner', { hasText: WIPED[0] }).waitFor({ timeout: 30_000 });
  await popup2.locator('#ws-banner', { hasText: WIPED[1] }).waitFor();
  await screenshot(popup2, 'popup-wiped-pin');
  assert.equal(await sharedCount(popup2), 0);
  s = await stored(ctx);
  for (const key of WIPED_KEYS) assert.equal(s.local[key], undefined, `${key} is still stored`);
  assert.equal(s.session.workspaceSession, undefined);
  await assert.rejects(api(ws.server, token, 'GET', '/me'), /401|403/, 'the server still serves the wiped device');

  // The device joins again: the e-mailed code and the Recovery Kit, a new PIN; codes fill again.
  await popup2.getByRole('button', { name: 'OK' }).click();
  await joinWithKit(ctx, ws, BOB);
  await popup2.reload();
  await popup2
    .locator('li.account', { hasText: SHARED_ACCOUNT })
    .locator('.digits')
    .filter({ hasText: /\d{3} \d{3}/ })
    .waitFor({ timeout: 30_000 });
  await app.close();
  app = await teamCodeStep(ctx, ws);
  await filledIn(app.locator('#otp'));
});

// From before PINs, or one that left the join page at that step.
test('a trusted device without a PIN keeps the vault closed until it chooses one', async (t) => {
  const ws = await startWorkspace(t);
  const profile = await keptProfile(t, 'lock');
  const ctx = await launchOnProfile(profile);
  const joinPage = await joinWithKit(ctx, ws, BOB, { pin: null });
  await joinPage.close();
  // What a device trusted before this change keeps: the device keys beside their storage key.
  const before = await workspaceState(ctx);
  assert.equal(before.stage, 'trusted');
  assert.equal(typeof before.storageKey, 'string');

  const popup = await openPopup(ctx);
  await popup.locator('#ws-banner', { hasText: CHOOSE_PIN }).waitFor();
  assert.equal(await sharedCount(popup), 0, 'the vault opened without a PIN');
  const codes = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'codes' }));
  assert.deepEqual(
    codes.codes.filter((/** @type {{id: string}} */ c) => c.id.startsWith('ws:')),
    [],
  );
  const unlock = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ws-unlock', pin: '730519' }));
  assert.deepEqual(unlock, CHOOSE_FIRST);
  await screenshot(popup, 'popup-choose-pin');

  await popup.getByLabel('New PIN or passphrase').fill(NO_PIN_TRIES.weak);
  await popup.getByLabel('Type it again').fill(NO_PIN_TRIES.weak);
  await popup.getByRole('button', { name: 'Save PIN' }).click();
  await popup.locator('#ws-pin-error', { hasText: TOO_EASY }).waitFor();
  await popup.getByLabel('New PIN or passphrase').fill(NO_PIN_TRIES.passphrase);
  await popup.getByLabel('Type it again').fill(NO_PIN_TRIES.typo);
  await popup.getByRole('button', { name: 'Save PIN' }).click();
  await popup.locator('#ws-pin-error', { hasText: NO_PIN_TRIES.differ }).waitFor();
  await popup.getByLabel('New PIN or passphrase').fill(NO_PIN_TRIES.passphrase);
  await popup.getByLabel('Type it again').fill(NO_PIN_TRIES.passphrase);
  await popup.getByRole('button', { name: 'Save PIN' }).click();
  await popup
    .locator('li.account', { hasText: SHARED_ACCOUNT })
    .locator('.digits')
    .filter({ hasText: /\d{3} \d{3}/ })
    .waitFor({ timeout: 30_000 });
  const after = await workspaceState(ctx);
  assert.equal(after.storageKey, undefined, 'the storage key stayed beside the device keys');
  assert.equal(after.deviceBlob, undefined);

  // From now on the passphrase is what opens it.
  await popup.getByRole('button', { name: 'Lock' }).click();
  await unlockWithPin(popup, NO_PIN_TRIES.passphrase);
  await popup.locator('li.account', { hasText: SHARED_ACCOUNT }).waitFor({ timeout: 30_000 });
});
