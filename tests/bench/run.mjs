// ./build.sh bench, browser half: OTP throughput of the wasm core vs the `otpauth` npm package in
// one Chromium run, the shipped sizes, and the service worker's cold start. Prints one table; every
// figure comes with the baseline measured in this same run and their ratio.
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
import { coldStart } from './cold-start.mjs';

const native = JSON.parse(readFileSync(process.argv[2] ?? 'test-output/bench-native.json', 'utf8'));
const nativeVault = JSON.parse(readFileSync(process.argv[3] ?? 'test-output/bench-vault.json', 'utf8'));
const rows = [];
const row = (what, value, baseline = '', ratio = '') => rows.push([what, value, baseline, ratio]);
const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// --- 1. codes for 10,000 accounts: wasm vs otpauth, same page, same Chromium -------------------
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const routes = {
  '/': join(repoRoot, 'tests/bench/page.html'),
  '/otpauth.js': join(repoRoot, 'node_modules/otpauth/dist/otpauth.esm.js'),
  '/pin-worker.js': join(repoRoot, 'tests/bench/pin-worker.js'),
};
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const file =
    routes[url.pathname] ??
    (url.pathname.startsWith('/pkg/') && !url.pathname.includes('..')
      ? join(repoRoot, 'extension', url.pathname)
      : null);
  if (!file) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
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
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${port}/`);
await page.waitForFunction(() => /** @type {any} */ (window).benchReady);
const otp = await page.evaluate(() => /** @type {any} */ (window).runBench());
const vault = await page.evaluate(() => /** @type {any} */ (window).runVaultBench());
const pinPath = process.argv[5] ?? 'test-output/bench-pin.json';
// The unlock PIN in a real ServiceWorkerGlobalScope (tests/bench/pin-worker.js), the extension's setting.
const pinSw = existsSync(pinPath)
  ? await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.register('/pin-worker.js', { type: 'module' });
      await navigator.serviceWorker.ready;
      return new Promise((resolve) => {
        navigator.serviceWorker.onmessage = (e) => resolve(e.data);
        reg.active?.postMessage({ rounds: 7 });
      });
    })
  : null;
await browser.close();
server.close();
if (otp.wasmSum !== native.checksum || otp.npmSum !== native.checksum) {
  console.error(`codes disagree: native ${native.checksum}, wasm ${otp.wasmSum}, otpauth ${otp.npmSum}`);
  process.exit(1);
}
if (vault.checksum !== nativeVault.checksum) {
  console.error(`vault results disagree: native ${nativeVault.checksum}, wasm ${vault.checksum}`);
  process.exit(1);
}
row('codes for 10,000 accounts, native', `${fmt(native.codes_per_s)} codes/s`);
row(
  'codes for 10,000 accounts, wasm in Chromium',
  `${fmt(otp.wasmCodesPerS)} codes/s`,
  `otpauth npm: ${fmt(otp.npmCodesPerS)} codes/s`,
  `${(otp.wasmCodesPerS / otp.npmCodesPerS).toFixed(1)}x (target >= 5x)`,
);

const ratio = (/** @type {number} */ wasmMs, /** @type {number} */ nativeMs) =>
  `wasm ${(wasmMs / nativeMs).toFixed(1)}x native time`;
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

// SMS code finding (crate/benches/sms.rs): accuracy on both corpora, throughput, against a naive
// "first run of 4 to 8 digits" scanner measured in the same run.
const smsPath = process.argv[4] ?? 'test-output/bench-sms.json';
if (existsSync(smsPath)) {
  const sms = JSON.parse(readFileSync(smsPath, 'utf8'));
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
  for (const part of ['world_held_back', 'world_tuning']) {
    for (const [lang, [exact, total, invented]] of Object.entries(sms[part]?.languages ?? {})) {
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
}

// The unlock PIN (crate/benches/pin.rs and PinBench): Argon2id m=64 MiB, t=3, p=4, then the device
// keys opened. One offline guess costs an attacker's CPU core about the native figure.
if (pinSw) {
  const nativePin = JSON.parse(readFileSync(pinPath, 'utf8'));
  if (!pinSw.ok) {
    console.error(`the PIN bench failed in the service worker: ${pinSw.error}`);
    process.exit(1);
  }
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

// --- 2. what ships ---------------------------------------------------------------------------
const wasm = readFileSync(join(repoRoot, 'extension/pkg/latchkey_core_bg.wasm'));
const wasmGz = gzipSync(wasm, { level: 9 }).length;
row(
  'shipped .wasm',
  `${kb(wasm.length)} raw, ${kb(wasmGz)} gzip`,
  'budget: 150 KB gzip (whole core)',
  `${(wasmGz / 153600).toFixed(2)} of budget`,
);
/** @param {string} dir @returns {string[]} */
const walk = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
const js = walk(join(repoRoot, 'extension')).filter((f) => f.endsWith('.js'));
const jsRaw = js.reduce((a, f) => a + statSync(f).size, 0);
const jsGz = js.reduce((a, f) => a + gzipSync(readFileSync(f), { level: 9 }).length, 0);
row("extension's JS (incl. wasm-bindgen glue)", `${kb(jsRaw)} raw, ${kb(jsGz)} gzip`, `${js.length} files`);

// --- 3. service worker cold start to first code ------------------------------------------------
const cold = await coldStart(async () => {
  /** @type {Array<() => unknown>} */
  const cleanups = [];
  const context = await launchBrowser({ after: (fn) => cleanups.push(fn) });
  return {
    context,
    extensionId: EXTENSION_ID,
    close: async () => {
      for (const fn of cleanups.reverse()) await fn();
    },
  };
}, 20);
row(
  'service worker cold start to first code (median of 20)',
  `${cold.coldMs.toFixed(1)} ms`,
  `warm worker: ${cold.warmMs.toFixed(1)} ms`,
  `${(cold.coldMs / cold.warmMs).toFixed(1)}x warm`,
);

// --- table -------------------------------------------------------------------------------------
const header = ['benchmark', 'value', 'baseline (same run)', 'ratio'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (/** @type {string[]} */ r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
