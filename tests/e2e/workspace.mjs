// @ts-check
/**
 * Set-up for the workspace tests: the harness's server (`latchkey serve --demo` and the demo app) with
 * the test's SMTP receiver, the join page driven as a person does, and a few direct API calls for what
 * no screen does yet (invites).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXTENSION_ID, screenshot, startServer, worker } from './harness.mjs';
import { startSmtp } from './smtp.mjs';

/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {{after: (fn: () => unknown) => void}} TestContext */

export const JOIN_URL = `chrome-extension://${EXTENSION_ID}/extension/dashboard/join.html`;
export const DASHBOARD_URL = `chrome-extension://${EXTENSION_ID}/extension/dashboard/dashboard.html`;
export const ALICE = 'alice@northwind.test';
/** The unlock PIN the tests choose when they join (the rules refuse runs and repeats). */
export const PIN = '730519';
export const BOB = 'bob@northwind.test';
/** The join page's first screen (server and e-mail). */
export const SETUP_HEADING = 'Let’s set up your extension to access Latchkey';

/**
 * The demo workspace (Alice owner, Bob user, the shared "Northwind Cloud team" account) with
 * e-mail going to the test's SMTP receiver, and the demo app: the harness's `startServer`.
 * @param {TestContext} t @param {{env?: Record<string, string>, mail?: boolean, demoArgs?: string[]}} [o]
 *   extra environment for the server; `mail`: it receives mail; `demoArgs`: more switches for the demo
 *   app (harness's `startServer`)
 */
export async function startWorkspace(t, o = {}) {
  const smtp = await startSmtp(t);
  const started = await startServer(t, { smtp, env: o.env, mail: o.mail, demoArgs: o.demoArgs });
  /**
   * @type {{workspaceId: string, users: Array<{email: string, role: string, recoveryKit: string}>,
   *   teamPassword: string, teamTotpKey: string}}
   */
  const signIn = JSON.parse(await readFile(join(started.dataDir, 'demo-sign-in.txt'), 'utf8'));
  const kit = (/** @type {string} */ email) => {
    const u = signIn.users.find((x) => x.email === email);
    if (!u) throw new Error(`no demo user ${email}`);
    return u.recoveryKit;
  };
  return { ...started, signIn, kit, smtp };
}

/**
 * Calls the API directly with a device's token (for what the tests set up without a screen).
 * @param {string} server @param {string | null} token @param {string} method @param {string} path @param {unknown}
 *   [body]
 */
export async function api(server, token, method, path, body) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${server}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return json;
}

/**
 * What the extension keeps about its workspace (the tests read the token from it).
 * @param {BrowserContext} ctx
 * @returns {Promise<any>}
 */
export async function workspaceState(ctx) {
  const sw = await worker(ctx);
  return sw.evaluate(async () => (await chrome.storage.local.get('workspace')).workspace ?? null);
}

/** @param {BrowserContext} ctx */
export async function openJoin(ctx) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 760, height: 820 });
  await page.goto(JOIN_URL);
  await page.locator('h1:visible').first().waitFor();
  return page;
}

/**
 * From the first-run screen to Verify this device: server and e-mail, Start, Name your device
 * (the default name kept unless `name`), Next.
 * @param {Page} page @param {{server: string, email: string, name?: string, shots?: string}} o
 */
