// @ts-check
// A join flow nobody gets stuck in (issue 16), walked as a person does in Chromium against a real
// `latchkey serve --demo`: Continue checks the server address at once; every screen before the
// device is trusted has Back, and the server and e-mail change from there and from the popup's banner
// after Remind me later; My Profile's Set up new device and the dashboard's Set up this device lead
// to the join page; a server without an SMTP relay says where its code is.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { launchBrowser, listenOnLoopback, openPopup, screenshot, startServer, waitFor } from './harness.mjs';
import {
  ALICE,
  BOB,
  choosePin,
  enterEmailedCode,
  openJoin,
  SETUP_HEADING,
  startWorkspace,
  workspaceState,
} from './workspace.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** @param {Page} page @param {string} name */
const heading = (page, name) => page.getByRole('heading', { name }).waitFor();
/** @param {Page} page */
const back = (page) => page.locator('section:not([hidden]) [data-back]').click();

/** @param {Page} page @param {string} server @param {string} email */
async function firstScreen(page, server, email) {
  await heading(page, SETUP_HEADING);
  await page.getByRole('textbox', { name: 'Server address' }).fill(server);
  await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('Continue checks the server address: an address nobody answers, a server that is not Latchkey', async (t) => {
  const ws = await startWorkspace(t);
  // Something else on this computer that answers JSON to every path, as many servers do.
  const other = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","version":"1.0"}');
  });
  const otherPort = await listenOnLoopback(t, other);
  // A port nothing listens on: one that was just free.
  const closed = createServer();
  const closedPort = await new Promise((resolve) => {
    closed.listen(0, '127.0.0.1', () => {
      const a = closed.address();
      closed.close(() => resolve(typeof a === 'object' && a ? a.port : 1));
    });
  });
  const ctx = await launchBrowser(t);
  const page = await openJoin(ctx);

  await firstScreen(page, `http://127.0.0.1:${closedPort}`, BOB);
  const error = page.locator('#welcome-error');
  await error.filter({ hasText: `Latchkey could not reach http://127.0.0.1:${closedPort}` }).waitFor();
  await heading(page, SETUP_HEADING);
  // Shown as an error, not as the card's grey text.
  const [errorColor, textColor] = await page.evaluate(() => [
    getComputedStyle(/** @type {HTMLElement} */ (document.getElementById('welcome-error'))).color,
    getComputedStyle(/** @type {HTMLElement} */ (document.querySelector('#s-welcome p:not(.error)'))).color,
  ]);
  assert.notEqual(errorColor, textColor, 'the error looks like the text around it');
  const [r, g, b] = (errorColor.match(/\d+/g) ?? []).map(Number);
  assert.ok(r > 150 && g < 100 && b < 100, `the error is not red: ${errorColor}`);
  await screenshot(page, 'join-1b-unreachable');
  assert.equal(await workspaceState(ctx), null, 'nothing was kept of an address that does not answer');

  await page.getByRole('textbox', { name: 'Server address' }).fill(`http://127.0.0.1:${otherPort}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await error.filter({ hasText: `http://127.0.0.1:${otherPort} answered, but it is not a Latchkey server` }).waitFor();
  assert.equal(await workspaceState(ctx), null);

  await page.getByRole('textbox', { name: 'Server address' }).fill(ws.server);
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading(page, 'Strengthen your account security');
  assert.equal((await workspaceState(ctx)).server, ws.server);
});

test('Back on every screen before trust; the e-mail changed from Verify your device, the device joins', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  const page = await openJoin(ctx);
  // A mistyped address first (Bob's, not the person's own).
  await firstScreen(page, ws.server, BOB);
  await heading(page, 'Strengthen your account security');
  await back(page);
  await heading(page, SETUP_HEADING);
  assert.equal(await page.getByRole('textbox', { name: 'E-mail' }).inputValue(), BOB, 'what was typed stays');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await heading(page, 'Name your device');
  await back(page);
  await heading(page, 'Strengthen your account security');
  await page.getByRole('button', { name: 'Start' }).click();
  await heading(page, 'Name your device');
  await page.getByRole('button', { name: 'Next' }).click();
  await heading(page, 'Verify this device');
  await back(page);
  await heading(page, 'Name your device');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: /Approve from a trusted device/ }).click();
  await heading(page, 'Verify your identity');
  await back(page);
  await heading(page, 'Verify this device');
  await page.getByRole('button', { name: /Use a code we e-mail you/ }).click();
  await heading(page, 'Verify your device');
  await page.getByRole('button', { name: 'Verify code' }).waitFor();
  await screenshot(page, 'join-4-verify-code-back');
  // Wrong address: back to the first screen, from here, and change it.
  await back(page);
  await heading(page, 'Verify this device');
  await back(page);
  await heading(page, 'Name your device');
  await back(page);
  await heading(page, 'Strengthen your account security');
  await back(page);
  await heading(page, SETUP_HEADING);
  await page.getByRole('textbox', { name: 'E-mail' }).fill(ALICE);
  const since = ws.smtp.count();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: /Use a code we e-mail you/ }).click();
  await page.locator('#code-sent', { hasText: ALICE }).waitFor();
  assert.ok(await page.locator('#code-where').isHidden(), 'a server with a relay e-mails the code');
  await enterEmailedCode(page, ws, ALICE, since);
  await heading(page, 'Enter your Recovery Kit');
  await page.getByRole('textbox', { name: 'Recovery Kit' }).fill(ws.kit(ALICE));
  await page.getByRole('button', { name: 'Unlock' }).click();
  await choosePin(page);
  const state = await workspaceState(ctx);
  assert.equal(state.stage, 'trusted');
  assert.equal(state.email, ALICE);
});

