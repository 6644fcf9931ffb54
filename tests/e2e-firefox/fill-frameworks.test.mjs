// @ts-check
// Fills that frameworks notice, in Firefox: the Chromium suite's code steps written with real
// React 18, Vue 3 and AngularJS 1.8 (tests/e2e/cases/fill-frameworks.mjs), their builds served
// from node_modules by a loopback server this test starts (Chromium's test routes them through
// Playwright). The fill is the message the popup's Fill sends the page's content script, sent from
// one of Latchkey's pages; then the six React boxes fill themselves on the account's site. Each
// case reads the framework's own state, not just the fields' values.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { AUTOFILL_PAGE, CODE, FRAMEWORK_CASES, vendorFile } from '../e2e/cases/fill-frameworks.mjs';
import { ROOT, listenOnLoopback, referenceCodesBetween } from '../e2e/harness.mjs';
import { addThroughPopup, launchFirefox, openPopup, waitIn } from './firefox.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

const FIXTURES = join(ROOT, 'tests', 'e2e', 'fixtures');

/**
 * The fixture pages and, under /vendor/, the framework builds they load, on a loopback port.
 * @param {import('node:test').TestContext} t
 */
async function startFrameworkPages(t) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const vendor = path.startsWith('/vendor/') ? vendorFile(path) : null;
    if (vendor) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      createReadStream(vendor).pipe(res);
      return;
    }
    const name = path.slice(1);
    if (!/^[\w.-]+\.html$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(FIXTURES, name));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  const port = await listenOnLoopback(t, server);
  return (/** @type {string} */ page) => `http://fixtures.localhost:${port}/${page}`;
}

/** The values of the current page's inputs. @param {Firefox} ff */
const values = (ff) =>
  ff.run(() => [...document.querySelectorAll('input')].map((i) => /** @type {HTMLInputElement} */ (i).value));

/**
 * From one of Latchkey's pages (the current tab), sends the content script of the top frame of the
 * tab showing `url` the fill the popup's Fill sends, once that script answers.
 * @param {Firefox} ff @param {string} url @param {string} code
 * @returns {Promise<{ok: boolean, filled: boolean}>}
 */
async function fillFromExtensionPage(ff, url, code) {
  const tabId = await ff.run(
    async (/** @type {string} */ u) => (await chrome.tabs.query({})).find((tab) => tab.url === u)?.id,
    url,
  );
  if (typeof tabId !== 'number') throw new Error(`no tab shows ${url}`);
  await waitIn(
    ff,
    (/** @type {number} */ id) =>
      chrome.tabs.sendMessage(id, { type: 'ping' }, { frameId: 0 }).then((r) => r?.ok === true),
    'the content script',
    tabId,
  );
  return ff.run(
    (/** @type {number} */ id, /** @type {string} */ c) =>
      chrome.tabs.sendMessage(id, { type: 'fill', code: c }, { frameId: 0 }),
    tabId,
    code,
  );
}

test('Firefox: fills reach the state of React, Vue and AngularJS widgets, leading zero kept', async (t) => {
  const url = await startFrameworkPages(t);
  const ff = await launchFirefox(t);
  const popup = await openPopup(ff);
  const tab = await ff.newTab();
  for (const c of FRAMEWORK_CASES) {
    await t.test(c.what, async () => {
      await ff.switchTo(tab);
      await ff.go(url(c.page));
      await waitIn(ff, () => document.querySelector('#state'), 'the page’s state');
      await ff.switchTo(popup);
      const reply = await fillFromExtensionPage(ff, url(c.page), CODE);
      assert.deepEqual(reply, { ok: true, filled: true, reached: true });
      await ff.switchTo(tab);
      const state = await ff.run((/** @type {string} */ fn) => /** @type {any} */ (window)[fn](), c.state);
      assert.equal(state, CODE, `the framework's state after the fill (fields: ${JSON.stringify(await values(ff))})`);
      assert.equal(await ff.run(() => document.querySelector('#state')?.textContent), CODE, 'the state rendered');
      assert.deepEqual(await values(ff), c.values);
    });
  }
});

test('Firefox: a React six-box widget on the account’s site is filled by itself with the current code', async (t) => {
  const url = await startFrameworkPages(t);
  const ff = await launchFirefox(t);
  await openPopup(ff);
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(ff, { secret, site: 'fixtures.localhost' });
  await ff.newTab();
  const before = Date.now();
  await ff.go(url(AUTOFILL_PAGE));
  const state = await waitIn(
    ff,
    () => {
      const s = /** @type {any} */ (window).reactState();
      return /^\d{6}$/.test(s) ? s : null;
    },
    'React to hold six digits',
  );
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(state), `React holds ${state}`);
  assert.deepEqual(await values(ff), state.split(''));
});
