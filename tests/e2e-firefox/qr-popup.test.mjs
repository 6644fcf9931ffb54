// @ts-check
// Scan QR code on this page, in the popup's Add account (docs/import.md), in Firefox with the built
// package: Chromium's tests/e2e/qr-popup.test.mjs, pages, keys and sentences from
// tests/e2e/cases/qr.mjs. The background captures the page with tabs.captureVisibleTab, as in
// Chromium. The demo app's two-factor page is scanned from the popup into a new account, whose
// first code finishes the set-up and whose codes then fill the sign-in; a page with two QR codes
// lists both to pick from; a page whose QR code is a web address, and a page with no QR code, are
// refused with the reason. The key never reaches the popup (only the entry's label, until Show
// key), a content script (read by a probe content script: Firefox gives all of one add-on's
// content scripts one global) or the browser console. Backup codes beside a QR code are offered
// and, ticked, kept with the new workspace account.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
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
  NO_KEY_SAYS,
  NO_QR_PAGE,
  NO_QR_SAYS,
  NOT_OTP,
  NOT_OTP_SAYS,
  SCANNED_NAME,
  TWO,
  TWO_KEYS,
  holdsWord,
  keyReadFrom,
} from '../e2e/cases/qr.mjs';
import { freshEmail, referenceCodesBetween, startFixtures, startServer } from '../e2e/harness.mjs';
import { ALICE, startWorkspace } from '../e2e/workspace.mjs';
import { oneFirefox, openTwoFactorSetup, signInTyping, signOut, signUp } from './accounts.mjs';
import { DASHBOARD, showsText } from './console.mjs';
import {
  askProbe,
  filledOtpIn,
  launchFirefox,
  openPopup,
  packageWithProbe,
  sharedContext,
  waitIn,
} from './firefox.mjs';
import { GLOBALS_PROBE, watchConsole, watchedConsole } from './qr.mjs';
import { heading, joinWithKit } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

const firefox = oneFirefox(after);
const shared = sharedContext(after);
/** @type {ReturnType<typeof startFixtures> | undefined} */
let fixturesServer;
const fixtures = () => {
  fixturesServer ??= startFixtures(shared);
  return fixturesServer;
};

/** The six digits Save Code (or a scan) shows in the popup (the current tab). @param {Firefox} ff */
const shownCode = (ff) =>
  waitIn(
    ff,
    () => {
      const digits = (document.querySelector('#preview-code')?.textContent ?? '').replace(/\s/g, '');
      return /^\d{6}$/.test(digits) ? digits : null;
    },
    'the code the popup shows',
  );

/** The value of the popup's field `css`. @param {Firefox} ff @param {string} css */
const fieldValue = (ff, css) =>
  ff.run((c) => /** @type {HTMLInputElement | null} */ (document.querySelector(c))?.value ?? null, css);

/**
 * The popup about the tab showing `url`, Add account, Scan QR code on this page. The popup is a tab
 * of its own here: the background brings the page's tab to the front to capture it, then the
 * popup's back (add-view.js). The event page's and the popup's consoles are watched from then on.
 * @param {Firefox} ff @param {string} url
 */
async function scanFromPopup(ff, url) {
  const popup = await openPopup(ff, url);
  await watchConsole(ff);
  await ff.click('#add-open');
  await ff.click('#scan-page');
  return popup;
}

const SCAN_TEST = 'Add account scans the demo app’s QR code; its codes finish the set-up and fill the sign-in';

