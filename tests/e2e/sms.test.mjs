// @ts-check
// Filling the code texted to an account's managed number, against a real
// `latchkey serve --demo`: a Northwind user whose phone number is the team account's managed number
// signs in; the demo app "texts" the code (a Twilio-signed webhook); the extension, trusted as Bob,
// fills it from the shared inbox and the sign-in succeeds. A reused code, a stale one and a code
// bound to another site are not filled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CHOOSE,
  CHOOSE_QUIET_MS,
  CHOSEN,
  INBOX,
  NUMBER,
  OPS,
  OTHER_SITE,
  QUIET_MS,
  STALE,
  TWO_MATCH,
  WAITING,
  WAITING_CHOSEN,
  resent,
} from './cases/sms.mjs';
import { addThroughPopup, launchBrowser, openPopup, screenshot, waitFor } from './harness.mjs';
import { MANAGED_NUMBER, TWILIO_TOKEN, age, signInToCode, staysEmpty, textTo, userTextedAt } from './sms.mjs';
import { ALICE, BOB, DASHBOARD_URL, api, joinWithKit, startWorkspace, workspaceState } from './workspace.mjs';

const TITLE =
  'the code texted to the managed number fills the demo app’s SMS step; reused, stale and other-site codes do not';
test(TITLE, async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, BOB);

  // A Northwind user who chose text messages, with the team's managed number as the phone.
  const page = await ctx.newPage();
  const email = await userTextedAt(page, ws.demo, MANAGED_NUMBER);

  // Before signing in: a stale message (10 minutes old) and one bound to another site.
  const stale = await textTo(ws, STALE.text);
  age(ws, stale, STALE.ageSeconds);
  await textTo(ws, OTHER_SITE.text);

  // Signing in texts the code; it fills, from the shared inbox.
  await signInToCode(page, ws.demo, email);
  const otp = page.locator('#otp');
  await page.waitForFunction(
    () => /^\d{6}$/.test(/** @type {HTMLInputElement} */ (document.getElementById('otp')).value),
    null,
    { timeout: 30_000 },
  );
  const code = await otp.inputValue();
  assert.notEqual(code, STALE.code, 'the stale code was filled');
  assert.notEqual(code, OTHER_SITE.code, 'the other site’s code was filled');

  // The same page again: the code was used, the others are stale or for another site. The page
  // shows the waiting mark, and nothing is filled.
  await page.reload();
  await page.getByRole('status').filter({ hasText: WAITING }).waitFor();
  await screenshot(page, 'sms-waiting-mark');
  await staysEmpty(page, QUIET_MS);

  // A new message (the same code texted again, as "resend" would) fills while the page waits,
  // and the sign-in succeeds with it.
  await textTo(ws, resent(code));
  await page.waitForFunction(
    (c) => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value === c,
    code,
    { timeout: 30_000 },
  );
  assert.equal(
    await page.getByRole('status').filter({ hasText: WAITING }).count(),
    0,
    'the mark went when the code came',
  );
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();
});

// Create phone number with its dialog.
test('dashboard: the shared inbox shows texts live with the code highlighted; Create phone number', async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const { token } = await workspaceState(ctx);
  /** @type {{accounts: Array<{id: string, name: string}>}} */
  const { accounts } = await api(ws.server, token, 'GET', '/accounts');
  const team = accounts.find((a) => a.name === 'Northwind Cloud team');
  assert.ok(team);

  await textTo(ws, INBOX.first.text);
  await textTo(ws, INBOX.hostile.text);
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 900, height: 1000 });
  await page.goto(DASHBOARD_URL);
  const inbox = page.locator('#inbox');
  await inbox.locator('mark.sms-code', { hasText: INBOX.first.code }).waitFor({ timeout: 30_000 });
  // Hostile text stays text.
  await inbox.locator('li', { hasText: INBOX.hostile.shows }).waitFor();
  assert.equal(await inbox.locator('img').count(), 0);
  assert.equal(
    await inbox.locator('li', { hasText: INBOX.hostile.shows }).locator('mark.sms-code').textContent(),
    INBOX.hostile.code,
  );
  assert.equal(await inbox.getByRole('button', { name: `Copy code ${INBOX.first.code}` }).count(), 1);
  // A new text appears without a reload.
  await textTo(ws, INBOX.live.text);
  await inbox.locator('mark.sms-code', { hasText: INBOX.live.code }).waitFor({ timeout: 30_000 });
  // The account's own inbox.
  await page.getByRole('combobox', { name: 'Inbox of' }).selectOption(team.id);
  await inbox.locator('mark.sms-code', { hasText: INBOX.first.code }).waitFor();
  await page.locator('#inbox-card').scrollIntoViewIfNeeded();
  await screenshot(page, 'sms-inbox');

  // The team account holds the demo's number; released, the owner can create one again.
  const item = page.locator(`li[data-account-id="${team.id}"]`);
  await item.locator('output.phone-number').waitFor({ timeout: 30_000 });
  assert.equal(await item.locator('output.phone-number').textContent(), MANAGED_NUMBER);
  await api(ws.server, token, 'DELETE', `/accounts/${team.id}/phone-number`);
  await page.reload();
  const create = page.locator(`li[data-account-id="${team.id}"]`).getByRole('button', { name: 'Create phone number' });
  await create.click();
  const dialog = page.getByRole('dialog', { name: 'Create phone number' });
  await dialog.locator('#phone-dialog-number', { hasText: NUMBER }).waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Create Phone Number' }).isDisabled(), true);
  // Cancel gives the number back.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await waitFor(
    async () => (await api(ws.server, token, 'GET', `/accounts/${team.id}/phone-number`)).number === null,
    'the number released on Cancel',
  );
  await page.locator(`li[data-account-id="${team.id}"]`).getByRole('button', { name: 'Create phone number' }).click();
  await dialog.locator('#phone-dialog-number', { hasText: NUMBER }).waitFor();
  const number = (await dialog.locator('#phone-dialog-number').textContent()) ?? '';
  await dialog
    .getByRole('checkbox', { name: 'I will add the phone number to Northwind Cloud team account settings' })
    .check();
  await screenshot(page, 'sms-create-phone-number-dialog');
  await dialog.getByRole('button', { name: 'Create Phone Number' }).click();
  const shown = page.locator(`li[data-account-id="${team.id}"]`).locator('output.phone-number');
  await shown.waitFor();
  assert.equal(await shown.textContent(), number);
  await page.locator(`li[data-account-id="${team.id}"]`).getByText('appears in the Shared inbox').waitFor();
  assert.equal((await api(ws.server, token, 'GET', `/accounts/${team.id}/phone-number`)).number, number);
});

