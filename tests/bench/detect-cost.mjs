// ./build.sh bench, detection cost: how long finding code fields takes and what watching the DOM
// costs. Every figure comes with a baseline measured in the same run and their ratio.
//
// 1. Per page of the shared fixtures' otp-pages (LATCHKEY_SHARED, beside this repository) and tests/fixtures/otp-pages
//    (when present), and on a generated 10,000-element page: `LatchkeyDetector.detect(document)` and
//    the content script's whole scan (detection, open shadow roots, attribute watches; its parts with
//    a stub `chrome`), median and p99 over many runs, against `document.querySelectorAll('*')` and a
//    full TreeWalker walk of the same page. Pages are served cross-origin isolated so performance.now()
//    has 5 µs resolution instead of 100 µs.
// 2. Watching a page that changes every frame and has no code field (tests/e2e/fixtures/ticker.html;
//    the content script observes it, sees it is busy, and polls instead): main-thread task time (CDP
// Performance.getMetrics TaskDuration) per second with the
//    real extension loaded vs the same Chromium without it, and the frames the page drew.
//
// Usage: node tests/bench/detect-cost.mjs
//        LATCHKEY_DETECTOR_BEFORE=old/detector.js node tests/bench/detect-cost.mjs   (also times an earlier
//        detector on the same pages in the same run: before/after rows)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, SHARED_PAGES, launchBrowser, startFixtures } from '../e2e/harness.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const RUNS = Number(process.env.DETECT_RUNS ?? 200);
const OWN_PAGES = join(ROOT, 'tests', 'fixtures', 'otp-pages');
const DETECTOR = readFileSync(join(ROOT, 'extension', 'content', 'detector.js'), 'utf8');
/** The content script's other parts (after the detector), in the manifest's order. */
const CONTENT_PARTS = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'))
  .content_scripts[0].js.slice(1)
  .map((/** @type {string} */ file) => readFileSync(join(ROOT, file), 'utf8'));
/** An earlier detector, loaded beside the current one under another name, for before/after rows. */
const BEFORE = process.env.LATCHKEY_DETECTOR_BEFORE
  ? readFileSync(process.env.LATCHKEY_DETECTOR_BEFORE, 'utf8').replaceAll(
      'globalThis.LatchkeyDetector = Object.freeze',
      'globalThis.LatchkeyDetectorBefore = Object.freeze',
    )
  : null;

/** Stands in for the extension APIs the content script uses, and keeps its message listener for `scan`. */
const STUB = `globalThis.chrome = { runtime: { id: 'bench', sendMessage: async () => ({ ok: true }),
  onMessage: { addListener: (fn) => { globalThis.benchListener = fn; } } } };`;

/** @param {string} dir */
const htmlIn = (dir) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.html'))
        .sort()
        .map((f) => join(dir, f))
    : [];
const pages = [...htmlIn(SHARED_PAGES), ...htmlIn(OWN_PAGES)];

/** A realistic 10,000-element page: nested sections, text, links, a sign-in form, one code field. */
const BIG_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Big</title></head><body>
<script>
  const parts = ['<header><nav>'];
  for (let i = 0; i < 40; i++) parts.push('<a href="/p' + i + '">Menu ' + i + '</a>');
  parts.push('</nav><form role="search"><input type="search" name="q" placeholder="Search"></form></header><main>');
  for (let s = 0; s < 193; s++) {
    parts.push('<section class="card"><div class="row"><div class="col"><h3>Story ' + s + '</h3>' +
      '<div class="meta"><span>by someone</span> <time>today</time></div>');
    for (let p = 0; p < 4; p++) parts.push('<p>Some text with a <a href="/s' + s + '/' + p + '">link</a> and ' +
      '<em>emphasis</em> and <strong>more</strong>.</p>');
    parts.push('<ul>');
    for (let l = 0; l < 8; l++) parts.push('<li><span class="dot"></span><a href="#">item ' + l + '</a></li>');
    parts.push('</ul><div class="actions"><button type="button">Like</button><button type="button">Share</button>');
    if (s % 20 === 0) parts.push('<input type="text" name="comment' + s + '" placeholder="Comment">' +
      '<input type="checkbox" name="c' + s + '">');
    parts.push('</div></div></div></section>');
  }
  parts.push('<form id="signin"><h2>Two-step verification</h2><p>Enter the code from your authenticator app.</p>' +
    '<label for="otp">Verification code</label><input id="otp" name="otp" autocomplete="one-time-code" ' +
      'inputmode="numeric" maxlength="6">' +
    '<input type="email" name="email"><input type="password" name="pw"><button>Verify</button></form></main><footer>');
  for (let i = 0; i < 60; i++) parts.push('<div><a href="/f' + i + '">Footer link ' + i + '</a></div>');
  parts.push('</footer>');
  document.body.insertAdjacentHTML('beforeend', parts.join(''));
