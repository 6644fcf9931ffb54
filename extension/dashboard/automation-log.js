// @ts-check
/**
 * The Automation Log, for every trusted member: each job of the accounts they read (newest first)
 * with its account, what it does, who started it, when and its status; opened, each step's line,
 * kind and outcome, with the reason as a sentence to act on, and for a job that needs attention,
 * where it stopped. Filters by account and status. While a job shown is queued or running the
 * list is asked again every few seconds, and not at all while the page is hidden.
 *
 * The worker checked every word against automation-words.js, the one table of what they say;
 * everything still goes on the page with textContent only.
 */
import { byId, el, showError } from '../popup/dom.js';
import { ask, message, status } from '../pages/ask.js';
import { OUTCOMES, REASONS, STATUSES, STEP_KINDS, TASKS } from '../pages/automation-words.js';

/** @typedef {import('../types/protocol').AutomationJobView} Job */
/** @typedef {import('../types/protocol').AutomationStepView} Step */

/** How often a queued or running job is asked about again. */
const POLL_MS = 4000;
/** Status badges, in the dashboard's existing colours. @type {Record<Job['status'], string>} */
const BADGE = {
  queued: 'pending',
  running: 'pending',
  needs_attention: 'disabled',
  succeeded: 'approved',
  failed: 'disabled',
};

const errorBox = byId('automation-log-error');
const accountSelect = /** @type {HTMLSelectElement} */ (byId('automation-log-account'));
const statusSelect = /** @type {HTMLSelectElement} */ (byId('automation-log-status'));

/** The jobs whose steps are shown. @type {Set<string>} */
const opened = new Set();
/** Bumped by every load, so that an older answer never replaces a newer one. */
let generation = 0;
/** @type {ReturnType<typeof setTimeout> | null} */
let timer = null;
/** Whether the last load showed a queued or running job. */
let live = false;

