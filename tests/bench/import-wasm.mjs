// ./build.sh bench: the import module in wasm, in Chromium (issue 19). Reading a 1,000-entry export
// (Aegis, 2FAS, a list of otpauth:// links) in the shipped on-demand module against JSON.parse of the
// same file in the same page; and the QR decode of a full-tab capture (a 1920×1080 screenshot of the
// demo app's two-factor page, `latchkey serve --demo`) against one JS pass over its pixels. Each
// figure with its same-run baseline and their ratio (tests/bench/import-page.html).
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, freshEmail, startServer } from '../e2e/harness.mjs';
import { openTwoFactorSetup, signUp } from '../e2e/demo-app.mjs';
import { benchTable } from './table.mjs';

const { row, part, finish } = benchTable();
const ms = (/** @type {number} */ n) => `${n.toFixed(2)} ms`;
/** @type {Array<() => unknown>} */
const cleanups = [];
/** A stand-in for node:test's context, for the harness's servers. */
const t = /** @type {import('node:test').TestContext} */ (
  /** @type {unknown} */ ({ after: (/** @type {() => unknown} */ f) => void cleanups.push(f) })
);

const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const file =
    url.pathname === '/'
      ? join(ROOT, 'tests/bench/import-page.html')
      : url.pathname.startsWith('/pkg/') && !url.pathname.includes('..')
        ? join(ROOT, 'extension/pkg', url.pathname.slice(5))
        : null;
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
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  const bench = await browser.newPage();
  await bench.goto(`http://127.0.0.1:${port}/`);
  await bench.waitForFunction(() => /** @type {any} */ (window).benchReady);

  await part('import of 1,000 entries in wasm', async () => {
    const r = await bench.evaluate(() => /** @type {any} */ (window).runImport());
    for (const [name, what] of [
      ['aegis', 'Aegis (plain)'],
      ['2fas', '2FAS (plain)'],
      ['links', 'otpauth:// links'],
    ]) {
      const { ms: wasm, baselineMs } = r[name];
      row(
        `import of 1,000 entries in wasm in Chromium, ${what} (median of 9)`,
        ms(wasm),
        `${name === 'links' ? 'split into lines and URL-parsed in JS' : 'JSON.parse of the same file'}: ` +
          ms(baselineMs),
        `${(wasm / baselineMs).toFixed(1)}x`,
      );
    }
  });

  await part('QR decode of a full-tab capture in wasm', async () => {
    const { demo } = await startServer(t);
    const app = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await signUp(app, demo, freshEmail('bench'));
    await openTwoFactorSetup(app, demo);
    await app.locator('#qr svg').waitFor();
    const png = (await app.screenshot({ type: 'png' })).toString('base64');
    const r = await bench.evaluate((b64) => /** @type {any} */ (window).runQr(b64), png);
    row(
      `QR decode of a ${r.width}×${r.height} capture of the demo's two-factor page in wasm in Chromium (median of 9)`,
      ms(r.ms),
      `one JS pass over the pixels (RGBA → luma): ${ms(r.baselineMs)}`,
      `${(r.ms / r.baselineMs).toFixed(1)}x`,
    );
  });
} finally {
  await browser.close();
  server.close();
  for (const f of cleanups.reverse()) await f();
  finish();
}