test('after Remind me later: the banner changes server or e-mail; My Profile and the dashboard set up', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  const page = await openJoin(ctx);
  await firstScreen(page, ws.server, BOB);
  await page.getByRole('button', { name: 'Remind me later' }).click();
  await heading(page, 'Not verified yet');
  await page.close();

  // The popup's banner: Change server or e-mail opens the first screen, filled in.
  const popup = await openPopup(ctx);
  await popup.locator('#ws-banner', { hasText: 'This session is not secure' }).waitFor();
  await screenshot(popup, 'popup-not-secure-change');
  let opened = ctx.waitForEvent('page');
  await popup.getByRole('button', { name: 'Change server or e-mail' }).click();
  const change = await opened;
  await heading(change, SETUP_HEADING);
  assert.equal(await change.getByRole('textbox', { name: 'Server address' }).inputValue(), ws.server);
  assert.equal(await change.getByRole('textbox', { name: 'E-mail' }).inputValue(), BOB);
  await change.getByRole('textbox', { name: 'E-mail' }).fill(ALICE);
  await change.getByRole('button', { name: 'Continue' }).click();
  await heading(change, 'Strengthen your account security');
  assert.equal((await workspaceState(ctx)).email, ALICE);
  await change.close();

  // The profile icon: My Profile, with Set up new device.
  const again = await openPopup(ctx);
  await again.getByRole('button', { name: 'My Profile' }).click();
  await heading(again, 'My Profile');
  await again.locator('#profile-details', { hasText: ALICE }).waitFor();
  await screenshot(again, 'popup-my-profile');
  opened = ctx.waitForEvent('page');
  await again.getByRole('button', { name: 'Set up new device' }).click();
  const setup = await opened;
  await heading(setup, SETUP_HEADING);
  await setup.close();

  // An untrusted session's My trusted devices offers Set up this device.
  const third = await openPopup(ctx);
  await third.getByRole('button', { name: 'My Profile' }).click();
  opened = ctx.waitForEvent('page');
  await third.getByRole('button', { name: 'My trusted devices' }).click();
  const dashboard = await opened;
  await heading(dashboard, 'This session is not secure');
  await dashboard.getByRole('link', { name: 'Set up this device' }).click();
  await heading(dashboard, 'Strengthen your account security');
});

test('without an SMTP relay the code screen says the code is on the server’s console and in its outbox', async (t) => {
  const server = await startServer(t); // no --smtp-url: the development outbox
  const ctx = await launchBrowser(t);
  const page = await openJoin(ctx);
  await firstScreen(page, server.server, ALICE);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: /Use a code we e-mail you/ }).click();
  const where = page.locator('#code-where');
  await where.filter({ hasText: 'printed on the server’s console' }).waitFor();
  assert.match((await where.textContent()) ?? '', /outbox/);
  await screenshot(page, 'join-4c-code-in-outbox');
  // And it is there.
  const outbox = join(server.dataDir, 'outbox');
  const files = await waitFor(async () => {
    const f = await readdir(outbox).catch(() => []);
    return f.length ? f : null;
  }, 'the e-mail in the outbox');
  const mail = await readFile(join(outbox, files[0]), 'utf8');
  const code = /verification code is:\s+(\d{6})/.exec(mail)?.[1];
  assert.ok(code, mail);
  await page.getByRole('textbox', { name: '6-digit code' }).fill(code);
  await page.getByRole('button', { name: 'Verify code' }).click();
  await heading(page, 'Enter your Recovery Kit');
});
