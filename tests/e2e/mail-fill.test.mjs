// @ts-check
// Filling the code e-mailed to an account's managed address, against a real `latchkey serve --demo`
// that receives mail itself (its SMTP listener, `--mail-domain`): a Northwind user whose address for
// codes is the team account's managed address signs in; the demo app e-mails the code over SMTP
// (lettre) to the listener; the extension, trusted as Bob, fills it from the shared inbox and the
// sign-in succeeds. A stale, a reused, and another account's e-mailed code are not filled; a field
// that could take either kind of code fills from an e-mail.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { initSync, sitesItemId } from '../../extension/pkg/latchkey_core.js';
import {
  CHOOSE,
  CHOOSE_QUIET_MS,
  CHOSEN,
  EITHER_MAIL,
  EITHER_PAGE,
  FILLED_DETAIL,
  OPS_MAILS,
  QUIET_MS,
  STALE,
  WAITING_CHOSEN,
  WAITING_EITHER,
  WAITING_EMAIL,
  resent,
} from './cases/mail.mjs';
import { launchBrowser, openPopup, screenshot, startFixtures, waitFor } from './harness.mjs';
import {
  ageMail,
  filledCode,
  mailTo,
  opsAccountWithAddress,
  signInToMailedCode,
  syncNow,
  teamAccount,
  userMailedAt,
} from './mail.mjs';
import { staysEmpty } from './sms.mjs';
import { ALICE, BOB, api, joinWithKit, startWorkspace } from './workspace.mjs';

initSync({ module: readFileSync(new URL('../../extension/pkg/latchkey_core_bg.wasm', import.meta.url)) });

const TITLE =
  'the code the demo app e-mails to the managed address fills its e-mail step; stale and reused codes do not';
test(TITLE, async (t) => {
  const ws = await startWorkspace(t, { mail: true });
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, BOB);
  const team = await teamAccount(ctx, ws);

  // A Northwind user whose codes are e-mailed to the team's managed address.
  const page = await ctx.newPage();
  const email = await userMailedAt(page, ws.demo, team.address);

  // Before signing in: a stale code e-mail (10 minutes old).
  const stale = await mailTo(ws, { to: team.address, subject: STALE.subject, text: STALE.text });
  ageMail(ws, stale, STALE.ageSeconds);

  // Signing in e-mails the code (the demo app, over SMTP); it fills, from the shared inbox.
  await signInToMailedCode(page, ws.demo, email);
  const code = await filledCode(page);
  assert.notEqual(code, STALE.code, 'the stale code was filled');

  // The same page again: the code was used, the other is stale. The page shows the e-mail
  // waiting mark, and nothing is filled.
  await page.reload();
  await page.getByRole('status').filter({ hasText: WAITING_EMAIL }).waitFor();
  await screenshot(page, 'mail-waiting-mark');
  await staysEmpty(page, QUIET_MS);

  // A new e-mail (the same code sent again, as "resend" would) fills while the page waits, and
  // the sign-in succeeds with it.
  await mailTo(ws, { to: team.address, ...resent(code) });
  await page.waitForFunction(
    (c) => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value === c,
    code,
    { timeout: 30_000 },
  );
  assert.equal(
    await page.getByRole('status').filter({ hasText: WAITING_EMAIL }).count(),
    0,
    'the mark went when the code came',
  );
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();
});

test('a field that could take either an SMS or an e-mail code waits on both and fills from an e-mail', async (t) => {
  const ws = await startWorkspace(t, { mail: true });
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const team = await teamAccount(ctx, ws);
  // The team login's TOTP key (and login) go, so that only its inbox could fill a code field on
  // its site: its owner deletes them, keeping its sites record.
  const keep = sitesItemId(team.id);
  /** @type {Array<{id: string, version: number}>} */
  const items = await api(ws.server, team.token, 'GET', `/accounts/${team.id}/items`);
  for (const item of items.filter((i) => i.id !== keep)) {
    await api(ws.server, team.token, 'DELETE', `/items/${item.id}?version=${item.version}`);
  }
  await syncNow(ctx);

  const page = await ctx.newPage();
  await page.goto(fixtures.url(...EITHER_PAGE));
  // The team login has a managed number and a managed address: both inboxes are waited on.
  await page.getByRole('status').filter({ hasText: WAITING_EITHER }).waitFor({ timeout: 30_000 });
  await screenshot(page, 'mail-either-mark');
  await mailTo(ws, { to: team.address, subject: EITHER_MAIL.subject, text: EITHER_MAIL.text });
  await page.waitForFunction(
    (c) => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value === c,
    EITHER_MAIL.code,
    { timeout: 30_000 },
  );
});

// Two accounts of the app with managed addresses; the other account's e-mail never fills.
test('two accounts with managed addresses: the chosen account’s e-mailed code fills, the other’s never', async (t) => {
  const ws = await startWorkspace(t, { mail: true });
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const team = await teamAccount(ctx, ws);

  // Alice adds a second Northwind login, with a managed address of its own.
  const opsAddress = await opsAccountWithAddress(ctx, ws, team.token);
  assert.notEqual(opsAddress, team.address);

  // A user mailed at the team's address signs in: two accounts could have been mailed, so the
  // page asks; the person picks the team account; the ops address's newer e-mail never fills.
  const page = await ctx.newPage();
  const email = await userMailedAt(page, ws.demo, team.address);
  await mailTo(ws, { to: opsAddress, subject: OPS_MAILS[0].subject, text: OPS_MAILS[0].text });
  await signInToMailedCode(page, ws.demo, email);
  await page.getByRole('status').filter({ hasText: CHOOSE }).waitFor({ timeout: 30_000 });
  await staysEmpty(page, CHOOSE_QUIET_MS);
  const chooser = await openPopup(ctx, page);
  await chooser.getByRole('button', { name: `Fill code for ${CHOSEN}` }).click();
  await chooser.getByText(WAITING_CHOSEN).waitFor();
  await chooser.close();
  await mailTo(ws, { to: opsAddress, subject: OPS_MAILS[1].subject, text: OPS_MAILS[1].text });
  const code = await filledCode(page);
  assert.ok(!OPS_MAILS.map((m) => m.code).includes(code), 'the other account’s code was filled');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();

  // The extension reported the fill: the audit log names the account, the site, the kind and
  // this device, never the code.
  /** @type {{events: Array<{action: string, accountId: string, actorDeviceId: string | null, detail: any}>}} */
  const { events } = await waitFor(async () => {
    const r = await api(ws.server, team.token, 'GET', '/audit?action=code.filled');
    return r.events.length > 0 ? r : null;
  }, 'the fill reported to the audit log');
  assert.equal(events.length, 1);
  assert.equal(events[0].accountId, team.id);
  assert.deepEqual(events[0].detail, FILLED_DETAIL);
  assert.ok(events[0].actorDeviceId);
  assert.ok(!JSON.stringify(events[0].detail).includes(code), 'the code reached the audit log');
});
