// @ts-check
/**
 * The Workspace console's helpers in Firefox: Latchkey's dashboard opened as the toolbar does,
 * its choices made, its rows read, a new member's first device joined (a new Recovery Kit), and
 * the files it saves caught in a download directory the test owns.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PIN } from '../e2e/workspace.mjs';
import { BASE, waitIn } from './firefox.mjs';
import { heading, toDeviceName } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */
/** @typedef {import('./firefox.mjs').TestContext} TestContext */
/** @typedef {Awaited<ReturnType<typeof import('../e2e/workspace.mjs').startWorkspace>>} Workspace */

export const DASHBOARD = `${BASE}extension/dashboard/dashboard.html`;

/**
 * The dashboard in a new tab (the current one), once the console has decided whether it shows
 * (console.js marks the body either way) and the devices card is drawn.
 * @param {Firefox} ff @returns {Promise<string>} the tab's handle
 */
export async function openDashboard(ff) {
  const handle = await ff.openExtensionPage(DASHBOARD);
  await consoleDecided(ff);
  return handle;
}

/**
 * Whether the console shows, once the page has decided ("shown" or "none").
 * @param {Firefox} ff @returns {Promise<string>}
 */
export const consoleDecided = (ff) =>
  waitIn(
    ff,
    () =>
      (document.querySelector('#devices-card:not([hidden])') !== null &&
        document.body.dataset.stale === undefined &&
        document.body.dataset.console) ||
      '',
    'the dashboard, the console decided',
  );

/** Reloads the dashboard (the current tab), as F5 does; resolves once it decided again. @param {Firefox} ff */
export async function reloadDashboard(ff) {
  // Marked first, so the old document's state is never taken for the new one's.
  await ff.run(() => {
    document.body.dataset.stale = '1';
    setTimeout(() => location.reload());
  });
  await consoleDecided(ff);
}

/**
 * Picks an option of the select `css` by its value (or its text with `byText`), as a person does:
 * the select changes, and the page hears `input` and `change`. WebDriver clicks the option of a
 * closed drop-down only where the driver draws it; this is what such a click does.
 * @param {Firefox} ff @param {string} css @param {string} value @param {{byText?: boolean}} [o]
 */
export async function choose(ff, css, value, o = {}) {
  await waitIn(
    ff,
    (c, v, t) => {
      const select = /** @type {HTMLSelectElement | null} */ (document.querySelector(c));
      const option = [...(select?.options ?? [])].find((x) => (t ? x.textContent === v : x.value === v));
      if (!select?.checkVisibility() || !option || option.disabled || select.disabled) return false;
      select.value = option.value;
      select.dispatchEvent(new Event('input', { bubbles: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    },
    `the option ${value} of ${css}`,
    css,
    value,
    o.byText === true,
  );
}

/**
 * Waits until an element `css` of the current page, shown, has `text` in it (a RegExp: matches its
 * trimmed text).
 * @param {Firefox} ff @param {string} css @param {string | RegExp} text
 */
export const showsText = (ff, css, text) =>
  waitIn(
    ff,
    (c, t, flags) => {
      const re = flags === null ? null : new RegExp(t, flags);
      return [...document.querySelectorAll(c)].some((e) => {
        const s = e.textContent?.trim() ?? '';
        return e.checkVisibility() && (re ? re.test(s) : s.includes(t));
      });
    },
    `“${text}” in ${css}`,
    css,
    typeof text === 'string' ? text : text.source,
    typeof text === 'string' ? null : text.flags,
  );

/**
 * The person row (`li.person`) of the Users list that names `email`: its CSS selector, once shown.
 * @param {Firefox} ff @param {string} email
 */
export async function personRow(ff, email) {
  const id = await waitIn(
    ff,
    (e) =>
      /** @type {HTMLElement | undefined} */ (
        [...document.querySelectorAll('li.person')].find((li) => li.querySelector('.meta')?.textContent === e)
      )?.dataset.userId,
    `${email}'s row`,
    email,
  );
  return `li.person[data-user-id="${id}"]`;
}

/**
 * Everything Latchkey keeps about its workspace (the user's id, the device's token…), read as its
 * own pages can: from the extension origin's IndexedDB (platform.js); the current tab must be one
 * of Latchkey's pages. The twin of tests/e2e/workspace.mjs's workspaceState.
 * @param {Firefox} ff @returns {Promise<{userId: string, token: string, stage: string}>}
 */
export function workspaceState(ff) {
  return ff.run(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('latchkey');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('local').objectStore('local').get('workspace');
          get.onsuccess = () => resolve(JSON.parse(get.result));
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/**
 * A new member's first device, through the join page as a person does: the e-mailed code, the new
 * Recovery Kit saved, the unlock PIN chosen; ends on "This device is trusted" (the current tab).
 * @param {Firefox} ff @param {Workspace} ws @param {string} email @param {string} name the device's name
 */
export async function joinAsNewMember(ff, ws, email, name) {
  const since = await toDeviceName(ff, ws, email);
  await ff.type('#device-name', name);
  await ff.press('Next');
  await heading(ff, 'Verify this device');
  await ff.press('Use a code we e-mail you');
  await heading(ff, 'Verify your device');
  await ff.type('#code', await ws.smtp.codeFor(email, since));
  await ff.press('Verify code');
  await heading(ff, 'Save your Recovery Kit');
  await ff.click('#kit-saved');
  await ff.click('#kit-done');
  await heading(ff, 'Choose an unlock PIN');
  await ff.type('#pin-new', PIN);
  await ff.type('#pin-again', PIN);
  await ff.press('Save PIN');
  await heading(ff, 'This device is trusted');
}

/**
 * A download directory of the test's own, removed after it, and the prefs that make Firefox save
 * every download there without asking (as a person who chose "always save to" does).
 * @param {TestContext} t
 */
export async function downloadsTo(t) {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-ff-downloads-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const prefs = {
    'browser.download.folderList': 2,
    'browser.download.dir': dir,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.download.alwaysOpenPanel': false,
    'browser.download.start_downloads_in_tmp_dir': false,
  };
  return { dir, prefs };
}

/**
 * The file saved in `dir` whose name matches `name`, once Firefox has finished writing it (no
 * `.part` left beside it): its name and text.
 * @param {string} dir @param {RegExp} name
 */
export async function downloaded(dir, name) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const files = await readdir(dir);
    const file = files.find((f) => name.test(f));
    if (file && !files.some((f) => f.endsWith('.part')) && existsSync(join(dir, file))) {
      const text = await readFile(join(dir, file), 'utf8');
      if (text !== '') return { file, text };
    }
    if (Date.now() > deadline) throw new Error(`no download named ${name} in ${dir}: ${files.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
