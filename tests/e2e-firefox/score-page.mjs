// @ts-check
/**
 * The Firefox twin of a Playwright page, for the page-level cases both browsers run (the detector's
 * scores, tests/bench/detect-score.mjs; the cases in tests/e2e/cases/): the same calls over
 * WebDriver. A page's HTML is served from a loopback server (WebDriver navigation waits for its
 * load, as Playwright's setContent does), scripts go in as plain script elements, and `evaluate`
 * runs in the page's own world (below).
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
  /**
   * Runs the function `source` with `arg` in the page's own world, as Playwright's evaluate does: a
   * WebDriver script runs in a sandbox that reads the page's globals but keeps its own writes (and
   * its listeners' view of them), so the source goes through the page's eval. `undefined` comes back
   * as such (WebDriver's JSON would make it null).
   * @param {string} source @param {unknown} arg
   */
  const inPage = async (source, arg) => {
    const r = await ff.run(
      (/** @type {string} */ src, /** @type {unknown} */ a) => {
        // biome-ignore lint/security/noGlobalEval: the test's own source, run in the page's world
        const fn = window.eval(src);
        return Promise.resolve(fn(a)).then((v) => (v === undefined ? { none: true } : { v }));
      },
      source,
      arg,
    );
    return r.none ? undefined : r.v;
  };
  const page = {
    /** @param {string} content */
    setContent: async (content) => {
      html = content;
      await ff.go(`http://127.0.0.1:${port}/page-${++n}.html`);
    },
    /** @param {{path?: string, content?: string}} o */
    addScriptTag: async ({ path, content }) => {
      await ff.run(
        (/** @type {string} */ code) => {
          const script = document.createElement('script');
          script.textContent = code;
          document.documentElement.append(script);
        },
        path ? await readFile(path, 'utf8') : (content ?? ''),
      );
    },
    /** @param {(arg: any) => unknown} fn @param {unknown} [arg] */
    evaluate: (fn, arg) => inPage(`(${fn})`, arg),
    /**
     * `fn` over the elements `selector` matches, in the page.
     * @param {string} selector @param {(elements: Element[]) => unknown} fn
     */
    $$eval: (selector, fn) => inPage(`(s) => (${fn})([...document.querySelectorAll(s)])`, selector),
    close: async () => undefined,
  };
  return { newPage: async () => /** @type {any} */ (page) };
}
