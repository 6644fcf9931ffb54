// @ts-check
// The dashboard's Automation Log in Firefox with the built package, against a real `latchkey serve
// --demo`: Chromium's tests/e2e/automation-log.test.mjs, its jobs, words and forging server from
// tests/e2e/cases/automation-log.mjs. The test plays the job runner through the server's API with
// Alice's device token (queue a job, report its steps, finish it); the page then shows each job
// (account, task, who started it, status), newest first, filters by account and status, opens a
// job's steps with each reason as a sentence, says where a job that needs attention stopped, and
// follows a running job until it ends. Bob, a member of the team account only, sees its jobs and
// none of Alice's own account's, even when his page asks for them. A forged server reply with
// markup in a job's words is refused by the background and nothing of it becomes HTML.
// Firefox's difference: the server's address is rewritten in the extension origin's IndexedDB
// (where Firefox's Latchkey keeps it, platform.js), and the background is stopped after, so that
// it reads it again (Chromium's test writes storage.local, whose change the worker hears). One
// workspace and Alice's Firefox for the file (Bob's joins in the second test): the team's jobs are
// counted across the tests.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ADDED_STEPS,
  ALICE_ACCOUNT,
  HOSTILE_NAME,
  LOG_SAYS,
  MARKUP,
  RUNNING_NEXT,
  RUNNING_STEPS,
  runJob,
  STOPPED_END,
  STOPPED_STEPS,
  startForger,
} from '../e2e/cases/automation-log.mjs';
import { TEAM } from '../e2e/cases/automation.mjs';
import { ALICE, api, BOB, startWorkspace } from '../e2e/workspace.mjs';
import { jobRow, openLog, pick, shownJobs, someSays, waitForJobs } from './automation.mjs';
import { launchFirefox, openPopup, sharedContext, stopBackground, waitIn, writeLocal } from './firefox.mjs';
import { joinWithKit, stored, workspaceToken } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

const shared = sharedContext(after);
/** @type {Awaited<ReturnType<typeof startWorkspace>>} */
let ws;
/** Alice's Firefox, shared by the tests. @type {Firefox} */
let ff;
let token = '';
/** Latchkey's pages open in it: the join page, the log. */
let joinTab = '';
let logTab = '';
/** @type {{id: string, name: string}} */
let team;
/** @type {{id: string, name: string}} */
let crm;
/** Every job of the team account so far, newest first (the tests share one workspace). @type {string[]} */
const teamJobIds = [];

// Alice (trusted, with an account of her own); the team account and hers.
before(async () => {
  ws = await startWorkspace(shared);
  ff = await launchFirefox(shared);
  await joinWithKit(ff, ws, ALICE);
  joinTab = await ff.handle();
  token = await workspaceToken(ff);
  const popup = await openPopup(ff);
  const added = await ff.run((m) => chrome.runtime.sendMessage(m), ALICE_ACCOUNT);
  assert.equal(added.ok, true, JSON.stringify(added));
  await ff.closeTab(popup);
  /** @type {{accounts: Array<{id: string, name: string}>}} */
  const { accounts } = await api(ws.server, token, 'GET', '/accounts');
  const foundTeam = accounts.find((a) => a.name === TEAM);
  const foundCrm = accounts.find((a) => a.name === HOSTILE_NAME);
  assert.ok(foundTeam && foundCrm, JSON.stringify(accounts));
  team = foundTeam;
  crm = foundCrm;
});

/** No element the markup could have made, nor the markup shown as text. @param {Firefox} ff @param {string} css */
const noMarkup = (ff, css) =>
  ff.run(
    (c, m) => ({ made: document.querySelectorAll(c).length, shown: (document.body.textContent ?? '').includes(m) }),
    css,
    MARKUP,
  );

/** Reloads the current page and waits for its log. @param {Firefox} ff */
async function reloadLog(ff) {
  await ff.run(() => {
    document.body.dataset.reloaded = '1';
    location.reload();
  });
  await waitIn(
    ff,
    () => document.body?.dataset.reloaded === undefined && document.body.dataset.automationLog !== undefined,
    'the log reloaded',
  );
}

