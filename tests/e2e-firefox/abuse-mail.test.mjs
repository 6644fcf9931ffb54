// @ts-check
// Hostile e-mail against the e-mailed code fill, in Firefox with the built package against a real
// `latchkey serve --demo` receiving mail on its SMTP listener, the extension trusted as Alice:
// Chromium's tests/e2e/abuse-mail.test.mjs, its attacks and answers from
// tests/e2e/cases/abuse-mail.mjs. An e-mail to this account's address binding its code to another
// site, and one delivered to another account's address whose `To:` header names this account's:
// neither is filled (a bound code fills only on its site; an e-mail belongs to the account of its
// envelope recipient); the sign-in's own code fills and the sign-in succeeds.
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
} from '../e2e/cases/abuse-mail.mjs';
import { mailTo } from '../e2e/mail.mjs';
import { ALICE, startWorkspace } from '../e2e/workspace.mjs';
import { filledOtpIn, launchFirefox, staysEmptyIn } from './firefox.mjs';
import {
  fillChosenInPopup,
  markSays,
  opsAccountWithAddressIn,
  signInToMailedCodeIn,
  teamAccountIn,
  userMailedAtIn,
} from './messages.mjs';
import { heading, joinWithKit } from './workspace.mjs';

const TITLE =
  'Firefox: an e-mail that binds its code to another site, or was delivered to another account, is not filled';
test(TITLE, async (t) => {
  const ws = await startWorkspace(t, { mail: true });
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const team = await teamAccountIn(ff, ws);
  const opsAddress = await opsAccountWithAddressIn(ff, ws, team.token);

  await ff.newTab();
  const email = await userMailedAtIn(ff, ws.demo, team.address);
  // The sign-in e-mails its code; two accounts have addresses on the site, so the page asks.
  await signInToMailedCodeIn(ff, ws.demo, email);
  await markSays(ff, CHOOSE);

  // The attacks arrive a second after the sign-in's own e-mail: each is its inbox's newest.
  await new Promise((r) => setTimeout(r, ARRIVAL_GAP_MS));
  for (const mail of attackMails(team.address, opsAddress)) await mailTo(ws, mail);
  await staysEmptyIn(ff, QUIET_MS, 'before the choice', { fields: '#otp', waitMayBegin: true });

  // The person picks the team account: the sign-in's own code fills, not the newer hostile ones.
  await fillChosenInPopup(ff, await ff.url(), CHOSEN);
  const code = await filledOtpIn(ff);
  assert.notEqual(code, BOUND_CODE, 'the code bound to another site was filled');
  assert.notEqual(code, FORGED_TO_CODE, 'the code e-mailed to another account was filled');
  await ff.click('form button[type=submit]');
  await heading(ff, `Welcome, ${email}`);
});
