// @ts-check
// Scan QR code and Import (docs/import.md), in Chromium with the built extension against a real
// `latchkey serve --demo`: the demo app's two-factor page shows its key as a QR code; Set as MFA
// scans it from the app's tab and the login then fills with it. An Aegis backup (encrypted) and a
// Google Authenticator export are previewed (parameters, current codes, what each entry becomes,
// unreadable entries with their reason) and nothing is stored until Import. No key reaches the
// dashboard page, a content script, the extension's storage outside the vault, or the console.
// Files, typing and sentences: tests/e2e/cases/qr-import.mjs.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BACKUP, KEEP_BACKUP, holdsWord } from './cases/qr.mjs';
import {
  ACCOUNTS,
  AEGIS,
  AEGIS_ENTRIES,
  ENCRYPTED_SAYS,
  FABRIKAM_LOGIN,
  FIRST_BACKUP_CODE,
  GITHUB_PARAMS,
  GOOGLE,
  GOOGLE_ENTRIES,
  HOTP_SAYS,
  IMPORTED_NAMES,
  IMPORTED_SAYS,
  IMPORT_PASSWORD,
  MOTP_SAYS,
  OTHER_KEY,
  OWNED,
  QR_LOGIN,
  REPLACES_SAYS,
  SECOND_PARAMS,
  SITES,
  WRONG_PASSWORD_SAYS,
} from './cases/qr-import.mjs';
import { confirmTwoFactor, openTwoFactorSetup, signIn, signOut, signUp } from './demo-app.mjs';
import {
  freshEmail,
  inContentScript,
  launchBrowser,
  openPopup,
  referenceCodesBetween,
  screenshot,
  startFixtures,
  waitFor,
  worker,
} from './harness.mjs';
import { ALICE, DASHBOARD_URL, api, joinWithKit, startWorkspace, workspaceState } from './workspace.mjs';

/** @typedef {import('playwright-core').BrowserContext} BrowserContext */

/**
 * Everything the extension keeps outside the vault's sealed items, and its worker's console.
 * @param {BrowserContext} ctx
 */
async function storedText(ctx) {
  const sw = await worker(ctx);
  return JSON.stringify(
    await sw.evaluate(async () => ({
      local: await chrome.storage.local.get(null),
      session: await chrome.storage.session.get(null),
    })),
  );
}

test('The reference allows every step a window touches, the middle one too', () => {
  // Seen in a clean clone: the popup showed the middle code of a 31 s window that crossed two step
  // boundaries, and a reference of the two ends refused it.
  const step = 59_888_890 * 30_000;
  const window = referenceCodesBetween('JBSWY3DPEHPK3PXP', step + 29_000, step + 60_500);
  assert.deepEqual(window, ['118595', '942555', '863424']);
  assert.deepEqual(referenceCodesBetween('JBSWY3DPEHPK3PXP', step + 1_000, step + 2_000), ['118595']);
});

