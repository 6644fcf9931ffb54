// @ts-check
/**
 * The Automation Log's calls (docs/api.md, "Automation jobs"): the jobs of the accounts this
 * person is a member of, filtered by account and status, and one job with its steps. The server
 * decides which jobs a caller may see (a member of the job's account only); here every field it
 * sends is checked: ids as ids, times as integers, and every word (task, status, step kind,
 * outcome, reason) one of the known words, else the whole reply is refused. Accounts are named
 * from the vault, people from the workspace's user list, as the dashboard shows them elsewhere.
 */
import { OUTCOMES, REASONS, STATUSES, STEP_KINDS, TASKS, wordsOf } from '../../pages/automation-words.js';
import * as client from './client.js';
import { arr, id, int, obj, oneOf, text } from './shapes.js';
import { userKeys } from './unlock.js';
import * as vault from './vault.js';

/** @typedef {import('../../types/protocol').AutomationJobView} AutomationJobView */
/** @typedef {import('../../types/protocol').AutomationStepView} AutomationStepView */
/** @typedef {import('../../types/protocol').AutomationFilters} AutomationFilters */

const TASK_WORDS = wordsOf(TASKS);
const STATUS_WORDS = wordsOf(STATUSES);
const KIND_WORDS = wordsOf(STEP_KINDS);
const OUTCOME_WORDS = wordsOf(OUTCOMES);
const REASON_WORDS = wordsOf(REASONS);

/** The most jobs the log shows at once (the server's maximum). */
const LIMIT = 200;

/** A job id: 32 lower-case hex digits, so nothing else can reach the path. @param {string} v */
function jobId(v) {
  if (!/^[0-9a-f]{32}$/.test(v)) throw new Error('That is not an automation job of this workspace.');
  return v;
}

/** @param {unknown} v @param {string} what */
function optInt(v, what) {
  return v === null || v === undefined ? null : int(v, what);
}

/** @param {unknown} v */
function reason(v) {
  return v === null || v === undefined ? null : oneOf(v, REASON_WORDS, 'reason');
}

/** The names the page shows: accounts from the vault, people as the console shows them. */
async function names() {
  await userKeys();
  const [accounts, users] = await Promise.all([
    vault.accountsForFill(),
    client.request('GET', '/users').then((raw) => arr(raw, 'users', 10_000)),
  ]);
  /** @type {Map<string, string>} */
  const people = new Map();
  for (const raw of users) {
    const u = obj(raw, 'user');
    const email = text(u.email, 'user e-mail', 320);
    const displayName = text(u.displayName, 'display name', 200);
    people.set(id(u.id, 'user id'), displayName ? `${displayName} (${email})` : email);
  }
  return { accounts: accounts.map((a) => ({ id: a.accountId, name: a.name })), people };
}

/**
 * @param {unknown} raw @param {{accounts: Array<{id: string, name: string}>, people: Map<string, string>}} n
 * @returns {AutomationJobView}
 */
function job(raw, n) {
  const j = obj(raw, 'automation job');
  const accountId = id(j.accountId, 'account id');
  const startedBy = id(j.startedBy, 'started by');
  return {
    id: jobId(text(j.id, 'job id', 64)),
    accountId,
    accountName: n.accounts.find((a) => a.id === accountId)?.name ?? '',
    task: oneOf(j.task, TASK_WORDS, 'task'),
    startedBy,
    startedByName: n.people.get(startedBy) ?? '',
    status: oneOf(j.status, STATUS_WORDS, 'job status'),
    reason: reason(j.reason),
    createdAt: int(j.createdAt, 'created'),
    updatedAt: int(j.updatedAt, 'updated'),
    finishedAt: optInt(j.finishedAt, 'finished'),
  };
}

/** @param {unknown} raw @returns {AutomationStepView} */
function step(raw) {
  const s = obj(raw, 'automation step');
  return {
    seq: int(s.seq, 'step number'),
    line: int(s.line, 'line'),
    kind: oneOf(s.kind, KIND_WORDS, 'step kind'),
    outcome: oneOf(s.outcome, OUTCOME_WORDS, 'step outcome'),
    reason: reason(s.reason),
    at: int(s.at, 'step time'),
  };
}

/**
 * The jobs of the accounts this person reads, newest first; `account` must be one of theirs (the
 * server refuses another), `status` one of the job statuses.
 * @param {AutomationFilters} filters
 */
export async function list(filters) {
  const q = new URLSearchParams();
  if (filters.account) {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(filters.account)) throw new Error('Choose an account of yours.');
    q.set('account', filters.account);
  }
  if (filters.status) {
    if (!STATUS_WORDS.includes(/** @type {any} */ (filters.status))) throw new Error('Choose a status from the list.');
    q.set('status', filters.status);
  }
  q.set('limit', String(LIMIT));
  const n = await names();
  const reply = obj(await client.request('GET', `/automations?${q}`), 'automation jobs');
  const jobs = arr(reply.jobs, 'automation jobs', LIMIT).map((raw) => job(raw, n));
  jobs.sort((a, b) => b.createdAt - a.createdAt);
  return { jobs, accounts: n.accounts };
}

/** One job and its steps, in the order they ran. @param {string} jobIdText */
export async function show(jobIdText) {
  const path = `/automations/${jobId(jobIdText)}`;
  const n = await names();
  const reply = obj(await client.request('GET', path), 'automation job');
  const steps = arr(reply.steps, 'automation steps', 10_000).map(step);
  steps.sort((a, b) => a.seq - b.seq);
  return { job: job(reply.job, n), steps };
}
