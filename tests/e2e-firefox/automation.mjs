// @ts-check
/**
 * The automation runner in Firefox: the dashboard's Turn on MFA dialog, its other tasks and its dry
 * run, driven as a person does; the demo app's team login with two-factor turned off; the job's tab
 * read through the extension's own APIs from the dashboard (Chromium's tests use the worker).
 */
import assert from 'node:assert/strict';
import { dryRunRows, jobProgressAt, readJobTab, TEAM, TEAM_LOGIN } from '../e2e/cases/automation.mjs';
import { referenceTotp } from '../e2e/harness.mjs';
import { BASE, says, waitIn } from './firefox.mjs';
import { heading } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */
/** @typedef {import('../e2e/cases/automation.mjs').Row} Row */

export const DASHBOARD_URL = `${BASE}extension/dashboard/dashboard.html`;

/** The team account's automation status line on the dashboard. */
export const STATUS = `p[aria-label="Automation status of ${TEAM}"]`;

/** The dashboard in a new tab (current after), once the team account's row is shown. @param {Firefox} ff */
export async function openDashboard(ff) {
  const handle = await ff.openExtensionPage(DASHBOARD_URL);
  await teamRowShown(ff);
  return handle;
}

/** Waits for the team account's Turn on button (the row and its automations loaded). @param {Firefox} ff */
export const teamRowShown = (ff) =>
  waitIn(
    ff,
    (n) => document.querySelector(`button[aria-label="Turn on MFA for ${n}"]`) !== null,
    'the team account’s Turn on',
    TEAM,
  );

/** Waits until the status line says `text`. @param {Firefox} ff @param {string} text */
export const statusSays = (ff, text) => says(ff, STATUS, text);

/** The dialog before a job, and the dry run's. */
const JOB_DIALOG = 'dialog[aria-labelledby="automation-title"]';
const DRY_DIALOG = 'dialog[aria-labelledby="dry-run-title"]';

/**
 * Waits for the dialog to close; on a timeout, says what it shows (its error).
 * @param {Firefox} ff @param {string} css
 */
const dialogClosed = (ff, css) =>
  waitIn(
    ff,
    (c) => {
      const open = document.querySelector(c);
      if (open) throw new Error(`the dialog shows: ${open.textContent}`);
      return true;
    },
    'the dialog to close',
    css,
  );

/**
 * Turn on MFA from the dashboard (the current tab): the dialog, the address, the owner's word (the
 * button disabled until then), the button; resolves once the dialog closed (the job started).
 * @param {Firefox} ff @param {string} origin
 */
export async function turnOnMfa(ff, origin) {
  await ff.click(`button[aria-label="Turn on MFA for ${TEAM}"]`);
  await ff.type('#automation-origin', origin);
  const go = `${JOB_DIALOG} button.primary`;
  assert.equal(
    await ff.run((css) => /** @type {HTMLButtonElement} */ (document.querySelector(css)).disabled, go),
    true,
    'disabled until the owner says MFA is off',
  );
  await ff.click('#automation-verified');
  await ff.click(go);
  await dialogClosed(ff, JOB_DIALOG);
}

/**
 * Starts a task without a confirmation box (Add the number to the app, Turn on SMS MFA).
 * @param {Firefox} ff @param {string} label @param {string} origin
 */
export async function startTask(ff, label, origin) {
  await ff.click(`button[aria-label="${label} for ${TEAM}"]`);
  await ff.type('#automation-origin', origin);
  await ff.click(`${JOB_DIALOG} button.primary`);
  await dialogClosed(ff, JOB_DIALOG);
}

/**
 * The dry run of Turn on MFA from the dashboard (the current tab); resolves with the steps it
 * lists, the dialog closed.
 * @param {Firefox} ff @param {string} origin @returns {Promise<Row[]>}
 */
export async function dryRun(ff, origin) {
  await ff.click(`button[aria-label="Check Turn on MFA against the app for ${TEAM}"]`);
  await ff.type('#dry-run-origin', origin);
  await ff.click(`${DRY_DIALOG} button.primary`);
  const rows = await waitIn(ff, dryRunRows, 'the steps checked');
  await ff.click(`${DRY_DIALOG} button[type=submit]`);
  await dialogClosed(ff, DRY_DIALOG);
  return rows;
}

/**
 * The demo's team login signed in (password, then its seeded key's code) in the current tab, and
 * two-factor turned off there.
 * @param {Firefox} ff @param {{demo: string, signIn: {teamPassword: string, teamTotpKey: string}}} ws
 */
export async function turnOffTwoFactor(ff, ws) {
  await ff.go(`${ws.demo}/demo/login`);
  await ff.type('#email', TEAM_LOGIN);
  await ff.type('#password', ws.signIn.teamPassword);
  await ff.click('#sign-in button[type=submit]');
  await heading(ff, 'Two-step verification');
  // Latchkey may fill the same code first: typing clears the field.
  await ff.type('#otp', `${referenceTotp(ws.signIn.teamTotpKey)}\uE007`);
  await heading(ff, `Welcome, ${TEAM_LOGIN}`);
  await ff.go(`${ws.demo}/demo/account`);
  await ff.click('form[action="/demo/account/2fa/off"] button');
  await twoFactorIs(ff, 'Off');
}

