// @ts-check
/**
 * The workspace in Firefox: joining as a demo user through Latchkey's join page, the WebDriver
 * twin of tests/e2e/workspace.mjs's joinWithKit.
 */
import assert from 'node:assert/strict';
import { PIN } from '../e2e/workspace.mjs';
import { BASE, waitIn } from './firefox.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */
/** @typedef {Awaited<ReturnType<typeof import('../e2e/workspace.mjs').startWorkspace>>} Workspace */

/** Waits for the page's visible heading `text`. @param {Firefox} ff @param {string} text */
export const heading = (ff, text) =>
  waitIn(
    ff,
    (h) => [...document.querySelectorAll('h1, h2')].some((e) => e.textContent?.trim() === h && e.checkVisibility()),
    `the heading “${text}”`,
    text,
  );

/**
 * A new device's join page, as a person fills it, up to "Name your device" with the name the page
 * suggests shown; returns how many e-mails the server had sent before (for the e-mailed code).
 * @param {Firefox} ff @param {{server: string, smtp: {count: () => number}}} ws @param {string} email
 */
export async function toDeviceName(ff, ws, email) {
  await ff.openExtensionPage(`${BASE}extension/dashboard/join.html`);
  await heading(ff, 'Let’s set up your extension to access Latchkey');
  const since = ws.smtp.count();
  await ff.type('#server', ws.server);
  await ff.type('#email', email);
  await ff.press('Continue');
  await heading(ff, 'Strengthen your account security');
  await ff.press('Start');
  await heading(ff, 'Name your device');
  await waitIn(
    ff,
    () => /** @type {HTMLInputElement} */ (document.getElementById('device-name')).value !== '',
    'a name',
  );
  return since;
}

/**
 * A demo user's device trusted with the e-mailed code and their Recovery Kit, then its unlock PIN
 * chosen (`pin`, default PIN; null: stop on the Choose an unlock PIN screen), named `name` (default:
 * the name the page suggests); ends on "This device is trusted" in a tab of its own (the current one).
 * @param {Firefox} ff @param {Awaited<ReturnType<typeof import('../e2e/workspace.mjs').startWorkspace>>} ws
 * @param {string} email @param {{pin?: string | null, name?: string}} [o]
 */
export async function joinWithKit(ff, ws, email, o = {}) {
  const since = await toDeviceName(ff, ws, email);
  if (o.name !== undefined) await ff.type('#device-name', o.name);
  await ff.press('Next');
  await heading(ff, 'Verify this device');
  await ff.press('Use a code we e-mail you');
  await heading(ff, 'Verify your device');
  await ff.type('#code', await ws.smtp.codeFor(email, since));
  await ff.press('Verify code');
  await heading(ff, 'Enter your Recovery Kit');
  await ff.type('#kit-input', ws.kit(email));
  await ff.press('Unlock');
  await heading(ff, 'Choose an unlock PIN');
  if (o.pin === null) return;
  await ff.type('#pin-new', o.pin ?? PIN);
  await ff.type('#pin-again', o.pin ?? PIN);
  await ff.press('Save PIN');
  await heading(ff, 'This device is trusted');
}

/**
 * The device's API token, read as Latchkey's own pages can: from the extension origin's IndexedDB
 * (platform.js), in the current tab, which must be one of Latchkey's pages.
 * @param {Firefox} ff @returns {Promise<string>}
 */
export function workspaceToken(ff) {
  return ff.run(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('latchkey');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('local').objectStore('local').get('workspace');
          get.onsuccess = () => resolve(JSON.parse(get.result).token);
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/**
 * Everything Latchkey keeps, as its own pages can read it: the persistent items (the extension
 * origin's IndexedDB in Firefox, platform.js) and `storage.session`; in the current tab, which
 * must be one of Latchkey's pages. The twin of tests/e2e/abuse-lock.test.mjs's `stored`.
 * @param {Firefox} ff @returns {Promise<{local: Record<string, any>, session: Record<string, any>}>}
 */
export function stored(ff) {
  return ff.run(async () => {
    /** @type {Record<string, any>} */
    const local = await new Promise((resolve, reject) => {
      const open = indexedDB.open('latchkey');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        /** @type {Record<string, any>} */
        const items = {};
        const cursor = open.result.transaction('local').objectStore('local').openCursor();
        cursor.onerror = () => reject(cursor.error);
        cursor.onsuccess = () => {
          const at = cursor.result;
          if (!at) return resolve(items);
          items[String(at.key)] = JSON.parse(at.value);
          at.continue();
        };
      };
    });
    return { local, session: await chrome.storage.session.get(null) };
  });
}

/** The demo app's team login up to its code step, in a new tab. @param {Firefox} ff @param {Workspace} ws */
export async function teamCodeStep(ff, ws) {
  const tab = await ff.newTab();
  await ff.go(`${ws.demo}/demo/login`);
  await ff.type('#email', 'team@northwind.test');
  await ff.type('#password', ws.signIn.teamPassword);
  await ff.click('form[action="/demo/login"] button');
  await heading(ff, 'Two-step verification');
  return tab;
}

/** The shared codes the background gives the popup (the current tab). @param {Firefox} ff */
export async function sharedCodes(ff) {
  const codes = await ff.run(() => chrome.runtime.sendMessage({ type: 'codes' }));
  assert.equal(codes.ok, true, JSON.stringify(codes));
  return codes.codes.filter((/** @type {{id: string}} */ c) => c.id.startsWith('ws:'));
}

/**
 * The popup (the current tab) shows the shared account `name` with its code.
 * @param {Firefox} ff @param {string} name
 */
export const sharedCodeShown = (ff, name) =>
  waitIn(
    ff,
    (n) =>
      [...document.querySelectorAll('li.account')].some(
        (li) => li.textContent?.includes(n) && /\d{3} \d{3}/.test(li.querySelector('.digits')?.textContent ?? ''),
      ),
    'the shared account’s code in the popup',
    name,
  );
