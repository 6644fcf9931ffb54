// @ts-check
// The demo app end to end: a person turns on two-factor with a key added through the popup, signs
// out and in again, and the code fills itself (plain field and six boxes); the worker being
// stopped in between changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confirmTwoFactor, openTwoFactorSetup, signIn, signOut, signUp, userWithTwoFactor } from './demo-app.mjs';
import {
  addThroughPopup,
  badgeOf,
  filledIn,
  freshEmail,
  launchBrowser,
  openPopup,
  referenceCodesBetween,
  screenshot,
  shownCode,
  startServer,
  stopServiceWorker,
  waitFor,
} from './harness.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** Waits until the plain code field holds six digits, and returns them. */
const filledCode = (/** @type {Page} */ page) => filledIn(page.locator('#otp'));

test('demo app: the key added through the popup fills the sign-in code by itself and the login succeeds', async (t) => {
  const { demo } = await startServer(t);
  const ctx = await launchBrowser(t);
  const app = await ctx.newPage();
  const email = freshEmail('alice');
  await signUp(app, demo, email);
  const { secret } = await openTwoFactorSetup(app, demo);

  // The person copies the key into Latchkey, and types the code Save Code shows into the app.
  const popup = await openPopup(ctx, app);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('textbox', { name: 'Secret Key' }).fill(secret);
  const from = Date.now();
  await popup.getByRole('button', { name: 'Save Code' }).click();
  const shown = await shownCode(popup);
  assert.ok(referenceCodesBetween(secret, from, Date.now()).includes(shown), `Save Code showed ${shown}`);
  assert.equal(
    await popup.getByRole('textbox', { name: 'Site', exact: true }).inputValue(),
    'demo.localhost',
    'the site defaults to the tab’s',
  );
  await confirmTwoFactor(app, shown);
  await popup.getByRole('textbox', { name: 'Name', exact: true }).fill('Northwind Cloud');
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('li.account', { hasText: 'Northwind Cloud' }).waitFor();

  await signOut(app);
  const before = Date.now();
  await signIn(app, demo, email);
  const code = await filledCode(app);
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code}, not the reference code`);
  assert.equal(await badgeOf(ctx, app), '1');
  await screenshot(app, 'demo-filled');
  await app.getByRole('button', { name: 'Verify' }).click();
  await app.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();
});

test('demo app: the segmented six-box code step is filled box by box and the login succeeds', async (t) => {
  const { demo } = await startServer(t);
  const ctx = await launchBrowser(t);
  const app = await ctx.newPage();
  const email = freshEmail('bob');
  const { secret } = await userWithTwoFactor(app, demo, email);
  const popup = await openPopup(ctx, app);
  await addThroughPopup(popup, { secret, site: 'demo.localhost' });
  await signOut(app);
  await signIn(app, demo, email);

  const before = Date.now();
  await app.goto(`${demo}/demo/login/verify?ui=segmented`);
  const boxes = app.locator('.boxes input');
  assert.equal(await boxes.count(), 6);
  const digits = await waitFor(async () => {
    const values = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => boxes.nth(i).inputValue()));
    return values.every((v) => /^\d$/.test(v)) ? values : null;
  }, 'all six boxes to hold one digit');
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(digits.join('')), `filled ${digits.join('')}`);
  await screenshot(app, 'demo-filled-segmented');
  await app.getByRole('button', { name: 'Verify' }).click();
  await app.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();
});

test('after the service worker is stopped, reloading the code step fills it again', async (t) => {
  const { demo } = await startServer(t);
  const ctx = await launchBrowser(t);
  const app = await ctx.newPage();
  const email = freshEmail('carol');
  const { secret } = await userWithTwoFactor(app, demo, email);
  const popup = await openPopup(ctx, app);
  await addThroughPopup(popup, { secret, site: 'demo.localhost' });
  await popup.close();
  await signOut(app);
  await signIn(app, demo, email);
  await filledCode(app);

  await stopServiceWorker(ctx, app);

  const before = Date.now();
  await app.reload();
  const code = await filledCode(app);
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code} after the restart`);
  await app.getByRole('button', { name: 'Verify' }).click();
  await app.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();
});
