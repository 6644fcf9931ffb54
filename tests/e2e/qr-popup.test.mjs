// @ts-check
// Scan QR code on this page, in the popup's Add account (docs/import.md), in Chromium with the built
// extension: the demo app's two-factor page (`latchkey serve --demo`) is scanned from the popup into
// a new account, whose first code finishes the set-up and whose codes then fill the sign-in; a page
// with two QR codes lists both to pick from; a page whose QR code is a web address, and a page with
// no QR code, are refused with the reason. The key never reaches the popup (it shows the entry's
// label only, until Show key), a content script, or the worker's console. A page that shows backup
// codes beside its QR code: the popup offers them (and nothing else on the page: not the key shown
// in groups, the phone number, the price, the date), and, ticked, they are kept with the new
// workspace account; the demo's page, which shows none before confirming, offers none. Pages, keys
// and sentences: tests/e2e/cases/qr.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BACKUP,
  BACKUP_CODES,
  BACKUP_NAME,
  CONTOSO,
  CONTOSO_LABEL,
  CONTOSO_NAME,
  KEEP_BACKUP,
  NORTHWIND,
  NORTHWIND_LABEL,
  NOT_OTP,
  NOT_OTP_SAYS,
  NO_KEY_SAYS,
  NO_QR_PAGE,
  NO_QR_SAYS,
  SCANNED_NAME,
  TWO,
  TWO_KEYS,
  holdsWord,
  keyReadFrom,
} from './cases/qr.mjs';
import { confirmTwoFactor, openTwoFactorSetup, signIn, signOut, signUp } from './demo-app.mjs';
import {
  filledIn,
  freshEmail,
  inContentScript,
  launchBrowser,
  openPopup,
  referenceCodesBetween,
  screenshot,
  shownCode,
  startFixtures,
  startServer,
  worker,
} from './harness.mjs';
import { ALICE, DASHBOARD_URL, joinWithKit, startWorkspace } from './workspace.mjs';

/**
 * The popup, opened as a tab of its own beside the page. Its small viewport (openPopup's 360×600)
 * is the window's in headless Chromium, and captureVisibleTab would then see only that much of the
 * page; a real popup floats over the page and leaves the tab its size. So the popup tab gets the
 * page's size back before scanning.
 * @param {import('playwright-core').BrowserContext} ctx @param {import('playwright-core').Page} page
 */
async function popupFor(ctx, page) {
  const popup = await openPopup(ctx, page);
  await popup.setViewportSize(page.viewportSize() ?? { width: 1000, height: 760 });
  return popup;
}

test('Add account scans the demo app’s QR code; its codes finish the set-up and fill the sign-in', async (t) => {
  const { demo } = await startServer(t);
  const ctx = await launchBrowser(t);
  /** @type {string[]} */
  const logged = [];
  (await worker(ctx)).on('console', (m) => logged.push(m.text()));
  const app = await ctx.newPage();
  const login = freshEmail('qrpop');
  await signUp(app, demo, login);
  const { secret } = await openTwoFactorSetup(app, demo);
  await app.locator('#qr svg').waitFor();

  const popup = await popupFor(ctx, app);
  popup.on('console', (m) => logged.push(m.text()));
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  const from = Date.now();
  await popup.getByRole('button', { name: 'Scan QR code on this page' }).click();
  // One key on the page: used at once, its code shown; the key itself is not in the popup.
  const shown = await shownCode(popup);
  assert.ok(referenceCodesBetween(secret, from - 1000, Date.now()).includes(shown), `the scan showed ${shown}`);
  // (The popup's list view may hold the key the setup page shows, for its own "Save the new key"
  // offer: the Add view and its fields are what the scan must leave without it.)
  const addView = popup.locator('#view-add');
  assert.equal(holdsWord(await addView.evaluate((v) => v.outerHTML), secret), false, 'the key is not in Add account');
  assert.equal(await popup.locator('#secret').inputValue(), '', 'nor in Secret Key');
  assert.equal(await popup.getByRole('textbox', { name: 'Site', exact: true }).inputValue(), new URL(demo).hostname);
  // The demo shows its backup codes only once two-factor is on: none are offered here.
  assert.equal(await popup.getByRole('group', { name: 'Backup codes on this page' }).count(), 0);
  await popup.getByRole('textbox', { name: 'Name', exact: true }).fill(SCANNED_NAME);
  await screenshot(popup, 'qr-popup-scanned');
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('li.account', { hasText: SCANNED_NAME }).waitFor();

  // Saved from the setup step that tab shows: its first code fills there, and the app takes it.
  const first = await filledIn(app.locator('#code'));
  assert.ok(referenceCodesBetween(secret, from - 1000, Date.now()).includes(first), `filled ${first}`);
  await confirmTwoFactor(app, first);

  // The sign-in's code fills from the scanned key.
  await signOut(app);
  const before = Date.now();
  await signIn(app, demo, login);
  const code = await filledIn(app.locator('#otp'));
  assert.ok(referenceCodesBetween(secret, before - 1000, Date.now()).includes(code), `filled ${code}`);
  await app.getByRole('button', { name: 'Verify' }).click();
  await app.getByRole('heading', { name: `Welcome, ${login}` }).waitFor();

  assert.equal(holdsWord(logged.join('\n'), secret), false, 'the key is not in the console');
  const seen = await inContentScript(ctx, app, 'JSON.stringify(Object.keys(globalThis))');
  assert.equal(holdsWord(String(seen.value ?? seen.error), secret), false, 'the key is not in the content script');
});

