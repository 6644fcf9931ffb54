// @ts-check
// Filling the code e-mailed to an account's managed address, in Firefox with the built package
// against a real `latchkey serve --demo` that receives mail itself (its SMTP listener): Chromium's
// tests/e2e/mail-fill.test.mjs, its e-mails and answers from tests/e2e/cases/mail.mjs. A stale code
// is not filled, the used one not again, and the mark goes when the next e-mail fills (waits.test.mjs
// runs the plain wait and fill); a field that could take either kind of code waits on both and
// fills from an e-mail; of two accounts with managed addresses the chosen one's code fills, the
// other's never, and the audit log names the fill without its code.
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
} from '../e2e/cases/mail.mjs';
import { startFixtures, waitFor } from '../e2e/harness.mjs';
import { ageMail, mailTo } from '../e2e/mail.mjs';
import { ALICE, BOB, api, startWorkspace } from '../e2e/workspace.mjs';
import { filledOtpIn, launchFirefox, staysEmptyIn, waitIn } from './firefox.mjs';
import {
  fillChosenInPopup,
  markShown,
  markSays,
  opsAccountWithAddressIn,
  signInToMailedCodeIn,
  syncNow,
  teamAccountIn,
  userMailedAtIn,
} from './messages.mjs';
import { heading, joinWithKit } from './workspace.mjs';

initSync({ module: readFileSync(new URL('../../extension/pkg/latchkey_core_bg.wasm', import.meta.url)) });

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/** The code in `#otp` is `code`. @param {Firefox} ff @param {string} code */
const otpIs = (ff, code) =>
  waitIn(
    ff,
    (c) => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value === c,
    `${code} filled`,
    code,
  );

const TITLE =
  'Firefox: the code the demo app e-mails to the managed address fills its e-mail step; ' +
  'stale and reused codes do not';
test(TITLE, async (t) => {
  const ws = await startWorkspace(t, { mail: true });
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, BOB);
  const team = await teamAccountIn(ff, ws);
  await ff.newTab();
  const email = await userMailedAtIn(ff, ws.demo, team.address);

  // Before signing in: a stale code e-mail.
  ageMail(ws, await mailTo(ws, { to: team.address, subject: STALE.subject, text: STALE.text }), STALE.ageSeconds);

  // Signing in e-mails the code (the demo app, over SMTP); it fills, from the shared inbox.
  await signInToMailedCodeIn(ff, ws.demo, email);
  const code = await filledOtpIn(ff);
  assert.notEqual(code, STALE.code, 'the stale code was filled');

  // The same page again: the code was used, the other is stale.
  await ff.run(() => location.reload());
  await markSays(ff, WAITING_EMAIL);
  await ff.screenshot('firefox-mail-waiting-mark');
  await staysEmptyIn(ff, QUIET_MS, 'the step again', { fields: '#otp', waitMayBegin: true });

  // A new e-mail fills while the page waits, and the sign-in succeeds with it.
  await mailTo(ws, { to: team.address, ...resent(code) });
  await otpIs(ff, code);
  assert.equal(await markShown(ff, WAITING_EMAIL), false, 'the mark went when the code came');
  await ff.click('form button[type=submit]');
  await heading(ff, `Welcome, ${email}`);
});

const EITHER_TITLE =
  'Firefox: a field that could take either an SMS or an e-mail code waits on both and fills from an e-mail';
test(EITHER_TITLE, async (t) => {
  const ws = await startWorkspace(t, { mail: true });
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const team = await teamAccountIn(ff, ws);
  // The team login's TOTP key (and login) go, so that only its inbox could fill a code field on
  // its site: its owner deletes them, keeping its sites record.
  const keep = sitesItemId(team.id);
  /** @type {Array<{id: string, version: number}>} */
  const items = await api(ws.server, team.token, 'GET', `/accounts/${team.id}/items`);
  for (const item of items.filter((i) => i.id !== keep)) {
    await api(ws.server, team.token, 'DELETE', `/items/${item.id}?version=${item.version}`);
  }
  await syncNow(ff);

  await ff.newTab();
  await ff.go(fixtures.url(...EITHER_PAGE));
  // The team login has a managed number and a managed address: both inboxes are waited on.
  await markSays(ff, WAITING_EITHER);
  await ff.screenshot('firefox-mail-either-mark');
  await mailTo(ws, { to: team.address, subject: EITHER_MAIL.subject, text: EITHER_MAIL.text });
  await otpIs(ff, EITHER_MAIL.code);
});

const TWO_TITLE =
  'Firefox: two accounts with managed addresses: the chosen account’s e-mailed code fills, the other’s never';
test(TWO_TITLE, async (t) => {
  const ws = await startWorkspace(t, { mail: true });
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const team = await teamAccountIn(ff, ws);
  const opsAddress = await opsAccountWithAddressIn(ff, ws, team.token);
  assert.notEqual(opsAddress, team.address);

  // A user mailed at the team's address signs in: two accounts could have been mailed, so the
  // page asks; the person picks the team account; the ops address's newer e-mail never fills.
  await ff.newTab();
  const email = await userMailedAtIn(ff, ws.demo, team.address);
  await mailTo(ws, { to: opsAddress, subject: OPS_MAILS[0].subject, text: OPS_MAILS[0].text });
  await signInToMailedCodeIn(ff, ws.demo, email);
  await markSays(ff, CHOOSE);
  await staysEmptyIn(ff, CHOOSE_QUIET_MS, 'before the choice', { fields: '#otp', waitMayBegin: true });
  const { said } = await fillChosenInPopup(ff, await ff.url(), CHOSEN);
  assert.match(said, new RegExp(WAITING_CHOSEN));
  await mailTo(ws, { to: opsAddress, subject: OPS_MAILS[1].subject, text: OPS_MAILS[1].text });
  const code = await filledOtpIn(ff);
  assert.ok(!OPS_MAILS.map((m) => m.code).includes(code), 'the other account’s code was filled');
  await ff.click('form button[type=submit]');
  await heading(ff, `Welcome, ${email}`);

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
