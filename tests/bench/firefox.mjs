// ./build.sh bench, Firefox beside Chromium: the same workloads in firefox-esr (geckodriver), each
// against a baseline measured in the same Firefox run, as the Chromium rows are.
//
// 1. OTP codes for 10,000 accounts, the shipped core's wasm vs the `otpauth` npm package
//    (tests/bench/page.html, the page run.mjs times in Chromium; its checksum held to the native one).
// 2. Field detection per page of the shared otp-pages: `LatchkeyDetector.detect(document)` vs
//    `document.querySelectorAll('*')` on the same page, in Firefox and then in Chromium the same way.
//    Firefox clamps performance.now() on pages that are not cross-origin isolated, so each is timed
//    over 200 ms of repeated calls.
//
// 3. The background's cold start to the first code (and to the first site decision), against an
//    empty add-on's event page in the same Firefox: tests/bench/cold-start-firefox.mjs says how the
//    event page is suspended and timed.
//
// Usage: node tests/bench/firefox.mjs test-output/bench-native.json [cold-start samples, 25]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, SHARED_PAGES } from '../e2e/harness.mjs';
import { launchFirefox } from '../e2e-firefox/firefox.mjs';
import { firefoxColdStart } from './cold-start-firefox.mjs';
import { benchTable } from './table.mjs';

const nativePath = process.argv[2] ?? 'test-output/bench-native.json';
const coldSamples = Number(process.argv[3] ?? 25);
const { row, part, finish } = benchTable();
const fmt = (/** @type {number} */ n) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const us = (/** @type {number} */ ms) => `${(ms * 1000).toFixed(0)} µs`;

/** @type {Record<string, string>} */
const routes = {
  '/': join(ROOT, 'tests/bench/page.html'),
  '/otpauth.js': join(ROOT, 'node_modules/otpauth/dist/otpauth.esm.js'),
};
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const under = (/** @type {string} */ prefix, /** @type {string} */ dir) =>
    path.startsWith(prefix) && !path.includes('..') ? join(dir, path.slice(prefix.length)) : null;
  const file =
    routes[path] ??
    under('/pkg/', join(ROOT, 'extension/pkg')) ??
    under('/bench-pkg/', join(ROOT, 'target/bench-pkg')) ??
    under('/pages/', SHARED_PAGES);
  if (!file || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[/** @type {keyof types} */ (extname(file))] ?? 'text/plain' });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
const base = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

const DETECTOR = readFileSync(join(ROOT, 'extension/content/detector.js'), 'utf8');
// Each call repeated for 200 ms after a warm-up, per call: Firefox's clamped clock cannot time one.
// Run by the page itself (a script element), in both browsers alike.
const MEASURE = `${DETECTOR}
;(() => {
  const timed = (fn) => {
    for (let i = 0; i < 20; i++) fn();
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 200) { fn(); n++; }
    return (performance.now() - t0) / n;
  };
  document.documentElement.dataset.latchkeyBench = JSON.stringify({
    detect: timed(() => globalThis.LatchkeyDetector.detect(document)),
    qsa: timed(() => document.querySelectorAll('*').length),
  });
})();`;
const PAGES = readdirSync(SHARED_PAGES).filter((f) => f.endsWith('.html'));
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The detection row of one browser: the median over the pages of each figure.
 * @param {string} browser @param {(url: string) => Promise<{detect: number, qsa: number}>} measure
 */
async function detectionRow(browser, measure) {
  /** @type {Array<{detect: number, qsa: number}>} */
  const per = [];
  for (const name of PAGES) per.push(await measure(`${base}/pages/${encodeURIComponent(name)}`));
  const detect = median(per.map((p) => p.detect));
  const qsa = median(per.map((p) => p.qsa));
  row(
    `field detection per page, ${browser} (median of ${per.length} otp-pages)`,
    us(detect),
    `querySelectorAll('*'): ${us(qsa)}`,
    `${(detect / qsa).toFixed(0)}x`,
  );
}

/** @type {Array<() => unknown>} */
const cleanups = [];
const ff = await launchFirefox({ after: (fn) => void cleanups.push(fn) }, { addon: null });
try {
  await part('wasm in Firefox', async () => {
    const native = JSON.parse(readFileSync(nativePath, 'utf8'));
    await ff.go(`${base}/`);
    for (let i = 0; !(await ff.run(() => /** @type {any} */ (window).benchReady)); i++) {
      if (i > 200) throw new Error('the bench page did not load');
      await new Promise((r) => setTimeout(r, 100));
    }
    const otp = await ff.run(() => /** @type {any} */ (window).runBench());
    if (otp.wasmSum !== native.checksum || otp.npmSum !== native.checksum) {
      throw new Error(`codes disagree: native ${native.checksum}, wasm ${otp.wasmSum}, otpauth ${otp.npmSum}`);
    }
    row(
      'codes for 10,000 accounts, wasm in Firefox',
      `${fmt(otp.wasmCodesPerS)} codes/s`,
      `otpauth npm in Firefox: ${fmt(otp.npmCodesPerS)} codes/s`,
      `${(otp.wasmCodesPerS / otp.npmCodesPerS).toFixed(1)}x`,
    );
  });

  await part('field detection in Firefox', () =>
    detectionRow('Firefox', async (url) => {
      await ff.go(url);
      await ff.run((/** @type {string} */ code) => {
        const script = document.createElement('script');
        script.textContent = code;
        document.documentElement.append(script);
      }, MEASURE);
      return JSON.parse(await ff.run(() => document.documentElement.dataset.latchkeyBench ?? 'null'));
    }),
  );

  await part('cold start in Firefox', async () => {
    const cold = await firefoxColdStart(coldSamples);
    for (const [c, what] of /** @type {const} */ ([
      [cold.codes, "first code (the popup's codes)"],
      [cold.page, 'first site decision (the popup\'s "On this page")'],
    ])) {
      row(
        `Firefox event page cold start to ${what}, median of ${coldSamples}`,
        `${c.coldMs.toFixed(1)} ms`,
        `an empty add-on's event page: ${c.floorMs.toFixed(1)} ms; warm: ${c.warmMs.toFixed(1)} ms` +
          ` (clock step ${(cold.clockStepMs * 1000).toFixed(0)} µs)`,
        `${(c.coldMs / c.floorMs).toFixed(2)}x the empty event page`,
      );
    }
  });

  // The same in Chromium, measured the same way in the same run, for the side-by-side rows.
  await part('the same in Chromium', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => /** @type {any} */ (window).benchReady);
      const otp = await page.evaluate(() => /** @type {any} */ (window).runBench());
      row(
        'codes for 10,000 accounts, wasm in Chromium (same run)',
        `${fmt(otp.wasmCodesPerS)} codes/s`,
        `otpauth npm in Chromium: ${fmt(otp.npmCodesPerS)} codes/s`,
        `${(otp.wasmCodesPerS / otp.npmCodesPerS).toFixed(1)}x`,
      );
      await detectionRow('Chromium', async (url) => {
        await page.goto(url);
        await page.addScriptTag({ content: MEASURE });
        return JSON.parse((await page.evaluate(() => document.documentElement.dataset.latchkeyBench)) ?? 'null');
      });
    } finally {
      await browser.close();
    }
  });
} finally {
  for (const fn of cleanups.reverse()) await fn();
  server.close();
}
finish();
