// @ts-check
/**
 * Shared set-up for the end-to-end tests: the `latchkey` server with the demo app next to it, a tiny fixture server,
 * Chromium with the built extension loaded, and the popup opened in a tab to drive it as a person
 * would. Everything started here is stopped by `t.after`, so each test is independent.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OTPAuth from 'otpauth';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXTENSION_ID = 'ebiehanfgjcdemokkmfdddjfijemfkdg';
/** The mail domain of servers started with `mail` (managed addresses are `…@MAIL_DOMAIN`). */
export const MAIL_DOMAIN = 'mail.northwind.test';
export const POPUP_URL = `chrome-extension://${EXTENSION_ID}/extension/popup/popup.html`;
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');
/** The content script's files, in the order the manifest loads them (the detector first). */
export const CONTENT_SCRIPTS = /** @type {{content_scripts: Array<{js: string[]}>}} */ (
  JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'))
).content_scripts[0].js.map((file) => join(ROOT, file));
/** The project's shared fixtures (snapshots of real MFA pages): `LATCHKEY_SHARED`, else `../shared`. */
export const SHARED_PAGES = join(process.env.LATCHKEY_SHARED || join(ROOT, '..', 'shared'), 'fixtures', 'otp-pages');
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SERVER_BIN = join(ROOT, 'target', 'release', 'latchkey');
const DEMO_BIN = join(ROOT, 'target', 'release', 'latchkey-demo');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Worker} Worker */
/** @typedef {{after: (fn: () => unknown) => void}} TestContext */

/**
 * Polls `probe` until it returns something truthy; fails with `what` after `timeout` ms.
 * @template T @param {() => Promise<T> | T} probe @param {string} what @param {number} [timeout]
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitFor(probe, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return /** @type {NonNullable<T>} */ (last);
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Evaluates `expression` in Latchkey's content-script world of `page` (CDP isolated world), as code
 * that took over a content script would: `{value}`, or `{error}` when it threw.
 * @param {import('playwright-core').BrowserContext} ctx @param {import('playwright-core').Page} page
 * @param {string} expression
 * @returns {Promise<{value?: any, error?: string}>}
 */
export async function inContentScript(ctx, page, expression) {
  const cdp = await ctx.newCDPSession(page);
  /** @type {number[]} */
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => {
    if (context.auxData?.type === 'isolated' && context.origin === `chrome-extension://${EXTENSION_ID}`) {
      contexts.push(context.id);
    }
  });
  await cdp.send('Runtime.enable');
  const contextId = await waitFor(() => contexts[0], 'Latchkey’s content-script world');
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression,
    contextId,
    awaitPromise: true,
    returnByValue: true,
  });
  await cdp.detach();
  if (exceptionDetails) return { error: exceptionDetails.exception?.description ?? exceptionDetails.text };
  return { value: result.value };
}

/**
 * Waits until a field holds a six-digit code (what Latchkey fills), and returns it.
 * @param {import('playwright-core').Locator} field
 */
export async function filledIn(field) {
  return waitFor(async () => {
    const v = await field.inputValue();
    return /^\d{6}$/.test(v) ? v : null;
  }, 'the code to be filled');
}

/** The webhook token `latchkey serve` and the demo app are both given (the demo "texts" with it). */
export const TWILIO_TOKEN = 'e2e-twilio-token-0123456789abcdef';

/**
 * Starts a program that prints `BANNER http://127.0.0.1:PORT` first (killed after the test);
 * resolves with the port. `started`, when given, receives the process (to stop it sooner); `more`,
 * when given, is a line it prints too that is waited for, and handed to `more.found`.
 * @param {TestContext} t @param {string} bin @param {string[]} args @param {Record<string, string>} env
 * @param {string} banner @param {(child: import('node:child_process').ChildProcess) => void} [started]
 * @param {{pattern: RegExp, found: (m: RegExpExecArray) => void}} [more]
 */