test('Add account: two QR codes on a page are listed to pick from; Show key reveals the one picked', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const page = await ctx.newPage();
  await page.goto(fixtures.url(...TWO));
  const popup = await popupFor(ctx, page);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('button', { name: 'Scan QR code on this page' }).click();
  const found = popup.getByRole('list', { name: 'QR codes found' });
  await found.getByText(TWO_KEYS).waitFor({ timeout: 20_000 });
  await found.getByRole('button', { name: NORTHWIND_LABEL }).waitFor();
  await screenshot(popup, 'qr-popup-pick');
  const from = Date.now();
  await found.getByRole('button', { name: CONTOSO_LABEL }).click();
  const shown = await shownCode(popup);
  assert.ok(referenceCodesBetween(CONTOSO, from - 1000, Date.now()).includes(shown), `the pick showed ${shown}`);
  assert.equal(await popup.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), CONTOSO_NAME);
  const html = await popup.content();
  assert.equal(holdsWord(html, CONTOSO) || holdsWord(html, NORTHWIND), false, 'no key is in the popup');
  // A field's value is not in the HTML: Secret Key is read too.
  assert.equal(await popup.locator('#secret').inputValue(), '', 'nor in Secret Key');

  // Back to the key step: the scanned key is named, and shown only on Show key.
  await popup.getByRole('button', { name: 'Back' }).click();
  await popup.getByText(keyReadFrom(CONTOSO_LABEL)).waitFor();
  await popup.getByRole('button', { name: 'Show key' }).click();
  const box = popup.getByRole('textbox', { name: 'Secret Key', exact: true });
  assert.ok(holdsWord(await box.inputValue(), CONTOSO), 'Show key puts the picked key in Secret Key');
  await popup.getByRole('button', { name: 'Save Code' }).click();
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('li.account', { hasText: CONTOSO_NAME }).waitFor();
});

test('Add account refuses a page whose QR code is not an authenticator key, and a page with none', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const page = await ctx.newPage();
  await page.goto(fixtures.url(...NOT_OTP));
  const popup = await popupFor(ctx, page);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('button', { name: 'Scan QR code on this page' }).click();
  await popup.getByText(NOT_OTP_SAYS).waitFor({ timeout: 20_000 });
  await popup.getByText(NO_KEY_SAYS).waitFor();
  await screenshot(popup, 'qr-popup-refused');
  assert.ok(await popup.getByRole('button', { name: 'Save Code' }).isVisible(), 'still on the key step');

  await page.goto(fixtures.url(...NO_QR_PAGE));
  await popup.getByRole('button', { name: 'Scan QR code on this page' }).click();
  await popup.getByText(NO_QR_SAYS).waitFor({ timeout: 20_000 });
});

test('Add account offers the backup codes beside the QR code; ticked, they are kept with the account', async (t) => {
  const ws = await startWorkspace(t);
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const page = await ctx.newPage();
  await page.goto(fixtures.url(...BACKUP));
  const popup = await popupFor(ctx, page);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('button', { name: 'Scan QR code on this page' }).click();
  await shownCode(popup);
  const offer = popup.getByRole('group', { name: 'Backup codes on this page' });
  await offer.waitFor();
  const codes = (await offer.locator('li').allTextContents()).map((c) => c.trim());
  assert.deepEqual(codes, BACKUP_CODES);
  await screenshot(popup, 'qr-popup-backup-codes');
  await offer.getByRole('checkbox', { name: KEEP_BACKUP }).check();
  assert.equal(await popup.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), BACKUP_NAME);
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('li.account', { hasText: BACKUP_NAME }).waitFor();

  // Kept as the account's backup codes (Emergency controls), shown there on demand.
  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  const row = dashboard.locator('li[data-account-id]', { hasText: BACKUP_NAME });
  await row.getByRole('button', { name: `Show backup codes of ${BACKUP_NAME}` }).click();
  await row.locator('ul.backup-codes li').nth(9).waitFor();
  assert.deepEqual(
    (await row.locator('ul.backup-codes li').allTextContents()).map((c) => c.trim()),
    codes,
  );
});

test('Add account reads a picture of a QR code pasted into Secret Key', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const page = await ctx.newPage();
  await page.goto(fixtures.url(...TWO));
  // A screenshot of one of the page's two codes, as a person copies it.
  const png = (await page.locator('figure').nth(1).locator('svg').screenshot()).toString('base64');
  const popup = await openPopup(ctx);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  const from = Date.now();
  await popup.getByRole('textbox', { name: 'Secret Key', exact: true }).evaluate((box, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'qr.png', { type: 'image/png' }));
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
  const shown = await shownCode(popup);
  assert.ok(referenceCodesBetween(CONTOSO, from - 1000, Date.now()).includes(shown), `the picture showed ${shown}`);
  assert.equal(await popup.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), CONTOSO_NAME);
  assert.equal(holdsWord(await popup.content(), CONTOSO), false, 'the key is not in the popup');
  assert.equal(await popup.locator('#secret').inputValue(), '', 'nor in Secret Key');
});
