// @ts-check
// The right code for the right account (issue 16), on the demo app in Chromium with the built
// extension, following a person's steps:
// - on a two-factor setup page no saved account's code is filled; the popup offers to save the key
//   the page shows, prefilled, and then fills the new account's first code, which the app takes;
// - with two accounts on one site, the user name typed at sign-in picks the code that fills (one a
//   script set does not);
// - a code about to expire is not filled: the next one is, once it is there (a controlled clock in
//   the service worker).
// What is typed and must be seen: tests/e2e/cases/right-account.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANN_NAME,
  BOB_NAME,
  DEMO_SITE,
  NO_NAME_QUIET_MS,
  PRESSED_AT_MS,
  SETUP_MARK,
  SETUP_NOTE,
  SETUP_QUIET_MS,
  TWO_MATCH,
  nextPeriod,
} from './cases/right-account.mjs';
import { PASSWORD, openTwoFactorSetup, signOut, signUp, userWithTwoFactor } from './demo-app.mjs';
import {
  addThroughPopup,
  filledIn,
  freshEmail,
  launchBrowser,
  openPopup,
  referenceCodesBetween,
  referenceTotp,
  screenshot,
  shownCode,
  startServer,
  waitFor,
  worker,
} from './harness.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The field stays empty for `ms`. @param {import('playwright-core').Locator} field @param {number} ms */
async function staysEmpty(field, ms) {
  const end = Date.now() + ms;
  do {
    assert.equal(await field.inputValue(), '', 'a code was filled');
    await new Promise((r) => setTimeout(r, 150));
  } while (Date.now() < end);
}

/**
 * Signs in as the person types it: the e-mail address, the password, Sign in (the user name is
 * typed on this step, the code asked on the next).
 * @param {Page} page @param {string} demo @param {string} email
 */
async function signInTyping(page, demo, email) {
  await page.goto(`${demo}/demo/login`);
  await page.locator('#email').pressSequentially(email);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
}

test('setup page: no saved account’s code fills; the new key saved from the popup fills its first code', async (t) => {
  const { demo } = await startServer(t);
  const ctx = await launchBrowser(t);
  const app = await ctx.newPage();

  // Ann already has two-factor on, and her key in Latchkey.
  const ann = freshEmail('ann');
  const annKey = await userWithTwoFactor(app, demo, ann);
  const popup = await openPopup(ctx, app);
  await addThroughPopup(popup, { secret: annKey.uri, site: DEMO_SITE });
  await popup.close();
  await signOut(app);

  // Bob, on the same computer, turns it on for his account: the setup page shows his new key.
  const bob = freshEmail('bob');
  await signUp(app, demo, bob);
  const { secret: bobSecret, uri: bobUri } = await openTwoFactorSetup(app, demo);
  const code = app.locator('#code');
  await staysEmpty(code, SETUP_QUIET_MS);
  await app.locator('[data-latchkey]', { hasText: SETUP_MARK }).waitFor();

  // The popup offers the key the page shows, as a suggestion to check, instead of Ann's code.
  const offer = await openPopup(ctx, app);
  await offer.locator('#on-page-note', { hasText: SETUP_NOTE }).waitFor();
  assert.equal(await offer.getByRole('button', { name: 'Fill code for' }).count(), 0, 'no Fill offered');
  await screenshot(offer, 'setup-offer');
  await offer.getByRole('button', { name: 'Save the new key' }).click();
  const secretBox = offer.getByRole('textbox', { name: 'Secret Key', exact: true });
  assert.equal(await secretBox.inputValue(), bobUri, 'prefilled with the key the page shows');
  const from = Date.now();
  await offer.getByRole('button', { name: 'Save Code' }).click();
  const shown = await shownCode(offer);
  assert.ok(referenceCodesBetween(bobSecret, from, Date.now()).includes(shown));
  assert.equal(await offer.getByRole('textbox', { name: 'Site', exact: true }).inputValue(), DEMO_SITE);
  await offer.getByRole('button', { name: 'Done' }).click();
  await offer.locator('#view-list').waitFor();

  // The new account's first code fills the setup page, and the app takes it.
  const filled = await filledIn(code);
  assert.ok(referenceCodesBetween(bobSecret, from, Date.now()).includes(filled), `filled ${filled}`);
  assert.notEqual(filled, referenceTotp(annKey.secret), 'not Ann’s code');
  await app.getByRole('button', { name: 'Turn on' }).click();
  await app.locator('#twofa-status', { hasText: 'Two-factor authentication: On' }).waitFor();

  // Ann's account is still there: the suggestion made a new account, it replaced nothing.
  await waitFor(async () => (await offer.locator('li.account').count()) === 2, 'both accounts in the list');
});

