// @ts-check
// Code fields the content script must find after the page loaded: inside open shadow roots
// (appearing after a click, nested, or rendered into a shadow root that was empty), inside a
// same-site frame (and never in a cross-site one), and fields disabled or read-only until
// "Send code" is pressed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { LOCKED_FIELD_CASES } from './cases/locked-field.mjs';
import {
  addThroughPopup,
  filledIn,
  launchBrowser,
  openPopup,
  referenceCodesBetween,
  startFixtures,
} from './harness.mjs';

const newKey = () => new OTPAuth.Secret({ size: 20 }).base32;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a code step rendered in an open shadow root after a click is filled', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  const secret = newKey();
  await addThroughPopup(popup, { secret, site: 'fixtures.localhost' });
  for (const [mode, what] of [
    ['new', 'a new element with a shadow root'],
    ['nested', 'a shadow root inside a shadow root'],
    ['later', 'a shadow root that was empty at load'],
  ]) {
    await t.test(what, async () => {
      const page = await ctx.newPage();
      await page.goto(fixtures.url('fixtures', `shadow.html?mode=${mode}`));
      await sleep(500);
      const before = Date.now();
      await page.getByRole('button', { name: 'Continue' }).click();
      // Playwright's CSS locators pierce open shadow roots; the page's own lookup confirms where it is.
      const code = await filledIn(page.locator('#code'));
      assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code}`);
      assert.equal(await page.evaluate(() => /** @type {any} */ (globalThis).codeField().value), code);
      assert.equal(
        await page.evaluate(() => /** @type {any} */ (globalThis).codeField().getRootNode() instanceof ShadowRoot),
        true,
      );
      await page.close();
    });
  }
});

test('a shadow-root code step in a same-site frame is filled; the same in a cross-site frame is not', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, { secret: newKey(), name: 'Fixtures', site: 'fixtures.localhost' });
  await addThroughPopup(popup, { secret: newKey(), name: 'Other', site: 'other.localhost' });
  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', 'frames-shadow.html'));
  const same = page.frameLocator('#same-site');
  const cross = page.frameLocator('#cross-site');
  await sleep(500);
  await cross.getByRole('button', { name: 'Continue' }).click();
  await same.getByRole('button', { name: 'Continue' }).click();
  await filledIn(same.locator('#code'));
  // The cross-site frame reported first; give its answer time to arrive had there been one.
  await sleep(1000);
  assert.equal(await cross.locator('#code').inputValue(), '');
});

test('a field disabled or read-only until "Send code" is filled once it can be typed in', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  const secret = newKey();
  await addThroughPopup(popup, { secret, site: 'fixtures.localhost' });
  for (const { lock, page: path } of LOCKED_FIELD_CASES) {
    await t.test(lock, async () => {
      const page = await ctx.newPage();
      await page.goto(fixtures.url('fixtures', path));
      await sleep(1200);
      assert.equal(await page.locator('#otp').inputValue(), '', `a ${lock} field was filled`);
      const before = Date.now();
      await page.getByRole('button', { name: 'Send code' }).click();
      const code = await filledIn(page.locator('#otp'));
      assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code}`);
      await page.close();
    });
  }
});
