// @ts-check
// Attacks on where a shared account's codes go, in Firefox with the built package against a real
// `latchkey serve --demo` and its SQLite database: Chromium's tests/e2e/abuse-sites.test.mjs, with
// its attacks and answers from tests/e2e/cases/abuse-sites.mjs. A database that rewrites the
// account's plaintext site gets none of its codes (TOTP or texted) on the attacker's site while the
// real one fills; an account without its sealed sites record fills nowhere until an owner confirms
// its sites on the dashboard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DASHBOARD,
  EVIL_SITE,
  GREY_BADGE,
  QUIET_MS,
  SMS_CODE,
  SMS_TEXT,
  dropSitesRecord,
  hasSitesRecord,
  pointAccountsAtEvil,
} from '../e2e/cases/abuse-sites.mjs';
import { referenceCodesBetween, startFixtures } from '../e2e/harness.mjs';
import { TWILIO_TOKEN, textTo } from '../e2e/sms.mjs';
import { ALICE, BOB, startWorkspace } from '../e2e/workspace.mjs';
import { BASE, filledOtpIn, launchFirefox, staysEmptyIn, waitForBadge, waitIn } from './firefox.mjs';
import { joinWithKit } from './workspace.mjs';

test('Firefox: a database that points the shared account at another site gets none of its codes there', async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  assert.equal(pointAccountsAtEvil(ws), EVIL_SITE);
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, BOB);
  const ext = await ff.handle();

  // The attacker's site gets no TOTP code: the background saw the field and matched no account.
  const evil = await ff.newTab();
  const evilUrl = fixtures.url('evil', 'verify.html');
  await ff.go(evilUrl);
  await waitForBadge(ff, { from: ext, back: evil, url: evilUrl, text: GREY_BADGE, what: 'the grey badge (TOTP)' });
  await staysEmptyIn(ff, QUIET_MS.totp, `the attacker’s ${evilUrl}`);

  // The account's real site (from its sealed sites record) still gets it.
  await ff.newTab();
  const before = Date.now();
  await ff.go(fixtures.url('demo', 'verify.html'));
  const code = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, before, Date.now()).includes(code), code);

  // The code texted to the managed number: no wait, no fill on the attacker's SMS step even as the
  // text arrives, while the real site's SMS step gets it.
  const evilSms = await ff.newTab();
  const evilSmsUrl = fixtures.url('evil', 'sms-verify.html');
  await ff.go(evilSmsUrl);
  await waitForBadge(ff, { from: ext, back: evilSms, url: evilSmsUrl, text: GREY_BADGE, what: 'the grey badge (SMS)' });
  await textTo(ws, SMS_TEXT);
  await staysEmptyIn(ff, QUIET_MS.sms, `the attacker’s ${evilSmsUrl}`);
  await ff.newTab();
  await ff.go(fixtures.url('demo', 'sms-verify.html'));
  await waitIn(
    ff,
    (c) => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value === c,
    'the texted code on the real site',
    SMS_CODE,
  );
  await ff.switchTo(evilSms);
  assert.equal(await ff.run(() => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value), '');
});

test('Firefox: an account without a sites record fills nowhere until an owner confirms its sites', async (t) => {
  const ws = await startWorkspace(t);
  const { accountId, left } = dropSitesRecord(ws);
  assert.equal(left, '2');
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const ext = await ff.handle();

  const page = await ff.newTab();
  const url = fixtures.url('demo', 'verify.html');
  await ff.go(url);
  await waitForBadge(ff, { from: ext, back: page, url, text: GREY_BADGE, what: 'the grey badge' });
  await staysEmptyIn(ff, QUIET_MS.totp, 'the plaintext site alone');

  // The owner sees why, and confirms the sites (prefilled with the server's site).
  await ff.openExtensionPage(`${BASE}extension/dashboard/dashboard.html`);
  const item = `li[data-account-id="${accountId}"]`;
  await waitIn(
    ff,
    (css, why) => document.querySelector(css)?.textContent?.includes(why),
    'why the account fills nowhere',
    item,
    DASHBOARD.why,
  );
  const field = `${item} input[aria-label="${DASHBOARD.sitesLabel}"]`;
  assert.equal(
    await ff.run((css) => /** @type {HTMLInputElement} */ (document.querySelector(css)).value, field),
    DASHBOARD.prefilled,
  );
  const before = Date.now();
  await ff.click(`${item} button[aria-label="${DASHBOARD.save}"]`);
  await waitIn(
    ff,
    (css, saved) => document.querySelector(css)?.textContent?.includes(saved),
    'the sites saved',
    item,
    DASHBOARD.saved,
  );
  assert.ok(hasSitesRecord(ws, accountId));

  // The page open on the code step gets its code now.
  await ff.switchTo(page);
  const code = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, before, Date.now()).includes(code), code);
});