test('two accounts on one site: the user name typed at sign-in picks the code that fills', async (t) => {
  const { demo } = await startServer(t);
  const ctx = await launchBrowser(t);
  const app = await ctx.newPage();
  const ann = freshEmail('ann');
  const bob = freshEmail('bob');
  const annKey = await userWithTwoFactor(app, demo, ann);
  await signOut(app);
  const bobKey = await userWithTwoFactor(app, demo, bob);
  await signOut(app);
  const popup = await openPopup(ctx, app);
  // Saved from the apps' otpauth:// links, which name each account's user.
  await addThroughPopup(popup, { secret: annKey.uri, site: DEMO_SITE, name: ANN_NAME });
  await addThroughPopup(popup, { secret: bobKey.uri, site: DEMO_SITE, name: BOB_NAME });
  await popup.close();

  for (const [email, key] of /** @type {const} */ ([
    [bob, bobKey],
    [ann, annKey],
  ])) {
    const before = Date.now();
    await signInTyping(app, demo, email);
    const code = await filledIn(app.locator('#otp'));
    assert.ok(referenceCodesBetween(key.secret, before, Date.now()).includes(code), `${email}: filled ${code}`);
    await app.getByRole('button', { name: 'Verify' }).click();
    await app.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();
    await signOut(app);
  }

  // A user name set by a script, with the script's own change event, never picks the account: a page
  // of the site could otherwise choose which saved account's code it gets, one after another (an
  // attack in session 12). Nothing fills; the person chooses.
  const filledByScript = await ctx.newPage();
  await filledByScript.goto(`${demo}/demo/login`);
  await filledByScript.locator('#email').evaluate((el, v) => {
    /** @type {HTMLInputElement} */ (el).value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, ann);
  await filledByScript.locator('#password').fill(PASSWORD);
  await filledByScript.locator('form').evaluate((f) => /** @type {HTMLFormElement} */ (f).requestSubmit());
  await filledByScript.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await staysEmpty(filledByScript.locator('#otp'), NO_NAME_QUIET_MS);

  // The code step in another tab, where no user name was typed: nothing fills, the person chooses.
  const other = await ctx.newPage();
  await other.goto(`${demo}/demo/login/verify`);
  await other.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await staysEmpty(other.locator('#otp'), NO_NAME_QUIET_MS);
  const choose = await openPopup(ctx, other);
  await choose.locator('#on-page-note', { hasText: TWO_MATCH }).waitFor();
});

test('a code with under 5 s left is not filled; the next one is, when it comes', async (t) => {
  const { demo } = await startServer(t);
  const ctx = await launchBrowser(t);
  const app = await ctx.newPage();
  const email = freshEmail('cleo');
  const { secret, uri } = await userWithTwoFactor(app, demo, email);
  const popup = await openPopup(ctx, app);
  await addThroughPopup(popup, { secret: uri, site: DEMO_SITE });
  await popup.close();
  await signOut(app);

  await app.goto(`${demo}/demo/login`);
  await app.locator('#email').fill(email);
  await app.locator('#password').fill(PASSWORD);
  // The worker's clock (its only one: the core never reads a clock) is set so that the code step
  // loads with under 5 s of the code left: 4.8 s when Sign in is pressed.
  const sw = await worker(ctx);
  const shift = await sw.evaluate((at) => {
    const real = Date.now.bind(Date);
    const shift = (at - (real() % 30_000) + 30_000) % 30_000;
    Date.now = () => real() + shift;
    return shift;
  }, PRESSED_AT_MS);
  const pressedAt = Date.now() + shift;
  const next = nextPeriod(pressedAt);
  await app.getByRole('button', { name: 'Sign in' }).click();
  await app.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  const field = app.locator('#otp');
  assert.ok(Date.now() + shift < next, 'the code step loaded while the dying code was current');
  const code = await filledIn(field);
  assert.ok(Date.now() + shift >= next, 'filled once the next code was there');
  assert.equal(code, referenceTotp(secret, next), 'the next code, not the dying one');
});
