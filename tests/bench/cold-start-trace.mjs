// Where a service worker cold start goes, from a Chromium trace: Latchkey's worker and the empty
// worker (tests/bench/floor-extension) are stopped and asked for codes in turn, as
// tests/bench/cold-start.mjs does, with tracing on (CDP `Tracing` through a page's session: it traces
// the whole browser); then each start's worker thread is read: V8 isolate and context set-up, the
// script's compile (parse, or a code cache read), its top-level run, the wasm core's compile end
// and instantiation, when the first request arrived, and the wasm functions compiled on first call.
// Tracing slows everything it records (about 1.3x here), so it says where the time goes, not how
// long a start takes: that is ./build.sh bench. Not part of it; run by hand after ./build.sh build:
//   node tests/bench/cold-start-trace.mjs [starts, 5] [trace file to keep, e.g. test-output/cold.json]
// (a kept file opens in chrome://tracing or ui.perfetto.dev).
import { writeFileSync } from 'node:fs';
import { EXTENSION_ID, ROOT, launchBrowser } from '../e2e/harness.mjs';
import { FLOOR_EXTENSION, median } from './cold-start.mjs';

const starts = Number(process.argv[2] ?? 5);
const keep = process.argv[3];
const CATEGORIES = [
  'toplevel',
  'base',
  'v8',
  'v8.execute',
  'v8.wasm',
  'disabled-by-default-v8.compile',
  'disabled-by-default-v8.wasm.detailed',
  'disabled-by-default-devtools.timeline',
  'devtools.timeline',
  'blink',
  'blink.worker',
  'ServiceWorker',
  'extensions',
];

/** @typedef {{name: string, ph: string, ts: number, dur?: number, pid: number, tid: number, args?: any}} TraceEvent */

/** @type {Array<() => unknown>} */
const cleanups = [];
try {
  const both = `${ROOT},${FLOOR_EXTENSION}`;
  const context = await launchBrowser({ after: (fn) => cleanups.push(fn) }, [
    `--disable-extensions-except=${both}`,
    `--load-extension=${both}`,
  ]);
  const floorWorker =
    context.serviceWorkers().find((w) => !w.url().includes(EXTENSION_ID)) ??
    (await context.waitForEvent('serviceworker', { predicate: (w) => !w.url().includes(EXTENSION_ID) }));
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/extension/popup/popup.html`);
  const floorPage = await context.newPage();
  await floorPage.goto(`chrome-extension://${new URL(floorWorker.url()).host}/page.html`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  const added = await page.evaluate(() =>
    chrome.runtime.sendMessage({ type: 'add', secret: 'JBSWY3DPEHPK3PXP', name: 'Bench', site: 'example.com' }),
  );
  if (!added?.ok) throw new Error(`could not add the bench account: ${JSON.stringify(added)}`);
  /** @param {import('playwright-core').Page} p */
  const ask = (p) =>
    p.evaluate(async () => {
      // Marks in the page's trace: when it asked, when the reply came.
      console.timeStamp('latchkey-ask');
      const reply = await chrome.runtime.sendMessage({ type: 'codes' });
      console.timeStamp('latchkey-answered');
      if (!reply?.ok || !reply.codes?.[0]?.code) throw new Error(JSON.stringify(reply));
    });
  const stop = async () => {
    await cdp.send('ServiceWorker.stopAllWorkers');
    await page.waitForTimeout(100); // let the stop land (a bench, not a test)
  };

  /** @type {TraceEvent[]} */
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: CATEGORIES },
  });
  for (let i = 0; i < starts; i++) {
    await stop();
    await ask(page);
    await stop();
    await ask(floorPage);
  }
  await cdp.send('Tracing.end');
  await complete;
  if (keep) writeFileSync(keep, JSON.stringify({ traceEvents: events }));
  report(events);
} finally {
  for (const c of cleanups.reverse()) await c();
}

/**
 * One row per worker start, times in ms since its thread began the start task.
 * @param {TraceEvent[]} events
 */
