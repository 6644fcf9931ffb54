// @ts-check
// Fills that frameworks notice: code steps written with real React 18, Vue 3 and AngularJS 1.8
// (served from node_modules, never committed), filled by the content script with a code whose
// leading zero must survive. Each test reads the framework's own state, not just the field's value.
// The cases are shared with Firefox (cases/fill-frameworks.mjs).
// Modern Angular (2+) ships no browser bundle usable without its compiler: AngularJS stands in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { AUTOFILL_PAGE, CODE, FRAMEWORK_CASES, vendorFile } from './cases/fill-frameworks.mjs';
import {
  addThroughPopup,
  launchBrowser,
  openPopup,
  referenceCodesBetween,
  startFixtures,
  tabIdOf,
  waitFor,
  worker,
} from './harness.mjs';

/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */

/** Serves /vendor/*.js from node_modules in every page of `ctx`. @param {BrowserContext} ctx */
async function serveVendor(ctx) {
  await ctx.route('**/vendor/*.js', (route) => {
    const file = vendorFile(new URL(route.request().url()).pathname);
    if (!file) return route.fulfill({ status: 404 });
    return route.fulfill({ path: file, contentType: 'text/javascript' });
  });
}

/**
 * Sends the content script of `page`'s top frame a fill with `code`, as the popup's Fill does.
 * @param {BrowserContext} ctx @param {Page} page @param {string} code
 * @returns {Promise<{ok: boolean, filled: boolean}>}
 */
async function fillFromWorker(ctx, page, code) {
  const tabId = await tabIdOf(ctx, page);
  const sw = await worker(ctx);
  await waitFor(
    () => sw.evaluate((id) => chrome.tabs.sendMessage(id, { type: 'ping' }, { frameId: 0 }).then((r) => r?.ok), tabId),
    'the content script',
  );
  return sw.evaluate(
    ([id, c]) => chrome.tabs.sendMessage(id, { type: 'fill', code: c }, { frameId: 0 }),
    /** @type {[number, string]} */ ([tabId, code]),
  );
}

/** @param {Page} page */
async function values(page) {
  return page.locator('input').evaluateAll((inputs) => inputs.map((i) => /** @type {HTMLInputElement} */ (i).value));
}

test('fills reach the state of React, Vue and AngularJS widgets, leading zero kept', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  await serveVendor(ctx);
  for (const c of FRAMEWORK_CASES) {
    await t.test(c.what, async () => {
      const page = await ctx.newPage();
      await page.goto(fixtures.url('fixtures', c.page));
      await page.locator('#state').waitFor({ state: 'attached' });
      const reply = await fillFromWorker(ctx, page, CODE);
      assert.deepEqual(reply, { ok: true, filled: true, reached: true });
      const state = await page.evaluate((fn) => /** @type {any} */ (globalThis)[fn](), c.state);
      assert.equal(state, CODE, `the framework's state after the fill (fields: ${JSON.stringify(await values(page))})`);
      assert.equal(await page.locator('#state').textContent(), CODE, 'the state as the page renders it');
      assert.deepEqual(await values(page), c.values);
      await page.close();
    });
  }
});

test('a React six-box widget on the account’s site is filled by itself with the current code', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  await serveVendor(ctx);
  const popup = await openPopup(ctx);
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(popup, { secret, site: 'fixtures.localhost' });
  const page = await ctx.newPage();
  const before = Date.now();
  await page.goto(fixtures.url('fixtures', AUTOFILL_PAGE));
  const state = await waitFor(async () => {
    const s = await page.evaluate(() => /** @type {any} */ (globalThis).reactState());
    return /^\d{6}$/.test(s) ? s : null;
  }, 'React to hold six digits');
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(state), `React holds ${state}`);
  assert.deepEqual(await values(page), state.split(''));
});