async function startListening(t, bin, args, env, banner, started, more) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  started?.(child);
  t.after(() => {
    child.kill();
  });
  // The banner is matched in stdout alone: the programs print warnings to stderr, which arrive
  // in pieces (Rust's stderr is unbuffered), so a merged log can hold a banner mid-line.
  let out = '';
  let log = '';
  let listening = false;
  const pattern = new RegExp(`^${banner} http://127\\.0\\.0\\.1:(\\d+)`, 'm');
  return /** @type {Promise<number>} */ (
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${banner} did not start: ${log}`)), 60_000);
      // Kept until it has started, for the error; drained afterwards so it never blocks on a pipe.
      child.stdout.on('data', (chunk) => {
        if (listening) return;
        out += chunk;
        log += chunk;
        const m = pattern.exec(out);
        // A second line the caller waits for too (the server's SMTP listener, printed after).
        const other = more ? more.pattern.exec(out) : null;
        if (m && (!more || other)) {
          listening = true;
          clearTimeout(timer);
          if (more && other) more.found(other);
          resolve(Number(m[1]));
        }
      });
      child.stderr.on('data', (chunk) => {
        if (!listening) log += chunk;
      });
      child.on('exit', (code) => reject(new Error(`${banner} exited (${code}): ${log}`)));
    })
  );
}

/**
 * The one launcher: `latchkey serve --demo` on a free port with a data directory of its own (the
 * demo workspace), and the demo app (`latchkey-demo`, a program of its own) next to it on another
 * free port, both given the same webhook token, as `./build.sh run` starts them. Tests open the
 * demo app at `demo.localhost:DEMO_PORT` (Chromium resolves *.localhost to loopback).
 * @param {TestContext} t
 * @param {{smtp?: {port: number}, env?: Record<string, string>, mail?: boolean, demoArgs?: string[]}} [o] an
 *   SMTP receiver for the server's e-mail, extra environment for both programs, and `mail`: the server
 *   receives mail (its SMTP listener on a free port, `--mail-domain` MAIL_DOMAIN, the team login given a
 *   managed address) and the demo app e-mails its codes to that listener (`smtpPort` in the result);
 *   `demoArgs`: more switches for the demo app (`--changed-page`)
 * Returns `stop` and `restart` too, for tests of the server going away and coming back.
 */
export async function startServer(t, o = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-e2e-server-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const env = { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN, ...o.env };
  // No SMTP listener unless asked for, and then on a free port: the default port 2525 would be
  // shared by every server a run starts. Sender verification off: no test asks the real DNS.
  const listen = o.mail ? ['--smtp-listen', '127.0.0.1:0', '--mail-domain', MAIL_DOMAIN] : ['--smtp-listen', 'off'];
  const args = ['serve', '--addr', '127.0.0.1:0', ...listen, '--mail-auth', 'off', '--demo', '--data-dir', dataDir];
  if (o.smtp) args.push('--smtp-url', `smtp://127.0.0.1:${o.smtp.port}`);
  /** @type {import('node:child_process').ChildProcess | null} */
  let serving = null;
  let smtpPort = 0;
  const smtpLine = {
    pattern: /^latchkey: smtp on 127\.0\.0\.1:(\d+)/m,
    found: (/** @type {RegExpExecArray} */ m) => {
      smtpPort = Number(m[1]);
    },
  };
  const port = await startListening(
    t,
    SERVER_BIN,
    args,
    env,
    'latchkey: listening on',
    (c) => {
      serving = c;
    },
    o.mail ? smtpLine : undefined,
  );
  const server = `http://127.0.0.1:${port}`;
  /** The server goes away (the demo app stays); resolves once it has exited. */
  const stop = async () => {
    const child = /** @type {import('node:child_process').ChildProcess | null} */ (serving);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
  };
  /** The server comes back on the same port and data directory (what it stored is kept). */
  const restart = async () => {
    const again = args.map((a, i) =>
      a !== '127.0.0.1:0' ? a : args[i - 1] === '--smtp-listen' ? `127.0.0.1:${smtpPort}` : `127.0.0.1:${port}`,
    );
    await startListening(t, SERVER_BIN, again, env, 'latchkey: listening on', (c) => {
      serving = c;
    });
  };
  const demoPort = await startListening(
    t,
    DEMO_BIN,
    [
      '--addr',
      '127.0.0.1:0',
      '--server',
      server,
      '--data-dir',
      dataDir,
      ...(o.mail ? ['--smtp-relay', `127.0.0.1:${smtpPort}`] : []),
      ...(o.demoArgs ?? []),
    ],
    env,
    'latchkey-demo: listening on',
  );
  return { port, server, demo: `http://demo.localhost:${demoPort}`, dataDir, stop, restart, smtpPort };
}

