// @ts-check
// Scan QR code and Import (docs/import.md), in Firefox with the built package against a real
// `latchkey serve --demo`: Chromium's tests/e2e/qr-import.test.mjs, files, typing and sentences
// from tests/e2e/cases/qr-import.mjs. The demo app's two-factor page shows its key as a QR code;
// Set as MFA scans it from the app's tab (captureVisibleTab) and the login then fills with it. An
// Aegis backup (encrypted) and a Google Authenticator export, chosen in the file field as a person
// does, are previewed and nothing is stored until Import. No key reaches the dashboard page, a
// content script (a probe content script reads their global), Latchkey's storage outside the vault,
// or Firefox's console.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
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
  IMPORT_PASSWORD,
  IMPORTED_NAMES,
  IMPORTED_SAYS,
  MOTP_SAYS,
  OTHER_KEY,
  OWNED,
  QR_LOGIN,
  REPLACES_SAYS,
  SECOND_PARAMS,
  SITES,
  WRONG_PASSWORD_SAYS,
} from '../e2e/cases/qr-import.mjs';
import { BACKUP, KEEP_BACKUP, holdsWord } from '../e2e/cases/qr.mjs';
import { freshEmail, referenceCodesBetween, startFixtures } from '../e2e/harness.mjs';
import { ALICE, api, startWorkspace } from '../e2e/workspace.mjs';
import { openTwoFactorSetup, signInTyping, signOut, signUp } from './accounts.mjs';
import { DASHBOARD, choose, showsText, workspaceState } from './console.mjs';
import {
  addThroughPopup,
  askProbe,
  filledOtpIn,
  launchFirefox,
  openPopup,
  packageWithProbe,
  waitIn,
} from './firefox.mjs';
import { GLOBALS_PROBE, storedText, watchConsole, watchedConsole } from './qr.mjs';
import { heading, joinWithKit } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * Adds an account in a popup (a new tab, closed after) that the vault keeps as shared and owned.
 * @param {Firefox} ff @param {{name: string, site?: string}} a @param {string} [forUrl]
 */
async function addOwned(ff, a, forUrl) {
  const popup = await openPopup(ff, forUrl);
  await addThroughPopup(ff, { secret: OTHER_KEY, ...a });
  await waitIn(
    ff,
    (n, o) =>
      [...document.querySelectorAll('li.account')].some(
        (li) => li.textContent?.includes(n) && li.textContent.includes(o),
      ),
    `${a.name}: ${OWNED}`,
    a.name,
    OWNED,
  );
  await ff.closeTab(popup);
}

/**
 * The dashboard's row of the shared account `name`, with Set as MFA, Scan QR code on a tab, and
 * the tab whose option `pick` accepts chosen: its CSS selector. The event page's and the
 * dashboard's consoles are watched from its opening. @param {Firefox} ff @param {string} name
 * @param {(text: string) => boolean} pick
 */
async function scanFromDashboard(ff, name, pick) {
  await ff.openExtensionPage(DASHBOARD);
  await watchConsole(ff);
  const id = await waitIn(
    ff,
    (n) =>
      /** @type {HTMLElement | undefined} */ (
        [...document.querySelectorAll('li[data-account-id]')].find((li) => li.querySelector('.name')?.textContent === n)
      )?.dataset.accountId,
    `${name}'s row`,
    name,
  );
  const row = `li[data-account-id="${id}"]`;
  await ff.click(`${row} button[aria-label="Set as MFA for ${name}"]`);
  await ff.click(`${row} button[aria-label="Scan QR code for ${name}"]`);
  const select = `${row} select[aria-label="Tab with the QR code"]`;
  await waitIn(ff, (c) => document.querySelector(c)?.checkVisibility(), 'the tabs to scan', select);
  const options = await ff.run(
    (c) =>
      [...document.querySelectorAll(`${c} option`)].map((o) => [
        /** @type {HTMLOptionElement} */ (o).value,
        o.textContent ?? '',
      ]),
    select,
  );
  const chosen = options.find(([, text]) => pick(text));
  assert.ok(chosen, `no tab to pick among ${JSON.stringify(options)}`);
  await choose(ff, select, chosen[0]);
  await ff.click(`${row} .scan button.primary`);
  return row;
}

const SCAN_TEST = 'Set as MFA scans the QR code on the demo app’s two-factor page; the login then fills with it';

