// @ts-check
// The dashboard's Automation Log in Chromium, against a real `latchkey serve --demo`. The test
// plays the job runner through the server's API with Alice's device token (queue a job, report its
// steps, finish it), as the extension's runner does; the page then shows each job (account, task,
// who started it, when, status), newest first, filters by account and status, opens a job's steps
// with each reason as a sentence, says where a job that needs attention stopped, and follows a
// running job until it ends. Bob, a member of the team account only, sees its jobs and none of
// Alice's own account's, even when his page asks for them (the server refuses). A forged server
// reply with markup in a job's words is refused by the worker and nothing of it becomes HTML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
} from './cases/automation-log.mjs';
import { TEAM } from './cases/automation.mjs';
import { launchBrowser, openPopup, screenshot, waitFor, worker } from './harness.mjs';
import { ALICE, BOB, DASHBOARD_URL, api, joinWithKit, startWorkspace, workspaceState } from './workspace.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */

/** @param {BrowserContext} ctx */
async function openLog(ctx) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1000, height: 1000 });
  await page.goto(DASHBOARD_URL);
  await page.locator('#automation-log-card:not([hidden])').waitFor();
  await page.locator('body[data-automation-log]').waitFor({ timeout: 30_000 });
  return page;
}

/** The shown jobs' ids, top to bottom. @param {Page} page */
async function shownJobs(page) {
  return page.locator('#automation-log li.automation-job').evaluateAll((els) => els.map((e) => e.dataset.jobId));
}

/**
 * Waits until the log shows exactly `ids`, in that order.
 * @param {Page} page @param {string[]} ids @param {string} what
 */
async function waitForJobs(page, ids, what) {
  await waitFor(async () => JSON.stringify(await shownJobs(page)) === JSON.stringify(ids), what, 30_000);
}

/** @param {Page} page @param {string} jobId */
const jobRow = (page, jobId) => page.locator(`#automation-log li[data-job-id="${jobId}"]`);

/** Alice (trusted, with an account of her own) and Bob (trusted, a member of the team account). */
async function aliceAndBob(/** @type {any} */ t) {
  const ws = await startWorkspace(t);
  const aliceCtx = await launchBrowser(t);
  await joinWithKit(aliceCtx, ws, ALICE);
  const alice = await workspaceState(aliceCtx);
  const popup = await openPopup(aliceCtx);
  const added = await popup.evaluate((m) => chrome.runtime.sendMessage(m), ALICE_ACCOUNT);
  assert.equal(added.ok, true, JSON.stringify(added));
  await popup.close();
  /** @type {{accounts: Array<{id: string, name: string}>}} */
  const { accounts } = await api(ws.server, alice.token, 'GET', '/accounts');
  const team = accounts.find((a) => a.name === TEAM);
  const crm = accounts.find((a) => a.name === HOSTILE_NAME);
  assert.ok(team && crm, JSON.stringify(accounts));
  return { ws, aliceCtx, alice, team, crm };
}

test('the Automation Log: jobs, filters, steps, where a job stopped; a running job is followed', async (t) => {
  const { ws, aliceCtx, alice, team, crm } = await aliceAndBob(t);
  const token = alice.token;

  // The log before any job: its empty state.
  const log = await openLog(aliceCtx);
  await log.getByText(LOG_SAYS.empty).waitFor();
  await log.getByRole('link', { name: 'Automation Log' }).waitFor();

  // Three jobs, as the runner reports them: one stopped at a missing element, one that
  // succeeded, and one still running on Alice's own account.
  const stopped = await runJob(ws.server, token, team.id, 'turn-on-totp', STOPPED_STEPS, STOPPED_END);
  const added = await runJob(ws.server, token, team.id, 'add-number', ADDED_STEPS, { status: 'succeeded' });
  const running = await runJob(ws.server, token, crm.id, 'turn-on-sms', RUNNING_STEPS, null);

  await log.reload();
  await waitForJobs(log, [running.id, added.id, stopped.id], 'the three jobs, newest first');
  const first = jobRow(log, stopped.id);
  await first.getByText(LOG_SAYS.stoppedTitle).waitFor();
  await first.getByText(LOG_SAYS.startedBy).waitFor();
  await first.locator('.status', { hasText: 'Needs attention' }).waitFor();
  await jobRow(log, added.id).getByText(LOG_SAYS.addedTitle).waitFor();
  await jobRow(log, added.id).locator('.status', { hasText: 'Succeeded' }).waitFor();
  const live = jobRow(log, running.id);
  await live.getByText(LOG_SAYS.runningTitle).waitFor();
  await live.locator('.status', { hasText: 'Running' }).waitFor();
  // The account's name is text: its markup made no element.
  assert.equal(await log.locator('#automation-log img, #pwned').count(), 0);

  // A job's steps: line, kind, outcome and the reason's sentence; where it stopped.
  await first.getByRole('button', { name: /^Steps of Turn on MFA on Northwind Cloud team/ }).click();
  await first.getByText(LOG_SAYS.stoppedAt).waitFor();
  const steps = first.locator('ol.automation-steps > li');
  await waitFor(async () => (await steps.count()) === 3 || null, 'the three steps');
  assert.deepEqual(await first.locator('ol.automation-steps .step-what').allTextContents(), LOG_SAYS.stoppedSteps);
  await steps.nth(2).getByText(LOG_SAYS.missingReason).waitFor();
  await log.locator('#automation-log-title').scrollIntoViewIfNeeded();
  await log.evaluate(() => document.getElementById('automation-log-card')?.scrollIntoView());
  await screenshot(log, 'automation-log');

  // Filters: by status, by account, both; an empty match says so.
  const card = log.locator('#automation-log-card');
  const status = card.getByRole('combobox', { name: 'Status' });
  const account = card.getByRole('combobox', { name: 'Account' });
  await status.selectOption('succeeded');
  await waitForJobs(log, [added.id], 'the succeeded job only');
  await status.selectOption('');
  await account.selectOption(crm.id);
  await waitForJobs(log, [running.id], "Alice's own account's job only");
  await status.selectOption('failed');
  await waitForJobs(log, [], 'no failed job there');
  await log.getByText(LOG_SAYS.noMatch).waitFor();
  await account.selectOption('');
  await status.selectOption('');
  await waitForJobs(log, [running.id, added.id, stopped.id], 'every job again');

  // The running job, opened, is followed: its new step and its end appear without a reload.
  await live.getByRole('button', { name: /^Steps of Turn on SMS MFA/ }).click();
  await live.locator('ol.automation-steps > li').first().waitFor();
  await api(ws.server, token, 'POST', `/automations/${running.id}/steps`, RUNNING_NEXT);
  await api(ws.server, token, 'POST', `/automations/${running.id}/finish`, { status: 'succeeded' });
  await live.locator('.status', { hasText: 'Succeeded' }).waitFor({ timeout: 30_000 });
  await live.getByText(LOG_SAYS.runningNext).waitFor({ timeout: 30_000 });
  await log.locator('body[data-automation-log="settled"]').waitFor();
});

