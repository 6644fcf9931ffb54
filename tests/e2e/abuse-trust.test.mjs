// @ts-check
// Attacks on the trust flow, in Chromium with the built extension against a real `latchkey serve
// --demo` (docs/security.md, "Attacks on the trust flow"): a trusted device approves only with the number the new
// device shows, a wrong
// number denies; a look-alike device name cannot be approved; a flood of requests still renders
// My trusted devices, with Disable within reach.
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
  NEW_DEVICE_TOLD,
  NUMBER,
  floodAddress,
  wrongNumber,
  wrongNumberSays,
} from './cases/abuse-trust.mjs';
import { launchBrowser, screenshot } from './harness.mjs';
import {
  ALICE,
  DASHBOARD_URL,
  apiFrom,
  approveOnDashboard,
  chooseApproval,
  choosePin,
  joinWithKit,
  openJoin,
  startJoining,
  startWorkspace,
  workspaceState,
} from './workspace.mjs';

test('approving with the number the new device shows works; a wrong number denies the request', async (t) => {
  const ws = await startWorkspace(t);
  const aliceCtx = await launchBrowser(t);
  await joinWithKit(aliceCtx, ws, ALICE, { name: 'alice laptop' });
  const dashboard = await aliceCtx.newPage();
  await dashboard.goto(DASHBOARD_URL);

  const newCtx = await launchBrowser(t);
  const page = await openJoin(newCtx);
  await startJoining(page, { server: ws.server, email: ALICE, name: 'alice phone' });
  const first = await chooseApproval(page);
  assert.match(first.number, NUMBER);
  await screenshot(page, 'join-6b-pending-approval-number');

  // A guess (what someone coached over the phone would type without the new device in hand).
  const request = dashboard.locator('li.request', { hasText: 'alice phone' });
  await request.waitFor({ timeout: 30_000 });
  assert.equal(
    await request.getByRole('button', { name: 'Approve alice phone' }).isDisabled(),
    true,
    'no number, no Approve',
  );
  const wrong = wrongNumber(first.number);
  await approveOnDashboard(dashboard, 'alice phone', wrong);
  await dashboard.locator('#devices-error', { hasText: wrongNumberSays(wrong, 'alice phone') }).waitFor();
  await page.locator('#identity-status', { hasText: NEW_DEVICE_TOLD }).waitFor({ timeout: 30_000 });
  await request.waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal((await workspaceState(newCtx)).stage, 'registered');

  // Ask again: a new number; typed right, the device is trusted.
  await page.getByRole('button', { name: 'Ask again' }).click();
  await page.locator('#identity-status', { hasText: 'Waiting for approval' }).waitFor();
  const second = (
    (await page.getByRole('status', { name: 'Number to type on your trusted device' }).textContent()) ?? ''
  ).trim();
  assert.match(second, NUMBER);
  const again = dashboard.locator('li.request', { hasText: 'alice phone' });
  await again.waitFor({ timeout: 30_000 });
  await again.getByRole('textbox', { name: 'Number shown on alice phone' }).fill(second);
  await screenshot(dashboard, 'dashboard-approval');
  await approveOnDashboard(dashboard, 'alice phone', second);
  await page.getByRole('heading', { name: 'Choose an unlock PIN' }).waitFor({ timeout: 30_000 });
  await choosePin(page);
  assert.equal((await workspaceState(newCtx)).stage, 'trusted');
});

// A look-alike of a trusted device’s name.
test('a device name with bidi controls is refused; a look-alike cannot be approved until renamed', async (t) => {
  const ws = await startWorkspace(t);
  const aliceCtx = await launchBrowser(t);
  await joinWithKit(aliceCtx, ws, ALICE, { name: 'alice laptop' });
  const dashboard = await aliceCtx.newPage();
  await dashboard.goto(DASHBOARD_URL);

  const ctx = await launchBrowser(t);
  const page = await openJoin(ctx);
  await startJoining(page, { server: ws.server, email: ALICE, name: BIDI_NAME });
  await page.locator('#name-error', { hasText: BIDI_SAYS }).waitFor();
  // A Cyrillic а (U+0430) for the Latin a.
  const fake = LOOK_ALIKE;
  await page.getByRole('textbox', { name: 'Device name' }).fill(fake);
  await page.getByRole('button', { name: 'Next' }).click();
  const { number } = await chooseApproval(page);
  const request = dashboard.locator('li.request', { hasText: fake });
  await request.waitFor({ timeout: 30_000 });
  await request.getByText(LOOK_ALIKE_SAYS).waitFor();
  await request.getByRole('textbox', { name: `Number shown on ${fake}` }).fill(number);
  assert.equal(
    await request.getByRole('button', { name: `Approve ${fake}` }).isDisabled(),
    true,
    'a look-alike cannot be approved',
  );
  await screenshot(dashboard, 'dashboard-look-alike');
  // Renamed from the trusted device (it is the person's own new device), it can be approved.
  dashboard.once('dialog', (d) => void d.accept('alice phone'));
  await dashboard
    .locator('li[data-device-id]', { hasText: fake })
    .getByRole('button', { name: `Rename ${fake}` })
    .click();
  await approveOnDashboard(dashboard, 'alice phone', number);
  await page.getByRole('heading', { name: 'Choose an unlock PIN' }).waitFor({ timeout: 30_000 });
  await choosePin(page);
});

test('a flood of approval requests still renders My trusted devices, and Disable stays reachable', async (t) => {
  const ws = await startWorkspace(t);
  const aliceCtx = await launchBrowser(t);
  await joinWithKit(aliceCtx, ws, ALICE, { name: 'alice laptop' });
  const otherCtx = await launchBrowser(t);
  await joinWithKit(otherCtx, ws, ALICE, { name: 'alice old desktop' });
  // Someone who knows only the address: many devices from many addresses, each asking again and
  // again (each address is cut off after 5 requests in 5 minutes; the list stays bounded).
  let made = 0;
  for (let i = 0; i < FLOOD_ADDRESSES; i++) {
    const from = floodAddress(i);
    const keys = Buffer.alloc(64, i + 1).toString('base64url');
    const reg = await apiFrom(ws.server, from, null, 'POST', '/devices/register', {
      email: ALICE,
      name: `alice laptop ${i}`,
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
  const dashboard = await aliceCtx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  await dashboard.getByRole('heading', { name: 'Waiting for your approval' }).waitFor();
  const shown = await dashboard.locator('li.request').count();
  assert.ok(shown > 0 && shown <= FLOOD_SHOWN_AT_MOST, `${shown} requests shown`);
  await dashboard.locator('li[data-device-id]', { hasText: 'alice old desktop' }).waitFor();
  await screenshot(dashboard, 'dashboard-many-requests');
  await dashboard.getByRole('button', { name: 'Disable alice old desktop' }).click();
  await dashboard.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
  await dashboard
    .locator('li[data-device-id]', { hasText: 'alice old desktop' })
    .locator('.status', { hasText: 'Disabled' })
    .waitFor();
});