test(`Firefox: ${SCAN_TEST}`, async (t) => {
  const { demo } = await startServer(t);
  // A Firefox of its own: the package with a probe content script, to read the content scripts' global.
  const ff = await launchFirefox(t, { addon: await packageWithProbe(t, GLOBALS_PROBE) });
  const app = await ff.newTab();
  const login = freshEmail('qrpop');
  await signUp(ff, demo, login);
  const { secret } = await openTwoFactorSetup(ff, demo);
  await waitIn(ff, () => document.querySelector('#qr svg'), 'the QR code');
  const appUrl = await ff.url();

  const from = Date.now();
  const popup = await scanFromPopup(ff, appUrl);
  // One key on the page: used at once, its code shown; the key itself is not in the popup.
  const shown = await shownCode(ff);
  assert.ok(referenceCodesBetween(secret, from - 1000, Date.now()).includes(shown), `the scan showed ${shown}`);
  // (The popup's list view may hold the key the setup page shows, for its own "Save the new key"
  // offer: the Add view and its fields are what the scan must leave without it.)
  const addView = await ff.run(() => document.querySelector('#view-add')?.outerHTML ?? '');
  assert.equal(holdsWord(addView, secret), false, 'the key is not in Add account');
  assert.equal(await fieldValue(ff, '#secret'), '', 'nor in Secret Key');
  await waitIn(ff, () => document.querySelector('#add-site')?.checkVisibility(), 'the Site field');
  assert.equal(await fieldValue(ff, '#add-site'), new URL(demo).hostname);
  // The demo shows its backup codes only once two-factor is on: none are offered here.
  assert.equal(await ff.run(() => document.querySelectorAll('[aria-label="Backup codes on this page"]').length), 0);
  await ff.type('#add-name', SCANNED_NAME);
  await ff.screenshot('firefox-qr-popup-scanned');
  await ff.click('#add-confirm-form button[type=submit]');
  await showsText(ff, 'li.account', SCANNED_NAME);

  // Saved from the setup step that tab shows: its first code fills there, and the app takes it.
  await ff.switchTo(app);
  const first = await waitIn(
    ff,
    () => {
      const v = /** @type {HTMLInputElement} */ (document.querySelector('#code')).value;
      return /^\d{6}$/.test(v) ? v : null;
    },
    'the setup page filled',
  );
  assert.ok(referenceCodesBetween(secret, from - 1000, Date.now()).includes(first), `filled ${first}`);
  // Sent as Enter sends it (Latchkey's mark covers Turn on in Firefox's layout: docs/firefox.md).
  await ff.run(() => /** @type {HTMLInputElement} */ (document.querySelector('#code')).form?.requestSubmit());
  await showsText(ff, '#twofa-status', 'Two-factor authentication: On');

  // The sign-in's code fills from the scanned key.
  await signOut(ff);
  const before = Date.now();
  await signInTyping(ff, demo, login);
  const code = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(secret, before - 1000, Date.now()).includes(code), `filled ${code}`);
  await ff.press('Verify');
  await heading(ff, `Welcome, ${login}`);

  const seen = await askProbe(ff, {});
  assert.ok(Array.isArray(seen) && seen.length > 0, JSON.stringify(seen));
  assert.equal(holdsWord(JSON.stringify(seen), secret), false, 'the key is not in the content script');
  await ff.switchTo(popup);
  assert.equal(holdsWord(await watchedConsole(ff), secret), false, 'the key is not in the console');
});

const PICK_TEST = 'Add account: two QR codes on a page are listed to pick from; Show key reveals the one picked';

test(`Firefox: ${PICK_TEST}`, async () => {
  const f = await fixtures();
  const ff = await firefox();
  await ff.newTab();
  const url = f.url(...TWO);
  await ff.go(url);
  await scanFromPopup(ff, url);
  await showsText(ff, '#scan-found li', TWO_KEYS);
  await waitIn(
    ff,
    (l) => document.querySelector(`#scan-found button`)?.textContent === l,
    'Northwind',
    NORTHWIND_LABEL,
  );
  await ff.screenshot('firefox-qr-popup-pick');
  const from = Date.now();
  await ff.press(CONTOSO_LABEL);
  const shown = await shownCode(ff);
  assert.ok(referenceCodesBetween(CONTOSO, from - 1000, Date.now()).includes(shown), `the pick showed ${shown}`);
  await waitIn(ff, () => document.querySelector('#add-name')?.checkVisibility(), 'the Name field');
  assert.equal(await fieldValue(ff, '#add-name'), CONTOSO_NAME);
  const html = await ff.run(() => document.documentElement.outerHTML);
  assert.equal(holdsWord(html, CONTOSO) || holdsWord(html, NORTHWIND), false, 'no key is in the popup');
  // A field's value is not in the HTML: Secret Key is read too.
  assert.equal(await fieldValue(ff, '#secret'), '', 'nor in Secret Key');

  // Back to the key step: the scanned key is named, and shown only on Show key.
  await ff.click('#add-confirm-form [data-action=back]');
  await showsText(ff, '#scan-key', keyReadFrom(CONTOSO_LABEL));
  await ff.click('#scan-reveal');
  const revealed = await waitIn(
    ff,
    () => /** @type {HTMLInputElement} */ (document.querySelector('#secret')).value,
    'the key',
  );
  assert.ok(holdsWord(revealed, CONTOSO), 'Show key puts the picked key in Secret Key');
  await ff.click('#add-key-form button[type=submit]');
  await shownCode(ff);
  await ff.click('#add-confirm-form button[type=submit]');
  await showsText(ff, 'li.account', CONTOSO_NAME);
});

const REFUSE_TEST = 'Add account refuses a page whose QR code is not an authenticator key, and a page with none';

