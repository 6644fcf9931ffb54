// @ts-check
/**
 * Set-up for the tests of codes when the server is away: the demo app's team sign-in up to its
 * code step, the shared account's code as the popup shows it, and what the extension keeps.
 */
import { waitFor, worker } from './harness.mjs';

/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */

export const TEAM = 'Northwind Cloud team';

/**
 * The demo app's team login, up to its code step (the shared account's site). The demo app is a
 * program of its own: it keeps running while Latchkey's server is away.
 * @param {BrowserContext} ctx @param {{demo: string, signIn: {teamPassword: string}}} ws
 */
export async function teamCodeStep(ctx, ws) {
  const app = await ctx.newPage();
  await app.goto(`${ws.demo}/demo/login`);
  await app.locator('#email').fill('team@northwind.test');
  await app.locator('#password').fill(ws.signIn.teamPassword);
  await app.getByRole('button', { name: 'Sign in' }).click();
  await app.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  return app;
}

/** The team account's row in the popup. @param {Page} popup */
export function teamRow(popup) {
  return popup.locator('li.account', { hasText: TEAM });
}

/** The code the popup shows for the team account, digits only, once it shows one. @param {Page} popup */
export async function teamCode(popup) {
  return waitFor(async () => {
    const text = ((await teamRow(popup).locator('.digits').textContent()) ?? '').replace(/\s/g, '');
    return /^\d{6}$/.test(text) ? text : null;
  }, 'the team account’s code in the popup');
}

/** Everything the extension keeps, in both storage areas. @param {BrowserContext} ctx */
export async function stored(ctx) {
  const sw = await worker(ctx);
  return sw.evaluate(async () => ({
    local: /** @type {Record<string, any>} */ (await chrome.storage.local.get(null)),
    session: /** @type {Record<string, any>} */ (await chrome.storage.session.get(null)),
  }));
}

/**
 * Writes keys into the extension's local storage, as someone with the profile on disk would.
 * @param {BrowserContext} ctx @param {Record<string, unknown>} items
 */
export async function writeLocal(ctx, items) {
  const sw = await worker(ctx);
  await sw.evaluate((i) => chrome.storage.local.set(i), items);
}