/**
 * Starts `server` (HTTP or HTTPS) on a free loopback port, closed after the test; returns the port.
 * @param {TestContext} t @param {import('node:http').Server} server
 */
export async function listenOnLoopback(t, server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  t.after(() => {
    // The browser keeps connections alive; close them rather than wait for it.
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve(undefined)));
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * Serves tests/e2e/fixtures/ and the shared OTP page fixtures on 127.0.0.1, under any *.localhost
 * name: the host name is what makes a page "another site".
 * @param {TestContext} t
 */
export async function startFixtures(t) {
  const server = createServer(async (req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    if (!/^[\w.-]+\.html$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(FIXTURES, name));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  const port = await listenOnLoopback(t, server);
  /** @param {string} host @param {string} page */
  const url = (host, page) => `http://${host}.localhost:${port}/${page}`;
  return { port, url };
}

/**
 * Chromium with Latchkey loaded, in a fresh profile.
 * @param {TestContext} t @param {string[]} [extraArgs] more command-line switches
 */
export async function launchBrowser(t, extraArgs = []) {
  const profile = await mkdtemp(join(tmpdir(), 'latchkey-e2e-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1000, height: 760 },
    args: [
      `--disable-extensions-except=${ROOT}`,
      `--load-extension=${ROOT}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
  t.after(async () => {
    await ctx.close();
    await rm(profile, { recursive: true, force: true });
  });
  await worker(ctx);
  return ctx;
}

/**
 * The extension's service worker, waiting for it to (re)start.
 * @param {BrowserContext} ctx @returns {Promise<Worker>}
 */
export async function worker(ctx) {
  const running = ctx.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`));
  if (running) return running;
  return ctx.waitForEvent('serviceworker', {
    predicate: (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
    timeout: 30_000,
  });
}

/**
 * Stops the extension's service worker the way Chrome does when it is idle (CDP
 * `ServiceWorker.stopAllWorkers`), and resolves once the browser reports it stopped.
 * @param {BrowserContext} ctx @param {Page} page any page, for the CDP session
 */
export async function stopServiceWorker(ctx, page) {
  const cdp = await ctx.newCDPSession(page);
  const ours = `chrome-extension://${EXTENSION_ID}/`;
  /** @type {Promise<void>} */
  const stopped = new Promise((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v) => v.scriptURL.startsWith(ours) && v.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await cdp.detach();
}

/**
 * The browser's tab id of a page (the worker knows it; Playwright does not).
 * @param {BrowserContext} ctx @param {Page} page
 */
export async function tabIdOf(ctx, page) {
  const url = page.url();
  const sw = await worker(ctx);
  return waitFor(
    () => sw.evaluate(async (u) => (await chrome.tabs.query({})).find((tab) => tab.url === u)?.id, url),
    `the tab of ${url}`,
  );
}

/**
 * The toolbar badge text of a page's tab.
 * @param {BrowserContext} ctx @param {Page} page
 */
export async function badgeOf(ctx, page) {
  const tabId = await tabIdOf(ctx, page);
  const sw = await worker(ctx);
  return sw.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

/**
 * Opens the popup in a tab, about the tab of `forPage` (the popup's `?tab=` parameter), at the
 * width of the real popup.
 * @param {BrowserContext} ctx @param {Page} [forPage]
 */
export async function openPopup(ctx, forPage) {
  const query = forPage ? `?tab=${await tabIdOf(ctx, forPage)}` : '';
  const popup = await ctx.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(POPUP_URL + query);
  await popup.locator('#version').filter({ hasText: 'core' }).waitFor();
  return popup;
}

/**
 * Adds an account through the popup as a person does: Add account, paste into Secret Key,
 * Save Code, then Name/Site and Done. Returns the code Save Code showed (digits only).
 * @param {Page} popup @param {{secret: string, site?: string, name?: string}} a
 */
export async function addThroughPopup(popup, { secret, site, name }) {
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('textbox', { name: 'Secret Key', exact: true }).fill(secret);
  await popup.getByRole('button', { name: 'Save Code' }).click();
  const shown = await shownCode(popup);
  if (name !== undefined) await popup.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  if (site !== undefined) await popup.getByRole('textbox', { name: 'Site', exact: true }).fill(site);
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('#view-list').waitFor();
  return shown;
}

/**
 * The code the Save Code step shows, digits only, once it shows one.
 * @param {Page} popup
 */
export async function shownCode(popup) {
  const text = await popup.locator('#preview-code').filter({ hasText: /\w/ }).textContent();
  return (text ?? '').replace(/\s/g, '');
}

/**
 * The reference TOTP (the `otpauth` package, independent of Latchkey's core).
 * @param {string} base32 @param {number} [ms] Unix milliseconds
 */
export function referenceTotp(base32, ms = Date.now()) {
  return new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(base32),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  }).generate({ timestamp: ms });
}

/**
 * Every code the reference gives between two instants, one per 30 s step the span touches: a code
 * read at some moment in [from, to] must be one of them. A span just over a step long touches three
 * steps, and the middle one is no endpoint's (a popup read inside a 31 s window showed it once).
 * @param {string} base32 @param {number} from @param {number} to Unix milliseconds
 */
export function referenceCodesBetween(base32, from, to) {
  const codes = new Set();
  for (let step = Math.floor(from / STEP_MS); step <= Math.floor(to / STEP_MS); step++) {
    codes.add(referenceTotp(base32, Math.max(from, step * STEP_MS)));
  }
  return [...codes];
}

/** The reference's step: every code checked against it is a 30 s SHA-1 one. */
const STEP_MS = 30_000;

/** A fresh e-mail address per test, so the demo app's accounts never collide. @param {string} tag */
export function freshEmail(tag) {
  return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

/**
 * Saves a screenshot to test-output/screenshots/NAME.png; the popup is cropped to its body, the
 * size it has as a real popup.
 * @param {Page} page @param {string} name
 */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  if (page.url().startsWith(POPUP_URL)) await page.locator('body').screenshot({ path });
  else await page.screenshot({ path });
}

/** The browsers launched on each kept profile, closed before the profile is removed. */
const onProfile = new Map();

/**
 * A profile directory that outlives browser restarts within test `t`, for `launchOnProfile`. It is
 * removed after every browser launched on it has closed: `t.after` hooks run in the order they
 * were added, so a removal added before the launches would run while Chromium still writes there.
 * @param {TestContext} t @param {string} name @returns {Promise<string>}
 */
export async function keptProfile(t, name) {
  const profile = await mkdtemp(join(tmpdir(), `latchkey-${name}-`));
  /** @type {Set<BrowserContext>} */
  const launched = new Set();
  onProfile.set(profile, launched);
  t.after(async () => {
    for (const ctx of launched) await ctx.close().catch(() => undefined);
    onProfile.delete(profile);
    await rm(profile, { recursive: true, force: true, maxRetries: 5 });
  });
  return profile;
}

/**
 * Chromium with Latchkey on a profile from `keptProfile` (`launchBrowser` makes and removes its
 * own): closing this context and launching again on the same directory is a browser restart. The
 * profile's own clean-up closes it.
 * @param {string} profile
 */
export async function launchOnProfile(profile) {
  const launched = onProfile.get(profile);
  if (!launched) throw new Error(`launchOnProfile: ${profile} is not a keptProfile of this run`);
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1000, height: 760 },
    args: [
      `--disable-extensions-except=${ROOT}`,
      `--load-extension=${ROOT}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  launched.add(ctx);
  await worker(ctx);
  return ctx;
}
