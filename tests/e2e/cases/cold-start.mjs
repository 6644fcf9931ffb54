// @ts-check
// Requests that wake a stopped background (Chromium's service worker, Firefox's event page), shared by
// tests/e2e/cold-start.test.mjs and tests/e2e-firefox/cold-start.test.mjs: they arrive while it starts
// (the core still compiling, the site lists not yet read), and each must be answered, correctly, from
// what storage holds now, never dropped and never from what a previous life of the background knew.
import assert from 'node:assert/strict';
import { referenceCodesBetween } from '../harness.mjs';

/** The account kept, and the one removed from storage behind the background's back. */
export const KEEP = { secret: 'JBSWY3DPEHPK3PXP', name: 'Kept', site: 'example.com' };
export const GONE = { secret: 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF', name: 'Removed while stopped', site: 'example.com' };
/** The page whose tab the first site decision is about: `fixtures.url(...SHOP)`. */
export const SHOP = /** @type {const} */ (['shop', 'disabled.html']);

/**
 * Run in one of Latchkey's pages: every request the popup makes on opening, sent at once, and the
 * first site decision after them (about the tab `tabId`).
 * @param {number} tabId
 */
export const burst = (tabId) => {
  const send = (/** @type {object} */ m) => chrome.runtime.sendMessage(m);
  return Promise.all([
    send({ type: 'codes' }),
    send({ type: 'list' }),
    send({ type: 'codes' }),
    send({ type: 'ws-status' }),
    send({ type: 'page', tabId }),
  ]);
};

/**
 * The burst's replies: all answered, only the kept account's code (the reference's for the time the
 * burst took), the core's version, no workspace, the site decision made.
 * @param {any[]} replies @param {{from: number, to: number, version: string}} o
 */
export function checkBurst(replies, { from, to, version }) {
  const [codes, list, again, status, onPage] = replies;
  for (const reply of replies) assert.equal(reply?.ok, true, JSON.stringify(reply));
  const expected = referenceCodesBetween(KEEP.secret, from, to);
  for (const reply of [codes, again]) {
    assert.equal(reply.codes.length, 1, 'only the account stored now');
    assert.ok(expected.includes(reply.codes[0].code), `the code ${reply.codes[0].code} is the reference's`);
  }
  assert.deepEqual(
    list.accounts.map((/** @type {{name: string}} */ a) => a.name),
    [KEEP.name],
  );
  assert.equal(list.version, version, 'the core answered the list');
  assert.ok(version);
  assert.equal(status.workspace.stage, 'none');
  assert.equal(onPage.page.host, 'shop.localhost', 'the site decision was made (the lists read then)');
  assert.equal(onPage.page.refusal, null);
}
