// @ts-check
// The automation runner's scenarios (tests/e2e/abuse-automation.test.mjs, automation.test.mjs,
// automation-dry-run.test.mjs) and what Latchkey must answer: shared by Chromium's tests and
// Firefox's tests/e2e-firefox/ twins. The server-side reads (jobs, steps) go through the API and are
// the same for both browsers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { waitFor } from '../harness.mjs';
import { api } from '../workspace.mjs';

/**
 * In the dashboard: watches its account list, counting how often it is drawn again and how often a
 * row was on the page before its parts had what they fetch (its phone part still only a title).
 * The counts are kept on the list (`data-*`): a WebDriver script's globals do not outlive it.
 */
export const watchReloads = () => {
  const list = /** @type {HTMLElement} */ (document.getElementById('sharing'));
  list.dataset.lists = '0';
  list.dataset.bare = '0';
  const bump = (/** @type {'lists' | 'bare'} */ k) => {
    list.dataset[k] = String(Number(list.dataset[k]) + 1);
  };
  new MutationObserver((changes) => {
    if (changes.some((c) => c.target === list && c.type === 'childList')) bump('lists');
    for (const li of list.querySelectorAll(':scope > li')) {
      if ((li.querySelector('.phone')?.childElementCount ?? 0) <= 1) bump('bare');
    }
  }).observe(list, { childList: true, subtree: true });
};
export const seenReloads = () => {
  const list = /** @type {HTMLElement} */ (document.getElementById('sharing'));
  return { lists: Number(list.dataset.lists), bare: Number(list.dataset.bare) };
};

/**
 * A job's end draws the list again (waited for: it follows the status line), and no row showed
 * before its parts. @param {() => Promise<{lists: number, bare: number}>} read `seenReloads` in the page
 */
export async function assertNoBareRows(read) {
  const seen = await waitFor(async () => {
    const s = await read();
    return s.lists >= 1 ? s : null;
  }, 'the list to be drawn again');
  assert.equal(seen.bare, 0, 'no row was shown without what its parts fetch (its buttons, its number)');
}

/** The demo's shared account the jobs run on, and its login at the demo app. */
export const TEAM = 'Northwind Cloud team';
export const TEAM_LOGIN = 'team@northwind.test';

/** @typedef {{server: string}} Server */

/** The team account's id. @param {Server} ws @param {string} token @returns {Promise<string>} */
export async function teamAccount(ws, token) {
  const [account] = (await api(ws.server, token, 'GET', '/accounts')).accounts.filter(
    (/** @type {{name: string}} */ a) => a.name === TEAM,
  );
  return account.id;
}

/**
 * The team account's id and the jobs the server keeps for it, newest first.
 * @param {Server} ws @param {string} token
 */
export async function teamJobs(ws, token) {
  const accountId = await teamAccount(ws, token);
  const { jobs } = await api(ws.server, token, 'GET', `/automations?account=${accountId}`);
  return { accountId, jobs: /** @type {any[]} */ (jobs) };
}

/**
 * Waits for the team's newest job to end; returns it with its steps.
 * @param {Server} ws @param {string} token @param {number} count how many jobs there are by then
 * @returns {Promise<{job: any, steps: any[]}>}
 */
export async function endedJob(ws, token, count) {
  const job = await waitFor(
    async () => {
      const { jobs } = await teamJobs(ws, token);
      return jobs.length === count && !['queued', 'running'].includes(jobs[0].status) ? jobs[0] : null;
    },
    'the job to end',
    90_000,
  );
  return api(ws.server, token, 'GET', `/automations/${job.id}`);
}

/** A job's steps as [kind, outcome, reason]. @param {any[]} steps */
export const stepTriples = (steps) =>
  steps.map((/** @type {{kind: string, outcome: string, reason: string | null}} */ s) => [s.kind, s.outcome, s.reason]);

// abuse-automation: a redirect off the app's site.