</script></body></html>`;

// --- 1. detection time per page --------------------------------------------------------------
/** @type {Record<string, string>} */
const served = {};
const server = createServer((req, res) => {
  const body = served[new URL(req.url ?? '/', 'http://x').pathname];
  if (body === undefined) {
    res.writeHead(404).end();
    return;
  }
  res
    .writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    })
    .end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });

/** Times `fn` RUNS times in the page; returns sorted milliseconds. Runs in the page. */
const MEASURE = `(fn, runs) => {
  for (let i = 0; i < 5; i++) fn();
  const out = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); fn(); out.push(performance.now() - t0); }
  return out.sort((a, b) => a - b);
}`;
/** The baselines are far under the timer's resolution on small pages: time batches, per call. Runs in the page. */
const MEASURE_BATCHED = `(fn, runs) => {
  const batch = 100;
  const out = [];
  for (let i = 0; i < Math.max(5, runs / 10); i++) {
    const t0 = performance.now();
    for (let k = 0; k < batch; k++) fn();
    out.push((performance.now() - t0) / batch);
  }
  return out.sort((a, b) => a - b);
}`;

/** @param {string} name @param {string} html */
async function measurePage(name, html) {
  served[`/${name}`] = html;
  await page.goto(`http://127.0.0.1:${port}/${name}`);
  await page.addScriptTag({ content: DETECTOR });
  if (BEFORE) await page.addScriptTag({ content: BEFORE });
  await page.addScriptTag({ content: STUB });
  for (const content of CONTENT_PARTS) await page.addScriptTag({ content });
  await page.addScriptTag({
    content: `globalThis.benchMeasure = ${MEASURE};\nglobalThis.benchBatched = ${MEASURE_BATCHED};`,
  });
  return page.evaluate((runs) => {
    const w = /** @type {any} */ (window);
    const measure = /** @type {(fn: () => unknown, runs: number) => number[]} */ (w.benchMeasure);
    const batched = /** @type {(fn: () => unknown, runs: number) => number[]} */ (w.benchBatched);
    const walk = () => {
      const tw = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
      let n = 0;
      while (tw.nextNode()) n++;
      return n;
    };
    return {
      isolated: crossOriginIsolated,
      elements: document.querySelectorAll('*').length,
      groups: w.LatchkeyDetector.detect(document).length,
      detect: measure(() => w.LatchkeyDetector.detect(document), runs),
      before: w.LatchkeyDetectorBefore ? measure(() => w.LatchkeyDetectorBefore.detect(document), runs) : null,
      scan: measure(() => w.benchListener({ type: 'rescan' }, { id: 'bench' }, () => {}), runs),
      qsa: batched(() => document.querySelectorAll('*').length, runs),
      walk: batched(walk, runs),
    };
  }, RUNS);
}

