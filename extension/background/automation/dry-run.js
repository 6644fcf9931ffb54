// @ts-check
/**
 * The dry run against a live page (docs/automations.md "A dry run against the app"): the same
 * checked plan as a job, in a background tab of its own, that changes nothing at the app and reads
 * nothing from it. `open` navigates (a GET); every other step only LOOKS for its element (page.js
 * `look`): `fill` and `click` check it is there, visible and enabled, and never fill or click;
 * `read` and `read-list` check it is there and read nothing; `when` is evaluated as the page is now.
 * No vault value is ever fetched, no job is queued at the server, no page text leaves the tab: the
 * answer is one word per step. Steps after the first `click` cannot be reached without acting (a
 * click may submit a form), so they are `not_reached`; so is everything after a sign-in form,
 * whose saved login is not filled.
 */
import * as files from './files.js';
import { look } from './page.js';
import * as progress from './progress.js';
import { Stop, arrived, blank, loaded, nextUpdate, ownedAccount } from './runner.js';

/** @typedef {import('../../pkg/latchkey_import.js').AutomationPlan} AutomationPlan */
/** @typedef {import('../../pkg/latchkey_import.js').AutomationStep} AutomationStep */
/** @typedef {import('../../types/protocol').DryRunView} DryRunView */
/** @typedef {DryRunView['steps'][number]['outcome']} Outcome */

/** The longest a dry-run step waits for its element to render (nothing the run does changes the page). */
const LOOK_MAX_S = 5;
/** How long one injected look waits before the worker checks the tab's address again. */
const SLICE_MS = 1000;

/** Accounts a dry run is under way for: one at a time per account. */
const checking = new Set();

/**
 * Checks the account's automation for `task` against the app at `origin` without acting there.
 * @param {string} accountId @param {string} task @param {string} origin
 * @returns {Promise<DryRunView>}
 */
export async function dryRun(accountId, task, origin) {
  if (checking.has(accountId)) throw new Error('Latchkey is already checking this automation against the app.');
  checking.add(accountId);
  /** @type {number | null} */
  let tabId = null;
  try {
    const a = await ownedAccount(accountId);
    if ((await progress.get(accountId))?.status === 'running')
      throw new Error('Latchkey is running a job for this account: check it against the app once the job ends.');
    const { plan, origin: base } = await files.planFor(a.sites, task, origin);
    const first = plan.steps[0];
    if (first.kind !== 'open' || !first.url || (await files.refusesPage(plan.site, first.url)))
      throw new Error('The automation’s first page is not on the app’s site.');
    const tab = await chrome.tabs.create({ url: first.url, active: false });
    if (tab.id === undefined) throw new Error('Latchkey could not open a tab for the check.');
    tabId = tab.id;
    return { app: plan.app, task: plan.task, origin: base, steps: await walk(tab.id, plan) };
  } finally {
    checking.delete(accountId);
    if (tabId !== null) await chrome.tabs.remove(tabId).catch(() => {});
  }
}

/**
 * Each step's outcome, in order.
 * @param {number} tabId @param {AutomationPlan} plan
 * @returns {Promise<DryRunView['steps']>}
 */
async function walk(tabId, plan) {
  /** @type {DryRunView['steps']} */
  const out = [];
  /** Why the steps from here on are not looked at: after a click, or the run stopped. */
  /** @type {Outcome | null} */
  let rest = null;
  let skipping = false;
  for (const step of plan.steps) {
    /** @param {Outcome} outcome */
    const row = (outcome) => out.push({ line: step.line, kind: step.kind, step: step.describe, outcome });
    if (rest) {
      row(rest);
      continue;
    }
    if (skipping) {
      if (step.kind === 'end') skipping = false;
      row('skipped');
      continue;
    }
    try {
      if (step.kind === 'end') row('found');
      else if (step.kind === 'open') {
        if (await files.refusesPage(plan.site, step.url ?? '')) throw new Stop('off_site');
        if (step !== plan.steps[0]) {
          const ok = await chrome.tabs.update(tabId, { url: step.url }).catch(() => null);
          if (!ok) throw new Stop('tab_closed');
        }
        const now = await arrived(tabId, step.timeoutS * 1000);
        if (await files.refusesPage(plan.site, now.url ?? '')) throw new Stop('off_site');
        row('opened');
      } else {
        const found = await lookInTab(tabId, plan, step);
        // A `when` whose element is not there now is not a fault: its block is skipped, as a job would.
        if (step.kind === 'when' && !found) skipping = true;
        row(found ? 'found' : step.kind === 'when' ? 'skipped' : 'missing');
        // Past a click the page is the one the click would have led to: not reachable without acting.
        if (step.kind === 'click') rest = 'not_reached';
      }
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      row(e.reason === 'off_site' ? 'off_site' : 'stopped');
      rest = 'not_reached';
    }
  }
  return out;
}

/**
 * Looks for one step's element in the tab until it is found or the dry run's wait is up; between
 * looks the tab's address is checked against the automation's site (off it: `off_site`).
 * @param {number} tabId @param {AutomationPlan} plan @param {AutomationStep} step
 */
async function lookInTab(tabId, plan, step) {
  const deadline = Date.now() + Math.min(step.timeoutS, LOOK_MAX_S) * 1000;
  const once = step.kind === 'when' || (step.kind === 'check' && step.condition === 'absent');
  for (;;) {
    await loaded(tabId, Math.max(0, deadline - Date.now()));
    const tab = await chrome.tabs.get(tabId).catch(() => null);
    if (!tab) throw new Stop('tab_closed');
    const url = tab.url ?? '';
    if (blank(url) && Date.now() < deadline) {
      await nextUpdate(tabId, Math.max(0, deadline - Date.now()));
      continue;
    }
    if (await files.refusesPage(plan.site, url)) throw new Stop('off_site');
    /** @type {{state: string} | null} */
    let answer = null;
    try {
      const [result] = await chrome.scripting.executeScript({
        target: { tabId, frameIds: [0] },
        func: look,
        args: [
          {
            origin: new URL(url).origin,
            kind: step.kind,
            selector: step.selector ?? '',
            condition: step.condition,
            text: step.text,
            waitMs: once ? 0 : Math.max(0, Math.min(SLICE_MS, deadline - Date.now())),
          },
        ],
      });
      answer = /** @type {any} */ (result?.result) ?? null;
    } catch {
      // The document went away under the call: look at the tab again.
      answer = null;
    }
    if (answer?.state === 'found') return true;
    if ((answer?.state === 'missing' && once) || Date.now() >= deadline) return false;
    // Not answered (a page between loads, or not one scripts run on): look again at its next update.
    if (!answer) await nextUpdate(tabId, Math.min(250, Math.max(0, deadline - Date.now())));
  }
}
