// @ts-check
/**
 * The automation job runner: an owner asks for a task on an account (Turn on MFA, Add the number
 * to the app, Turn on SMS MFA); the worker finds the packaged automation for the account's site,
 * has the core parse and check it into a plan for the app's address, queues the job with the
 * server (one job per account: its 409), opens a background tab of its own and runs the plan step
 * by step there, reporting each step and the end to the server (fixed words only).
 *
 * Rules (docs/automations.md, docs/security.md "Attacks through automations"):
 * - before every step the tab's address, as the browser reports it, is checked by the core's site
 *   rule; off the automation's site the job stops (`off_site`) before anything is filled there, and
 *   the injected function acts only at the origin checked just before (page.js);
 * - values are fetched by name here, in the worker, only for the step that fills them: the saved
 *   login from the vault, the new key's current code, the managed number, the code texted to it;
 * - the secret read from the page goes into the core and the vault at once (pending), and is
 *   confirmed at the first check that passes after its code was filled: never lost once the app
 *   may have accepted it; backup codes go into the account's Emergency controls;
 * - progress is kept in storage.session (progress.js): a worker stopped mid-job ends the job when
 *   it starts again (`runner_stopped`), saying the step it stopped at and where the new key is.
 */
import * as core from '../core.js';
import { stopping } from '../platform.js';
import * as inbox from '../sms/inbox.js';
import * as client from '../workspace/client.js';
import * as items from '../workspace/items.js';
import { userKeys } from '../workspace/unlock.js';
import * as vault from '../workspace/vault.js';
import * as files from './files.js';
import { act } from './page.js';
import * as progress from './progress.js';

/** @typedef {import('../../pkg/latchkey_import.js').AutomationPlan} AutomationPlan */
/** @typedef {import('../../pkg/latchkey_import.js').AutomationStep} AutomationStep */
/** @typedef {import('../workspace/vault.js').VaultAccount} VaultAccount */

/** How long one injected call waits for its element before the worker checks the tab again. */
const SLICE_MS = 1000;
/** How long after a click a navigation may take to start, if the click starts one. */
const CLICK_NAVIGATION_MS = 1500;

