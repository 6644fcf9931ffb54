// @ts-check
// The rules that choose which texted code may fill a page, through the extension's adapter
// (extension/background/sms/rules.js) over the core's `sms::pick_code` and `sms::inbox_choice`: the
// built wasm core, loaded in Node, with the Public Suffix List the extension ships. The rules'
// own tests are native (crate/tests/sms_pick.rs); these check the adapter hands them over intact.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { initSync, Sites } from '../../extension/pkg/latchkey_core.js';
import { inboxChoice, pickCode } from '../../extension/background/sms/rules.js';

const built = (/** @type {string} */ path) => readFileSync(new URL(`../../extension/${path}`, import.meta.url));
initSync({ module: built('pkg/latchkey_core_bg.wasm') });
const sites = new Sites(built('data/public_suffix_list.dat').toString('utf8'));
sites.loadSignInSites(built('data/sign-in-sites.txt').toString('utf8'));

/** The rules' windows, as the product states them: 5 minutes, 15 minutes. */
const FRESH_SECONDS = 5 * 60;
const TAB_CHOICE_MS = 15 * 60 * 1000;
const NOW = 1_800_000_000;
const base = { now: NOW, used: new Set(), host: 'demo.localhost', sites };
/**
 * @param {string} id @param {number} age @param {string | null} code @param {string | null} [domain]
 * @param {boolean} [after] @param {string | null} [verifiedSender]
 */
const msg = (id, age, code, domain = null, after = false, verifiedSender = null) => ({
  id,
  receivedAt: NOW - age,
  afterWaitBegan: after,
  found: code ? { code, domain } : null,
  verifiedSender,
});

test('an e-mailed code from a sender verified for the page’s site beats a newer unverified one', () => {
  const site = msg('site', 60, '111111', null, false, 'demo.localhost');
  const forged = msg('forged', 5, '999999');
  assert.deepEqual(pickCode([site, forged], base), { id: 'site', code: '111111' });
  const elsewhere = msg('elsewhere', 60, '111111', null, false, 'evil.example');
  assert.deepEqual(pickCode([elsewhere, forged], base), { id: 'forged', code: '999999' });
});

test('the newest fresh, unused code on the page’s site is chosen', () => {
  assert.deepEqual(pickCode([msg('a', 100, '111111'), msg('b', 10, '222222')], base), { id: 'b', code: '222222' });
});

test('a code older than 5 minutes is not filled, unless it arrived during the wait', () => {
  assert.equal(pickCode([msg('a', FRESH_SECONDS + 1, '111111')], base), null);
  assert.deepEqual(pickCode([msg('a', FRESH_SECONDS - 1, '111111')], base), { id: 'a', code: '111111' });
  assert.deepEqual(pickCode([msg('a', FRESH_SECONDS + 60, '111111', null, true)], base), { id: 'a', code: '111111' });
});

test('a used message is never filled again; the next one is', () => {
  assert.equal(pickCode([msg('a', 10, '111111')], { ...base, used: new Set(['a']) }), null);
  assert.deepEqual(pickCode([msg('a', 10, '111111'), msg('b', 20, '222222')], { ...base, used: new Set(['a']) }), {
    id: 'b',
    code: '222222',
  });
});

test('a code bound to another site is not filled; one bound to this site is', () => {
  assert.equal(pickCode([msg('a', 10, '111111', 'other.example')], base), null);
  assert.deepEqual(pickCode([msg('a', 10, '111111', 'demo.localhost')], base), { id: 'a', code: '111111' });
});

test('messages without a code are skipped', () => {
  assert.equal(pickCode([msg('a', 10, null)], base), null);
});

test('whose inbox: the only account; of several, the one used in the tab lately; else ask', () => {
  const a = { accountId: 'a' };
  const b = { accountId: 'b' };
  const now = 1_800_000_000_000;
  assert.equal(inboxChoice([], null, now), null);
  assert.deepEqual(inboxChoice([a], { accountId: 'b', at: now }, now), { account: a });
  assert.deepEqual(inboxChoice([a, b], null, now), { choose: [a, b] });
  assert.deepEqual(inboxChoice([a, b], { accountId: 'b', at: now - 1000 }, now), { account: b });
  // Used too long ago, or an account that does not fit the page: ask.
  assert.deepEqual(inboxChoice([a, b], { accountId: 'b', at: now - TAB_CHOICE_MS - 1 }, now), { choose: [a, b] });
  assert.deepEqual(inboxChoice([a, b], { accountId: 'c', at: now }, now), { choose: [a, b] });
});
