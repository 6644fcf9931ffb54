// @ts-check
// Lock and the unlock PIN (docs/security.md, "The unlock PIN") as an attacker at the browser tries
// it, in Firefox with the built package against a real `latchkey serve --demo`: Chromium's
// tests/e2e/abuse-lock.test.mjs, its attacks and answers from tests/e2e/cases/abuse-lock.mjs. After
// Lock, a suspended event page and a browser restart the shared codes are neither shown nor filled
// until the PIN is typed; nothing in storage opens the vault; wrong PINs are counted where only
// Latchkey's own pages can write; five wipe the device, which must join again; a content script can
// neither ask to unlock nor reset the count; the right PIN fills codes again.
// Firefox's differences: the event page is suspended by its idle timeout (waitSuspended), not by
// CDP; the restart is on a kept profile with the package installed for good (launchOnProfile: a
// temporary add-on leaves with its data when Firefox exits); the content script is a probe added
// to a copy of the package. Firefox lets a content script write `storage.local` (Chromium refuses
// it): the attack's write lands there, and the count Latchkey keeps (its origin's IndexedDB) must
// not move.
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
} from '../e2e/cases/abuse-lock.mjs';
import { startGate } from '../e2e/gate.mjs';
import { BOB, PIN, api, startWorkspace } from '../e2e/workspace.mjs';
import {
  askProbe,
  BASE,
  filledOtpIn,
  idleSuspendPrefs,
  keptProfile,
  launchFirefox,
  launchOnProfile,
  openPopup,
  says,
  staysEmptyIn,
  TEST_IDLE_MS,
  waitIn,
  waitSuspended,
  zippedPackageWithProbe,
} from './firefox.mjs';
import { heading, joinWithKit, sharedCodes, sharedCodeShown, stored, teamCodeStep } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * What code that took over a content script does when the page asks (a `latchkey-probe` event):
 * sends a message to the background, or writes items wherever a content script can (storage.local,
 * and the IndexedDB a content script opens, the page's); the answer goes back into the DOM.
 */
const PROBE = `const answer = (r) => { document.documentElement.dataset.probeReply = JSON.stringify(r ?? null); };
const fail = (err) => answer({ thrown: String(err && err.message) });
const writeEverywhere = async (items) => ({
  local: await chrome.storage.local.set(items).then(() => 'written', (e) => 'refused: ' + e.message),
  indexedDb: await new Promise((resolve) => {
    const open = indexedDB.open('latchkey', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('local');
    open.onerror = () => resolve('refused: ' + open.error);
    open.onsuccess = () => {
      const t = open.result.transaction('local', 'readwrite');
      for (const [k, v] of Object.entries(items)) t.objectStore('local').put(JSON.stringify(v), k);
      t.oncomplete = () => resolve('written');
      t.onerror = () => resolve('refused: ' + t.error);
    };
  }),
});
document.addEventListener('latchkey-probe', (e) => {
  const ask = JSON.parse(String(e.detail));
  if (ask.message) chrome.runtime.sendMessage(ask.message).then(answer, fail);
  else writeEverywhere(ask.write).then(answer, fail);
});
document.documentElement.dataset.probeReady = '1';
`;

/** How many of the popup's (the current tab) accounts are the shared one. @param {Firefox} ff */
const sharedCount = (ff) =>
  ff.run(
    (name) => [...document.querySelectorAll('li.account')].filter((li) => li.textContent?.includes(name)).length,
    SHARED_ACCOUNT,
  );

/** Types a PIN in the popup's PIN box (the current tab) and submits it. @param {Firefox} ff @param {string} pin */
async function submitPin(ff, pin) {
  await ff.type('#ws-pin', pin);
  await ff.click('#ws-pin-submit');
}

/** A wrong PIN in the popup, and its refusal. @param {Firefox} ff @param {string} pin @param {string} text */
async function wrongPin(ff, pin, text) {
  await submitPin(ff, pin);
  await says(ff, '#ws-pin-error', text);
}

/** Loads the popup (the current tab) again, as a person opens it again. @param {Firefox} ff */
async function reloadPopup(ff) {
  await ff.run(() => {
    document.documentElement.dataset.old = '1';
    location.reload();
  });
  await waitIn(
    ff,
    () => !document.documentElement.dataset.old && /core/.test(document.querySelector('#version')?.textContent ?? ''),
    'the popup loaded again',
  );
}

/** The code step stays empty (the time is what is checked). @param {Firefox} ff @param {string} what */
const codeStepStaysEmpty = (ff, what) => staysEmptyIn(ff, LOCKED_QUIET_MS, what, { fields: '#otp' });

test('Firefox: after Lock, a suspended event page and a browser restart only the PIN opens the vault', async (t) => {
  const ws = await startWorkspace(t);
  const profile = await keptProfile(t, 'lock');
  const addon = await zippedPackageWithProbe(t, PROBE);
  const prefs = idleSuspendPrefs(TEST_IDLE_MS);
  let ff = await launchOnProfile(t, profile, { addon, prefs });

  // Joining ends with Choose an unlock PIN; the obvious ones are refused with a reason.
  await joinWithKit(ff, ws, BOB, { pin: null });
  const joinTab = await ff.handle();
  for (const [pin, reason] of WEAK_PINS) {
    await ff.type('#pin-new', pin);
    await ff.type('#pin-again', pin);
    await ff.press('Save PIN');
    await says(ff, '#pin-error', reason);
  }
  await ff.type('#pin-new', PIN);
  await ff.type('#pin-again', PIN);
  await ff.press('Save PIN');
  await heading(ff, 'This device is trusted');
  let s = await stored(ff);
  assert.equal(typeof s.local.workspacePin?.locked, 'string', 'the device keys are PIN-locked');
  assert.equal(s.local.workspace.storageKey, undefined, 'the storage key beside the device keys is gone');
  assert.equal(s.local.workspace.deviceBlob, undefined);
  const token = s.local.workspace.token;

  // Unlocked, the shared code fills the demo app's code step.
  let app = await teamCodeStep(ff, ws);
  await filledOtpIn(ff);
  await ff.closeTab(app);

  // Lock: the shared account leaves the popup, no code is given or filled, and no key that opens
  // the vault is left in either storage area.
  let popup = await openPopup(ff);
  await ff.press('Lock');
  await says(ff, '#ws-banner', LOCKED);
  assert.equal(await sharedCount(ff), 0);
  assert.deepEqual(await sharedCodes(ff), [], 'no shared code while locked');
  s = await stored(ff);
  assert.equal(s.local.workspaceKeys, undefined, 'the key store blob is gone');
  assert.equal(s.session.workspaceSession, undefined, 'the session key is gone');
  assert.equal(s.local.workspace.storageKey, undefined);
  app = await teamCodeStep(ff, ws);
  await codeStepStaysEmpty(ff, 'a shared code while locked');

  // The event page suspended as Firefox suspends an idle one (Latchkey's pages closed): still locked.
  await ff.closeTab(popup);
  await ff.closeTab(joinTab);
  await waitSuspended(ff);
  popup = await openPopup(ff);
  await says(ff, '#ws-banner', LOCKED);
  assert.equal(await sharedCount(ff), 0);

  // A wrong PIN is refused and counted, and the count survives the event page's suspension.
  await wrongPin(ff, WRONG[0], wrongPinSays(4));
  assert.equal((await stored(ff)).local.workspacePin.failures, 1);
  await ff.closeTab(popup);
  await waitSuspended(ff);
  popup = await openPopup(ff);
  await says(ff, '#ws-banner', triesLeft(4));

  // Firefox restarts on the same profile: the add-on is still there, still locked, still counted.
  await ff.quit();
  ff = await launchOnProfile(t, profile, { addon, prefs });
  const popup2 = await openPopup(ff);
  await says(ff, '#ws-banner', LOCKED);
  await says(ff, '#ws-banner', triesLeft(4));
  assert.equal(await sharedCount(ff), 0);
  assert.equal((await stored(ff)).local.workspacePin.failures, 1, 'the count was kept across the restart');
  app = await teamCodeStep(ff, ws);
  await codeStepStaysEmpty(ff, 'a shared code after the restart');

  // A content script cannot unlock, set or change the PIN, nor reset the count.
  for (const message of CONTENT_SCRIPT_ASKS) {
    assert.deepEqual(await askProbe(ff, { message }), PAGE_ONLY, message.type);
  }
  const wrote = await askProbe(ff, { write: { workspacePin: { failures: 0 } } });
  await ff.switchTo(popup2);
  assert.equal(
    (await stored(ff)).local.workspacePin.failures,
    1,
    `the content script reset the count: ${JSON.stringify(wrote)}`,
  );
  await reloadPopup(ff);
  await says(ff, '#ws-banner', LOCKED);
  await says(ff, '#ws-banner', triesLeft(4));

  // The right PIN opens the vault; the count is cleared and the code fills again.
  await submitPin(ff, PIN);
  await sharedCodeShown(ff, SHARED_ACCOUNT);
  assert.equal((await stored(ff)).local.workspacePin.failures, 0);
  await ff.closeTab(app);
  app = await teamCodeStep(ff, ws);
  await filledOtpIn(ff);

  // Changing the PIN needs the current one (a wrong one counts); the old PIN then opens nothing.
  await ff.openExtensionPage(`${BASE}extension/dashboard/dashboard.html`);
  /** @param {string} current @param {string} next */
  const change = async (current, next) => {
    await waitIn(ff, () => document.querySelector('#pin-current')?.checkVisibility(), 'the Change PIN form');
    await ff.type('#pin-current', current);
    await ff.type('#pin-next', next);
    await ff.type('#pin-next-again', next);
    await ff.click('#pin-change-form button[type=submit]');
  };
  await change(WRONG[1], NEW_PIN);
  await says(ff, '#pin-change-status', wrongPinSays(4));
  await change(PIN, WEAK_NEW_PIN);
  await says(ff, '#pin-change-status', TOO_EASY);
  assert.equal((await stored(ff)).local.workspacePin.failures, 1, 'a weak new PIN costs no try');
  await change(PIN, NEW_PIN);
  await says(ff, '#pin-change-status', PIN_CHANGED);
  await ff.switchTo(popup2);
  await reloadPopup(ff);
  await ff.press('Lock');
  await wrongPin(ff, PIN, wrongPinSays(4));
  await submitPin(ff, NEW_PIN);
  await sharedCodeShown(ff, SHARED_ACCOUNT);

  // Five wrong PINs in a row: the device's keys are wiped, the server disables it, and it says why.
  await ff.press('Lock');
  for (let i = 0; i < 4; i++) await wrongPin(ff, WRONG[i], wrongPinSays(4 - i));
  await submitPin(ff, WRONG[4]);
  for (const text of WIPED) await says(ff, '#ws-banner', text);
  assert.equal(await sharedCount(ff), 0);
  s = await stored(ff);
  for (const key of WIPED_KEYS) assert.equal(s.local[key], undefined, `${key} is still stored`);
  assert.equal(s.session.workspaceSession, undefined);
  await assert.rejects(api(ws.server, token, 'GET', '/me'), /401|403/, 'the server still serves the wiped device');

  // The device joins again: the e-mailed code and the Recovery Kit, a new PIN; codes fill again.
  await ff.press('OK');
  await joinWithKit(ff, ws, BOB);
  await ff.switchTo(popup2);
  await reloadPopup(ff);
  await sharedCodeShown(ff, SHARED_ACCOUNT);
  await ff.closeTab(app);
  await teamCodeStep(ff, ws);
  await filledOtpIn(ff);
});

// The twin of the Chromium test: requests sent just before the fifth wrong PIN reach the server
// only after it has disabled the device; their "disabled" replies must neither replace the reason
// the device was wiped nor wipe the membership it has joined since.
test('Firefox: late replies neither change why the device was wiped nor undo its joining again', async (t) => {
  const ws = await startWorkspace(t);
  const gate = await startGate(t, ws.server);
  const ff = await launchFirefox(t);
  const through = { ...ws, server: gate.url };
  await joinWithKit(ff, through, BOB);
  const popup = await openPopup(ff);
  await ff.press('Lock');
  await says(ff, '#ws-banner', LOCKED);
  for (let i = 0; i < 4; i++) await wrongPin(ff, WRONG[i], wrongPinSays(4 - i));

  // Asked as the dashboard asks, from a tab of its own: WebDriver runs one command at a time, so
  // the replies are kept in that page rather than awaited.
  const asker = await openPopup(ff);
  /** @param {string} key @param {object} message */
  const ask = (key, message) =>
    ff.run(
      (k, m) => {
        chrome.runtime.sendMessage(m).then((r) => {
          document.documentElement.dataset[k] = JSON.stringify(r);
        });
        return true;
      },
      key,
      message,
    );
  /** The refusal a late reply carried (the asker tab is made current). @param {string} key */
  const lateError = async (key) => {
    await ff.switchTo(asker);
    const reply = await waitIn(ff, (k) => document.documentElement.dataset[k], `the late ${key} reply`, key);
    return String(JSON.parse(reply).error ?? 'served');
  };
  const devicesHeld = gate.hold('GET', '/api/v1/devices');
  await ask('devices', { type: 'ws-devices' });
  const letDevicesThrough = await devicesHeld;
  const approvalsHeld = gate.hold('GET', '/api/v1/approvals');
  await ask('approvals', { type: 'ws-approvals', wait: 20 }); // waits up to 30 s
  const letApprovalsThrough = await approvalsHeld;

  await ff.switchTo(popup);
  await submitPin(ff, WRONG[4]);
  await says(ff, '#ws-banner', WIPED[0]);
  letDevicesThrough();
  assert.match(await lateError('devices'), /was disabled/, 'the disabled device was served its list');
  await ff.switchTo(popup);
  await reloadPopup(ff);
  await says(ff, '#ws-banner', WIPED[0]);
  const banner = await ff.run(() => document.querySelector('#ws-banner')?.textContent ?? '');
  assert.ok(!banner.includes(DISABLED_ELSEWHERE), `the reason was replaced: ${banner}`);

  await ff.press('OK');
  await joinWithKit(ff, through, BOB);
  const joined = (await stored(ff)).local.workspace?.token;
  assert.ok(joined);
  letApprovalsThrough();
  assert.match(await lateError('approvals'), /was disabled/, 'the old device was served approvals');
  assert.equal((await stored(ff)).local.workspace?.token, joined, 'a late reply undid the joining');
  await ff.switchTo(popup);
  await reloadPopup(ff);
  await sharedCodeShown(ff, SHARED_ACCOUNT);
});

test('Firefox: a trusted device without a PIN keeps the vault closed until it chooses one', async (t) => {
  const ws = await startWorkspace(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, BOB, { pin: null });
  // What a device trusted before PINs keeps: the device keys beside their storage key.
  const before = (await stored(ff)).local.workspace;
  assert.equal(before.stage, 'trusted');
  assert.equal(typeof before.storageKey, 'string');
  await ff.closeTab(await ff.handle());

  await openPopup(ff);
  await says(ff, '#ws-banner', CHOOSE_PIN);
  assert.equal(await sharedCount(ff), 0, 'the vault opened without a PIN');
  assert.deepEqual(await sharedCodes(ff), []);
  const unlock = await ff.run(() => chrome.runtime.sendMessage({ type: 'ws-unlock', pin: '730519' }));
  assert.deepEqual(unlock, CHOOSE_FIRST);

  /** @param {string} pin @param {string} again */
  const choose = async (pin, again) => {
    await ff.type('#ws-pin', pin);
    await ff.type('#ws-pin-again', again);
    await ff.click('#ws-pin-submit');
  };
  await choose(NO_PIN_TRIES.weak, NO_PIN_TRIES.weak);
  await says(ff, '#ws-pin-error', TOO_EASY);
  await choose(NO_PIN_TRIES.passphrase, NO_PIN_TRIES.typo);
  await says(ff, '#ws-pin-error', NO_PIN_TRIES.differ);
  await choose(NO_PIN_TRIES.passphrase, NO_PIN_TRIES.passphrase);
  await sharedCodeShown(ff, SHARED_ACCOUNT);
  const after = (await stored(ff)).local.workspace;
  assert.equal(after.storageKey, undefined, 'the storage key stayed beside the device keys');
  assert.equal(after.deviceBlob, undefined);

  // From now on the passphrase is what opens it.
  await ff.press('Lock');
  await says(ff, '#ws-banner', LOCKED);
  await submitPin(ff, NO_PIN_TRIES.passphrase);
  await sharedCodeShown(ff, SHARED_ACCOUNT);
});
