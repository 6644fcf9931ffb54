import { launchBrowser, EXTENSION_ID } from '../e2e/harness.mjs';
const cleanups = [];
const context = await launchBrowser({ after: (fn) => cleanups.push(fn) });
const page = await context.newPage();
await page.goto(`chrome-extension://${EXTENSION_ID}/extension/popup/popup.html`);
const cdp = await context.newCDPSession(page);
await cdp.send('ServiceWorker.enable');
await page.evaluate(() => chrome.runtime.sendMessage({ type: 'add', secret: 'JBSWY3DPEHPK3PXP', name: 'Bench', site: 'example.com' }));
for (let i = 0; i < 6; i++) {
  await cdp.send('ServiceWorker.stopAllWorkers');
  await page.waitForTimeout(50);
  const r = await page.evaluate(async () => { const t = performance.now(); const r = await chrome.runtime.sendMessage({ type: 'codes' }); return { ms: performance.now() - t, marks: r.marks }; });
  console.log(r.ms.toFixed(1), r.marks.map(([n, t]) => `${n}@${t.toFixed(1)}`).join(' '));
}
for (const fn of cleanups.reverse()) await fn();