test(`Firefox: ${SCAN_TEST}`, async (t) => {
  const ws = await startWorkspace(t);
  // The package with a probe content script beside Latchkey's, to read their global.
  const ff = await launchFirefox(t, { addon: await packageWithProbe(t, GLOBALS_PROBE) });
  await joinWithKit(ff, ws, ALICE);

  // An account Alice owns at the demo app, with some other key for now.
  const app = await ff.newTab();
  const login = freshEmail('qr');
  await signUp(ff, ws.demo, login);
  await addOwned(ff, { name: QR_LOGIN }, await ff.url());

  // The app's two-factor page shows its key as a QR code (and as text, which the test reads).
  await ff.switchTo(app);
  const { secret } = await openTwoFactorSetup(ff, ws.demo);
  await waitIn(ff, () => document.querySelector('#qr svg'), 'the QR code');

  const host = new URL(ws.demo).host;
  const from = Date.now();
  const row = await scanFromDashboard(ff, QR_LOGIN, (text) => text.includes(host) && /two-factor/i.test(text));
  const shown = (
    await waitIn(
      ff,
      (r) =>
        [...document.querySelectorAll(`${r} output.digits`)]
          .map((o) => o.textContent ?? '')
          .find((x) => /\d{3} \d{3}/.test(x)),
      'the scanned key’s code',
      row,
    )
  ).replace(/\s/g, '');
  assert.ok(referenceCodesBetween(secret, from - 1000, Date.now()).includes(shown), `the scan showed ${shown}`);
  await ff.screenshot('firefox-qr-scanned');
  // The dashboard page never held the key (its HTML, nor a field's value).
  assert.equal(holdsWord(await ff.run(() => document.documentElement.outerHTML), secret), false, 'not in the page');
  const values = await ff.run(() => [...document.querySelectorAll('input')].map((i) => i.value).join(' '));
  assert.equal(holdsWord(values, secret), false, 'not in a field');
  const dashboard = await ff.handle();
  await ff.switchTo(app);
  await ff.type('#code', `${shown}\uE007`);
  await showsText(ff, '#twofa-status', 'Two-factor authentication: On');
  await ff.switchTo(dashboard);
  await ff.press('Done');
  await waitIn(
    ff,
    (n) => document.querySelector(`button[aria-label="Set as MFA for ${n}"]`)?.checkVisibility(),
    'the row drawn again',
    QR_LOGIN,
  );

  // The login fills with the scanned key (two accounts at the demo app: the popup's Fill chooses).
  await ff.switchTo(app);
  await signOut(ff);
  await signInTyping(ff, ws.demo, login);
  await openPopup(ff, await ff.url());
  await ff.click(`#on-page button[aria-label="Fill code for ${QR_LOGIN}"]`);
  await ff.switchTo(app);
  const code = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(secret, Date.now() - 31_000, Date.now()).includes(code), `filled ${code}`);
  await ff.press('Verify');
  await heading(ff, `Welcome, ${login}`);

  // The key is nowhere but in the vault: not in storage, the console, or the page's content script.
  const seen = await askProbe(ff, {});
  assert.ok(Array.isArray(seen) && seen.length > 0, JSON.stringify(seen));
  assert.equal(holdsWord(JSON.stringify(seen), secret), false, 'the key is not in the content script');
  await ff.switchTo(dashboard);
  assert.equal(holdsWord(await storedText(ff), secret), false, 'the key is not in storage');
  assert.equal(holdsWord(await watchedConsole(ff), secret), false, 'the key is not in the console');
});

const IMPORT_TEST = 'Import: an encrypted Aegis backup and a Google export, previewed, then stored only on Import';

