// @ts-check
// Attacks through the automation runner (docs/security.md, "Attacks through automations"), in
// Chromium with the real extension, server and vault:
// - the app's page redirects the job's tab to another site: the job stops (`off_site`) and that
//   site's page never receives a vault value;
// - a web page of the app's site (a content script taken over) cannot start a job or a dry run,
//   nor read the job's progress or the pending key, while the job runs;
// - the app's page redirects a dry run's tab to another site: the dry run stops there (`off_site`),
//   every later step not reached, and that site's page is given nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inContentScript, launchBrowser, waitFor, worker } from './harness.mjs';
import { ALICE, DASHBOARD_URL, api, joinWithKit, startWorkspace, workspaceState } from './workspace.mjs';
import { FAKE_KEY, startFakeApp } from './automation-app.mjs';
import { sql } from './cases/abuse-sites.mjs';
import {
  EMPTY_FIELDS,
  OFF_SITE_JOB,
  OFF_SITE_SAYS,
  PROGRESS_PREFIX,
  pageAsks,
  STORAGE_AREAS,
  stepTriples,
  TEAM,
  readJobTab,
  teamAccount,
} from './cases/automation.mjs';

/** @param {import('playwright-core').BrowserContext} ctx @param {string} origin */
async function startJob(ctx, origin) {
  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  const row = dashboard.locator('li[data-account-id]', { hasText: TEAM });
  await row.getByRole('button', { name: `Turn on MFA for ${TEAM}` }).click();
  const dialog = dashboard.getByRole('dialog', { name: 'Turn on MFA' });
  await dialog.getByLabel('The app’s address').fill(origin);
  await dialog.getByLabel('I’ve verified that MFA is off for this account').check();
  await dialog.getByRole('button', { name: 'Turn on MFA' }).click();
  await dialog.waitFor({ state: 'detached' });
  return { dashboard, row };
}

test('a redirect off the app’s site stops the job before any vault value reaches that site', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const alice = await workspaceState(ctx);
  const app = await startFakeApp(t, 'off-site');
  const { row } = await startJob(ctx, app.origin);
  const accountId = await teamAccount(ws, alice.token);
  const job = await waitFor(
    async () => {
      const { jobs } = await api(ws.server, alice.token, 'GET', `/automations?account=${accountId}`);
      return jobs[0] && !['queued', 'running'].includes(jobs[0].status) ? jobs[0] : null;
    },
    'the job to end',
    60_000,
  );
  assert.equal(job.status, OFF_SITE_JOB.status);
  assert.equal(job.reason, OFF_SITE_JOB.reason);
  const { steps } = await api(ws.server, alice.token, 'GET', `/automations/${job.id}`);
  assert.deepEqual(stepTriples(steps), OFF_SITE_JOB.steps);
  await row.getByRole('status').filter({ hasText: OFF_SITE_SAYS }).waitFor();
  // The other site's page was shown (the redirect happened) and was given nothing.
  assert.ok(
    app.requests.some((r) => r.path === '/steal'),
    'the redirect was followed',
  );
  // The job's tab is left on the page it stopped at: its fields are empty (read by the worker).
  const sw = await worker(ctx);
  const values = await sw.evaluate(readJobTab, `automation:${accountId}`);
  assert.ok(values?.url.includes('/steal'), JSON.stringify(values));
  assert.deepEqual(values?.values, EMPTY_FIELDS, 'nothing was filled there');
  assert.equal(app.requests.filter((r) => r.path === '/stolen').length, 0, JSON.stringify(app.requests));
});