function report(events) {
  /** @type {Map<string, string>} */
  const threads = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  /** @type {Map<string, TraceEvent[]>} */
  const byThread = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (threads.get(key) !== 'ServiceWorker thread') continue;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key)?.push(e);
  }
  /** @param {string} name the page's marks, in time order */
  const stamps = (name) =>
    events
      .filter((e) => e.name === 'TimeStamp' && e.args?.data?.message === name)
      .map((e) => e.ts)
      .sort((a, b) => a - b);
  const asks = stamps('latchkey-ask');
  const answers = stamps('latchkey-answered');
  /** @type {Record<string, Record<string, number>[]>} */
  const rows = { latchkey: [], floor: [] };
  for (const es of byThread.values()) {
    es.sort((a, b) => a.ts - b.ts);
    const start = es.find((e) => e.args?.src_func === 'Start');
    if (!start) continue;
    const who = es.some((e) => JSON.stringify(e.args ?? {}).includes(EXTENSION_ID)) ? 'latchkey' : 'floor';
    /** @param {(e: TraceEvent) => boolean} p */
    const find = (p) => es.find(p);
    /** @param {TraceEvent | undefined} e */
    const at = (e) => (e ? (e.ts - start.ts) / 1000 : Number.NaN);
    /** @param {TraceEvent | undefined} e */
    const dur = (e) => (e?.dur === undefined ? Number.NaN : e.dur / 1000);
    const stopped = find((e) => e.args?.src_func === 'Terminate');
    const tasks = es.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && (!stopped || e.ts < stopped.ts));
    const compile = find(
      (e) => e.name === 'v8.compileModule' || (e.name === 'v8.compile' && e.args?.data?.url?.endsWith('worker.js')),
    );
    const run = find((e) => e.name === 'v8.evaluateModule' || e.name === 'v8.run');
    const lazy = es.filter((e) => e.name === 'wasm.CompileLazy');
    const asked = asks.filter((t) => t < start.ts).at(-1);
    const answered = answers.find((t) => t > start.ts);
    rows[who].push({
      'thread began, since the page asked': asked === undefined ? Number.NaN : (start.ts - asked) / 1000,
      'page had the reply, since it asked':
        asked === undefined || answered === undefined ? Number.NaN : (answered - asked) / 1000,
      'context set-up': dur(find((e) => e.name === 'WorkerThread::InitializeWorkerContext')),
      'compile (parse or cache)': dur(compile),
      'code cache read (KB)': (compile?.args?.data?.consumedCacheSize ?? 0) / 1024,
      'top-level run': dur(run),
      'evaluated at': at(find((e) => e.args?.src_func === 'DidEvaluateScript')),
      'wasm compile end': dur(find((e) => e.name === 'wasm.FinishAsyncCompile')),
      'wasm instantiate': dur(find((e) => e.name === 'wasm.SyncInstantiate')),
      'request arrived at': at(
        find((e) => e.name === 'Receive mojo message' && e.args?.chrome_mojo_event_info?.data_num_bytes === 128),
      ),
      'wasm functions compiled on first call': lazy.length,
      'their compile': lazy.reduce((s, e) => s + (e.dur ?? 0), 0) / 1000,
      'thread busy': tasks.reduce((s, e) => s + (e.dur ?? 0), 0) / 1000,
    });
  }
  const names = Object.keys(rows.latchkey[0] ?? rows.floor[0] ?? {});
  console.log(`median of ${starts} traced starts each (ms unless said)`);
  console.log(`${''.padEnd(40)}${'Latchkey'.padStart(10)}${'empty'.padStart(10)}`);
  for (const name of names) {
    const cell = (/** @type {Record<string, number>[]} */ rs) => {
      const values = rs.map((r) => r[name]).filter((v) => !Number.isNaN(v));
      return (values.length ? median(values).toFixed(2) : '-').padStart(10);
    };
    console.log(`${name.padEnd(40)}${cell(rows.latchkey)}${cell(rows.floor)}`);
  }
}