test(`Firefox: ${IMPORT_TEST}`, async (t) => {
  const ws = await startWorkspace(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const alice = await workspaceState(ff);
  const before = (await api(ws.server, alice.token, 'GET', '/accounts')).accounts.length;
  const accounts = JSON.parse(await readFile(ACCOUNTS, 'utf8'));

  await ff.openExtensionPage(DASHBOARD);
  await watchConsole(ff);
  await waitIn(ff, () => document.querySelector('#import-card')?.checkVisibility(), 'the Import card');
  // The file chosen in the file field, as a person picks it (WebDriver types its path there).
  await ff.type('#import-file', AEGIS);
  // Without the password, and with a wrong one: named, nothing shown.
  await ff.click('#import-preview');
  await showsText(ff, '#import-card', ENCRYPTED_SAYS);
  await ff.type('#import-password', 'not the password');
  await ff.click('#import-preview');
  await showsText(ff, '#import-card', WRONG_PASSWORD_SAYS);
  await ff.type('#import-password', IMPORT_PASSWORD);
  const from = Date.now();
  await ff.click('#import-preview');
  const entries = '#import-card li.import-entry';
  await waitIn(ff, (c, n) => document.querySelectorAll(c).length >= n, 'the entries', entries, AEGIS_ENTRIES);
  assert.equal(await ff.run((c) => document.querySelectorAll(c).length, entries), AEGIS_ENTRIES);
  /** The text of entry `i` (from 1). @param {number} i */
  const entry = (i) => `${entries}:nth-of-type(${i})`;
  // GitHub: its parameters and its current code.
  await showsText(ff, entry(1), GITHUB_PARAMS);
  const code = await ff.run((c) => (document.querySelector(`${c} output.digits`)?.textContent ?? '').trim(), entry(1));
  assert.ok(referenceCodesBetween(accounts[0].secret, from - 1000, Date.now()).includes(code), `preview code ${code}`);
  await showsText(ff, entry(2), SECOND_PARAMS);
  // The counter-based key and the mOTP one are named and left out.
  await showsText(ff, entry(3), HOTP_SAYS);
  await showsText(ff, entry(5), MOTP_SAYS);
  assert.equal(
    await ff.run(
      (c) => /** @type {HTMLInputElement | null} */ (document.querySelector(`${c} input[type=checkbox]`))?.disabled,
      entry(3),
    ),
    true,
  );
  await ff.screenshot('firefox-import-preview');
  // Nothing is stored before Import.
  assert.equal((await api(ws.server, alice.token, 'GET', '/accounts')).accounts.length, before);
  assert.equal(holdsWord(await ff.run(() => document.documentElement.outerHTML), accounts[0].secret), false);

  // Each new account needs its site; then Import.
  for (const [n, site] of SITES) await ff.type(`#import-card input[aria-label="Site of entry ${n}"]`, site);
  await ff.click('#import-confirm');
  await showsText(ff, '#import-card', IMPORTED_SAYS);
  const names = (await api(ws.server, alice.token, 'GET', '/accounts')).accounts.map(
    (/** @type {{name: string}} */ a) => a.name,
  );
  for (const n of IMPORTED_NAMES) assert.ok(names.includes(n), `${n} in ${names}`);
  const dashboard = await ff.handle();
  await openPopup(ff);
  const shown = await waitIn(
    ff,
    () =>
      [...document.querySelectorAll('li.account')]
        .find((li) => li.textContent?.includes('GitHub'))
        ?.querySelector('.digits')
        ?.textContent?.match(/\d{3} \d{3}/)?.[0],
    'GitHub’s code in the popup',
  );
  assert.ok(
    referenceCodesBetween(accounts[0].secret, Date.now() - 31_000, Date.now()).includes(shown.replace(/\s/g, '')),
  );

  // A Google export in two QR codes' links: GitHub is now an account with that key (duplicate of
  // nothing in the file, but its MFA exists: replacing asks), VPN's HOTP key is named.
  await ff.switchTo(dashboard);
  await ff.type('#import-file', GOOGLE);
  await ff.click('#import-preview');
  await showsText(ff, entry(1), REPLACES_SAYS);
  assert.equal(await ff.run((c) => document.querySelectorAll(c).length, entries), GOOGLE_ENTRIES);
  assert.equal(
    await ff.run(
      (c) => /** @type {HTMLInputElement | null} */ (document.querySelector(`${c} input[type=checkbox]`))?.checked,
      entry(1),
    ),
    false,
  );
  await showsText(ff, entry(3), HOTP_SAYS);

  // No key in storage or the console.
  const stored = await storedText(ff);
  const logged = await watchedConsole(ff);
  for (const a of accounts) {
    assert.equal(holdsWord(stored, a.secret), false, `${a.issuer}'s key is not in storage`);
    assert.equal(holdsWord(logged, a.secret), false, `${a.issuer}'s key is not in the console`);
  }
});

const BACKUP_TEST = 'Set as MFA offers the backup codes a page shows beside its QR code; ticked, they are kept';

test(`Firefox: ${BACKUP_TEST}`, async (t) => {
  const ws = await startWorkspace(t);
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  await addOwned(ff, FABRIKAM_LOGIN);

  await ff.newTab();
  await ff.go(fixtures.url(...BACKUP));
  const row = await scanFromDashboard(ff, FABRIKAM_LOGIN.name, (text) => text.includes(FABRIKAM_LOGIN.site));
  const offer = `${row} [role=group][aria-label="Backup codes on this page"]`;
  const codes = await waitIn(
    ff,
    (c) => {
      const items = [...document.querySelectorAll(`${c} li`)].map((li) => (li.textContent ?? '').trim());
      return items.length >= 10 ? items : null;
    },
    'the backup codes offered',
    offer,
  );
  assert.equal(codes.length, 10);
  assert.equal(codes[0], FIRST_BACKUP_CODE);
  const box = await ff.run(
    (c, name) =>
      /** @type {HTMLLabelElement | undefined} */ (
        [...document.querySelectorAll(`${c} label`)].find((l) => l.textContent === name)
      )?.htmlFor,
    offer,
    KEEP_BACKUP,
  );
  await ff.click(`#${box}`);
  await ff.press('Done');
  await ff.click(`button[aria-label="Show backup codes of ${FABRIKAM_LOGIN.name}"]`);
  const kept = await waitIn(
    ff,
    (r) => {
      const items = [...document.querySelectorAll(`${r} ul.members.backup-codes li`)].map((li) =>
        (li.textContent ?? '').trim(),
      );
      return items.length >= 10 ? items : null;
    },
    'the kept backup codes',
    row,
  );
  assert.deepEqual(kept, codes);
});