/** Why a job ends early: one of the server's reason words. */
export class Stop extends Error {
  /** @param {string} reason */
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

/** Jobs this worker life runs: any other job marked running was left by a stopped worker. */
const running = new Set();
/** Accounts a start is under way for, so that two clicks in one worker make one job. */
const starting = new Set();

/** @param {string} accountId */
export async function ownedAccount(accountId) {
  const a = (await vault.accounts()).find((x) => x.accountId === accountId);
  if (!a) throw new Error('That account is not in your vault.');
  if (a.role !== 'owner') throw new Error('Only the account’s owners may let Latchkey change its settings at the app.');
  return a;
}

/**
 * What the dashboard shows for an account: the tasks its app has automations for, and the job
 * this browser ran or runs last for it.
 * @param {string} accountId
 */
export async function status(accountId) {
  // A recent copy of the vault: the dashboard asks every half second while a job runs.
  const a = (await vault.accountsForFill()).find((x) => x.accountId === accountId);
  if (!a) throw new Error('That account is not in your vault.');
  const available = a.role === 'owner' ? await files.forSites(a.sites) : [];
  const login = a.items.find((i) => i.summary.kind === 'login');
  // Where the app is, as the owner saved it: a login's site written as an address, else HTTPS on
  // the first site of the account's sealed record (the server's plaintext site only for display).
  const saved = login?.summary.sites.find((s) => /^https?:\/\//.test(s));
  return {
    available: available.map((x) => ({ task: x.task, app: x.app })),
    origin: saved ? new URL(saved).origin : `https://${a.sites?.[0] ?? a.site}`,
    managedNumber: a.phoneNumber !== null,
    job: await progress.get(accountId),
  };
}

/**
 * Starts a job; resolves once it is queued and its tab is opening, with its id.
 * @param {string} accountId @param {string} task @param {string} origin where the app is (the dialog's address)
 */
export async function start(accountId, task, origin) {
  if (starting.has(accountId)) throw new Error('Latchkey is already starting a job for this account.');
  starting.add(accountId);
  try {
    await userKeys();
    const a = await ownedAccount(accountId);
    const before = await progress.get(accountId);
    if (before?.status === 'running')
      throw new Error('Latchkey is already running a job for this account: wait for it to end.');
    const { plan } = await files.planFor(a.sites, task, origin);
    /** @type {{id: string}} */
    let job;
    try {
      job = /** @type {{id: string}} */ (
        await client.request('POST', `/accounts/${encodeURIComponent(accountId)}/automations`, { task })
      );
    } catch (e) {
      if (e && typeof e === 'object' && 'code' in e && e.code === 'conflict')
        throw new Error('A job is already running for this account: wait for it to end.');
      throw e;
    }
    /** @type {progress.Progress} */
    const p = {
      jobId: job.id,
      accountId,
      task,
      tabId: null,
      status: 'running',
      line: plan.steps[0].line,
      step: 'starting',
      secret: 'none',
      backupCodes: 0,
      reason: null,
      startedAt: Date.now(),
    };
    await progress.put(p);
    running.add(job.id);
    void run(p, plan).finally(() => running.delete(job.id));
    return { jobId: job.id };
  } finally {
    starting.delete(accountId);
  }
}

/**
 * Ends the jobs a stopped worker left running (called when the worker starts): the step it was
 * at is reported failed with `runner_stopped`, the job needs attention, and the new key (if read)
 * stays in the vault as pending.
 */
export async function recover() {
  for (const p of await progress.all()) {
    if (p.status !== 'running' || running.has(p.jobId)) continue;
    await end(p, 'runner_stopped', true);
  }
}

/** @param {string} jobId @param {object} body */
async function report(jobId, body) {
  try {
    await client.request('POST', `/automations/${encodeURIComponent(jobId)}/steps`, body);
  } catch (e) {
    // The job goes on: the log misses a step, the page is unchanged by it.
    console.error('Latchkey: a job step was not logged:', e instanceof Error ? e.message : 'error');
  }
}

/**
 * Ends a job: the server's record (`needs_attention` when the app may hold a new key Latchkey
 * could not confirm, or the job stopped without knowing where the app is), then this browser's.
 * @param {progress.Progress} p @param {string | null} reason @param {boolean} [failedStep] report the step as failed
 */
async function end(p, reason, failedStep = false) {
  const unknown = reason === 'tab_closed' || reason === 'runner_stopped' || p.secret === 'pending';
  const statusWord = reason === null ? 'succeeded' : unknown ? 'needs_attention' : 'failed';
  if (failedStep && reason) await report(p.jobId, { line: p.line, kind: stepKindAt(p), outcome: 'failed', reason });
  try {
    await client.request('POST', `/automations/${encodeURIComponent(p.jobId)}/finish`, {
      status: statusWord,
      ...(reason ? { reason } : {}),
    });
  } catch (e) {
    console.error('Latchkey: the job’s end was not logged:', e instanceof Error ? e.message : 'error');
  }
  Object.assign(p, { status: statusWord, reason, endedAt: Date.now() });
  await progress.put(p);
}

/** The step kind kept with the progress (its first word). @param {progress.Progress} p */
function stepKindAt(p) {
  return p.kind ?? 'open';
}

/**
 * Waits until the tab has finished loading (or `ms` passed). A removed tab ends the job.
 * @param {number} tabId @param {number} ms
 */
export async function loaded(tabId, ms) {
  const tab = await chrome.tabs.get(tabId).catch(() => null);
  if (!tab) throw new Stop('tab_closed');
  if (tab.status === 'complete') return;
  await new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    /** @param {number} id @param {chrome.tabs.OnUpdatedInfo} info */
    function onUpdated(id, info) {
      if (id === tabId && info.status === 'complete') done();
    }
    /** @param {number} id */
    function onRemoved(id) {
      if (id === tabId) done();
    }
    function done() {
      clearTimeout(timer);
      chrome.tabs.onUpdated.removeListener(onUpdated);
      chrome.tabs.onRemoved.removeListener(onRemoved);
      resolve(undefined);
    }
    chrome.tabs.onUpdated.addListener(onUpdated);
    chrome.tabs.onRemoved.addListener(onRemoved);
    // It may have finished between the check above and the listeners.
    chrome.tabs.get(tabId).then(
      (t) => t.status === 'complete' && done(),
      () => done(),
    );
  });
}

