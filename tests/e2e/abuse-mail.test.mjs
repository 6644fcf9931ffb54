// @ts-check
// Hostile e-mail against the e-mailed code fill (DESIGN.md, "Autofill rules"), against a real
// `latchkey serve --demo` receiving mail on its SMTP listener, with the extension trusted as Alice.
// Anyone can e-mail a managed address, and its sender, headers and body are whatever the attacker
// writes. The attacks: an e-mail to this account's address that binds its code to another site
// (`@other.example #333444`: a code phished for another site, to be typed there), and an e-mail
// delivered to another account's address whose `To:` header names this account's address (to
// have this sign-in take the other account's code). Neither is filled: a bound code fills only on
// its site (the core's `sms::pick_code`, the same rule as for SMS), and an e-mail belongs to the
// account of its envelope recipient (the server seals it to that account's inbox key; this wait
// reads this account's inbox only); the sign-in's own code fills and the sign-in succeeds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ARRIVAL_GAP_MS,
  BOUND_CODE,
  CHOOSE,
  CHOSEN,
  FORGED_TO_CODE,
  QUIET_MS,
  attackMails,
} from './cases/abuse-mail.mjs';
import { launchBrowser, openPopup } from './harness.mjs';
import { filledCode, mailTo, opsAccountWithAddress, signInToMailedCode, teamAccount, userMailedAt } from './mail.mjs';
import { staysEmpty } from './sms.mjs';
import { ALICE, joinWithKit, startWorkspace } from './workspace.mjs';

test('an e-mail that binds its code to another site, or was delivered to another account, is not filled', async (t) => {
  const ws = await startWorkspace(t, { mail: true });
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const team = await teamAccount(ctx, ws);
  const opsAddress = await opsAccountWithAddress(ctx, ws, team.token);

  const page = await ctx.newPage();
  const email = await userMailedAt(page, ws.demo, team.address);
  // The sign-in e-mails its code; two accounts have addresses on the site, so the page asks.
  await signInToMailedCode(page, ws.demo, email);
  await page.getByRole('status').filter({ hasText: CHOOSE }).waitFor({ timeout: 30_000 });

  // The attacks arrive after the sign-in's own e-mail, a second later (arrival times are whole
  // seconds, and of equal ones the first wins): each is the newest message of its inbox.
  await new Promise((r) => setTimeout(r, ARRIVAL_GAP_MS));
  for (const mail of attackMails(team.address, opsAddress)) await mailTo(ws, mail);
  await staysEmpty(page, QUIET_MS);

  // The person picks the team account: the sign-in's own code fills, not the newer hostile ones.
  const chooser = await openPopup(ctx, page);
  await chooser.getByRole('button', { name: `Fill code for ${CHOSEN}` }).click();
  await chooser.close();
  const code = await filledCode(page);
  assert.notEqual(code, BOUND_CODE, 'the code bound to another site was filled');
  assert.notEqual(code, FORGED_TO_CODE, 'the code e-mailed to another account was filled');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();
});