test('attack: a member cannot list or read the jobs of an account they are not in, via the page', async (t) => {
  const { ws, alice, team, crm } = await aliceAndBob(t);
  const teamJob = await runJob(ws.server, alice.token, team.id, 'add-number', [], {
    status: 'failed',
    reason: 'no_managed_number',
  });
  const crmJob = await runJob(ws.server, alice.token, crm.id, 'turn-on-totp', [], {
    status: 'failed',
    reason: 'cancelled',
  });

  const bobCtx = await launchBrowser(t);
  await joinWithKit(bobCtx, ws, BOB);
  const log = await openLog(bobCtx);
  // Bob sees the team account's job, with its reason, and nothing of Alice's own account.
  await waitForJobs(log, [teamJob.id], "the team account's job only");
  await jobRow(log, teamJob.id).getByText(LOG_SAYS.noNumber).waitFor();
  const offered = await log
    .locator('#automation-log-account option')
    .evaluateAll((os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value));
  assert.deepEqual(offered.sort(), ['', team.id].sort(), 'the filter offers only his accounts');

  // His page asks for Alice's account anyway (an option added by hand): the server refuses, the
  // page says so and shows no job.
  await log.evaluate((id) => {
    const select = /** @type {HTMLSelectElement} */ (document.getElementById('automation-log-account'));
    const o = document.createElement('option');
    o.value = id;
    o.textContent = 'Not mine';
    select.append(o);
    select.value = id;
    select.dispatchEvent(new Event('change'));
  }, crm.id);
  await log.locator('body[data-automation-log="error"]').waitFor({ timeout: 30_000 });
  await log.locator('#automation-log-error:not([hidden])').waitFor();
  assert.deepEqual(await shownJobs(log), []);
  // The worker, asked directly from his page, gets the job neither by account nor by id.
  const listed = await log.evaluate(
    (account) => chrome.runtime.sendMessage({ type: 'ws-automations', account }),
    crm.id,
  );
  assert.equal(listed.ok, false, JSON.stringify(listed));
  const read = await log.evaluate((jobId) => chrome.runtime.sendMessage({ type: 'ws-automation', jobId }), crmJob.id);
  assert.equal(read.ok, false, JSON.stringify(read));
  const all = await log.evaluate(() => chrome.runtime.sendMessage({ type: 'ws-automations' }));
  assert.equal(all.ok, true, JSON.stringify(all));
  assert.deepEqual(
    all.jobs.map((/** @type {{id: string}} */ j) => j.id),
    [teamJob.id],
  );
});

test('attack: a forged server reply with markup in a job’s words is refused, never rendered', async (t) => {
  const { ws, aliceCtx, alice, team } = await aliceAndBob(t);
  const job = await runJob(
    ws.server,
    alice.token,
    team.id,
    'turn-on-totp',
    [{ line: 6, kind: 'open', outcome: 'ok' }],
    {
      status: 'failed',
      reason: 'check_failed',
    },
  );
  /** Which reply the forger changes: the list's task, or one job's step kind. */
  let forge = 'task';
  const forgerAddress = await startForger(t, ws.server, () => forge);
  const sw = await worker(aliceCtx);
  await sw.evaluate(async (server) => {
    const { workspace } = await chrome.storage.local.get('workspace');
    await chrome.storage.local.set({ workspace: { .../** @type {object} */ (workspace), server } });
  }, forgerAddress);

  // The list with markup as a task: refused whole, with the worker's sentence.
  const log = await openLog(aliceCtx);
  await log.locator('body[data-automation-log="error"]').waitFor();
  await log.locator('#automation-log-error', { hasText: LOG_SAYS.forgedTask }).waitFor();
  assert.equal(await log.locator('#forged, #automation-log-card img').count(), 0);
  assert.equal(await log.getByText(MARKUP).count(), 0, 'the forged word is not shown either');

  // The list as sent, then a job's steps with markup as a kind: the steps are refused.
  forge = 'kind';
  await log.reload();
  await waitForJobs(log, [job.id], 'the real job');
  const row = jobRow(log, job.id);
  await row.getByRole('button', { name: /^Steps of Turn on MFA/ }).click();
  await row.getByText(LOG_SAYS.forgedKind).waitFor();
  assert.equal(await log.locator('#forged, #automation-log-card img').count(), 0);
  assert.equal(await log.getByText(MARKUP).count(), 0);
});