/** The job redirected off the app's site: failed at its first step, and what the dashboard says. */
export const OFF_SITE_JOB = { status: 'failed', reason: 'off_site', steps: [['open', 'failed', 'off_site']] };
export const OFF_SITE_SAYS = 'sent the job’s tab to another site';

/**
 * Page-side: where the job's tab is and what its fields hold (injected into it by the extension,
 * from the worker in Chromium, from the dashboard in Firefox).
 */
export const tabFields = () => ({
  url: location.href,
  values: [...document.querySelectorAll('input')].map((i) => i.value),
});

/**
 * Extension-side (the worker in Chromium, the dashboard in Firefox: both reach the background's
 * session storage and `scripting`): `tabFields` injected into the job's tab, named by its progress
 * under `key`. Built from source so that `tabFields` goes in whole (the extension's CSP allows no
 * eval where it runs).
 * @type {(key: string) => Promise<{url: string, values: string[]} | null>}
 */
export const readJobTab = /** @type {any} */ (
  new Function(
    'key',
    `return chrome.storage.session.get(key).then((got) => chrome.scripting.executeScript({
      target: { tabId: got[key].tabId }, func: ${tabFields} })).then(([r]) => r.result);`,
  )
);

/** The stolen page's fields, empty: nothing was filled there. */
export const EMPTY_FIELDS = ['', ''];

// abuse-automation: a web page (a content script taken over) asking.

/**
 * What a content script of the app's site asks while a job runs: start a job, a dry run, read the
 * job's progress, every code. None may be answered `ok`.
 * @param {string} accountId @param {string} origin the page's own origin
 */
export const pageAsks = (accountId, origin) => [
  { type: 'ws-automation-start', accountId, task: 'turn-on-totp', origin },
  { type: 'ws-automation-dry-run', accountId, task: 'turn-on-totp', origin },
  { type: 'ws-automation-tasks', accountId },
  { type: 'codes' },
];

/** The storage areas it then tries to read: no job progress (`automation:…`) may be in them. */
export const STORAGE_AREAS = ['session', 'local', 'sync'];
export const PROGRESS_PREFIX = 'automation:';

// automation: the job and its failures, as the dashboard says them.

export const SAYS = {
  turnedOn: 'MFA is on.',
  backupSaved: 'The app’s 10 backup codes are saved in Emergency controls.',
  changed: 'The app’s page has changed',
  wrongPassword: 'The app refused the saved password.',
  tabClosed: 'The job’s tab was closed',
  pending: 'marked pending',
  stopped: 'stopped by the browser',
  numberAdded: 'The managed number is added to the app',
  smsOn: 'SMS MFA is on',
};

/** The password the team login's is changed to at the demo, which Latchkey never saw. */
export const CHANGED_PASSWORD = 'a password Latchkey never saw';

/** How many backup codes the demo shows, and the least number of steps the turn-on-totp job logs. */
export const BACKUP_CODES = 10;
export const MIN_TOTP_STEPS = 10;

// automation-dry-run: the steps of the packaged automation, by line.

const FILE = new URL('../../../extension/automations/demo-turn-on-totp.automation', import.meta.url);

/** The automation file's line that starts with `start` (1-based), read from the file itself. @param {string} start */
export function lineOf(start) {
  const i = readFileSync(FILE, 'utf8')
    .split('\n')
    .findIndex((l) => l.trim().startsWith(start));
  if (i < 0) throw new Error(`no line starts with ${start}`);
  return i + 1;
}

/** @typedef {{line: number, kind: string, outcome: string}} Row */

/** Page-side: the dry run's list of steps in the dialog, once shown (null before). */
export const dryRunRows = () => {
  const list = document.querySelector('ol[aria-label="Steps checked"]');
  if (!list || /** @type {HTMLElement} */ (list).hidden) return null;
  return [...list.querySelectorAll('li')].map((li) => ({
    line: Number(li.getAttribute('data-line')),
    kind: (li.textContent ?? '').split(' · ')[1],
    outcome: li.getAttribute('data-outcome') ?? '',
  }));
};

