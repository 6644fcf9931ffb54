// @ts-check
// Attacks through the automation runner (docs/security.md, "Attacks through automations"), in
// Firefox with the built package, the real server and vault: Chromium's
// tests/e2e/abuse-automation.test.mjs, its expectations from tests/e2e/cases/automation.mjs.
// - the app's page redirects the job's tab to another site: the job stops (`off_site`) and that
//   site's page never receives a vault value;
// - the same redirect during a dry run: it stops there (`off_site`), every later step not reached;
// - a web page of the app's site (a content script taken over) cannot start a job or a dry run,
//   nor read the job's progress or the pending key, while the job runs.
// One Firefox and one workspace for the file (the jobs are counted, not assumed none). Where
// Chromium reads the job's tab from the worker, the dashboard does it with the same extension APIs;
// the taken-over content script is a probe content script added to a copy of the package.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  EMPTY_FIELDS,
  endedJob,
  OFF_SITE_JOB,
  OFF_SITE_SAYS,
  PROGRESS_PREFIX,
  pageAsks,
  STORAGE_AREAS,
  stepTriples,
  teamJobs,
} from '../e2e/cases/automation.mjs';
import { FAKE_KEY, startFakeApp } from '../e2e/automation-app.mjs';
import { waitFor } from '../e2e/harness.mjs';
import { ALICE, startWorkspace } from '../e2e/workspace.mjs';
import {
  ASKING_PROBE,
  dryRun,
  jobProgress,
  jobTabFields,
  openDashboard,
  statusSays,
  turnOnMfa,
} from './automation.mjs';
import { askProbe, launchFirefox, packageWithProbe, sharedContext } from './firefox.mjs';
import { joinWithKit, workspaceToken } from './workspace.mjs';

const shared = sharedContext(after);
/** @type {Awaited<ReturnType<typeof startWorkspace>>} */
let ws;
/** @type {import('./firefox.mjs').Firefox} */
let ff;
let token = '';
let dashboard = '';

before(async () => {
  ws = await startWorkspace(shared);
  ff = await launchFirefox(shared, { addon: await packageWithProbe(shared, ASKING_PROBE) });
  await joinWithKit(ff, ws, ALICE);
  token = await workspaceToken(ff);
  dashboard = await openDashboard(ff);
});

test('Firefox: a redirect off the app’s site stops the job before any vault value reaches that site', async (t) => {
  const app = await startFakeApp(t, 'off-site');
  const count = (await teamJobs(ws, token)).jobs.length;
  await ff.switchTo(dashboard);
  await turnOnMfa(ff, app.origin);
  const { job, steps } = await endedJob(ws, token, count + 1);
  assert.equal(job.status, OFF_SITE_JOB.status);
  assert.equal(job.reason, OFF_SITE_JOB.reason);
  assert.deepEqual(stepTriples(steps), OFF_SITE_JOB.steps);
  await statusSays(ff, OFF_SITE_SAYS);
  // The other site's page was shown (the redirect happened) and was given nothing.
  assert.ok(
    app.requests.some((r) => r.path === '/steal'),
    'the redirect was followed',
  );
  // The job's tab is left on the page it stopped at: its fields are empty.
  const { accountId } = await teamJobs(ws, token);
  const values = await jobTabFields(ff, accountId);
  assert.ok(values?.url.includes('/steal'), JSON.stringify(values));
  assert.deepEqual(values?.values, EMPTY_FIELDS, 'nothing was filled there');
  assert.equal(app.requests.filter((r) => r.path === '/stolen').length, 0, JSON.stringify(app.requests));
});

test('Firefox: a dry run redirected off the app’s site stops there and gives that site nothing', async (t) => {
  const app = await startFakeApp(t, 'off-site');
  const count = (await teamJobs(ws, token)).jobs.length;
  await ff.switchTo(dashboard);
  const outcomes = (await dryRun(ff, app.origin)).map((r) => r.outcome);
  assert.equal(outcomes[0], 'off_site', JSON.stringify(outcomes));
  assert.ok(
    outcomes.slice(1).every((o) => o === 'not_reached'),
    JSON.stringify(outcomes),
  );
  assert.ok(
    app.requests.some((r) => r.path === '/steal'),
    'the redirect was followed',
  );
  assert.equal(app.requests.filter((r) => r.path === '/stolen').length, 0, JSON.stringify(app.requests));
  assert.equal((await teamJobs(ws, token)).jobs.length, count, 'a dry run logs no job');
});

test('Firefox: a web page cannot start a job, nor read its progress or the pending key', async (t) => {
  const app = await startFakeApp(t, 'hangs');
  const { accountId, jobs } = await teamJobs(ws, token);
  await ff.switchTo(dashboard);
  await turnOnMfa(ff, app.origin);
  // The job has read the key (pending in the vault) and waits in its tab for the app to confirm.
  await waitFor(() => app.requests.some((r) => r.method === 'POST'), 'the code to be submitted', 30_000);
  assert.equal((await jobProgress(ff, accountId))?.secret, 'pending', 'the key is pending while the page asks');
  // A page of the app's site, in another tab, while the job's own tab waits.
  await ff.newTab();
  await ff.go(`${app.origin}/demo/account/2fa`);
  const key = FAKE_KEY.replace(/\s/g, '');
  const tried = await askProbe(ff, { asks: pageAsks(accountId, app.origin), areas: STORAGE_AREAS });
  for (const reply of tried.asks) assert.notEqual(reply?.ok, true, JSON.stringify(reply));
  const everything = JSON.stringify(tried);
  assert.ok(!everything.includes(key), 'the pending key reached the page');
  assert.ok(!everything.includes(PROGRESS_PREFIX), `the job's progress reached the page: ${tried.read}`);
  assert.equal((await teamJobs(ws, token)).jobs.length, jobs.length + 1, 'the page started no job');
});
