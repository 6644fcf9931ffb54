// @ts-check
// The Workspace console in Chromium, against a real `latchkey serve --demo` and the test's SMTP
// server: the owner invites Carol (and cancels another invitation), Carol joins through the join
// flow with the e-mailed code and shares an account of hers with the owner; the owner changes
// Carol's role, deprovisions her with the preview and takes over her account, which then waits
// for a new key; a code is filled; the audit log shows each step, and exports as JSON lines and
// CSV; the app catalog and SCIM tokens are managed from the console. A member with the User role
// sees no console. Who is invited, what is typed and what must be seen: tests/e2e/cases/console.mjs.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  APP,
  APP_LISTED,
  APP_USES,
  CAROL,
  CAROL_ACCOUNT,
  CAROL_ACTIONS,
  CAROL_NAME,
  DAVE,
  DAVE_NAME,
  EXPORTS,
  FILLED,
  FILLED_WHERE,
  SAYS,
  SCIM_NAME,
  SCIM_TOKEN,
  checkExport,
  exportName,
} from './cases/console.mjs';
import { launchBrowser, openPopup, screenshot, waitFor } from './harness.mjs';
import {
  ALICE,
  BOB,
  DASHBOARD_URL,
  api,
  chooseEmailCode,
  choosePin,
  enterEmailedCode,
  joinWithKit,
  openJoin,
  startJoining,
  startWorkspace,
  workspaceState,
} from './workspace.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** @param {import('playwright-core').BrowserContext} ctx */
async function openDashboard(ctx) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1000, height: 900 });
  await page.goto(DASHBOARD_URL);
  await page.locator('#devices-card:not([hidden])').waitFor();
  return page;
}

/** A row of the Users list. @param {Page} page @param {string} email */
const person = (page, email) => page.locator('li.person', { hasText: email });

/** The audit rows' actions, once the table has been redrawn. @param {Page} page */
async function auditActions(page) {
  return page.locator('#audit-rows tr td:nth-child(3)').allTextContents();
}

