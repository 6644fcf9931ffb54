// @ts-check
// Attacks on where a shared account's codes go, against a real `latchkey serve --demo` and its
// SQLite database. The server keeps a plaintext `site` per account; a compromised server or
// database can rewrite it. Codes (TOTP and SMS of the managed number) go only to the sites inside
// the account's sites record, sealed under the account key, so the rewrite sends nothing to the
// attacker's site while the real site still fills; an account without the record fills nowhere
// until its owner confirms its sites.
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
} from './cases/abuse-sites.mjs';
import { badgeOf, filledIn, launchBrowser, referenceCodesBetween, startFixtures, waitFor } from './harness.mjs';
import { TWILIO_TOKEN, textTo } from './sms.mjs';
import { ALICE, BOB, DASHBOARD_URL, joinWithKit, startWorkspace } from './workspace.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The field stays empty (and unmarked) for `ms`. @param {Page} page @param {number} ms */
async function staysEmpty(page, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    assert.equal(await page.locator('#otp').inputValue(), '', `a code was filled on ${page.url()}`);
    assert.equal(await page.locator('[data-latchkey="mark"]').count(), 0, `the SMS wait began on ${page.url()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// TOTP and SMS.
test('a database that points the shared account at another site gets none of its codes there', async (t) => {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  // The attack: the stored site of the demo's shared account (demo.localhost) now names a site
  // the attacker controls. The sealed items are untouched (the attacker has no account key).
  assert.equal(pointAccountsAtEvil(ws), EVIL_SITE);
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, BOB);

  // The attacker's site gets no TOTP code: the worker saw the field and matched no account.
  const evil = await ctx.newPage();
  await evil.goto(fixtures.url('evil', 'verify.html'));
  await waitFor(async () => (await badgeOf(ctx, evil)) === GREY_BADGE, 'the grey badge on the attacker’s site');
  await staysEmpty(evil, QUIET_MS.totp);

  // The account's real site (from its sealed sites record) still gets it.
  const real = await ctx.newPage();
  const before = Date.now();
  await real.goto(fixtures.url('demo', 'verify.html'));
  const code = await filledIn(real.locator('#otp'));
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, before, Date.now()).includes(code));

  // The same for the code texted to the account's managed number: no wait, no fill on the
  // attacker's SMS step even as the text arrives...
  const evilSms = await ctx.newPage();
  await evilSms.goto(fixtures.url('evil', 'sms-verify.html'));
  await waitFor(async () => (await badgeOf(ctx, evilSms)) === GREY_BADGE, 'the grey badge on the attacker’s SMS step');
  await textTo(ws, SMS_TEXT);
  await staysEmpty(evilSms, QUIET_MS.sms);
  // ...while the real site's SMS step gets it.
  const realSms = await ctx.newPage();
  await realSms.goto(fixtures.url('demo', 'sms-verify.html'));
  await realSms.waitForFunction(
    (code) => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value === code,
    SMS_CODE,
    { timeout: 30_000 },
  );
  assert.equal(await evilSms.locator('#otp').inputValue(), '');
});

// Not even on its plaintext site.
test('an account without a sites record fills nowhere until an owner confirms its sites', async (t) => {
  const ws = await startWorkspace(t);
  // An account made before sites records existed (or whose record a database dropped).
  const { accountId, left } = dropSitesRecord(ws);
  assert.equal(left, '2');
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);

  const page = await ctx.newPage();
  await page.goto(fixtures.url('demo', 'verify.html'));
  await waitFor(
    async () => (await badgeOf(ctx, page)) === GREY_BADGE,
    'the grey badge: the plaintext site alone fills nothing',
  );
  await staysEmpty(page, QUIET_MS.totp);

  // The owner sees why, and confirms the sites (prefilled with the server's site, which she checks).
  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  const item = dashboard.locator(`li[data-account-id="${accountId}"]`);
  await item.getByText(DASHBOARD.why).waitFor({ timeout: 30_000 });
  assert.equal(await item.getByRole('textbox', { name: DASHBOARD.sitesLabel }).inputValue(), DASHBOARD.prefilled);
  const before = Date.now();
  await item.getByRole('button', { name: DASHBOARD.save }).click();
  await item.getByText(DASHBOARD.saved).waitFor({ timeout: 30_000 });
  assert.ok(hasSitesRecord(ws, accountId));

  // The page open on the code step gets its code now.
  const code = await filledIn(page.locator('#otp'));
  assert.ok(referenceCodesBetween(ws.signIn.teamTotpKey, before, Date.now()).includes(code));
});
