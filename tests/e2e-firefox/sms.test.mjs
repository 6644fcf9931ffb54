// @ts-check
// Filling the code texted to an account's managed number, in Firefox with the built package against
// a real `latchkey serve --demo` (the texts are Twilio-signed webhooks): Chromium's
// tests/e2e/sms.test.mjs, its texts and answers from tests/e2e/cases/sms.mjs. A stale code and one
// bound to another site are not filled, the used one is not filled again, and the mark goes when
// the next text fills (waits.test.mjs runs the plain wait and fill); the dashboard's shared inbox
// shows texts live, a hostile one as text, and Create phone number's dialog gives the number back
// on Cancel; of two accounts with managed numbers the person chooses once in the popup, then the
// tab's account fills, the other account's texts never.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CHOOSE,
  CHOOSE_QUIET_MS,
  CHOSEN,
  INBOX,
  NUMBER,
  OPS,
  OTHER_SITE,
  QUIET_MS,
  STALE,
  TWO_MATCH,
  WAITING,
  WAITING_CHOSEN,
  resent,
} from '../e2e/cases/sms.mjs';
import { waitFor } from '../e2e/harness.mjs';
import { MANAGED_NUMBER, TWILIO_TOKEN, age, textTo } from '../e2e/sms.mjs';
import { ALICE, BOB, api, startWorkspace } from '../e2e/workspace.mjs';
import { signInToCode, userTextedAt } from './demo-app.mjs';
import { filledOtpIn, launchFirefox, says, staysEmptyIn, waitIn } from './firefox.mjs';
import { DASHBOARD, choose, fillChosenInPopup, markShown, markSays, opsAccountIn, textMatching } from './messages.mjs';
import { heading, joinWithKit, workspaceToken } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/** The code in `#otp` is `code`. @param {Firefox} ff @param {string} code */
const otpIs = (ff, code) =>
  waitIn(
    ff,
    (c) => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value === c,
    `${code} filled`,
    code,
  );

/** Whether the inbox shows a marked code `code` (in the item holding `text`, when given). @param {Firefox} ff */
const inboxMarks = (ff, /** @type {string} */ code, text = '') =>
  waitIn(
    ff,
    (c, x) =>
      [...document.querySelectorAll('#inbox li')].some(
        (li) =>
          li.textContent?.includes(x) &&
          li.checkVisibility() &&
          [...li.querySelectorAll('mark.sms-code')].some((m) => m.textContent === c),
      ),
    `${code} marked in the inbox`,
    code,
    text,
  );

const TITLE =
  'Firefox: the code texted to the managed number fills the demo app’s SMS step; ' +
  'reused, stale and other-site codes do not';
test(TITLE, async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, BOB);
  await ff.newTab();
  const email = await userTextedAt(ff, ws.demo, MANAGED_NUMBER);

  // Before signing in: a stale message and one bound to another site.
  age(ws, await textTo(ws, STALE.text), STALE.ageSeconds);
  await textTo(ws, OTHER_SITE.text);

  // Signing in texts the code; it fills, from the shared inbox.
  await signInToCode(ff, ws.demo, email);
  const code = await filledOtpIn(ff);
  assert.notEqual(code, STALE.code, 'the stale code was filled');
  assert.notEqual(code, OTHER_SITE.code, 'the other site’s code was filled');

  // The same page again: the code was used, the others are stale or for another site.
  await ff.run(() => location.reload());
  await markSays(ff, WAITING);
  await ff.screenshot('firefox-sms-waiting-mark');
  await staysEmptyIn(ff, QUIET_MS, 'the step again', { fields: '#otp', waitMayBegin: true });

  // A new message fills while the page waits, and the sign-in succeeds with it.
  await textTo(ws, resent(code));
  await otpIs(ff, code);
  assert.equal(await markShown(ff, WAITING), false, 'the mark went when the code came');
  await ff.click('form button[type=submit]');
  await heading(ff, `Welcome, ${email}`);
});

const INBOX_TITLE =
  'Firefox dashboard: the shared inbox shows texts live with the code highlighted; Create phone number';
