// Service worker cold start to the first code. The worker is stopped the way Chrome stops an idle
// one (CDP ServiceWorker.stopAllWorkers), then the popup asks for codes; the time until the reply
// holds a code is one sample. A second series asks for "On this page" instead, the first request
// that needs a site decision (what a content script's first code field needs too): the Public
// Suffix List and the sign-in hosts are then read and parsed as well. The baseline, in the same
// browser and the same rounds: the floor
// extension (tests/bench/floor-extension), whose worker loads nothing and answers at once, so the
// ratio is what Latchkey adds to Chromium's own cost of starting a worker; and, as before, the same
// request to a worker already running.
//
// What the start spends comes from the worker itself: `performance` marks and measures named
// `latchkey:*` (extension/background/core.js, worker.js, popup-requests.js): when its script had
// been loaded and evaluated and when the first request reached it (marks: times since the worker's
// start; the empty worker sets the same two), how long the core took to compile and instantiate,
// reading the accounts, and, when a request needed them, reading the site lists and loading them into the core.
import { join } from 'node:path';
import { ROOT } from '../e2e/harness.mjs';

export const FLOOR_EXTENSION = join(ROOT, 'tests/bench/floor-extension');

/** @param {number[]} xs */
export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * @param {import('playwright-core').BrowserContext} context a browser with Latchkey and the floor extension loaded
 * @param {string} extensionId Latchkey's
 * @param {number} samples
 */
export async function coldStart(context, extensionId, samples) {
  const floorWorker =
    context.serviceWorkers().find((w) => !w.url().includes(extensionId)) ??
    (await context.waitForEvent('serviceworker', { predicate: (w) => !w.url().includes(extensionId) }));
  const floorId = new URL(floorWorker.url()).host;
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/extension/popup/popup.html`);
  const floorPage = await context.newPage();
  await floorPage.goto(`chrome-extension://${floorId}/page.html`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  const added = await page.evaluate(() =>
    chrome.runtime.sendMessage({ type: 'add', secret: 'JBSWY3DPEHPK3PXP', name: 'Bench', site: 'example.com' }),
  );
  if (!added?.ok) throw new Error(`could not add the bench account: ${JSON.stringify(added)}`);

  /** @param {import('playwright-core').Page} p @param {'codes' | 'page'} [type] */
  const ask = (p, type = 'codes') =>
    p.evaluate(async (type) => {
      const tab = type === 'page' ? await chrome.tabs.getCurrent() : undefined;
      const t = performance.now();
      const reply = await chrome.runtime.sendMessage({ type, tabId: tab?.id });
      if (!reply?.ok || (type === 'codes' && !reply.codes?.[0]?.code)) throw new Error(JSON.stringify(reply));
      return performance.now() - t;
    }, type);
  const stop = async () => {
    await cdp.send('ServiceWorker.stopAllWorkers');
    await page.waitForTimeout(50); // let the stop land before asking again
  };
  /** What a worker's own marks say about its start: a mark's time, a measure's duration. @param {string} id */
  const spent = async (id) => {
    const sw = context.serviceWorkers().find((w) => w.url().includes(id));
    if (!sw) return {};
    const entries = await sw.evaluate(() =>
      performance
        .getEntries()
        .filter((e) => e.name.startsWith('latchkey:'))
        .map((e) => ({
          name: e.name.slice('latchkey:'.length),
          ms: e.entryType === 'mark' ? e.startTime : e.duration,
        })),
    );
    return Object.fromEntries(entries.map((e) => [e.name, e.ms]));
  };
  /** @param {Record<string, number[]>} parts @param {Record<string, number>} got @param {string} [prefix] */
  const collect = (parts, got, prefix = '') => {
    for (const [name, ms] of Object.entries(got)) {
      parts[prefix + name] ??= [];
      parts[prefix + name].push(ms);
    }
  };

  /** @param {'codes' | 'page'} type */
  const series = async (type) => {
    const cold = [],
      floor = [];
    /** @type {Record<string, number[]>} */
    const parts = {};
    for (let i = 0; i < samples; i++) {
      // Alternate which goes first, so neither always meets the browser just after a stop.
      for (const which of i % 2 ? ['floor', 'latchkey'] : ['latchkey', 'floor']) {
        await stop();
        if (which === 'floor') {
          floor.push(await ask(floorPage));
          collect(parts, await spent(floorId), 'floor-');
        } else {
          cold.push(await ask(page, type));
          collect(parts, await spent(extensionId));
        }
      }
    }
    const warm = [];
    for (let i = 0; i < samples; i++) warm.push(await ask(page, type));
    return {
      coldMs: median(cold),
      floorMs: median(floor),
      warmMs: median(warm),
      parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, median(v)])),
    };
  };
  return { codes: await series('codes'), page: await series('page') };
}