test('Set as MFA scans the QR code on the demo app’s two-factor page; the login then fills with it', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  /** @type {string[]} */
  const logged = [];
  ctx.on('console', (m) => logged.push(m.text()));
  (await worker(ctx)).on('console', (m) => logged.push(m.text()));
  await joinWithKit(ctx, ws, ALICE);

  // An account Alice owns at the demo app, with some other key for now.
  const app = await ctx.newPage();
  const login = freshEmail('qr');
  await signUp(app, ws.demo, login);
  const popup = await openPopup(ctx, app);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('textbox', { name: 'Secret Key' }).fill(OTHER_KEY);
  await popup.getByRole('button', { name: 'Save Code' }).click();
  await popup.getByRole('textbox', { name: 'Name', exact: true }).fill(QR_LOGIN);
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('li.account', { hasText: QR_LOGIN }).getByText(OWNED).waitFor();
  await popup.close();

  // The app's two-factor page shows its key as a QR code (and as text, which the test reads).
  const { secret } = await openTwoFactorSetup(app, ws.demo);
  await app.locator('#qr svg').waitFor();

  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  const row = dashboard.locator('li[data-account-id]', { hasText: QR_LOGIN });
  await row.getByRole('button', { name: `Set as MFA for ${QR_LOGIN}` }).click();
  await row.getByRole('button', { name: `Scan QR code for ${QR_LOGIN}` }).click();
  const tabs = row.getByRole('combobox', { name: 'Tab with the QR code' });
  const option = tabs.locator('option', { hasText: new URL(ws.demo).host }).filter({ hasText: /two-factor/i });
  await tabs.selectOption((await option.getAttribute('value')) ?? '');
  const from = Date.now();
  await row.getByRole('button', { name: 'Scan', exact: true }).click();
  const shown = (
    (await row
      .locator('output.digits')
      .filter({ hasText: /\d{3} \d{3}/ })
      .textContent({ timeout: 30_000 })) ?? ''
  ).replace(/\s/g, '');
  assert.ok(referenceCodesBetween(secret, from - 1000, Date.now()).includes(shown), `the scan showed ${shown}`);
  await screenshot(dashboard, 'qr-scanned');
  // The dashboard page never held the key.
  assert.equal(holdsWord(await dashboard.content(), secret), false, 'the key is not in the dashboard');
  await confirmTwoFactor(app, shown);
  await row.getByRole('button', { name: 'Done' }).click();
  await row.getByRole('button', { name: `Set as MFA for ${QR_LOGIN}` }).waitFor();

  // The login fills with the scanned key (two accounts at the demo app: the popup's Fill chooses).
  await signOut(app);
  await signIn(app, ws.demo, login);
  const chooser = await openPopup(ctx, app);
  await chooser.getByRole('button', { name: `Fill code for ${QR_LOGIN}` }).click();
  const code = await waitFor(async () => {
    const v = await app.locator('#otp').inputValue();
    return /^\d{6}$/.test(v) ? v : null;
  }, 'the scanned account’s code to be filled');
  assert.ok(referenceCodesBetween(secret, Date.now() - 31_000, Date.now()).includes(code), `filled ${code}`);
  await app.getByRole('button', { name: 'Verify' }).click();
  await app.getByRole('heading', { name: `Welcome, ${login}` }).waitFor();

  // The key is nowhere but in the vault: not in storage, the console, or the page's content script.
  assert.equal(holdsWord(await storedText(ctx), secret), false, 'the key is not in storage');
  assert.equal(holdsWord(logged.join('\n'), secret), false, 'the key is not in the console');
  const seen = await inContentScript(ctx, app, 'JSON.stringify(Object.keys(globalThis))');
  assert.equal(holdsWord(String(seen.value ?? seen.error), secret), false);
});

test('Import: an encrypted Aegis backup and a Google export, previewed, then stored only on Import', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  /** @type {string[]} */
  const logged = [];
  (await worker(ctx)).on('console', (m) => logged.push(m.text()));
  await joinWithKit(ctx, ws, ALICE);
  const alice = await workspaceState(ctx);
  const before = (await api(ws.server, alice.token, 'GET', '/accounts')).accounts.length;
  const accounts = JSON.parse(await readFile(ACCOUNTS, 'utf8'));

  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  const card = dashboard.locator('#import-card');
  await card.waitFor();
  await card.locator('#import-file').setInputFiles(AEGIS);
  // Without the password, and with a wrong one: named, nothing shown.
  await card.getByRole('button', { name: 'Preview' }).click();
  await card.getByText(ENCRYPTED_SAYS).waitFor();
  await card.getByLabel('Password (for an encrypted backup)').fill('not the password');
  await card.getByRole('button', { name: 'Preview' }).click();
  await card.getByText(WRONG_PASSWORD_SAYS).waitFor();
  await card.getByLabel('Password (for an encrypted backup)').fill(IMPORT_PASSWORD);
  const from = Date.now();
  await card.getByRole('button', { name: 'Preview' }).click();
  const entries = card.locator('li.import-entry');
  await entries.nth(4).waitFor({ timeout: 30_000 });
  assert.equal(await entries.count(), AEGIS_ENTRIES);
  // GitHub: its parameters and its current code.
  const github = entries.nth(0);
  await github.getByText(GITHUB_PARAMS).waitFor();
  const code = ((await github.locator('output.digits').textContent()) ?? '').trim();
  assert.ok(referenceCodesBetween(accounts[0].secret, from - 1000, Date.now()).includes(code), `preview code ${code}`);
  await entries.nth(1).getByText(SECOND_PARAMS).waitFor();
  // The counter-based key and the mOTP one are named and left out.
  await entries.nth(2).getByText(HOTP_SAYS).waitFor();
  await entries.nth(4).getByText(MOTP_SAYS).waitFor();
  assert.equal(await entries.nth(2).getByRole('checkbox').isDisabled(), true);
  await screenshot(dashboard, 'import-preview');
  // Nothing is stored before Import.
  assert.equal((await api(ws.server, alice.token, 'GET', '/accounts')).accounts.length, before);
  assert.equal(holdsWord(await dashboard.content(), accounts[0].secret), false, 'the key is not in the page');

  // Each new account needs its site; then Import.
  for (const [entry, site] of SITES) await card.getByRole('textbox', { name: `Site of entry ${entry}` }).fill(site);
  await card.getByRole('button', { name: 'Import', exact: true }).click();
  await card.getByText(IMPORTED_SAYS).waitFor({ timeout: 30_000 });
  const names = (await api(ws.server, alice.token, 'GET', '/accounts')).accounts.map(
    (/** @type {{name: string}} */ a) => a.name,
  );
  for (const n of IMPORTED_NAMES) assert.ok(names.includes(n), `${n} in ${names}`);
  const popup = await openPopup(ctx);
  const shown = await popup
    .locator('li.account', { hasText: 'GitHub' })
    .locator('.digits')
    .filter({ hasText: /\d{3} \d{3}/ })
    .textContent();
  // What was shown and what the reference allows, said when they differ (once seen under load, not
  // reproduced in a loop: the message is there to name the cause next time).
  const reference = referenceCodesBetween(accounts[0].secret, Date.now() - 31_000, Date.now());
  const rows = await popup.locator('li.account').allTextContents();
  assert.ok(
    reference.includes((shown ?? '').replace(/\s/g, '')),
    `GitHub shows ${shown}; the reference: ${reference.join(', ')}; the popup's rows: ${rows.join(' | ')}`,
  );

  // A Google export in two QR codes' links: GitHub is now an account with that key (duplicate of
  // nothing in the file, but its MFA exists: replacing asks), VPN's HOTP key is named.
  await card.locator('#import-file').setInputFiles(GOOGLE);
  await card.getByRole('button', { name: 'Preview' }).click();
  await entries.nth(2).waitFor();
  assert.equal(await entries.count(), GOOGLE_ENTRIES);
  await entries.nth(0).getByText(REPLACES_SAYS).waitFor();
  assert.equal(await entries.nth(0).getByRole('checkbox').isChecked(), false);
  await entries.nth(2).getByText(HOTP_SAYS).waitFor();

  // No key in storage or the worker's console.
  const stored = await storedText(ctx);
  for (const a of accounts) {
    assert.equal(holdsWord(stored, a.secret), false, `${a.issuer}'s key is not in storage`);
    assert.equal(holdsWord(logged.join('\n'), a.secret), false, `${a.issuer}'s key is not in the console`);
  }
});

