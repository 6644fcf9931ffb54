// What carrying a wasm module costs a service worker's cold start, apart from Latchkey's own code:
// small extensions made here, each the empty worker (tests/bench/floor-extension's reply) plus
// one way of bringing a module, all loaded in one browser and started cold in turn (CDP
// ServiceWorker.stopAllWorkers, then a page asks), alternating the order each round:
//   empty          nothing (the baseline)
//   string         the core's base64 in the script, never decoded (what the text alone costs)
//   inline         the core's base64 in the script, decoded natively and compiled, as Latchkey does
//   fetched        the core's .wasm fetched from the extension and compiled while it streams
//   cached         the core's .wasm read from a copy in Cache Storage (kept there at the first
//                  start), as Latchkey does (extension/background/shipped.js, without its hash check)
//   inline-small   as inline, with the devices module (about 100 KB) in place of the core
//   fetched-small  as fetched, with the devices module
//   cached-small   as cached, with the devices module
// Each reply waits for its compile, so the figure is start plus module. Not part of ./build.sh
// bench; run by hand after ./build.sh build (README, "Measured"):
//   node tests/bench/cold-start-delivery.mjs [rounds, 25]
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, launchBrowser } from '../e2e/harness.mjs';
import { median } from './cold-start.mjs';

const rounds = Number(process.argv[2] ?? 25);
const core = await readFile(join(ROOT, 'extension/pkg/latchkey_core_bg.wasm'));
const small = await readFile(join(ROOT, 'extension/pkg/latchkey_devices_bg.wasm'));
const inline = (/** @type {Buffer} */ wasm) =>
  `const READY = WebAssembly.compile(Uint8Array.fromBase64("${wasm.toString('base64')}"));`;
const FETCHED = "const READY = WebAssembly.compileStreaming(fetch(chrome.runtime.getURL('m.wasm')));";
const CACHED = `const KEY = 'https://latchkey.invalid/m.wasm';
const READY = (async () => {
  let copy = await caches.match(KEY, { cacheName: 'm' });
  if (!copy) {
    await (await caches.open('m')).put(KEY, await fetch(chrome.runtime.getURL('m.wasm')));
    copy = await caches.match(KEY, { cacheName: 'm' });
  }
  return WebAssembly.compile(await copy.arrayBuffer());
})();`;
/** @type {Record<string, {body: string, wasm?: Buffer}>} */
const VARIANTS = {
  empty: { body: 'const READY = Promise.resolve();' },
  string: { body: `const B = "${core.toString('base64')}";\nconst READY = Promise.resolve(B.length);` },
  inline: { body: inline(core) },
  fetched: { body: FETCHED, wasm: core },
  cached: { body: CACHED, wasm: core },
  'inline-small': { body: inline(small) },
  'fetched-small': { body: FETCHED, wasm: small },
  'cached-small': { body: CACHED, wasm: small },
};
const REPLY = `chrome.runtime.onMessage.addListener((_m, _s, reply) => {
  READY.then(() => reply({ ok: true }));
  return true;
});`;

const dir = await mkdtemp(join(tmpdir(), 'latchkey-delivery-'));
/** @type {Array<() => unknown>} */
const cleanups = [() => rm(dir, { recursive: true, force: true })];
try {
  const names = Object.keys(VARIANTS);
  for (const name of names) {
    const d = join(dir, name);
    await mkdir(d);
    const manifest = {
      manifest_version: 3,
      name: `delivery ${name}`,
      version: '1',
      background: { service_worker: 'worker.js' },
      content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" },
    };
    await writeFile(join(d, 'manifest.json'), JSON.stringify(manifest));
    await writeFile(join(d, 'worker.js'), `${VARIANTS[name].body}\n${REPLY}\n`);
    await writeFile(join(d, 'page.html'), '<!doctype html><title>delivery</title>');
    const wasm = VARIANTS[name].wasm;
    if (wasm) await writeFile(join(d, 'm.wasm'), wasm);
  }
  const all = names.map((n) => join(dir, n)).join(',');
  const context = await launchBrowser({ after: (fn) => cleanups.push(fn) }, [
    `--disable-extensions-except=${ROOT},${all}`,
    `--load-extension=${ROOT},${all}`,
  ]);
  while (context.serviceWorkers().length < names.length + 1) await context.waitForEvent('serviceworker');
  /** @type {Record<string, import('playwright-core').Page>} */
  const pages = {};
  for (const w of context.serviceWorkers()) {
    const name = await w.evaluate(() => chrome.runtime.getManifest().name.replace(/^delivery /, ''));
    if (!VARIANTS[name]) continue;
    pages[name] = await context.newPage();
    await pages[name].goto(`chrome-extension://${new URL(w.url()).host}/page.html`);
  }
  const cdp = await context.newCDPSession(pages.empty);
  await cdp.send('ServiceWorker.enable');
  const ask = (/** @type {import('playwright-core').Page} */ p) =>
    p.evaluate(async () => {
      const t = performance.now();
      const reply = await chrome.runtime.sendMessage({});
      if (!reply?.ok) throw new Error(JSON.stringify(reply));
      return performance.now() - t;
    });
  // One start each first: Chromium makes a classic worker's code cache when it installs, and the
  // cached variants keep their copy.
  for (const name of names) await ask(pages[name]);
  /** @type {Record<string, number[]>} */
  const ms = Object.fromEntries(names.map((n) => [n, []]));
  const load = [loadavg()[0]];
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      await pages[name].waitForTimeout(60); // let the stop land (a bench, not a test)
      ms[name].push(await ask(pages[name]));
    }
  }
  load.push(loadavg()[0]);
  const base = median(ms.empty);
  console.log(`median of ${rounds} cold starts each, load ${load.map((l) => l.toFixed(1)).join(' to ')}`);
  console.log(`core ${(core.length / 1024).toFixed(1)} KB, small ${(small.length / 1024).toFixed(1)} KB`);
  for (const name of names) {
    const m = median(ms[name]);
    console.log(
      `${name.padEnd(14)} ${m.toFixed(1).padStart(6)} ms  ${(m / base).toFixed(2)}x  +${(m - base).toFixed(1)} ms`,
    );
  }
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