/** The demo's account page (current tab) says two-factor is `state`. @param {Firefox} ff @param {string} state */
export const twoFactorIs = (ff, state) =>
  waitIn(
    ff,
    (s) => document.querySelector('#twofa-status')?.textContent?.includes(`Two-factor authentication: ${s}`),
    `two-factor ${state}`,
    state,
  );

/** Signs out at the demo (current tab). @param {Firefox} ff */
export async function signOut(ff) {
  await ff.click('form[action="/demo/logout"] button');
  await heading(ff, 'Sign in');
}

/**
 * The job's progress as the background keeps it (`storage.session`), read from the dashboard (the
 * current tab): Latchkey's own pages share the background's session storage.
 * @param {Firefox} ff @param {string} accountId @returns {Promise<any>}
 */
export const jobProgress = (ff, accountId) => ff.run(jobProgressAt, `automation:${accountId}`);

/**
 * Where the job's tab is and what its fields hold, injected by the extension from the dashboard
 * (the current tab), as Chromium's test does from the worker.
 * @param {Firefox} ff @param {string} accountId @returns {Promise<{url: string, values: string[]} | null>}
 */
export const jobTabFields = (ff, accountId) => ff.run(readJobTab, `automation:${accountId}`);

/**
 * A probe content script (packageWithProbe): on a `latchkey-probe` event it sends each message of
 * `asks` to the background, then reads every storage area it names, and answers both.
 */
export const ASKING_PROBE = `document.addEventListener('latchkey-probe', async (e) => {
  const { asks, areas } = JSON.parse(String(e.detail));
  const answers = [];
  for (const m of asks) answers.push(await chrome.runtime.sendMessage(m).catch((err) => ({ thrown: String(err) })));
  const read = [];
  for (const area of areas) {
    try {
      read.push(JSON.stringify(await chrome.storage?.[area]?.get(null)));
    } catch (err) {
      read.push(String(err));
    }
  }
  document.documentElement.dataset.probeReply = JSON.stringify({ asks: answers, read });
});
document.documentElement.dataset.probeReady = '1';
`;

// The dashboard's Automation Log.

/** The dashboard in a new tab (current after), once its Automation Log has loaded. @param {Firefox} ff */
export async function openLog(ff) {
  const handle = await ff.openExtensionPage(DASHBOARD_URL);
  await logLoaded(ff);
  return handle;
}

/** Waits for the Automation Log card to show and its first answer to come. @param {Firefox} ff */
export const logLoaded = (ff) =>
  waitIn(
    ff,
    () =>
      document.querySelector('#automation-log-card')?.hasAttribute('hidden') === false &&
      document.body.dataset.automationLog !== undefined,
    'the Automation Log',
  );

/** The shown jobs' ids, top to bottom. @param {Firefox} ff @returns {Promise<string[]>} */
export const shownJobs = (ff) =>
  ff.run(() =>
    [...document.querySelectorAll('#automation-log li.automation-job')].map(
      (e) => /** @type {HTMLElement} */ (e).dataset.jobId ?? '',
    ),
  );

/**
 * Waits until the log shows exactly `ids`, in that order.
 * @param {Firefox} ff @param {string[]} ids @param {string} what
 */
export const waitForJobs = (ff, ids, what) =>
  waitIn(
    ff,
    (want) =>
      JSON.stringify(
        [...document.querySelectorAll('#automation-log li.automation-job')].map(
          (e) => /** @type {HTMLElement} */ (e).dataset.jobId,
        ),
      ) === want,
    what,
    JSON.stringify(ids),
  );

/** The CSS of a job's row in the log. @param {string} jobId */
export const jobRow = (jobId) => `#automation-log li[data-job-id="${jobId}"]`;

/**
 * Waits until an element `css` says `text` (any of them, visible).
 * @param {Firefox} ff @param {string} css @param {string} text
 */
export const someSays = (ff, css, text) =>
  waitIn(
    ff,
    (c, x) => [...document.querySelectorAll(c)].some((e) => e.checkVisibility() && (e.textContent ?? '').includes(x)),
    `“${text}” in ${css}`,
    css,
    text,
  );

/**
 * Picks `value` in the log's filter `css` (a select), as choosing an option does: its change event.
 * @param {Firefox} ff @param {string} css @param {string} value
 */
export const pick = (ff, css, value) =>
  ff.run(
    (c, v) => {
      const select = /** @type {HTMLSelectElement} */ (document.querySelector(c));
      select.value = v;
      select.dispatchEvent(new Event('input', { bubbles: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
    },
    css,
    value,
  );