/**
 * The blank page a new tab starts on, and the one an unloaded tab shows: not yet anywhere.
 * @param {string | undefined} url
 */
export const blank = (url) => !url || url === 'about:blank';

/**
 * Waits until the tab, after an `open`, has loaded a page other than the blank one it starts on
 * (the new tab's own blank load may report after the navigation was asked for), or `ms` passed;
 * resolves with the tab as the browser reports it. A removed tab ends the job.
 * @param {number} tabId @param {number} ms @returns {Promise<chrome.tabs.Tab>}
 */
export async function arrived(tabId, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    await loaded(tabId, Math.max(0, deadline - Date.now()));
    const tab = await chrome.tabs.get(tabId).catch(() => null);
    if (!tab) throw new Stop('tab_closed');
    if ((tab.status === 'complete' && !blank(tab.url)) || Date.now() >= deadline) return tab;
    // A background tab the browser left unloaded loads when asked to.
    if (tab.status === 'unloaded') await chrome.tabs.reload(tabId).catch(() => {});
    await nextUpdate(tabId, Math.max(0, deadline - Date.now()));
  }
}

/** Resolves at the tab's next update (or after `ms`). @param {number} tabId @param {number} ms */
export function nextUpdate(tabId, ms) {
  return new Promise((resolve) => {
    /** @param {number} id */
    const onUpdated = (id) => {
      if (id === tabId) done();
    };
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      chrome.tabs.onUpdated.removeListener(onUpdated);
      resolve(undefined);
    }
    chrome.tabs.onUpdated.addListener(onUpdated);
  });
}

/**
 * Whether a navigation starts in the tab within `ms` (after a click that may submit a form).
 * The listener is in place before the click: `started()` is called after it.
 * @param {number} tabId
 */
function watchNavigation(tabId) {
  let seen = false;
  /** @type {(() => void) | null} */
  let wake = null;
  /** @param {number} id @param {chrome.tabs.OnUpdatedInfo} info */
  const onUpdated = (id, info) => {
    if (id === tabId && (info.status === 'loading' || info.url)) {
      seen = true;
      wake?.();
    }
  };
  chrome.tabs.onUpdated.addListener(onUpdated);
  return {
    /** @param {number} ms */
    started: (ms) =>
      new Promise((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          chrome.tabs.onUpdated.removeListener(onUpdated);
          resolve(seen);
        };
        const timer = setTimeout(finish, seen ? 0 : ms);
        wake = finish;
      }),
  };
}

/**
 * Runs one step's page part in the job's tab until it is done or its time is up. Between calls,
 * the tab's address is checked against the automation's site: off it, the job stops.
 * @param {number} tabId @param {AutomationPlan} plan @param {AutomationStep} step @param {string} [value]
 * @returns {Promise<{state: string, text?: string, texts?: string[]}>}
 */
async function inTab(tabId, plan, step, value) {
  const deadline = Date.now() + step.timeoutS * 1000;
  for (;;) {
    await loaded(tabId, Math.max(0, deadline - Date.now()));
    const tab = await chrome.tabs.get(tabId).catch(() => null);
    if (!tab) throw new Stop('tab_closed');
    const url = tab.url ?? '';
    if (blank(url) && Date.now() < deadline) {
      // Between pages: nothing to act on yet, and nothing is sent.
      await nextUpdate(tabId, Math.max(0, deadline - Date.now()));
      continue;
    }
    if (await files.refusesPage(plan.site, url)) throw new Stop('off_site');
    const once = step.kind === 'when' || (step.kind === 'check' && step.condition === 'absent');
    const waitMs = once ? 0 : Math.max(0, Math.min(SLICE_MS, deadline - Date.now()));
    /** @type {{state: string, text?: string, texts?: string[]} | null} */
    let answer = null;
    try {
      const [result] = await chrome.scripting.executeScript({
        target: { tabId, frameIds: [0] },
        func: act,
        args: [
          {
            origin: new URL(url).origin,
            kind: step.kind,
            selector: step.selector ?? '',
            value,
            condition: step.condition,
            text: step.text,
            waitMs,
          },
        ],
      });
      answer = /** @type {any} */ (result?.result) ?? null;
    } catch {
      // The document went away under the call (a navigation): look at the tab again.
      answer = null;
    }
    if (answer && (answer.state === 'done' || answer.state === 'failed' || once)) return answer;
    if (Date.now() >= deadline) return answer ?? { state: 'missing' };
  }
}