/** @param {number[]} sorted @param {number} q */
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (/** @type {number} */ x) =>
  x < 0.01 ? `${(x * 1000).toFixed(1)} µs` : x < 0.1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`;

/** @type {string[][]} */
const perPage = [];
/** @type {Array<{name: string, r: Awaited<ReturnType<typeof measurePage>>}>} */
const results = [];
for (const file of pages) {
  const name = file.split('/').pop() ?? file;
  const r = await measurePage(name, readFileSync(file, 'utf8'));
  if (!r.isolated) throw new Error('the bench page is not cross-origin isolated: timer resolution would be 100 µs');
  results.push({ name, r });
  perPage.push([
    name,
    String(r.elements),
    String(r.groups),
    ms(quantile(r.detect, 0.5)),
    ms(quantile(r.detect, 0.99)),
    ms(quantile(r.scan, 0.5)),
    ms(quantile(r.qsa, 0.5)),
    ms(quantile(r.walk, 0.5)),
  ]);
}
const big = await measurePage('big.html', BIG_PAGE);
await browser.close();
server.close();

/** @type {string[][]} */
const rows = [];
const row = (/** @type {string[]} */ ...r) => rows.push(r);
const median = (/** @type {number[]} */ xs) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
const fixtureMedian = median(results.map((x) => quantile(x.r.detect, 0.5)));
const fixtureP99 = Math.max(...results.map((x) => quantile(x.r.detect, 0.99)));
const fixtureScan = median(results.map((x) => quantile(x.r.scan, 0.5)));
const fixtureQsa = median(results.map((x) => quantile(x.r.qsa, 0.5)));
const fixtureWalk = median(results.map((x) => quantile(x.r.walk, 0.5)));
const times = (/** @type {number} */ a, /** @type {number} */ b) => `${(a / b).toFixed(1)}x`;
row(
  `detect(), ${results.length} OTP pages: median of medians / worst p99`,
  `${ms(fixtureMedian)} / ${ms(fixtureP99)}`,
  `querySelectorAll('*'): ${ms(fixtureQsa)}; DOM walk: ${ms(fixtureWalk)}`,
  `${times(fixtureMedian, fixtureWalk)} walk (target < 2 ms)`,
);
if (BEFORE) {
  const before = results.map((x) => /** @type {number[]} */ (x.r.before));
  const beforeMedian = median(before.map((b) => quantile(b, 0.5)));
  const beforeP99 = Math.max(...before.map((b) => quantile(b, 0.99)));
  row(
    `detect() before (${process.env.LATCHKEY_DETECTOR_BEFORE}), same pages and run: median of medians / worst p99`,
    `${ms(beforeMedian)} / ${ms(beforeP99)}`,
    `after: ${ms(fixtureMedian)} / ${ms(fixtureP99)}`,
    times(fixtureMedian, beforeMedian),
  );
}
row(
  `content script scan, ${results.length} OTP pages: median of medians`,
  ms(fixtureScan),
  `detect(): ${ms(fixtureMedian)}`,
  times(fixtureScan, fixtureMedian),
);
row(
  `detect(), ${big.elements} elements: median / p99`,
  `${ms(quantile(big.detect, 0.5))} / ${ms(quantile(big.detect, 0.99))}`,
  `querySelectorAll('*'): ${ms(quantile(big.qsa, 0.5))}; DOM walk: ${ms(quantile(big.walk, 0.5))}`,
  `${times(quantile(big.detect, 0.5), quantile(big.walk, 0.5))} walk (target < 20 ms)`,
);
if (BEFORE && big.before) {
  row(
    `detect() before, ${big.elements} elements: median / p99`,
    `${ms(quantile(big.before, 0.5))} / ${ms(quantile(big.before, 0.99))}`,
    `after: ${ms(quantile(big.detect, 0.5))} / ${ms(quantile(big.detect, 0.99))}`,
    times(quantile(big.detect, 0.5), quantile(big.before, 0.5)),
  );
}
row(
  `content script scan, ${big.elements} elements: median / p99`,
  `${ms(quantile(big.scan, 0.5))} / ${ms(quantile(big.scan, 0.99))}`,
  `detect(): ${ms(quantile(big.detect, 0.5))}`,
  times(quantile(big.scan, 0.5), quantile(big.detect, 0.5)),
);

// --- 2. the observer on a page that never stops changing -------------------------------------------
const WINDOW_MS = 5000;
const ROUNDS = Number(process.env.OBSERVER_ROUNDS ?? 5);
/** @type {Array<() => unknown>} */
const cleanups = [];
const t = { after: (/** @type {() => unknown} */ fn) => cleanups.push(fn) };
const fixtures = await startFixtures(t);

/** Chromium as launchBrowser starts it, without the extension. */
async function launchPlain() {
  const profile = await mkdtemp(join(tmpdir(), 'latchkey-bench-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1000, height: 760 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  cleanups.push(async () => {
    await ctx.close();
    await rm(profile, { recursive: true, force: true });
  });
  return ctx;
}

/**
 * Main-thread task time per second of the ticker page and the frames it drew, over WINDOW_MS.
 * @param {import('playwright-core').BrowserContext} ctx
 */
async function tickerCost(ctx) {
  const p = await ctx.newPage();
  await p.goto(fixtures.url('fixtures', 'ticker.html'));
  await new Promise((r) => setTimeout(r, 1000)); // past load and the first scan
  const cdp = await ctx.newCDPSession(p);
  await cdp.send('Performance.enable');
  const metric = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const frames0 = await p.evaluate(() => /** @type {any} */ (window).frames_);
  const m0 = await metric();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const m1 = await metric();
  const frames1 = await p.evaluate(() => /** @type {any} */ (window).frames_);
  await p.close();
  const secs = m1.Timestamp - m0.Timestamp;
  const frames = frames1 - frames0;
  // Per frame drawn: a saturated main thread shows the extension's cost as fewer frames, not more time.
  return {
    taskMs: (1000 * (m1.TaskDuration - m0.TaskDuration)) / frames,
    scriptMs: (1000 * (m1.ScriptDuration - m0.ScriptDuration)) / frames,
    fps: frames / secs,
  };
}

const withExt = await launchBrowser(t);
const without = await launchPlain();
/** @type {Array<Awaited<ReturnType<typeof tickerCost>>>} */
const a = [];
/** @type {Array<Awaited<ReturnType<typeof tickerCost>>>} */
const b = [];
for (let i = 0; i < ROUNDS; i++) {
  // Alternate, so drift on a shared machine hits both sides alike.
  a.push(await tickerCost(withExt));
  b.push(await tickerCost(without));
}
for (const fn of cleanups.reverse()) await fn();
const task = median(a.map((x) => x.taskMs));
const taskBase = median(b.map((x) => x.taskMs));
const script = median(a.map((x) => x.scriptMs));
const scriptBase = median(b.map((x) => x.scriptMs));
row(
  `ticker page (150 nodes' text/class/style + elements every frame, no code field): main-thread task time per ` +
    `frame, median of ${ROUNDS}`,
  `with Latchkey: ${task.toFixed(2)} ms`,
  `without: ${taskBase.toFixed(2)} ms`,
  `${(task / taskBase).toFixed(2)}x (target: no difference)`,
);
row(
  'ticker page: script time per frame',
  `with Latchkey: ${script.toFixed(2)} ms`,
  `without: ${scriptBase.toFixed(2)} ms`,
  `${(script / scriptBase).toFixed(2)}x`,
);
row(
  'ticker page: frames drawn',
  `with Latchkey: ${median(a.map((x) => x.fps)).toFixed(1)} fps`,
  `without: ${median(b.map((x) => x.fps)).toFixed(1)} fps`,
  `${(median(a.map((x) => x.fps)) / median(b.map((x) => x.fps))).toFixed(2)}x`,
);

// --- tables ------------------------------------------------------------------------------------------
/** @param {string[]} header @param {string[][]} body */
function table(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (/** @type {string[]} */ r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of body) console.log(line(r));
}
table(['page', 'elements', 'groups', 'detect p50', 'detect p99', 'scan p50', "qsa('*') p50", 'walk p50'], perPage);
console.log('');
table(['benchmark', 'value', 'baseline (same run)', 'ratio'], rows);
