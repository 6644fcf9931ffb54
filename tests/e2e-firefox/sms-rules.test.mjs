// @ts-check
// The rules that choose which texted or e-mailed code may fill a page, through the extension's
// adapter (extension/background/sms/rules.js) over the built wasm core, in Firefox: Chromium's
// tests/e2e/sms-rules.test.mjs (which runs them in Node), its checks from
// tests/e2e/cases/sms-rules.mjs, here made in a Firefox page so that Firefox's JavaScript and wasm
// engines hand the adapter's arrays to the core and back. The Firefox package bundles the adapter
// into its background script (extension/pkg/worker.js), where no page can import it; so a loopback
// server serves the built tree's files (the adapter, the core and its wasm, the Public Suffix List
// and sign-in sites the extension ships, and the checks), and a page imports them as modules.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CASES } from '../e2e/cases/sms-rules.mjs';
import { ROOT, listenOnLoopback } from '../e2e/harness.mjs';
import { launchFirefox, sharedContext } from './firefox.mjs';

/**
 * What the page may load: path → [file under the worktree (none: an empty page), content type].
 * @type {Record<string, [string | null, string]>}
 */
const FILES = {
  '/': [null, 'text/html'],
  '/pkg/latchkey_core.js': ['extension/pkg/latchkey_core.js', 'text/javascript'],
  '/pkg/latchkey_core_bg.wasm': ['extension/pkg/latchkey_core_bg.wasm', 'application/wasm'],
  '/background/sms/rules.js': ['extension/background/sms/rules.js', 'text/javascript'],
  '/data/public_suffix_list.dat': ['extension/data/public_suffix_list.dat', 'text/plain'],
  '/data/sign-in-sites.txt': ['extension/data/sign-in-sites.txt', 'text/plain'],
  '/cases/sms-rules.mjs': ['tests/e2e/cases/sms-rules.mjs', 'text/javascript'],
};

const shared = sharedContext(after);
/** Every check's answer, made in Firefox once for the file. @type {unknown[][]} */
let got = [];

before(async () => {
  const server = createServer(async (req, res) => {
    const entry = FILES[new URL(req.url ?? '/', 'http://x').pathname];
    if (!entry) return void res.writeHead(404).end();
    const body = entry[0] ? await readFile(join(ROOT, entry[0])) : '<!doctype html><title>rules</title>';
    res.writeHead(200, { 'content-type': entry[1], 'cache-control': 'no-store' }).end(body);
  });
  const port = await listenOnLoopback(shared, server);
  const ff = await launchFirefox(shared, { addon: null });
  await ff.go(`http://127.0.0.1:${port}/`);
  got = await ff.run(async () => {
    // The page's own module loader (a path, not a module of this file).
    const load = (/** @type {string} */ path) => import(path);
    const core = await load('/pkg/latchkey_core.js');
    await core.default({ module_or_path: '/pkg/latchkey_core_bg.wasm' });
    const { pickCode, inboxChoice } = await load('/background/sms/rules.js');
    const { CASES: cases, HOST, NOW, answers } = await load('/cases/sms-rules.mjs');
    const text = async (/** @type {string} */ p) => (await fetch(p)).text();
    const sites = new core.Sites(await text('/data/public_suffix_list.dat'));
    sites.loadSignInSites(await text('/data/sign-in-sites.txt'));
    return answers(cases, { pickCode, inboxChoice, sites, now: NOW, host: HOST });
  });
});

for (const [i, c] of CASES.entries()) {
  test(`Firefox: ${c.title}`, () => {
    for (const [j, check] of c.checks.entries())
      assert.deepEqual(got[i][j], check.expect, `check ${j + 1} of case ${i + 1}`);
  });
}