export async function startJoining(page, { server, email, name, shots }) {
  await page.getByRole('heading', { name: SETUP_HEADING }).waitFor();
  await page.getByRole('textbox', { name: 'Server address' }).fill(server);
  await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
  if (shots) await screenshot(page, `${shots}-1-first-run`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Strengthen your account security' }).waitFor();
  if (shots) await screenshot(page, `${shots}-2-strengthen`);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('heading', { name: 'Name your device' }).waitFor();
  const field = page.getByRole('textbox', { name: 'Device name' });
  await page.waitForFunction(
    () => /** @type {HTMLInputElement} */ (document.getElementById('device-name')).value !== '',
  );
  const suggested = await field.inputValue();
  if (name !== undefined) await field.fill(name);
  if (shots) await screenshot(page, `${shots}-3-name-device`);
  await page.getByRole('button', { name: 'Next' }).click();
  return { suggested };
}

/**
 * On Verify this device (after Next): the e-mailed code. The server tells an unverified device
 * nothing, so the person chooses.
 * @param {Page} page
 */
export async function chooseEmailCode(page) {
  await page.getByRole('heading', { name: 'Verify this device' }).waitFor();
  await page.getByRole('button', { name: /Use a code we e-mail you/ }).click();
}

/**
 * On Verify this device: approval from a trusted device. Returns the number and the phrase the
 * Pending approval screen shows.
 * @param {Page} page
 */
export async function chooseApproval(page) {
  await page.getByRole('heading', { name: 'Verify this device' }).waitFor();
  await page.getByRole('button', { name: /Approve from a trusted device/ }).click();
  await page.getByRole('heading', { name: 'Verify your identity' }).waitFor();
  const number = (
    (await page.getByRole('status', { name: 'Number to type on your trusted device' }).textContent()) ?? ''
  ).trim();
  const phrase = ((await page.getByRole('status', { name: 'Fingerprint phrase' }).textContent()) ?? '').trim();
  return { number, phrase };
}

/**
 * On My trusted devices: the request of the device named `name`, its number typed, Approve.
 * @param {Page} dashboard @param {string} name @param {string} number
 */
export async function approveOnDashboard(dashboard, name, number) {
  const request = dashboard.locator('li.request', { hasText: name });
  await request.waitFor({ timeout: 30_000 });
  await request.getByRole('textbox', { name: `Number shown on ${name}` }).fill(number);
  await request.getByRole('button', { name: `Approve ${name}` }).click();
  return request;
}

/**
 * On Verify your device: types the e-mailed code.
 * @param {Page} page @param {Awaited<ReturnType<typeof startWorkspace>>} ws @param {string} email @param {number} since
 */
export async function enterEmailedCode(page, ws, email, since) {
  await page.getByRole('heading', { name: 'Verify your device' }).waitFor();
  const code = await ws.smtp.codeFor(email, since);
  await page.getByRole('textbox', { name: '6-digit code' }).fill(code);
  await page.getByRole('button', { name: 'Verify code' }).click();
  return code;
}

/**
 * Choose an unlock PIN, the join flow's last step once the device is trusted.
 * @param {Page} page @param {string} [pin]
 */
export async function choosePin(page, pin = PIN) {
  await page.getByRole('heading', { name: 'Choose an unlock PIN' }).waitFor({ timeout: 30_000 });
  await page.getByLabel('Unlock PIN').fill(pin);
  await page.getByLabel('Type it again').fill(pin);
  await page.getByRole('button', { name: 'Save PIN' }).click();
  await page.getByRole('heading', { name: 'This device is trusted' }).waitFor({ timeout: 30_000 });
}

/**
 * Unlocks from the popup's PIN box.
 * @param {Page} popup @param {string} [pin]
 */
export async function unlockWithPin(popup, pin = PIN) {
  await popup.locator('#ws-banner', { hasText: 'Latchkey is locked' }).waitFor();
  await popup.getByLabel('PIN or passphrase').fill(pin);
  await popup.getByRole('button', { name: 'Unlock' }).click();
}

/**
 * A demo user's device trusted with the e-mailed code and their Recovery Kit, then its unlock PIN
 * chosen (`pin`, default PIN; null: stop on the Choose an unlock PIN screen).
 * @param {BrowserContext} ctx @param {Awaited<ReturnType<typeof startWorkspace>>} ws @param {string} email @param
 *   {{shots?: string, name?: string, pin?: string | null}} [o]
 */
export async function joinWithKit(ctx, ws, email, o = {}) {
  const page = await openJoin(ctx);
  const since = ws.smtp.count();
  await startJoining(page, { server: ws.server, email, name: o.name });
  await chooseEmailCode(page);
  await enterEmailedCode(page, ws, email, since);
  await page.getByRole('heading', { name: 'Enter your Recovery Kit' }).waitFor();
  if (o.shots) await screenshot(page, `${o.shots}-7-recovery-kit-entry`);
  await page.getByRole('textbox', { name: 'Recovery Kit' }).fill(ws.kit(email));
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Choose an unlock PIN' }).waitFor({ timeout: 30_000 });
  if (o.pin === null) return page;
  if (o.shots) await screenshot(page, `${o.shots}-7b-choose-pin`);
  await choosePin(page, o.pin ?? PIN);
  return page;
}

/**
 * Calls the API from a chosen loopback address (all of 127/8 is loopback on Linux: to the server,
 * 127.0.0.2 and 127.0.0.3 are different clients). Resolves to `{status, body}`; never throws on an
 * error status.
 * @param {string} server @param {string} localAddress @param {string | null} token
 * @param {string} method @param {string} path @param {unknown} [body]
 * @returns {Promise<{status: number, body: any}>}
 */
export async function apiFrom(server, localAddress, token, method, path, body) {
  const { request } = await import('node:http');
  const url = new URL(`${server}/api/v1${path}`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  /** @type {Record<string, string>} */
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
