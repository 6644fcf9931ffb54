// @ts-check
/**
 * The Firefox twin of the Playwright tab tests/bench/detect-score.mjs scores pages in: the same four
 * calls over WebDriver. A page's HTML is served from a loopback server (WebDriver navigation waits
 * for its load, as Playwright's setContent does), the detector goes in as a plain script element,
 * and `evaluate` runs in the page (WebDriver scripts see the page's own globals).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { listenOnLoopback } from '../e2e/harness.mjs';

/**
 * @param {import('./firefox.mjs').TestContext} t @param {import('./firefox.mjs').Firefox} ff
 * @returns {Promise<{newPage: () => Promise<import('../bench/detect-score.mjs').ScorePage>}>}
 */
export async function firefoxScorer(t, ff) {
  let html = '';
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  const port = await listenOnLoopback(t, server);
  let n = 0;
  const page = {
    /** @param {string} content */
    setContent: async (content) => {
      html = content;
      await ff.go(`http://127.0.0.1:${port}/page-${++n}.html`);
    },
    /** @param {{path: string}} o */
    addScriptTag: async ({ path }) => {
      await ff.run(
        (/** @type {string} */ code) => {
          const script = document.createElement('script');
          script.textContent = code;
          document.documentElement.append(script);
        },
        await readFile(path, 'utf8'),
      );
    },
    /** @param {(arg: any) => unknown} fn @param {unknown} arg */
    evaluate: (fn, arg) => ff.run(fn, arg),
    close: async () => undefined,
  };
  return { newPage: async () => /** @type {any} */ (page) };
}
