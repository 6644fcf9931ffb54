import { chromium } from 'playwright-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const ext = process.argv[2];
const profile = await mkdtemp(join(tmpdir(), 'c15-'));
const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true,
  args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, '--no-sandbox', '--disable-gpu', '--no-first-run'] });
let sw = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker');
const id = new URL(sw.url()).host;
const page = await context.newPage();
await page.goto(`chrome-extension://${id}/popup.html`);
const cdp = await context.newCDPSession(page);
await cdp.send('ServiceWorker.enable');
for (let i = 0; i < 6; i++) {
  await cdp.send('ServiceWorker.stopAllWorkers');
  await page.waitForTimeout(50);
  const r = await page.evaluate(async () => { const t = performance.now(); const r = await chrome.runtime.sendMessage({ type: 'codes' }); return { ms: performance.now() - t, marks: r.marks }; });
  console.log(r.ms.toFixed(1), r.marks.map(([n, t]) => `${n}@${t.toFixed(1)}`).join(' '));
}
await context.close();