/**
 * The value a `fill` step names, fetched now, in the worker.
 * @param {VaultAccount} a @param {string | undefined} name @param {{uri: string | null, inboxAfter: number}} job
 * @param {number} timeoutS
 */
async function vaultValue(a, name, job, timeoutS) {
  const login = a.items.find((i) => i.summary.kind === 'login');
  switch (name) {
    case 'username':
      if (!login?.summary.username) throw new Stop('no_saved_login');
      return login.summary.username;
    case 'password': {
      if (!login) throw new Stop('no_saved_login');
      const { vault: store } = await userKeys().catch(() => {
        throw new Stop('vault_locked');
      });
      return store.revealSecret(a.accountId, a.generation, login.sealed, 'password');
    }
    case 'new-code':
      if (!job.uri) throw new Stop('secret_unreadable');
      return core.code(job.uri, core.now()).code;
    case 'managed-number':
      if (!a.phoneNumber) throw new Stop('no_managed_number');
      return a.phoneNumber;
    case 'sms-code': {
      const deadline = Date.now() + timeoutS * 1000;
      let after = job.inboxAfter;
      while (Date.now() < deadline) {
        const wait = Math.max(1, Math.min(20, Math.ceil((deadline - Date.now()) / 1000)));
        const r = await inbox.wait(await vault.accountsForFill(), { account: a.accountId, after, timeout: wait });
        const found = r.messages.filter((m) => m.found).at(-1);
        if (found?.found) return found.found.code;
        after = Math.max(after, r.last);
      }
      throw new Stop('no_texted_code');
    }
    default:
      throw new Stop('automation_invalid');
  }
}

/**
 * Runs a queued job to its end.
 * @param {progress.Progress} p @param {AutomationPlan} plan
 */
