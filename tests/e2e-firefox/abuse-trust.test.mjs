// @ts-check
// Attacks on the trust flow (docs/security.md, "Attacks on the trust flow"), in Firefox with the
// built package against a real `latchkey serve --demo`: Chromium's tests/e2e/abuse-trust.test.mjs,
// its attacks and answers from tests/e2e/cases/abuse-trust.mjs. A trusted device approves only
// with the number the new device shows, a wrong number denies; a device name with text-direction
// controls is refused and a look-alike of a trusted device's name cannot be approved until renamed;
// a flood of requests still renders My trusted devices, with Disable within reach. Each device is a
// Firefox of its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BIDI_NAME,
  BIDI_SAYS,
  FLOOD_ADDRESSES,
  FLOOD_ASKS,
  FLOOD_MADE_AT_LEAST,
  FLOOD_SHOWN_AT_MOST,
  LOOK_ALIKE,
  LOOK_ALIKE_SAYS,
  NEW_DEVICE,
  NEW_DEVICE_TOLD,
  NUMBER,
  OTHER_TRUSTED,
  TRUSTED,
  WAITING,
  floodAddress,
  wrongNumber,
  wrongNumberSays,
} from '../e2e/cases/abuse-trust.mjs';
import { ALICE, PIN, apiFrom, startWorkspace } from '../e2e/workspace.mjs';
import { BASE, launchFirefox, says, waitIn } from './firefox.mjs';
import { heading, joinWithKit, stored, toDeviceName } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

const DASHBOARD = `${BASE}extension/dashboard/dashboard.html`;

/**
 * Whether the dashboard (the current tab) lists a request from the device `name`.
 * @param {Firefox} ff @param {string} name
 */
const hasRequest = (ff, name) =>
  ff.run((n) => [...document.querySelectorAll('li.request .name')].some((e) => e.textContent === n), name);

/**
 * On "Name your device": `name`, Next, then approval from a trusted device; returns the number the
 * page shows. @param {Firefox} ff @param {string} name
 */
async function nameAndAsk(ff, name) {
  await ff.type('#device-name', name);
  await ff.press('Next');
  await heading(ff, 'Verify this device');
  await ff.press('Approve from a trusted device');
  await heading(ff, 'Verify your identity');
  return shownNumber(ff);
}

/**
 * A new device's join page up to "Verify your identity" by approval from a trusted device; returns
 * the number it shows. @param {Firefox} ff @param {{server: string, smtp: {count: () => number}}} ws
 * @param {string} name
 */
async function askApproval(ff, ws, name) {
  await toDeviceName(ff, ws, ALICE);
  return nameAndAsk(ff, name);
}

/** The number the join page (the current tab) shows, once it shows one. @param {Firefox} ff */
const shownNumber = (ff) =>
  waitIn(
    ff,
    () => {
      const n = (document.querySelector('#match-number')?.textContent ?? '').trim();
      return /^\d{3}$/.test(n) ? n : null;
    },
    'the number to type on the trusted device',
  );

/**
 * On the dashboard (the current tab): the request of `name`, its number typed, Approve.
 * @param {Firefox} ff @param {string} name @param {string} number
 */
async function approve(ff, name, number) {
  await waitIn(
    ff,
    (n) => document.querySelector(`input[aria-label="Number shown on ${n}"]`),
    `${name}'s request`,
    name,
  );
  await ff.type(`input[aria-label="Number shown on ${name}"]`, number);
  await ff.click(`button[aria-label="Approve ${name}"]`);
}

test('Firefox: approving with the number the new device shows works; a wrong number denies the request', async (t) => {
  const ws = await startWorkspace(t);
  const alice = await launchFirefox(t);
  await joinWithKit(alice, ws, ALICE, { name: TRUSTED });
  await alice.openExtensionPage(DASHBOARD);

  const phone = await launchFirefox(t);
  const first = await askApproval(phone, ws, NEW_DEVICE);
  assert.match(first, NUMBER);

  // A guess (what someone coached over the phone would type without the new device in hand).
  await waitIn(alice, (n) => document.querySelector(`button[aria-label="Approve ${n}"]`), 'the request', NEW_DEVICE);
  assert.equal(
    await alice.run(
      (n) =>
        /** @type {HTMLButtonElement | null} */ (document.querySelector(`button[aria-label="Approve ${n}"]`))?.disabled,
      NEW_DEVICE,
    ),
    true,
    'no number, no Approve',
  );
  const wrong = wrongNumber(first);
  await approve(alice, NEW_DEVICE, wrong);
  await says(alice, '#devices-error', wrongNumberSays(wrong, NEW_DEVICE));
  await says(phone, '#identity-status', NEW_DEVICE_TOLD);
  await waitIn(
    alice,
    (n) => !document.querySelector(`input[aria-label="Number shown on ${n}"]`),
    'no request',
    NEW_DEVICE,
  );
  assert.equal((await stored(phone)).local.workspace.stage, 'registered');

  // Ask again: a new number; typed right, the device is trusted.
  await phone.press('Ask again');
  await says(phone, '#identity-status', WAITING);
  const second = await shownNumber(phone);
  assert.match(second, NUMBER);
  await approve(alice, NEW_DEVICE, second);
  await heading(phone, 'Choose an unlock PIN');
  await phone.type('#pin-new', PIN);
  await phone.type('#pin-again', PIN);
  await phone.press('Save PIN');
  await heading(phone, 'This device is trusted');
  assert.equal((await stored(phone)).local.workspace.stage, 'trusted');
});

