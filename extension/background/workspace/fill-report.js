// @ts-check
/**
 * Tells the server that a workspace account's code was filled (`POST /audit/fills`): the audit
 * log's `code.filled` with the account, the page's host and the kind of code (the device is the
 * caller). A fill never waits for it or fails because of it. A report the server could not take
 * (unreachable, an error of its own, the hourly limit) is kept, with the time of the fill, in
 * `chrome.storage.session` (trusted contexts only; kept across worker restarts, not browser
 * restarts) and sent after the next sync or report that gets through; the server takes late reports
 * for a day, so older ones are dropped. A report the server refuses (the account gone, no longer a
 * member) is dropped.
 */
import { ApiError } from './api.js';
import * as client from './client.js';

const QUEUE = 'fillReportsPending';
/** Enough for a day of fills by a busy person; beyond it the oldest go. */
const MAX_KEPT = 200;
/** The server takes a late report for a day; a minute less for clocks and transit. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000 - 60_000;

/** @typedef {{accountId: string, site: string, kind: 'totp' | 'sms' | 'email', filledAtMs: number}} Report */

/** Whether the server did not take the report for a reason that may pass. @param {unknown} e */
const worthRetrying = (e) => e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status >= 500);

/** @returns {Promise<Report[]>} */
async function pending() {
  const raw = (await chrome.storage.session.get(QUEUE))[QUEUE];
  return Array.isArray(raw) ? raw : [];
}

/** One report; `late` says it waited in the queue. @param {Report} r @param {boolean} late */
function send(r, late) {
  const body = { accountId: r.accountId, site: r.site, kind: r.kind };
  return client.request('POST', '/audit/fills', late ? { ...body, filledAt: Math.floor(r.filledAtMs / 1000) } : body);
}

/** Sends what waits, oldest first, until one fails for a reason that may pass. */
async function flush() {
  const queue = (await pending()).filter((r) => Date.now() - r.filledAtMs < MAX_AGE_MS);
  while (queue.length) {
    try {
      await send(queue[0], true);
    } catch (e) {
      if (worthRetrying(e)) break;
    }
    queue.shift();
  }
  await chrome.storage.session.set({ [QUEUE]: queue });
}

/** @param {Report} r */
async function keep(r) {
  const queue = [...(await pending()), r].slice(-MAX_KEPT);
  await chrome.storage.session.set({ [QUEUE]: queue });
}

// One report or flush at a time, so the queue is never read and written by two at once.
let chain = Promise.resolve();

/** @param {string} accountId @param {string} site the page's host @param {'totp' | 'sms' | 'email'} kind */
export function reportFill(accountId, site, kind) {
  if (!site) return;
  /** @type {Report} */
  const report = { accountId, site, kind, filledAtMs: Date.now() };
  chain = chain.then(async () => {
    try {
      await send(report, false);
    } catch (e) {
      if (worthRetrying(e)) await keep(report);
      console.warn('Latchkey: a code fill could not be reported to the workspace audit log yet');
      return;
    }
    await flush();
  });
  chain = chain.catch(() => {});
}

/** After the server answered again (a sync went through): sends what waits, in the background. */
export function flushFillReports() {
  chain = chain.then(async () => {
    if ((await pending()).length) await flush();
  });
  chain = chain.catch(() => {});
}
