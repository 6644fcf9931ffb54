// @ts-check
// The rules that choose which texted code may fill a page, through the extension's adapter
// (extension/background/sms/rules.js) over the core's `sms::pick_code` and `sms::inbox_choice`: the
// built wasm core, loaded in Node, with the Public Suffix List the extension ships. The rules'
// own tests are native (crate/tests/sms_pick.rs); these check the adapter hands them over intact.
// The checks, as data: tests/e2e/cases/sms-rules.mjs (Firefox makes the same calls in a page).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { initSync, Sites } from '../../extension/pkg/latchkey_core.js';
import { inboxChoice, pickCode } from '../../extension/background/sms/rules.js';
import { CASES, HOST, NOW, answers } from './cases/sms-rules.mjs';

const built = (/** @type {string} */ path) => readFileSync(new URL(`../../extension/${path}`, import.meta.url));
initSync({ module: built('pkg/latchkey_core_bg.wasm') });
const sites = new Sites(built('data/public_suffix_list.dat').toString('utf8'));
sites.loadSignInSites(built('data/sign-in-sites.txt').toString('utf8'));

for (const [i, c] of CASES.entries()) {
  test(c.title, () => {
    const [got] = answers([c], { pickCode, inboxChoice, sites, now: NOW, host: HOST });
    for (const [j, check] of c.checks.entries())
      assert.deepEqual(got[j], check.expect, `check ${j + 1} of case ${i + 1}`);
  });
}
