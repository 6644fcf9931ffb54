// @ts-check
// Firefox's event-page cold start to the first code, measured as tests/bench/cold-start.mjs measures
// Chromium's service worker: Latchkey's background is suspended, then the popup asks for codes; the
// time until the reply holds a code is one sample. The baseline, in the same browser and the same
// rounds: the floor extension (tests/bench/floor-extension, its background run as an event page),
// which loads nothing and answers at once; and the same request to a background already running.
//
// Suspension: Firefox gives WebDriver no command to suspend an event page, so the profile's idle
// timeout is set to 1 s (`extensions.background.idle.timeout`; default 30 s), and each sample
// waits until Firefox's own state of the add-on says "stopped" with no background context left
// (firefox.mjs waitSuspended): the next request then starts a new background document. Not lower:
// Firefox does not hold an event page up while it works on an answer, only while it calls
// extension APIs or receives events; at 200 ms, on a loaded machine, the first request's answer
// (the core compiled in between) never came: the page was suspended under it.
//
// Timing: in the asking extension page, `performance.now()` around `runtime.sendMessage`. Firefox
// reduces that clock's precision by default (to 1 ms, with jitter, outside cross-origin-isolated
// pages), too coarse for a median of 25 when the floor itself takes a few ms; the profile turns
// `privacy.reduceTimerPrecision` off, which leaves Firefox's unconditional 20 µs step. The step the
// page actually sees is measured and reported with the figures. (Date.now over many runs would
// still be in whole ms; timing on the WebDriver side would add a process round trip to each sample.)
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADDON_UUID, idleSuspendPrefs, launchFirefox, openPopup, waitSuspended } from '../e2e-firefox/firefox.mjs';
import { FLOOR_EXTENSION, median } from './cold-start.mjs';

const ADDON_ID = 'latchkey@latchkey.dev';
const FLOOR_ID = 'latchkey-floor@latchkey.dev';
const FLOOR_UUID = '0b6f3c1e-9a0d-4f55-8f39-2d7c4a1e6b90';

/**
 * The floor extension as Firefox runs it: the same worker script as an event page (Firefox has no
 * MV3 background service worker), in a temporary directory removed at the end.
 * @param {Array<() => unknown>} cleanups
 */
async function floorForFirefox(cleanups) {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-ff-floor-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(FLOOR_EXTENSION, dir, { recursive: true });
  await writeFile(
    join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Latchkey bench: the start-up floor',
      version: '1',
      background: { scripts: ['worker.js'], type: 'module' },
      browser_specific_settings: { gecko: { id: FLOOR_ID } },
    }),
  );
  return dir;
}

/**
 * @param {number} samples
 * @returns {Promise<{codes: Series, page: Series, clockStepMs: number}>}
 * @typedef {{coldMs: number, floorMs: number, warmMs: number}} Series
 */
export async function firefoxColdStart(samples) {
  /** @type {Array<() => unknown>} */
  const cleanups = [];
  try {
    const floor = await floorForFirefox(cleanups);
    const ff = await launchFirefox(
      { after: (fn) => void cleanups.push(fn) },
      {
        prefs: {
          ...idleSuspendPrefs(1000),
          'privacy.reduceTimerPrecision': false,
          'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: ADDON_UUID, [FLOOR_ID]: FLOOR_UUID }),
        },
      },
    );
    await ff.install(floor);
    const page = await openPopup(ff);
    const added = await ff.run(() =>
      chrome.runtime.sendMessage({ type: 'add', secret: 'JBSWY3DPEHPK3PXP', name: 'Bench', site: 'example.com' }),
    );
    if (!added?.ok) throw new Error(`could not add the bench account: ${JSON.stringify(added)}`);
    // The popup asks for codes every second while it is open, which would keep the background up
    // (Firefox resets the idle timeout on each event): its timers are stopped, so the page only
    // asks what the samples ask, as a closed popup would.
    await ff.run(() => {
      for (let id = Number(setTimeout(() => undefined, 0)); id > 0; id--) clearTimeout(id);
    });
    // The smallest step of the page's clock, as the samples see it.
    const clockStepMs = await ff.run(() => {
      let step = Infinity;
      for (let i = 0; i < 200; i++) {
        const a = performance.now();
        let b = performance.now();
        while (b === a) b = performance.now();
        step = Math.min(step, b - a);
      }
      return step;
    });
    const floorPage = await ff.openExtensionPage(`moz-extension://${FLOOR_UUID}/page.html`);

    /** @param {string} tab @param {'codes' | 'page'} type */
    const ask = async (tab, type) => {
      await ff.switchTo(tab);
      return ff.run(async (type) => {
        const current = type === 'page' ? await chrome.tabs.getCurrent() : undefined;
        const t = performance.now();
        const reply = await chrome.runtime.sendMessage({ type, tabId: current?.id });
        const took = performance.now() - t;
        if (!reply?.ok || (type === 'codes' && !reply.codes?.[0]?.code)) throw new Error(JSON.stringify(reply));
        return took;
      }, type);
    };

    /** @param {'codes' | 'page'} type @returns {Promise<Series>} */
    const series = async (type) => {
      /** @type {number[]} */
      const cold = [];
      /** @type {number[]} */
      const floorMs = [];
      for (let i = 0; i < samples; i++) {
        // Alternate which goes first, as in Chromium's series.
        for (const which of i % 2 ? ['floor', 'latchkey'] : ['latchkey', 'floor']) {
          if (which === 'floor') {
            await waitSuspended(ff, FLOOR_ID);
            floorMs.push(await ask(floorPage, 'codes'));
          } else {
            await waitSuspended(ff, ADDON_ID);
            cold.push(await ask(page, type));
          }
        }
      }
      // Warm: asked back to back, well inside the idle timeout.
      const warm = [];
      await ask(page, type);
      for (let i = 0; i < samples; i++) warm.push(await ask(page, type));
      return { coldMs: median(cold), floorMs: median(floorMs), warmMs: median(warm) };
    };
    return { codes: await series('codes'), page: await series('page'), clockStepMs };
  } finally {
    for (const fn of cleanups.reverse()) await fn();
  }
}