/** @param {number} unix */
function when(unix) {
  return new Date(unix * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** @param {Job} j */
function unfinished(j) {
  return j.status === 'queued' || j.status === 'running';
}

/** @param {string} value @param {string} label */
function option(value, label) {
  const o = el('option', '', label);
  o.value = value;
  return o;
}

/** One step: its line, kind and outcome, and the reason's sentence. @param {Step} s */
function stepItem(s) {
  const li = el('li', `automation-step ${s.outcome}`);
  li.dataset.line = String(s.line);
  li.append(el('span', 'step-what', `Line ${s.line} · ${STEP_KINDS[s.kind]} · ${OUTCOMES[s.outcome]}`));
  if (s.reason) li.append(el('span', 'step-why', REASONS[s.reason]));
  return li;
}

/**
 * Where a job that did not succeed stopped: its first failed step, else its last one.
 * @param {Job} j @param {Step[]} steps
 */
function stoppedAt(j, steps) {
  if (j.status !== 'needs_attention' && j.status !== 'failed') return null;
  const at = steps.find((s) => s.outcome === 'failed') ?? steps.at(-1);
  if (!at) return el('p', 'warn-text', 'It stopped before its first step.');
  return el('p', 'warn-text', `It stopped at line ${at.line} (${STEP_KINDS[at.kind]}).`);
}

/** Shows (or asks again for) a job's steps in `box`. @param {Job} j @param {HTMLElement} box */
async function showSteps(j, box) {
  try {
    const { job, steps } = await ask('ws-automation', { jobId: j.id });
    const list = el('ol', 'automation-steps');
    list.setAttribute('aria-label', `Steps of ${TASKS[job.task]} on ${job.accountName || 'this account'}`);
    list.append(...steps.map(stepItem));
    const parts = [];
    const stop = stoppedAt(job, steps);
    if (stop) parts.push(stop);
    parts.push(steps.length ? list : el('p', 'hint', 'No step has run yet.'));
    box.replaceChildren(...parts);
  } catch (e) {
    box.replaceChildren(el('p', 'error', message(e)));
  }
}

/** One job: what, on which account, its status, who and when; its steps when opened. @param {Job} j */
function jobItem(j) {
  const li = el('li', 'device automation-job');
  li.dataset.jobId = j.id;
  li.dataset.status = j.status;
  const account = j.accountName || 'An account you no longer read';
  const head = el('div', 'device-head');
  const who = el('div', 'who');
  who.append(el('span', 'name', `${TASKS[j.task]} · ${account}`));
  who.append(
    el(
      'span',
      'meta',
      `Started by ${j.startedByName || 'a former member'} · ${when(j.createdAt)}` +
        (j.finishedAt === null ? '' : ` · ended ${when(j.finishedAt)}`),
    ),
  );
  head.append(who, el('span', `status ${BADGE[j.status]}`, STATUSES[j.status]));
  li.append(head);
  if (j.reason) li.append(el('p', j.status === 'succeeded' ? 'hint' : 'warn-text', REASONS[j.reason]));
  const steps = el('div', 'stack');
  const toggle = el('button', 'button small secondary', 'Show steps');
  toggle.type = 'button';
  toggle.setAttribute('aria-label', `Steps of ${TASKS[j.task]} on ${account}, started ${when(j.createdAt)}`);
  const open = () => {
    toggle.textContent = 'Hide steps';
    toggle.setAttribute('aria-expanded', 'true');
    steps.hidden = false;
    void showSteps(j, steps);
  };
  toggle.setAttribute('aria-expanded', 'false');
  steps.hidden = true;
  toggle.addEventListener('click', () => {
    if (opened.has(j.id)) {
      opened.delete(j.id);
      toggle.textContent = 'Show steps';
      toggle.setAttribute('aria-expanded', 'false');
      steps.hidden = true;
    } else {
      opened.add(j.id);
      open();
    }
  });
  const actions = el('div', 'actions start');
  actions.append(toggle);
  li.append(actions, steps);
  if (opened.has(j.id)) open();
  return li;
}

/**
 * The account filter: every account this person reads (the server refuses any other).
 * @param {Array<{id: string, name: string}>} accounts
 */
function fillAccounts(accounts) {
  const chosen = accountSelect.value;
  const sorted = [...accounts].sort((a, b) => a.name.localeCompare(b.name));
  accountSelect.replaceChildren(option('', 'All accounts'), ...sorted.map((a) => option(a.id, a.name)));
  accountSelect.value = sorted.some((a) => a.id === chosen) ? chosen : '';
}

function schedule() {
  if (timer) clearTimeout(timer);
  timer = null;
  if (live && !document.hidden) timer = setTimeout(() => void load(), POLL_MS);
}

/** Asks for the jobs under the filters and draws them. */
async function load() {
  const mine = ++generation;
  const filters = { account: accountSelect.value || null, status: statusSelect.value || null };
  try {
    const { jobs, accounts } = await ask('ws-automations', filters);
    if (mine !== generation) return;
    showError(errorBox, null);
    fillAccounts(accounts);
    const empty = byId('automation-log-empty');
    empty.textContent =
      filters.account || filters.status
        ? 'No job matches these filters.'
        : 'No automation has run for your accounts yet. ' +
          'Jobs appear here once someone starts one from an account’s page.';
    empty.hidden = jobs.length > 0;
    byId('automation-log').replaceChildren(...jobs.map(jobItem));
    live = jobs.some(unfinished);
    document.body.dataset.automationLog = live ? 'live' : 'settled';
  } catch (e) {
    if (mine !== generation) return;
    byId('automation-log').replaceChildren();
    byId('automation-log-empty').hidden = true;
    showError(errorBox, message(e));
    // A refusal is not retried on its own: the person changes a filter or reloads.
    live = false;
    document.body.dataset.automationLog = 'error';
  }
  schedule();
}

async function start() {
  const ws = await status().catch(() => null);
  if (ws?.stage !== 'trusted') return;
  byId('dashboard-nav').hidden = false;
  byId('automation-log-card').hidden = false;
  statusSelect.replaceChildren(
    option('', 'Any status'),
    ...Object.entries(STATUSES).map(([word, label]) => option(word, label)),
  );
  accountSelect.replaceChildren(option('', 'All accounts'));
  for (const select of [accountSelect, statusSelect]) select.addEventListener('change', () => void load());
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) schedule();
    else if (live) void load();
  });
  await load();
}

void start();