test('invite, join, role change, deprovisioning with a takeover; the audit log shows each step', async (t) => {
  const ws = await startWorkspace(t);
  const aliceCtx = await launchBrowser(t);
  await joinWithKit(aliceCtx, ws, ALICE);
  const alice = await workspaceState(aliceCtx);
  const console_ = await openDashboard(aliceCtx);
  await console_.locator('body[data-console="shown"]').waitFor();
  await console_.getByRole('heading', { name: 'Workspace', exact: true }).waitFor();

  // Invite: a clear error for a missing address, then Carol as a User.
  await console_.getByRole('button', { name: 'Invite', exact: true }).click();
  await console_.locator('#invite-error', { hasText: SAYS.noAddress }).waitFor();
  const sentBefore = ws.smtp.count();
  await console_.getByRole('textbox', { name: 'E-mail', exact: true }).fill(CAROL);
  await console_.getByRole('textbox', { name: 'Display name', exact: true }).fill(CAROL_NAME);
  await console_.getByRole('combobox', { name: 'Role', exact: true }).selectOption('user');
  await console_.getByRole('button', { name: 'Invite', exact: true }).click();
  await console_.locator('#people-done', { hasText: SAYS.invited(CAROL, 'User') }).waitFor();
  const carolRow = person(console_, CAROL);
  await carolRow.locator('.status', { hasText: 'Invited' }).waitFor();
  await carolRow.getByText(SAYS.invitationOpen).waitFor();
  // The same address again: the server's sentence.
  await console_.getByRole('textbox', { name: 'E-mail', exact: true }).fill(CAROL);
  await console_.getByRole('button', { name: 'Invite', exact: true }).click();
  await console_.locator('#invite-error:not([hidden])').waitFor();
  await console_.getByRole('textbox', { name: 'E-mail', exact: true }).fill('');
  // Resend e-mails it again; a second invitation is cancelled and its row goes.
  await console_.getByRole('button', { name: 'Resend the invitation of Carol' }).click();
  await console_.locator('#people-done', { hasText: SAYS.resent(CAROL) }).waitFor();
  await waitFor(async () => ws.smtp.count() >= sentBefore + 2 || null, 'the invitation and its resending e-mailed');
  await console_.getByRole('textbox', { name: 'E-mail', exact: true }).fill(DAVE);
  await console_.getByRole('textbox', { name: 'Display name', exact: true }).fill(DAVE_NAME);
  await console_.getByRole('button', { name: 'Invite', exact: true }).click();
  await person(console_, DAVE).waitFor();
  await console_.getByRole('button', { name: 'Cancel the invitation of Dave' }).click();
  await console_.locator('#people-done', { hasText: SAYS.cancelled(DAVE) }).waitFor();
  await person(console_, DAVE).waitFor({ state: 'detached' });

  // Carol joins through the join flow: the e-mailed code, her new Recovery Kit, her PIN.
  const carolCtx = await launchBrowser(t);
  const join = await openJoin(carolCtx);
  const since = ws.smtp.count();
  await startJoining(join, { server: ws.server, email: CAROL, name: 'carol laptop' });
  await chooseEmailCode(join);
  await enterEmailedCode(join, ws, CAROL, since);
  await join.getByRole('heading', { name: 'Save your Recovery Kit' }).waitFor();
  await join.getByRole('checkbox', { name: 'I saved my Recovery Kit in a safe place' }).check();
  await join.getByRole('button', { name: 'Continue' }).click();
  await choosePin(join);
  // She keeps an account in the vault and shares it with Alice.
  const carolPopup = await openPopup(carolCtx);
  const added = await carolPopup.evaluate((m) => chrome.runtime.sendMessage(m), { type: 'add', ...CAROL_ACCOUNT });
  assert.equal(added.ok, true, JSON.stringify(added));
  const carolDashboard = await openDashboard(carolCtx);
  await carolDashboard.locator('body[data-console="none"]').waitFor();
  assert.equal(await carolDashboard.locator('#console').isHidden(), true, 'a User sees no console');
  const crm = carolDashboard.locator('#sharing li', { hasText: CAROL_ACCOUNT.name });
  await crm.waitFor({ timeout: 30_000 });
  await crm.getByRole('combobox', { name: `Share ${CAROL_ACCOUNT.name} with` }).selectOption(alice.userId);
  await crm.getByRole('button', { name: `Share ${CAROL_ACCOUNT.name}` }).click();
  await crm.locator('.member', { hasText: ALICE }).waitFor();

  // Back in the console: Carol is active, with her trusted device and when it was last seen.
  await console_.reload();
  const active = person(console_, CAROL);
  await active.locator('.status', { hasText: 'Active' }).waitFor();
  await active.locator('dd', { hasText: /^1$/ }).waitFor();
  assert.notEqual(await active.locator('dt:text("Last seen") + dd').textContent(), 'never');
  // An owner may give any role: nothing is greyed out on Carol's row.
  assert.equal(await active.locator('option:disabled').count(), 0);
  // Alice's own row explains why her role is not hers to change.
  const own = person(console_, ALICE);
  await own.getByText(SAYS.ownRole).first().waitFor();
  assert.equal(await own.getByRole('combobox', { name: /^Role of / }).isDisabled(), true);

  await active.getByRole('combobox', { name: 'Role of Carol' }).selectOption('admin');
  await active.getByRole('button', { name: 'Change the role of Carol' }).click();
  await console_.locator('#people-done', { hasText: SAYS.roleNow(CAROL_NAME, 'Admin') }).waitFor();
  const users = await api(ws.server, alice.token, 'GET', '/users');
  assert.equal(users.find((/** @type {{email: string}} */ u) => u.email === CAROL).role, 'admin');

  // Deprovision: the preview, Alice chosen to take over Carol's account, then the result.
  await person(console_, CAROL).getByRole('button', { name: 'Deprovision Carol' }).click();
  const dialog = console_.locator('#deprovision-dialog');
  await dialog.getByRole('heading', { name: SAYS.deprovisionTitle(CAROL_NAME) }).waitFor();
  await dialog.getByText(SAYS.previewDevices).waitFor();
  await dialog.getByText(SAYS.previewRekey).waitFor();
  await dialog.getByRole('combobox', { name: 'Who takes over the accounts only they own' }).selectOption(alice.userId);
  await dialog.getByText(SAYS.previewHandover).waitFor();
  await screenshot(console_, 'console-deprovision-preview');
  await dialog.getByRole('button', { name: 'Deprovision', exact: true }).click();
  const result = console_.locator('#people-done');
  await result.getByText(SAYS.deprovisioned).waitFor();
  await result.getByText(SAYS.handedOver).waitFor();
  await person(console_, CAROL).locator('.status', { hasText: 'Deprovisioned' }).waitFor();
  // The account waits for a new key, and Alice (now its owner) is who can give it one.
  const rekey = console_.locator('#rekey li', { hasText: CAROL_ACCOUNT.name });
  await rekey.getByText(SAYS.rekeyOwners).waitFor();
  await console_.locator('#people-card').scrollIntoViewIfNeeded();
  await screenshot(console_, 'console-users');

  // A code filled at the demo app is reported to the audit log.
  const app = await aliceCtx.newPage();
  await app.goto(`${ws.demo}/demo/login`);
  await app.locator('#email').fill('team@northwind.test');
  await app.locator('#password').fill(ws.signIn.teamPassword);
  await app.getByRole('button', { name: 'Sign in' }).click();
  await app.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await waitFor(async () => /^\d{6}$/.test(await app.locator('#otp').inputValue()) || null, 'the code filled');
  await waitFor(async () => {
    const r = await api(ws.server, alice.token, 'GET', `/audit?action=${FILLED}`);
    return r.events.length > 0 || null;
  }, 'the fill reported');

  // The audit log: Carol's steps under her name, the fill under its action.
  await console_.reload();
  await person(console_, CAROL).waitFor();
  await console_.getByRole('combobox', { name: 'User', exact: true }).selectOption({ label: CAROL });
  await console_.getByRole('button', { name: 'Show' }).click();
  await waitFor(
    async () => {
      const actions = await auditActions(console_);
      return CAROL_ACTIONS.every((a) => actions.includes(a)) ? actions : null;
      // The page's own first load runs after the people list shows: under load it takes a while.
    },
    'Carol’s invitation, role change, sharing and deprovisioning in the audit log',
    45_000,
  );
  const deprovisioned = console_.locator('#audit-rows tr', { hasText: 'user.deprovisioned' });
  assert.equal(await deprovisioned.locator('td').nth(1).textContent(), ALICE, 'done by Alice');
  assert.equal(await deprovisioned.locator('td').nth(3).textContent(), CAROL, 'done to Carol');
  await console_.getByRole('combobox', { name: 'User', exact: true }).selectOption('');
  await console_.getByRole('combobox', { name: 'Action', exact: true }).selectOption(FILLED);
  await console_.getByRole('button', { name: 'Show' }).click();
  const fill = console_.locator('#audit-rows tr', { hasText: FILLED });
  await fill.first().waitFor();
  assert.match((await fill.first().textContent()) ?? '', FILLED_WHERE);
  await console_.locator('#audit-card').scrollIntoViewIfNeeded();
  await screenshot(console_, 'console-audit');

  // Export: the server's JSON lines and CSV, as files, for the filters shown.
  for (const [format, label] of EXPORTS) {
    const download = console_.waitForEvent('download');
    await console_.getByRole('button', { name: label }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), exportName(format));
    const text = await readFile(/** @type {string} */ (await file.path()), 'utf8');
    checkExport(format, text);
  }

  // The app catalog: a new app that takes managed numbers (VoIP ok).
  await console_.locator('#app-add summary').click();
  const addForm = console_.locator('#app-add-form');
  await addForm.getByRole('textbox', { name: 'Id (a-z, 0-9, - and _)' }).fill(APP.id);
  await addForm.getByRole('textbox', { name: 'Name' }).fill(APP.name);
  await addForm.getByRole('textbox', { name: 'Site' }).fill(APP.site);
  await addForm.getByRole('checkbox', { name: 'Takes a managed phone number' }).check();
  await addForm.getByRole('checkbox', { name: 'A VoIP number will do' }).check();
  await addForm.getByRole('button', { name: 'Add app' }).click();
  await console_.locator(`#apps li[data-app-id="${APP.id}"]`, { hasText: APP_USES }).waitFor();
  const apps = await api(ws.server, alice.token, 'GET', '/apps');
  assert.deepEqual(
    apps.find((/** @type {{id: string}} */ a) => a.id === APP.id),
    APP_LISTED,
  );

  // SCIM tokens (Alice is an owner): shown once with a warning, listed by name, revoked.
  await console_.getByRole('textbox', { name: 'New token’s name' }).fill(SCIM_NAME);
  await console_.getByRole('button', { name: 'Create token' }).click();
  const shown = console_.locator('#scim-dialog-token');
  await console_.locator('#scim-dialog').getByText(SAYS.scimOnce).waitFor();
  assert.match(((await shown.textContent()) ?? '').trim(), SCIM_TOKEN);
  await console_.locator('#scim-dialog').getByRole('button', { name: 'Done' }).click();
  await waitFor(
    async () => ((await shown.textContent()) ?? '') === '' || null,
    'the token gone from the page once closed',
  );
  await console_.locator('#scim li', { hasText: SCIM_NAME }).waitFor();
  console_.once('dialog', (d) => void d.accept());
  await console_.getByRole('button', { name: `Revoke ${SCIM_NAME}` }).click();
  await console_.locator('#scim li', { hasText: SCIM_NAME }).waitFor({ state: 'detached' });
  assert.deepEqual((await api(ws.server, alice.token, 'GET', '/scim-tokens')).scimTokens, []);
});

test('a member with the User role sees no console', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, BOB);
  const dashboard = await openDashboard(ctx);
  await dashboard.locator('#sharing-card:not([hidden])').waitFor();
  // The console decided (console.js marks the page once it knows), and stayed hidden.
  await dashboard.locator('body[data-console="none"]').waitFor();
  assert.equal(await dashboard.locator('#console').isHidden(), true);
  assert.equal(await dashboard.getByRole('heading', { name: 'Workspace', exact: true }).count(), 0);
});