test('Firefox: a device name with bidi controls is refused; a look-alike is not approved until renamed', async (t) => {
  const ws = await startWorkspace(t);
  const alice = await launchFirefox(t);
  await joinWithKit(alice, ws, ALICE, { name: TRUSTED });
  await alice.openExtensionPage(DASHBOARD);

  const phone = await launchFirefox(t);
  await toDeviceName(phone, ws, ALICE);
  await phone.type('#device-name', BIDI_NAME);
  await phone.press('Next');
  await says(phone, '#name-error', BIDI_SAYS);
  const number = await nameAndAsk(phone, LOOK_ALIKE);

  await says(alice, 'li.request', LOOK_ALIKE_SAYS);
  await alice.type(`input[aria-label="Number shown on ${LOOK_ALIKE}"]`, number);
  assert.equal(
    await alice.run(
      (n) =>
        /** @type {HTMLButtonElement | null} */ (document.querySelector(`button[aria-label="Approve ${n}"]`))?.disabled,
      LOOK_ALIKE,
    ),
    true,
    'a look-alike cannot be approved',
  );
  // Renamed from the trusted device (it is the person's own new device), it can be approved. Rename
  // asks for the new name in the browser's own prompt.
  await alice.click(`button[aria-label="Rename ${LOOK_ALIKE}"]`);
  assert.match(await alice.alertText(), /New name for/);
  await alice.acceptAlert(NEW_DEVICE);
  await approve(alice, NEW_DEVICE, number);
  await heading(phone, 'Choose an unlock PIN');
  await phone.type('#pin-new', PIN);
  await phone.type('#pin-again', PIN);
  await phone.press('Save PIN');
  await heading(phone, 'This device is trusted');
  assert.equal((await stored(phone)).local.workspace.stage, 'trusted');
});

test('Firefox: a flood of approval requests still renders My trusted devices; Disable stays reachable', async (t) => {
  const ws = await startWorkspace(t);
  const alice = await launchFirefox(t);
  await joinWithKit(alice, ws, ALICE, { name: TRUSTED });
  const other = await launchFirefox(t);
  await joinWithKit(other, ws, ALICE, { name: OTHER_TRUSTED });
  // Someone who knows only the address: many devices from many addresses, each asking again and
  // again (each address is cut off after 5 requests in 5 minutes; the list stays bounded).
  let made = 0;
  for (let i = 0; i < FLOOD_ADDRESSES; i++) {
    const from = floodAddress(i);
    const keys = Buffer.alloc(64, i + 1).toString('base64url');
    const reg = await apiFrom(ws.server, from, null, 'POST', '/devices/register', {
      email: ALICE,
      name: `${TRUSTED} ${i}`,
      publicKeys: keys,
    });
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    for (let k = 0; k < FLOOD_ASKS; k++) {
      const asked = await apiFrom(ws.server, from, reg.body.token, 'POST', '/trust/approval', {});
      if (asked.status === 201) made++;
      else assert.equal(asked.status, 429, JSON.stringify(asked.body));
    }
  }
  assert.ok(made >= FLOOD_MADE_AT_LEAST, `${made} requests made`);
  await alice.openExtensionPage(DASHBOARD);
  await heading(alice, 'Waiting for your approval');
  const shown = await waitIn(alice, () => document.querySelectorAll('li.request').length, 'requests shown');
  assert.ok(shown > 0 && shown <= FLOOD_SHOWN_AT_MOST, `${shown} requests shown`);
  const row = `li[data-device-id]`;
  await waitIn(
    alice,
    (css, n) => [...document.querySelectorAll(css)].some((li) => li.textContent?.includes(n)),
    `${OTHER_TRUSTED} in My trusted devices`,
    row,
    OTHER_TRUSTED,
  );
  assert.equal(await hasRequest(alice, OTHER_TRUSTED), false);
  await alice.click(`button[aria-label="Disable ${OTHER_TRUSTED}"]`);
  await waitIn(alice, () => document.querySelector('#confirm-disable')?.hasAttribute('open'), 'the Disable dialog');
  await alice.click('#confirm-disable button[value=disable]');
  await waitIn(
    alice,
    (css, n) =>
      [...document.querySelectorAll(css)].some(
        (li) => li.textContent?.includes(n) && li.querySelector('.status')?.textContent?.includes('Disabled'),
      ),
    `${OTHER_TRUSTED} disabled`,
    row,
    OTHER_TRUSTED,
  );
});