// Two accounts of the app; the other account’s texts never fill.
test('two accounts with managed numbers: the person chooses once, then the tab’s account fills', async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const { token } = await workspaceState(ctx);

  // Alice adds a second Northwind login in the popup: on a trusted device it goes into the vault,
  // tied to the catalog's app for its site, so it can have a managed number of its own.
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, { secret: OPS.secret, site: OPS.site, name: OPS.name });
  await popup.close();
  /** @type {{accounts: Array<{id: string, name: string, appId: string | null}>}} */
  const { accounts } = await waitFor(async () => {
    const r = await api(ws.server, token, 'GET', '/accounts');
    return r.accounts.some((/** @type {{name: string}} */ a) => a.name === OPS.name) ? r : null;
  }, 'the new account in the vault');
  const ops = accounts.find((a) => a.name === OPS.name);
  assert.equal(ops?.appId, OPS.app, 'the account was tied to the app of its site');
  // Its owner creates its number in the dashboard.
  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  const opsItem = dashboard.locator(`li[data-account-id="${ops?.id}"]`);
  await opsItem.getByRole('button', { name: 'Create phone number' }).click();
  const dialog = dashboard.getByRole('dialog', { name: 'Create phone number' });
  await dialog.locator('#phone-dialog-number', { hasText: NUMBER }).waitFor();
  await dialog.getByRole('checkbox', { name: `I will add the phone number to ${OPS.name} account settings` }).check();
  await dialog.getByRole('button', { name: 'Create Phone Number' }).click();
  const opsNumber = (await opsItem.locator('output.phone-number').textContent()) ?? '';
  await dashboard.close();
  assert.match(opsNumber, NUMBER);
  assert.notEqual(opsNumber, MANAGED_NUMBER);

  // A user texted at the team's number signs in: two accounts could have been texted, so the
  // page asks, and nothing fills by itself; the ops number's text never fills here.
  const page = await ctx.newPage();
  const email = await userTextedAt(page, ws.demo, MANAGED_NUMBER);
  await textTo(ws, OPS.first.text, opsNumber);
  await signInToCode(page, ws.demo, email);
  await page.getByRole('status').filter({ hasText: CHOOSE }).waitFor();
  await screenshot(page, 'sms-choose-mark');
  await staysEmpty(page, CHOOSE_QUIET_MS);

  // The person picks the team account in the popup: its inbox's code (the sign-in's) fills.
  const chooser = await openPopup(ctx, page);
  await chooser.getByText(TWO_MATCH).waitFor();
  await chooser.getByRole('button', { name: `Fill code for ${CHOSEN}` }).click();
  await chooser.getByText(WAITING_CHOSEN).waitFor();
  await chooser.close();
  await page.waitForFunction(
    () => /^\d{6}$/.test(/** @type {HTMLInputElement} */ (document.getElementById('otp')).value),
    null,
    { timeout: 30_000 },
  );
  assert.notEqual(await page.locator('#otp').inputValue(), OPS.first.code, 'the other account’s code was filled');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();

  // Signing in again in the same tab: the tab’s account is known, so its code fills with no
  // question, and a newer text to the other account is passed over.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await textTo(ws, OPS.later.text, opsNumber);
  await signInToCode(page, ws.demo, email);
  await page.waitForFunction(
    () => /^\d{6}$/.test(/** @type {HTMLInputElement} */ (document.getElementById('otp')).value),
    null,
    { timeout: 30_000 },
  );
  assert.notEqual(await page.locator('#otp').inputValue(), OPS.later.code, 'the other account’s code was filled');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();
});