test('Set as MFA offers the backup codes a page shows beside its QR code; ticked, they are kept', async (t) => {
  const ws = await startWorkspace(t);
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const popup = await openPopup(ctx);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('textbox', { name: 'Secret Key' }).fill(OTHER_KEY);
  await popup.getByRole('button', { name: 'Save Code' }).click();
  await popup.getByRole('textbox', { name: 'Name', exact: true }).fill(FABRIKAM_LOGIN.name);
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill(FABRIKAM_LOGIN.site);
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('li.account', { hasText: FABRIKAM_LOGIN.name }).getByText(OWNED).waitFor();
  await popup.close();

  const app = await ctx.newPage();
  await app.goto(fixtures.url(...BACKUP));
  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  const row = dashboard.locator('li[data-account-id]', { hasText: FABRIKAM_LOGIN.name });
  await row.getByRole('button', { name: `Set as MFA for ${FABRIKAM_LOGIN.name}` }).click();
  await row.getByRole('button', { name: `Scan QR code for ${FABRIKAM_LOGIN.name}` }).click();
  const tabs = row.getByRole('combobox', { name: 'Tab with the QR code' });
  const option = tabs.locator('option', { hasText: FABRIKAM_LOGIN.site });
  await tabs.selectOption((await option.getAttribute('value')) ?? '');
  await row.getByRole('button', { name: 'Scan', exact: true }).click();
  const offer = row.getByRole('group', { name: 'Backup codes on this page' });
  await offer.locator('li').nth(9).waitFor({ timeout: 20_000 });
  const codes = (await offer.locator('li').allTextContents()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  assert.equal(codes[0], FIRST_BACKUP_CODE);
  await offer.getByRole('checkbox', { name: KEEP_BACKUP }).check();
  await row.getByRole('button', { name: 'Done' }).click();
  await row.getByRole('button', { name: `Show backup codes of ${FABRIKAM_LOGIN.name}` }).click();
  await row.locator('ul.members.backup-codes li').nth(9).waitFor();
  const kept = (await row.locator('ul.members.backup-codes li').allTextContents()).map((c) => c.trim());
  assert.deepEqual(kept, codes);
});