test('Firefox: the Automation Log: jobs, filters, steps, where a job stopped; a running job is followed', async () => {
  // The log before any job: its empty state.
  logTab = await openLog(ff);
  await someSays(ff, '#automation-log-empty', LOG_SAYS.empty);
  await someSays(ff, 'a[href="#automation-log-card"]', 'Automation Log');

  // Three jobs, as the runner reports them: one stopped at a missing element, one that
  // succeeded, and one still running on Alice's own account.
  const stopped = await runJob(ws.server, token, team.id, 'turn-on-totp', STOPPED_STEPS, STOPPED_END);
  const added = await runJob(ws.server, token, team.id, 'add-number', ADDED_STEPS, { status: 'succeeded' });
  const running = await runJob(ws.server, token, crm.id, 'turn-on-sms', RUNNING_STEPS, null);
  teamJobIds.unshift(stopped.id);
  teamJobIds.unshift(added.id);

  await reloadLog(ff);
  await waitForJobs(ff, [running.id, added.id, stopped.id], 'the three jobs, newest first');
  const first = jobRow(stopped.id);
  await someSays(ff, `${first} .name`, LOG_SAYS.stoppedTitle);
  await someSays(ff, first, LOG_SAYS.startedBy);
  await someSays(ff, `${first} .status`, 'Needs attention');
  await someSays(ff, `${jobRow(added.id)} .name`, LOG_SAYS.addedTitle);
  await someSays(ff, `${jobRow(added.id)} .status`, 'Succeeded');
  const live = jobRow(running.id);
  await someSays(ff, `${live} .name`, LOG_SAYS.runningTitle);
  await someSays(ff, `${live} .status`, 'Running');
  // The account's name is text: its markup made no element.
  assert.equal((await noMarkup(ff, '#automation-log img, #pwned')).made, 0);

  // A job's steps: line, kind, outcome and the reason's sentence; where it stopped.
  await ff.click(`${first} button[aria-label^="Steps of Turn on MFA on ${TEAM}"]`);
  await someSays(ff, first, LOG_SAYS.stoppedAt);
  const whats = await waitIn(
    ff,
    (c) => {
      const texts = [...document.querySelectorAll(`${c} ol.automation-steps .step-what`)].map((e) => e.textContent);
      return texts.length === 3 ? texts : null;
    },
    'the three steps',
    first,
  );
  assert.deepEqual(whats, LOG_SAYS.stoppedSteps);
  await someSays(ff, `${first} ol.automation-steps > li:nth-child(3)`, LOG_SAYS.missingReason);
  await ff.run(() => document.getElementById('automation-log-card')?.scrollIntoView());
  await ff.screenshot('firefox-automation-log');

  // Filters: by status, by account, both; an empty match says so.
  const status = '#automation-log-status';
  const account = '#automation-log-account';
  await pick(ff, status, 'succeeded');
  await waitForJobs(ff, [added.id], 'the succeeded job only');
  await pick(ff, status, '');
  await pick(ff, account, crm.id);
  await waitForJobs(ff, [running.id], "Alice's own account's job only");
  await pick(ff, status, 'failed');
  await waitForJobs(ff, [], 'no failed job there');
  await someSays(ff, '#automation-log-empty', LOG_SAYS.noMatch);
  await pick(ff, account, '');
  await pick(ff, status, '');
  await waitForJobs(ff, [running.id, added.id, stopped.id], 'every job again');

  // The running job, opened, is followed: its new step and its end appear without a reload.
  await ff.click(`${live} button[aria-label^="Steps of Turn on SMS MFA"]`);
  await waitIn(ff, (c) => document.querySelector(`${c} ol.automation-steps > li`) !== null, 'its first step', live);
  await api(ws.server, token, 'POST', `/automations/${running.id}/steps`, RUNNING_NEXT);
  await api(ws.server, token, 'POST', `/automations/${running.id}/finish`, { status: 'succeeded' });
  await someSays(ff, `${live} .status`, 'Succeeded');
  await someSays(ff, live, LOG_SAYS.runningNext);
  await waitIn(ff, () => document.body.dataset.automationLog === 'settled', 'the log settled');
});

// Chromium's test name, prefixed.
const NOT_IN = 'Firefox: attack: a member cannot list or read the jobs of an account they are not in, via the page';