test(`Firefox: ${REFUSE_TEST}`, async () => {
  const f = await fixtures();
  const ff = await firefox();
  const page = await ff.newTab();
  const url = f.url(...NOT_OTP);
  await ff.go(url);
  const popup = await scanFromPopup(ff, url);
  await showsText(ff, '#scan-found li', NOT_OTP_SAYS);
  await showsText(ff, '#secret-error', NO_KEY_SAYS);
  await ff.screenshot('firefox-qr-popup-refused');
  assert.equal(
    await ff.run(() => document.querySelector('#add-key-form button[type=submit]')?.checkVisibility()),
    true,
    'still on the key step',
  );

  await ff.switchTo(page);
  const none = f.url(...NO_QR_PAGE);
  await ff.go(none);
  await ff.switchTo(popup);
  await ff.click('#scan-page');
  await showsText(ff, '#secret-error', NO_QR_SAYS);
});

const BACKUP_TEST = 'Add account offers the backup codes beside the QR code; ticked, they are kept with the account';

test(`Firefox: ${BACKUP_TEST}`, async (t) => {
  const ws = await startWorkspace(t);
  const f = await fixtures();
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  await ff.newTab();
  const url = f.url(...BACKUP);
  await ff.go(url);
  await scanFromPopup(ff, url);
  await shownCode(ff);
  const offer = '[role=group][aria-label="Backup codes on this page"]';
  await waitIn(ff, (c) => document.querySelector(c)?.checkVisibility(), 'the backup codes offered', offer);
  const codes = await ff.run(
    (c) => [...document.querySelectorAll(`${c} li`)].map((li) => (li.textContent ?? '').trim()),
    offer,
  );
  assert.deepEqual(codes, BACKUP_CODES);
  await ff.screenshot('firefox-qr-popup-backup-codes');
  const box = await ff.run(
    (c, name) =>
      /** @type {HTMLLabelElement | undefined} */ (
        [...document.querySelectorAll(`${c} label`)].find((l) => l.textContent === name)
      )?.htmlFor,
    offer,
    KEEP_BACKUP,
  );
  await ff.click(`#${box}`);
  assert.equal(await fieldValue(ff, '#add-name'), BACKUP_NAME);
  await ff.click('#add-confirm-form button[type=submit]');
  await showsText(ff, 'li.account', BACKUP_NAME);

  // Kept as the account's backup codes (Emergency controls), shown there on demand.
  await ff.openExtensionPage(DASHBOARD);
  await ff.click(`button[aria-label="Show backup codes of ${BACKUP_NAME}"]`);
  const kept = await waitIn(
    ff,
    (name) => {
      const row = [...document.querySelectorAll('li[data-account-id]')].find((li) => li.textContent?.includes(name));
      const items = [...(row?.querySelectorAll('ul.backup-codes li') ?? [])].map((li) => (li.textContent ?? '').trim());
      return items.length >= 10 ? items : null;
    },
    'the kept backup codes shown',
    BACKUP_NAME,
  );
  assert.deepEqual(kept, codes);
});

test('Firefox: Add account reads a picture of a QR code pasted into Secret Key', async () => {
  const f = await fixtures();
  const ff = await firefox();
  const popup = await ff.handle();
  await ff.newTab();
  await ff.go(f.url(...TWO));
  // A picture of one of the page's two codes, as a person copies it: the second code drawn as PNG.
  const png = await ff.run(async () => {
    const svg = document.querySelectorAll('figure svg')[1];
    const img = new Image();
    img.src = `data:image/svg+xml;base64,${btoa(new XMLSerializer().serializeToString(svg))}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = svg.clientWidth;
    canvas.height = svg.clientHeight;
    canvas.getContext('2d')?.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/png').split(',')[1];
  });
  await ff.switchTo(popup);
  await ff.click('#add-open');
  const from = Date.now();
  // A paste event carrying the picture, as Chromium's test dispatches one. Firefox's ClipboardEvent
  // constructor drops `clipboardData` (docs/firefox.md), so the event is given it as its own
  // property; and headless Firefox's clipboard holds text only, so a real Ctrl+V cannot carry one.
  await ff.run((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'qr.png', { type: 'image/png' }));
    const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    if (paste.clipboardData?.files.length !== 1) Object.defineProperty(paste, 'clipboardData', { value: data });
    document.querySelector('#secret')?.dispatchEvent(paste);
  }, png);
  const shown = await shownCode(ff);
  assert.ok(referenceCodesBetween(CONTOSO, from - 1000, Date.now()).includes(shown), `the picture showed ${shown}`);
  await waitIn(ff, () => document.querySelector('#add-name')?.checkVisibility(), 'the Name field');
  assert.equal(await fieldValue(ff, '#add-name'), CONTOSO_NAME);
  assert.equal(
    holdsWord(await ff.run(() => document.documentElement.outerHTML), CONTOSO),
    false,
    'the key is not in the popup',
  );
});
