// ./build.sh bench, browser half: OTP throughput of the wasm core vs the `otpauth` npm package in
// one Chromium run, the vault and the unlock PIN in wasm beside the native figures, the shipped
// sizes, and the service worker's cold start. Prints one table; every figure comes with the
// baseline measured in this same run and their ratio. Each part runs on its own: a part that fails
// leaves the others' rows printed (tests/bench/table.mjs) and the exit status 1.
//
// The vault and PIN workloads (`VaultBench`, `PinBench`) are in the bench-only module
// (target/bench-pkg/latchkey_bench*, built by ./build.sh bench), never in the shipped wasm; the
// OTP throughput is the shipped core's.
//
// Usage: node tests/bench/run.mjs test-output/bench-native.json test-output/bench-vault.json
//        [test-output/bench-sms.json] (SMS code accuracy and throughput, shown when the file exists)
//        [test-output/bench-pin.json] (the unlock PIN's cost natively, set beside the same work in
//        Chromium's service worker, shown when the file exists)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, extname } from 'node:path';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { launchBrowser, EXTENSION_ID, ROOT as repoRoot } from '../e2e/harness.mjs';
import { FLOOR_EXTENSION, coldStart } from './cold-start.mjs';
import { benchTable } from './table.mjs';

const nativePath = process.argv[2] ?? 'test-output/bench-native.json';
const vaultPath = process.argv[3] ?? 'test-output/bench-vault.json';
const smsPath = process.argv[4] ?? 'test-output/bench-sms.json';
const pinPath = process.argv[5] ?? 'test-output/bench-pin.json';
const BENCH_PKG = join(repoRoot, 'target/bench-pkg');
const { row, part, finish } = benchTable();
const fmt = (/** @type {number} */ n) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KB`;
const ratio = (/** @type {number} */ wasmMs, /** @type {number} */ nativeMs) =>
  `wasm ${(wasmMs / nativeMs).toFixed(1)}x native time`;
/** @param {string} path */
const json = (path) => JSON.parse(readFileSync(path, 'utf8'));

// --- 1. what ships (no browser needed, so first) --------------------------------------------
// Budget: 150 KB gzip for the always-loaded core (DESIGN.md); the on-demand modules load when used.
const BUDGET = 150 * 1024;
await part('sizes', () => {
  for (const [name, what, budget] of [
    ['latchkey_core', 'always-loaded core .wasm', true],
    ['latchkey_messages', 'on-demand messages .wasm (SMS codes)', false],
    ['latchkey_devices', 'on-demand devices .wasm (names, phrases)', false],
  ]) {
    const wasm = readFileSync(join(repoRoot, `extension/pkg/${name}_bg.wasm`));
    const gz = gzipSync(wasm, { level: 9 }).length;
    row(
      what,
      `${kb(wasm.length)} raw, ${kb(gz)} gzip (${gz} B)`,
      budget ? 'budget: 150 KB gzip' : 'loaded on first use',
      budget ? `${(gz / BUDGET).toFixed(2)} of budget` : '',
    );
  }
  /** @param {string} dir @returns {string[]} */
  const walk = (dir) =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
  // The worker counted as its bundle (the zip leaves its sources out); the wasm is counted above.
  const shipped = walk(join(repoRoot, 'extension')).filter((f) => f.endsWith('.js') && !f.includes('/background/'));
  const jsRaw = shipped.reduce((a, f) => a + statSync(f).size, 0);
  const jsGz = shipped.reduce((a, f) => a + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  row(
    "extension's JS as shipped (worker bundle, pages, content scripts, wasm glue)",
    `${kb(jsRaw)} raw, ${kb(jsGz)} gzip`,
    `${shipped.length} files`,
  );
});

// --- 2. codes, vault and PIN in Chromium, beside the native figures ---------------------------
await part('wasm in Chromium', async () => {
  const native = json(nativePath);
  const nativeVault = json(vaultPath);
  const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
  /** @type {Record<string, string>} */
  const routes = {
    '/': join(repoRoot, 'tests/bench/page.html'),
    '/otpauth.js': join(repoRoot, 'node_modules/otpauth/dist/otpauth.esm.js'),
    '/pin-worker.js': join(repoRoot, 'tests/bench/pin-worker.js'),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const under = (/** @type {string} */ prefix, /** @type {string} */ dir) =>
      url.pathname.startsWith(prefix) && !url.pathname.includes('..')
        ? join(dir, url.pathname.slice(prefix.length))
        : null;
    const file =
      routes[url.pathname] ?? under('/pkg/', join(repoRoot, 'extension/pkg')) ?? under('/bench-pkg/', BENCH_PKG);
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': types[/** @type {keyof types} */ (extname(file))] ?? 'application/octet-stream',
    });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => /** @type {any} */ (window).benchReady);
    const otp = await page.evaluate(() => /** @type {any} */ (window).runBench());
    if (otp.wasmSum !== native.checksum || otp.npmSum !== native.checksum) {
      throw new Error(`codes disagree: native ${native.checksum}, wasm ${otp.wasmSum}, otpauth ${otp.npmSum}`);
    }
    row('codes for 10,000 accounts, native', `${fmt(native.codes_per_s)} codes/s`);
    row(
      'codes for 10,000 accounts, wasm in Chromium',
      `${fmt(otp.wasmCodesPerS)} codes/s`,
      `otpauth npm: ${fmt(otp.npmCodesPerS)} codes/s`,
      `${(otp.wasmCodesPerS / otp.npmCodesPerS).toFixed(1)}x (target >= 5x)`,
    );

    const vault = await page.evaluate(() => /** @type {any} */ (window).runVaultBench());
    if (vault.checksum !== nativeVault.checksum) {
      throw new Error(`vault results disagree: native ${nativeVault.checksum}, wasm ${vault.checksum}`);
    }
    row(
      'decrypt 10,000 vault items, wasm in Chromium',
      `${vault.itemsMs.toFixed(0)} ms`,
      `native: ${nativeVault.items_ms.toFixed(0)} ms`,
      ratio(vault.itemsMs, nativeVault.items_ms),
    );
    row(
      'seal 1,000 SMS, wasm in Chromium',
      `${vault.sealMs.toFixed(0)} ms`,
      `native: ${nativeVault.sms_seal_ms.toFixed(0)} ms`,
      ratio(vault.sealMs, nativeVault.sms_seal_ms),
    );
    row(
      'open 1,000 SMS, wasm in Chromium',
      `${vault.openMs.toFixed(0)} ms`,
      `native: ${nativeVault.sms_open_ms.toFixed(0)} ms`,
      ratio(vault.openMs, nativeVault.sms_open_ms),
    );

    // The unlock PIN (crate/benches/pin.rs and PinBench): Argon2id m=64 MiB, t=3, p=4, then the
    // device keys opened, in a real ServiceWorkerGlobalScope (tests/bench/pin-worker.js). One
    // offline guess costs an attacker's CPU core about the native figure.
    if (existsSync(pinPath)) {
      const nativePin = json(pinPath);
      const pinSw = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.register('/pin-worker.js', { type: 'module' });
        await navigator.serviceWorker.ready;
        return new Promise((resolve) => {
          navigator.serviceWorker.onmessage = (e) => resolve(e.data);
          reg.active?.postMessage({ rounds: 7 });
        });
      });
      if (!pinSw.ok) throw new Error(`the PIN bench failed in the service worker: ${pinSw.error}`);
      const setting = `m=${nativePin.memory_kib / 1024} MiB, t=${nativePin.iterations}, p=${nativePin.lanes}`;
      row(
        'unlock PIN, native (Argon2id + device keys; one offline guess per core)',
        `${nativePin.unlock_ms.toFixed(0)} ms`,
        setting,
      );
      row(
        "unlock PIN, wasm in Chromium's service worker",
        `${pinSw.medianMs.toFixed(0)} ms`,
        `native: ${nativePin.unlock_ms.toFixed(0)} ms`,
        ratio(pinSw.medianMs, nativePin.unlock_ms),
      );
    }
  } finally {
    await browser.close();
    server.close();
  }
});

// --- 3. SMS code finding (crate/benches/sms.rs) -------------------------------------------------
// Accuracy on both corpora, throughput, against a naive "first run of 4 to 8 digits" scanner
// measured in the same run.
await part('SMS codes', () => {
  if (!existsSync(smsPath)) return;
  const sms = json(smsPath);
  for (const [name, file] of [
    ['world_held_back', 'sms_world.jsonl, held back'],
    ['world_tuning', 'sms_world.jsonl, tuning part'],
    ['dev', 'shared dev.jsonl'],
    ['more', 'tests/data/sms_more.jsonl'],
  ]) {
    const c = sms[name];
    if (!c) continue;
    row(
      `SMS codes found, ${file}`,
      `${c.exact}/${c.total} exact (${(100 * c.accuracy).toFixed(1)}%), ${c.invented} invented`,
      `first 4-8 digits: ${c.naive_exact}/${c.total}, ${c.naive_invented} invented`,
      `target >= 98%, 0 invented`,
    );
  }
  // Per language over the whole world corpus (both parts): exact/total, and any invented code.
  /** @type {Record<string, number[]>} */
  const langs = {};
  for (const p of ['world_held_back', 'world_tuning']) {
    for (const [lang, [exact, total, invented]] of Object.entries(sms[p]?.languages ?? {})) {
      langs[lang] ??= [0, 0, 0];
      const l = langs[lang];
      l[0] += exact;
      l[1] += total;
      l[2] += invented;
    }
  }
  const perLang = Object.entries(langs)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([lang, [exact, total, invented]]) => `${lang} ${exact}/${total}${invented ? ` (${invented} invented)` : ''}`);
  if (perLang.length) console.log(`SMS codes per language (sms_world.jsonl): ${perLang.join(', ')}`);
  row(
    'SMS code extraction, native',
    `${fmt(sms.messages_per_s)} messages/s`,
    `first 4-8 digits: ${fmt(sms.naive_messages_per_s)} messages/s`,
    `${(sms.naive_messages_per_s / sms.messages_per_s).toFixed(0)}x its time`,
  );
});

// --- 4. service worker cold start to first code ----------------------------------------------
await part('cold start', async () => {
  /** @type {Array<() => unknown>} */
  const cleanups = [];
  try {
    const both = `${repoRoot},${FLOOR_EXTENSION}`;
    const context = await launchBrowser({ after: (fn) => cleanups.push(fn) }, [
      `--disable-extensions-except=${both}`,
      `--load-extension=${both}`,
    ]);
    const samples = 25;
    const cold = await coldStart(context, EXTENSION_ID, samples);
    for (const [c, what] of [
      [cold.codes, "first code (the popup's codes)"],
      [cold.page, 'first site decision (the popup\'s "On this page")'],
    ]) {
      row(
        `service worker cold start to ${what}, median of ${samples}`,
        `${c.coldMs.toFixed(1)} ms`,
        `an empty worker's cold start: ${c.floorMs.toFixed(1)} ms; warm: ${c.warmMs.toFixed(1)} ms`,
        `${(c.coldMs / c.floorMs).toFixed(2)}x the empty worker${c === cold.codes ? ' (target < 20 ms)' : ''}`,
      );
      const p = c.parts;
      /** @param {string} name */
      const ms = (name) => (p[name] === undefined ? '?' : `${p[name].toFixed(1)} ms`);
      /** Latchkey's mark against the empty worker's same mark, as a ratio. @param {string} name */
      const vsFloor = (name) =>
        p[name] !== undefined && p[`floor-${name}`] ? `${(p[name] / p[`floor-${name}`]).toFixed(2)}x` : '';
      row('  of which: the bundle began to run at (since the worker started)', ms('script'));
      row(
        '  script loaded and run at (since the worker started)',
        ms('evaluated'),
        `empty worker: ${ms('floor-evaluated')}`,
        vsFloor('evaluated'),
      );
      row('  first request reached the worker at', ms('asked'), `empty worker: ${ms('floor-asked')}`, vsFloor('asked'));
      const spent = [
        p.core !== undefined &&
          `core ready in ${ms('core')} (compile ${ms('compile')}, instantiate ${ms('instantiate')})`,
        p['read-accounts'] !== undefined && `accounts read in ${ms('read-accounts')}`,
        p['read-lists'] !== undefined && `site lists read in ${ms('read-lists')}`,
        p['load-lists'] !== undefined && `loaded into the core in ${ms('load-lists')}`,
      ]
        .filter(Boolean)
        .join('; ');
      row('  steps in the worker (medians)', spent || 'no marks');
    }
  } finally {
    for (const fn of cleanups.reverse()) await fn();
  }
});

finish();