test(NOT_IN, async (t) => {
  const teamJob = await runJob(ws.server, token, team.id, 'add-number', [], {
    status: 'failed',
    reason: 'no_managed_number',
  });
  const crmJob = await runJob(ws.server, token, crm.id, 'turn-on-totp', [], { status: 'failed', reason: 'cancelled' });
  teamJobIds.unshift(teamJob.id);

  const bob = await launchFirefox(t);
  await joinWithKit(bob, ws, BOB);
  await openLog(bob);
  // Bob sees the team account's jobs, with their reasons, and nothing of Alice's own account.
  await waitForJobs(bob, teamJobIds, "the team account's jobs only");
  await someSays(bob, jobRow(teamJob.id), LOG_SAYS.noNumber);
  const offered = await bob.run(() =>
    [...document.querySelectorAll('#automation-log-account option')].map(
      (o) => /** @type {HTMLOptionElement} */ (o).value,
    ),
  );
  assert.deepEqual(offered.sort(), ['', team.id].sort(), 'the filter offers only his accounts');

  // His page asks for Alice's account anyway (an option added by hand): the server refuses, the
  // page says so and shows no job.
  await bob.run((id) => {
    const select = /** @type {HTMLSelectElement} */ (document.getElementById('automation-log-account'));
    const o = document.createElement('option');
    o.value = id;
    o.textContent = 'Not mine';
    select.append(o);
    select.value = id;
    select.dispatchEvent(new Event('change'));
  }, crm.id);
  await waitIn(bob, () => document.body.dataset.automationLog === 'error', 'the log’s error');
  await waitIn(bob, () => document.querySelector('#automation-log-error')?.hasAttribute('hidden') === false, 'shown');
  assert.deepEqual(await shownJobs(bob), []);
  // The background, asked directly from his page, gets the job neither by account nor by id.
  const listed = await bob.run((a) => chrome.runtime.sendMessage({ type: 'ws-automations', account: a }), crm.id);
  assert.equal(listed.ok, false, JSON.stringify(listed));
  const read = await bob.run((jobId) => chrome.runtime.sendMessage({ type: 'ws-automation', jobId }), crmJob.id);
  assert.equal(read.ok, false, JSON.stringify(read));
  const all = await bob.run(() => chrome.runtime.sendMessage({ type: 'ws-automations' }));
  assert.equal(all.ok, true, JSON.stringify(all));
  assert.deepEqual(
    all.jobs.map((/** @type {{id: string}} */ j) => j.id),
    teamJobIds,
  );
});

test('Firefox: attack: a forged server reply with markup in a job’s words is refused, never rendered', async (t) => {
  const job = await runJob(ws.server, token, team.id, 'turn-on-totp', [{ line: 6, kind: 'open', outcome: 'ok' }], {
    status: 'failed',
    reason: 'check_failed',
  });
  /** Which reply the forger changes: the list's task, or one job's step kind. */
  let forge = 'task';
  const forger = await startForger(t, ws.server, () => forge);
  // The workspace's server is the forger now, as written where Latchkey keeps it; the background,
  // stopped with Latchkey's pages closed, reads it again when it starts.
  await ff.switchTo(logTab);
  const { workspace } = (await stored(ff)).local;
  await writeLocal(ff, { workspace: { ...workspace, server: forger } });
  const blank = await ff.newTab();
  await ff.closeTab(logTab);
  await ff.closeTab(joinTab);
  await ff.switchTo(blank);
  await stopBackground(ff);

  // The list with markup as a task: refused whole, with the background's sentence.
  await openLog(ff);
  await waitIn(ff, () => document.body.dataset.automationLog === 'error', 'the log’s error');
  await someSays(ff, '#automation-log-error', LOG_SAYS.forgedTask);
  assert.deepEqual(await noMarkup(ff, '#forged, #automation-log-card img'), { made: 0, shown: false });

  // The list as sent, then a job's steps with markup as a kind: the steps are refused.
  forge = 'kind';
  await reloadLog(ff);
  const row = jobRow(job.id);
  await waitIn(ff, (c) => document.querySelector(c) !== null, 'the real job', row);
  await ff.click(`${row} button[aria-label^="Steps of Turn on MFA"]`);
  await someSays(ff, row, LOG_SAYS.forgedKind);
  assert.deepEqual(await noMarkup(ff, '#forged, #automation-log-card img'), { made: 0, shown: false });
});