test(INBOX_TITLE, async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const token = await workspaceToken(ff);
  /** @type {{accounts: Array<{id: string, name: string}>}} */
  const { accounts } = await api(ws.server, token, 'GET', '/accounts');
  const team = accounts.find((a) => a.name === 'Northwind Cloud team');
  assert.ok(team);

  await textTo(ws, INBOX.first.text);
  await textTo(ws, INBOX.hostile.text);
  await ff.openExtensionPage(DASHBOARD);
  await inboxMarks(ff, INBOX.first.code);
  // Hostile text stays text.
  await inboxMarks(ff, INBOX.hostile.code, INBOX.hostile.shows);
  const seen = await ff.run(
    (c) => ({
      images: document.querySelectorAll('#inbox img').length,
      copies: document.querySelectorAll(`#inbox button[aria-label="Copy code ${c}"]`).length,
    }),
    INBOX.first.code,
  );
  assert.equal(seen.images, 0);
  assert.equal(seen.copies, 1);
  // A new text appears without a reload.
  await textTo(ws, INBOX.live.text);
  await inboxMarks(ff, INBOX.live.code);
  // The account's own inbox.
  await choose(ff, '#inbox-account', team.id);
  await inboxMarks(ff, INBOX.first.code);
  await ff.screenshot('firefox-sms-inbox');

  // The team account holds the demo's number; released, the owner can create one again.
  const item = `li[data-account-id="${team.id}"]`;
  assert.equal(await textMatching(ff, `${item} output.phone-number`, /./), MANAGED_NUMBER);
  await api(ws.server, token, 'DELETE', `/accounts/${team.id}/phone-number`);
  await ff.run(() => location.reload());
  await ff.clickIn(item, 'Create phone number');
  await textMatching(ff, '#phone-dialog-number', NUMBER);
  assert.equal(
    await ff.run(() => /** @type {HTMLButtonElement} */ (document.getElementById('phone-create')).disabled),
    true,
  );
  // Cancel gives the number back.
  await ff.click('#phone-dialog button[value=cancel]');
  await waitFor(
    async () => (await api(ws.server, token, 'GET', `/accounts/${team.id}/phone-number`)).number === null,
    'the number released on Cancel',
  );
  await ff.clickIn(item, 'Create phone number');
  const number = await textMatching(ff, '#phone-dialog-number', NUMBER);
  await says(ff, '#phone-confirm-label', `I will add the phone number to ${team.name} account settings`);
  await ff.click('#phone-confirm');
  await ff.screenshot('firefox-sms-create-phone-number-dialog');
  await ff.click('#phone-create');
  await waitIn(
    ff,
    (c, n) => document.querySelector(`${c} output.phone-number`)?.textContent === n,
    'the number shown',
    item,
    number,
  );
  await waitIn(
    ff,
    (c) => document.querySelector(c)?.textContent?.includes('appears in the Shared inbox'),
    'its steps',
    item,
  );
  assert.equal((await api(ws.server, token, 'GET', `/accounts/${team.id}/phone-number`)).number, number);
});

test('Firefox: two accounts with managed numbers: the person chooses once, then the tab’s account fills', async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const token = await workspaceToken(ff);

  // Alice adds a second Northwind login in the popup: on a trusted device it goes into the vault,
  // tied to the catalog's app for its site; its owner creates its number in the dashboard.
  const ops = await opsAccountIn(ff, ws, token);
  assert.equal(ops.appId, OPS.app, 'the account was tied to the app of its site');
  const dashboard = await ff.openExtensionPage(DASHBOARD);
  const opsItem = `li[data-account-id="${ops.id}"]`;
  await ff.clickIn(opsItem, 'Create phone number');
  await textMatching(ff, '#phone-dialog-number', NUMBER);
  await says(ff, '#phone-confirm-label', `I will add the phone number to ${OPS.name} account settings`);
  await ff.click('#phone-confirm');
  await ff.click('#phone-create');
  const opsNumber = await textMatching(ff, `${opsItem} output.phone-number`, NUMBER);
  await ff.closeTab(dashboard);
  assert.notEqual(opsNumber, MANAGED_NUMBER);

  // A user texted at the team's number signs in: two accounts could have been texted, so the
  // page asks, and nothing fills by itself; the ops number's text never fills here.
  await ff.newTab();
  const email = await userTextedAt(ff, ws.demo, MANAGED_NUMBER);
  await textTo(ws, OPS.first.text, opsNumber);
  await signInToCode(ff, ws.demo, email);
  await markSays(ff, CHOOSE);
  await ff.screenshot('firefox-sms-choose-mark');
  await staysEmptyIn(ff, CHOOSE_QUIET_MS, 'before the choice', { fields: '#otp', waitMayBegin: true });

  // The person picks the team account in the popup: its inbox's code (the sign-in's) fills.
  const { note, said } = await fillChosenInPopup(ff, await ff.url(), CHOSEN);
  assert.match(note, new RegExp(TWO_MATCH));
  assert.match(said, new RegExp(WAITING_CHOSEN));
  assert.notEqual(await filledOtpIn(ff), OPS.first.code, 'the other account’s code was filled');
  await ff.click('form button[type=submit]');
  await heading(ff, `Welcome, ${email}`);

  // Signing in again in the same tab: the tab's account is known, so its code fills with no
  // question, and a newer text to the other account is passed over.
  await ff.click('form[action="/demo/logout"] button');
  await heading(ff, 'Sign in');
  await textTo(ws, OPS.later.text, opsNumber);
  await signInToCode(ff, ws.demo, email);
  assert.notEqual(await filledOtpIn(ff), OPS.later.code, 'the other account’s code was filled');
  await ff.click('form button[type=submit]');
  await heading(ff, `Welcome, ${email}`);
});