test('a web page cannot start a job, nor read its progress or the pending key', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const alice = await workspaceState(ctx);
  const accountId = await teamAccount(ws, alice.token);
  const app = await startFakeApp(t, 'hangs');
  await startJob(ctx, app.origin);
  // The job has read the key (pending in the vault) and waits in its tab for the app to confirm.
  await waitFor(() => app.requests.some((r) => r.method === 'POST'), 'the code to be submitted', 30_000);
  // A page of the app's site, in another tab, while the job's own tab waits.
  const jobTab = await ctx.newPage();
  await jobTab.goto(`${app.origin}/demo/account/2fa`);
  const key = FAKE_KEY.replace(/\s/g, '');
  const tried = await inContentScript(
    ctx,
    jobTab,
    `(async () => {
      const asks = [];
      for (const m of ${JSON.stringify(pageAsks(accountId, app.origin))})
        asks.push(await chrome.runtime.sendMessage(m).catch((e) => ({ thrown: String(e) })));
      const read = [];
      for (const area of ${JSON.stringify(STORAGE_AREAS)}) {
        try {
          read.push(JSON.stringify(await chrome.storage?.[area]?.get(null)));
        } catch {}
      }
      return { asks, read };
    })()`,
  );
  const { asks, read } = tried.value;
  for (const reply of asks) assert.notEqual(reply?.ok, true, JSON.stringify(reply));
  const everything = JSON.stringify(tried);
  assert.ok(!everything.includes(key), 'the pending key reached the page');
  assert.ok(!everything.includes(PROGRESS_PREFIX), `the job's progress reached the page: ${read}`);
  const { jobs } = await api(ws.server, alice.token, 'GET', `/automations?account=${accountId}`);
  assert.equal(jobs.length, 1, 'the page started no job');
});

test('a dry run redirected off the app’s site stops there and gives that site nothing', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const alice = await workspaceState(ctx);
  const app = await startFakeApp(t, 'off-site');
  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  const row = dashboard.locator('li[data-account-id]', { hasText: TEAM });
  await row.getByRole('button', { name: `Check Turn on MFA against the app for ${TEAM}` }).click();
  const dialog = dashboard.getByRole('dialog', { name: 'Check Turn on MFA against the app' });
  await dialog.getByLabel('The app’s address').fill(app.origin);
  await dialog.getByRole('button', { name: 'Check' }).click();
  const list = dialog.getByRole('list', { name: 'Steps checked' });
  await list.waitFor({ timeout: 60_000 });
  const outcomes = await list.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-outcome')));
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
  const accountId = await teamAccount(ws, alice.token);
  const { jobs } = await api(ws.server, alice.token, 'GET', `/automations?account=${accountId}`);
  assert.deepEqual(jobs, [], 'a dry run logs no job');
});

test('the server’s plaintext site never chooses the automation: the sealed sites record does', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const alice = await workspaceState(ctx);
  const accountId = await teamAccount(ws, alice.token);
  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  /** @param {object} m */
  const ask = (m) => dashboard.evaluate((m) => chrome.runtime.sendMessage(m), m);
  // Offered while the sealed record names the demo app's site (the seed's record).
  const offered = await ask({ type: 'ws-automation-tasks', accountId });
  assert.ok(offered.available?.length > 0, JSON.stringify(offered));
  // The owner says the account signs in at bank.localhost: no automation there.
  assert.equal((await ask({ type: 'ws-set-sites', accountId, sites: 'bank.localhost' })).ok, true);
  // A compromised server says demo.localhost in the plaintext site, where an automation exists
  // (seen by an attack in session 12: "Turn on MFA" then typed the saved login into that app).
  sql(ws, `UPDATE accounts SET site = 'demo.localhost' WHERE id = '${accountId}';`);
  // Past the vault copy's freshness, the popup's list shows the rewritten site: it was read.
  await waitFor(async () => {
    const listed = await ask({ type: 'list' });
    return listed.accounts?.some(
      (/** @type {{id: string, site: string}} */ a) => a.id === `ws:${accountId}` && a.site === 'demo.localhost',
    );
  }, 'the rewritten site to be read');
  await dashboard.waitForTimeout(6_000);
  const after = await ask({ type: 'ws-automation-tasks', accountId });
  assert.deepEqual(after.available, [], JSON.stringify(after));
  assert.ok(!String(after.origin).includes('demo.localhost'), `prefilled ${after.origin}`);
});