async function run(p, plan) {
  /** @type {{uri: string | null, inboxAfter: number}} */
  const job = { uri: null, inboxAfter: 0 };
  /** Selectors the saved password was filled into: still there after a failure, it was refused. */
  const passwordFields = [];
  let proofPending = false;
  let skipping = false;
  /** @param {AutomationStep} step */
  const at = async (step) => {
    Object.assign(p, { line: step.line, step: step.describe, kind: step.kind });
    await progress.put(p);
  };
  try {
    let a = await ownedAccount(p.accountId);
    if (plan.steps.some((s) => s.value === 'sms-code')) {
      job.inboxAfter = (await inbox.read(await vault.accountsForFill(), { account: a.accountId })).last;
    }
    // The tab opens on the first step's page (every plan starts with an `open`, checked first): a
    // background tab made blank and sent elsewhere afterwards was sometimes left unloaded.
    const first = plan.steps[0];
    if (first.kind !== 'open' || !first.url || (await files.refusesPage(plan.site, first.url)))
      throw new Stop('off_site');
    const tab = await chrome.tabs.create({ url: first.url, active: false });
    if (tab.id === undefined) throw new Stop('tab_closed');
    const tabId = tab.id;
    p.tabId = tabId;
    await progress.put(p);
    for (const step of plan.steps) {
      await at(step);
      if (skipping) {
        if (step.kind === 'end') skipping = false;
        await report(p.jobId, { line: step.line, kind: step.kind, outcome: 'skipped' });
        continue;
      }
      if (step.kind === 'end') {
        await report(p.jobId, { line: step.line, kind: 'end', outcome: 'ok' });
        continue;
      }
      if (step.kind === 'open') {
        const url = step.url ?? '';
        if (await files.refusesPage(plan.site, url)) throw new Stop('off_site');
        if (step !== first) {
          const ok = await chrome.tabs.update(tabId, { url }).catch(() => null);
          if (!ok) throw new Stop('tab_closed');
        }
        const now = await arrived(tabId, step.timeoutS * 1000);
        if (await files.refusesPage(plan.site, now.url ?? '')) throw new Stop('off_site');
        await report(p.jobId, { line: step.line, kind: 'open', outcome: 'ok' });
        continue;
      }
      const value = step.kind === 'fill' ? await vaultValue(a, step.value, job, step.timeoutS) : undefined;
      const navigation = step.kind === 'click' ? watchNavigation(tabId) : null;
      const answer = await inTab(tabId, plan, step, value);
      if (step.kind === 'when') {
        const present = answer.state === 'done';
        if (!present) skipping = true;
        await report(p.jobId, { line: step.line, kind: 'when', outcome: present ? 'ok' : 'skipped' });
        continue;
      }
      if (answer.state !== 'done') {
        let reason = step.kind === 'check' ? 'check_failed' : 'element_missing';
        if (step.kind === 'check' && proofPending) reason = 'app_refused_code';
        else if (await passwordRefused(tabId, plan, passwordFields)) reason = 'wrong_password';
        throw new Stop(reason);
      }
      if (navigation && (await navigation.started(CLICK_NAVIGATION_MS))) await loaded(tabId, step.timeoutS * 1000);
      if (step.kind === 'fill' && step.value === 'password' && step.selector) passwordFields.push(step.selector);
      if (step.kind === 'fill' && step.value === 'new-code') proofPending = true;
      if (step.kind === 'read') {
        let uri;
        try {
          uri = (await describeKey(answer.text ?? '')).uri;
        } catch {
          throw new Stop('secret_unreadable');
        }
        job.uri = uri;
        // Into the vault before its code is typed: once the app may take it, it is never lost.
        await items.keepReadKey(a.accountId, uri, true);
        p.secret = 'pending';
        await progress.put(p);
      }
      if (step.kind === 'read-list') {
        const codes = answer.texts ?? [];
        if (!codes.length) throw new Stop('element_missing');
        await items.saveBackupCodes(a.accountId, codes.join('\n'));
        p.backupCodes = codes.length;
        await progress.put(p);
      }
      if (step.kind === 'check' && proofPending) {
        // The app took the code: the key it derives from is the account's now.
        proofPending = false;
        if (job.uri) await items.keepReadKey(a.accountId, job.uri, false);
        p.secret = 'confirmed';
        await progress.put(p);
        a = await ownedAccount(p.accountId);
      }
      await report(p.jobId, { line: step.line, kind: step.kind, outcome: 'ok' });
    }
    await end(p, null);
    if (p.tabId !== null) await chrome.tabs.remove(p.tabId).catch(() => {});
  } catch (e) {
    // Stopped by the browser, its calls fail (a tab looks closed): the job is left running, and
    // ended as `runner_stopped` at the next start (recover), which is what happened to it.
    if (await stopping()) return;
    const reason = e instanceof Stop ? e.reason : reasonOf(e);
    if (!(e instanceof Stop)) console.error('Latchkey: a job stopped:', e instanceof Error ? e.message : 'error');
    await end(p, reason, true);
  }
}

/** A thrown error that is not a Stop, in the server's words. @param {unknown} e */
function reasonOf(e) {
  const text = e instanceof Error ? e.message : '';
  if (/locked/i.test(text)) return 'vault_locked';
  return 'cancelled';
}

/** The key read from the page, parsed by the core (never kept anywhere else). @param {string} text */
async function describeKey(text) {
  await core.ready();
  const d = core.describe(text.replace(/\s+/g, ''));
  if (d.kind !== 'totp') throw new Error('not a time-based key');
  return d;
}

/**
 * After a failed step: is a field the saved password was filled into still on the page? The app
 * then refused the password (it asks for it again).
 * @param {number} tabId @param {AutomationPlan} plan @param {string[]} selectors
 */
async function passwordRefused(tabId, plan, selectors) {
  for (const selector of selectors) {
    const answer = await inTab(tabId, plan, { line: 0, kind: 'when', selector, timeoutS: 1, describe: '' }).catch(
      () => null,
    );
    if (answer?.state === 'done') return true;
  }
  return false;
}