/** @param {Row[]} rows @param {number} line */
export const outcomeAt = (rows, line) => rows.find((r) => r.line === line)?.outcome;

/**
 * What each dry run must find, by the line's start: signed in at the demo; signed out; on the
 * stand-in app without the key's element (`changed`); on the stand-in that reports every event
 * (`watched`). `absent`: no row may say `missing`.
 * @type {Record<string, {expect: Array<[string, string]>, absent?: string}>}
 */
export const DRY_RUNS = {
  signedIn: {
    expect: [
      ['open /demo/account/2fa', 'opened'],
      ['when #email', 'skipped'],
      ['read #secret', 'found'],
      ['fill #code', 'found'],
      ['click "#confirm', 'found'],
      ['check #backup-codes', 'not_reached'],
      ['read-list', 'not_reached'],
      ['click #backup-codes-saved', 'not_reached'],
      ['check #twofa-status', 'not_reached'],
    ],
    absent: 'missing',
  },
  signedOut: {
    expect: [
      ['when #email', 'found'],
      ['fill #email', 'found'],
      ['fill #password', 'found'],
      ['click "#sign-in', 'found'],
      ['when #reauth-password', 'not_reached'],
      ['read #secret', 'not_reached'],
      ['fill #code', 'not_reached'],
      ['check #twofa-status', 'not_reached'],
    ],
  },
  changed: {
    expect: [
      ['read #secret', 'missing'],
      ['fill #code', 'missing'],
      ['check #twofa-status', 'not_reached'],
    ],
  },
  watched: {
    expect: [
      ['read #secret', 'found'],
      ['fill #code', 'found'],
      ['click "#confirm', 'found'],
      ['check #backup-codes', 'not_reached'],
    ],
  },
};

/**
 * Asserts a dry run's rows are what `DRY_RUNS[name]` expects.
 * @param {Row[]} rows @param {keyof typeof DRY_RUNS} name
 */
export function assertDryRun(rows, name) {
  const { expect, absent } = DRY_RUNS[name];
  for (const [start, outcome] of expect)
    assert.equal(outcomeAt(rows, lineOf(start)), outcome, `${start}: ${JSON.stringify(rows)}`);
  if (absent) assert.ok(!rows.some((r) => r.outcome === absent), JSON.stringify(rows));
}

// automation: what the tests ask the background from Latchkey's dashboard (extension-side, the
// same in both browsers).

/**
 * The job's progress as the background keeps it (`storage.session`).
 * @param {string} key `automation:ACCOUNT` @returns {Promise<any>}
 */
export const jobProgressAt = async (key) => (await chrome.storage.session.get(key))[key] ?? null;

/**
 * The dashboard's view of the account's job and the account's current code (the new key, once read).
 * @param {string} accountId
 */
export const pendingKeyState = async (accountId) => {
  const view = await chrome.runtime.sendMessage({ type: 'ws-automation-tasks', accountId });
  const { codes } = await chrome.runtime.sendMessage({ type: 'codes' });
  return {
    secret: /** @type {string} */ (view.job.secret),
    codes: /** @type {Array<{id: string, code: string}>} */ (
      codes.filter((/** @type {{id: string}} */ c) => c.id === `ws:${accountId}`)
    ),
  };
};

/**
 * Two clicks at once: two starts of the same task sent together; resolves with both replies.
 * @param {{accountId: string, origin: string}} o
 */
export const twoStartsAtOnce = async ({ accountId, origin }) => {
  const ask = () =>
    chrome.runtime.sendMessage({ type: 'ws-automation-start', accountId, task: 'turn-on-totp', origin });
  return /** @type {Array<{ok: boolean}>} */ (await Promise.all([ask(), ask()]));
};

/**
 * A second start at the server while a job runs: the status it answers (409).
 * @param {Server} ws @param {string} token @param {string} accountId
 */
export async function secondStartAtServer(ws, token, accountId) {
  const refusal = await fetch(`${ws.server}/api/v1/accounts/${accountId}/automations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ task: 'turn-on-totp' }),
  });
  return refusal.status;
}
