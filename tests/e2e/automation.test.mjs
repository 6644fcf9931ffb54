// @ts-check
// The automation runner (issue 20) in Chromium against the demo app (`latchkey serve --demo` and
// latchkey-demo): one click turns on MFA for the demo's team login (the app then asks for the code
// at sign-in, and another member's Latchkey fills it), its backup codes are saved in Emergency
// controls; and the ways a job fails, each ending with the job's status and reason read back from
// the server: a wrong saved password (changed at the demo's profile page after it was saved), the
// page changed (the demo's `--changed-page`), the tab closed mid-job, the worker stopped mid-job
// (the pending key kept), two clicks at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  launchBrowser,
  referenceCodesBetween,
  referenceTotp,
  screenshot,
  stopServiceWorker,
  waitFor,
  worker,
} from './harness.mjs';
import { ALICE, BOB, DASHBOARD_URL, api, joinWithKit, startWorkspace, workspaceState } from './workspace.mjs';
import { FAKE_KEY, startFakeApp } from './automation-app.mjs';
import {
  assertNoBareRows,
  BACKUP_CODES,
  CHANGED_PASSWORD,
  endedJob,
  jobProgressAt,
  MIN_TOTP_STEPS,
  pendingKeyState,
  SAYS,
  secondStartAtServer,
  seenReloads,
  TEAM,
  TEAM_LOGIN,
  teamJobs,
  twoStartsAtOnce,
  watchReloads,
} from './cases/automation.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */

/**
 * Turn on MFA from the dashboard: the dialog, the address, the owner's word, the button.
 * @param {Page} dashboard @param {string} origin
 */
async function turnOnMfa(dashboard, origin) {
  const row = dashboard.locator('li[data-account-id]', { hasText: TEAM });
  await row.getByRole('button', { name: `Turn on MFA for ${TEAM}` }).click();
  const dialog = dashboard.getByRole('dialog', { name: 'Turn on MFA' });
  await dialog.getByLabel('The app’s address').fill(origin);
  const go = dialog.getByRole('button', { name: 'Turn on MFA' });
  assert.equal(await go.isDisabled(), true, 'disabled until the owner says MFA is off');
  await dialog.getByLabel('I’ve verified that MFA is off for this account').check();
  await go.click();
  await dialog.waitFor({ state: 'detached' });
  return row;
}

/** @param {BrowserContext} ctx */
async function openDashboard(ctx) {
  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  await dashboard.locator('li[data-account-id]', { hasText: TEAM }).waitFor();
  return dashboard;
}

/**
 * Signs in as the team login (password, then its seeded key's code) and turns two-factor off.
 * @param {Page} app @param {{demo: string, signIn: {teamPassword: string, teamTotpKey: string}}} ws
 */
async function turnOffTwoFactor(app, ws) {
  await app.goto(`${ws.demo}/demo/login`);
  await app.locator('#email').fill(TEAM_LOGIN);
  await app.locator('#password').fill(ws.signIn.teamPassword);
  await app.getByRole('button', { name: 'Sign in' }).click();
  await app.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await app.locator('#otp').fill(referenceTotp(ws.signIn.teamTotpKey));
  await app.getByRole('button', { name: 'Verify' }).click();
  await app.getByRole('heading', { name: `Welcome, ${TEAM_LOGIN}` }).waitFor();
  await app.goto(`${ws.demo}/demo/account`);
  await app.getByRole('button', { name: 'Turn off two-factor authentication' }).click();
  await app.locator('#twofa-status', { hasText: 'Two-factor authentication: Off' }).waitFor();
}

/**
 * Starts a task without a confirmation box (Add the number to the app, Turn on SMS MFA).
 * @param {Page} dashboard @param {string} label @param {string} origin
 */
async function startTask(dashboard, label, origin) {
  const row = dashboard.locator('li[data-account-id]', { hasText: TEAM });
  await row.getByRole('button', { name: `${label} for ${TEAM}` }).click();
  const dialog = dashboard.getByRole('dialog', { name: label });
  await dialog.getByLabel('The app’s address').fill(origin);
  await dialog.getByRole('button', { name: label }).click();
  await dialog.waitFor({ state: 'detached' });
  return row;
}

/**
 * On a failure: where the newest job stands, at the server and in the worker (printed).
 * @param {{server: string}} ws @param {string} token @param {BrowserContext} ctx
 * @returns {(e: unknown) => Promise<never>}
 */
function explain(ws, token, ctx) {
  return async (e) => {
    const { jobs, accountId } = await teamJobs(ws, token);
    if (jobs[0]) console.log('# job', JSON.stringify(await api(ws.server, token, 'GET', `/automations/${jobs[0].id}`)));
    const sw = await worker(ctx);
    console.log(
      '# worker',
      JSON.stringify(
        await sw.evaluate(async (/** @type {string} */ key) => {
          const p = (await chrome.storage.session.get(key))[key];
          return { p, tabs: (await chrome.tabs.query({})).map((t) => [t.id, t.status, t.url]) };
        }, `automation:${accountId}`),
      ),
    );
    throw e;
  };
}

test('one click turns on MFA at the demo; backup codes saved; another member’s Latchkey fills the code', async (t) => {
  const ws = await startWorkspace(t);
  const aliceCtx = await launchBrowser(t);
  const bobCtx = await launchBrowser(t);
  await joinWithKit(aliceCtx, ws, ALICE);
  await joinWithKit(bobCtx, ws, BOB);
  const alice = await workspaceState(aliceCtx);

  // The team login has MFA on at the app (as seeded): its owner turns it off there first.
  const app = await aliceCtx.newPage();
  await turnOffTwoFactor(app, ws);
  await app.getByRole('button', { name: 'Sign out' }).click();
  await app.getByRole('heading', { name: 'Sign in' }).waitFor();

  const dashboard = await openDashboard(aliceCtx);
  await dashboard.evaluate(watchReloads);
  const started = Date.now();
  const row = await turnOnMfa(dashboard, ws.demo);
  const status = row.getByRole('status', { name: `Automation status of ${TEAM}` });
  await status.filter({ hasText: SAYS.turnedOn }).waitFor({ timeout: 90_000 });
  const took = Date.now() - started;
  console.log(`# turn-on-totp job, click to done: ${took} ms`);
  await status.filter({ hasText: SAYS.backupSaved }).waitFor();
  // The job's end reloaded the account list, which never showed a row before its parts.
  await assertNoBareRows(() => dashboard.evaluate(seenReloads));
  await screenshot(dashboard, 'automation-turned-on');

  // The server's job: succeeded, every step logged with fixed words only.
  const { job, steps } = await endedJob(ws, alice.token, 1);
  assert.equal(job.status, 'succeeded');
  assert.equal(job.task, 'turn-on-totp');
  assert.ok(steps.length >= MIN_TOTP_STEPS, `${steps.length} steps`);
  assert.ok(
    steps.every((/** @type {{outcome: string}} */ s) => s.outcome === 'ok' || s.outcome === 'skipped'),
    JSON.stringify(steps),
  );
  assert.ok(steps.some((/** @type {{kind: string}} */ s) => s.kind === 'read-list'));

  // Emergency controls: the ten backup codes the app showed once.
  await row.getByRole('button', { name: `Show backup codes of ${TEAM}` }).click();
  await row.locator('.backup-codes li').nth(9).waitFor();
  assert.equal(await row.locator('.backup-codes li').count(), BACKUP_CODES);

  // The app now asks for the code at sign-in, and Bob's Latchkey fills it from the new key.
  const bobApp = await bobCtx.newPage();
  await bobApp.goto(`${ws.demo}/demo/login`);
  await bobApp.locator('#email').fill(TEAM_LOGIN);
  await bobApp.locator('#password').fill(ws.signIn.teamPassword);
  await bobApp.getByRole('button', { name: 'Sign in' }).click();
  await bobApp.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  const code = await waitFor(
    async () => {
      const v = await bobApp.locator('#otp').inputValue();
      return /^\d{6}$/.test(v) ? v : null;
    },
    'Bob’s Latchkey to fill the new code',
    20_000,
  );
  assert.notEqual(code, referenceTotp(ws.signIn.teamTotpKey), 'the new key’s code, not the old one');
  await bobApp.getByRole('button', { name: 'Verify' }).click();
  await bobApp.getByRole('heading', { name: `Welcome, ${TEAM_LOGIN}` }).waitFor();
});

test('failures: wrong password, page changed, tab closed, worker stopped (key kept), two clicks at once', async (t) => {
  const ws = await startWorkspace(t, { demoArgs: ['--changed-page'] });
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const alice = await workspaceState(ctx);
  const dashboard = await openDashboard(ctx);
  let count = 0;

  // The page changed: the demo, started with `--changed-page`, shows the two-factor page's key
  // under another id; signed in there (two-factor off), the job finds no key to read.
  const app = await ctx.newPage();
  await turnOffTwoFactor(app, ws);
  const row = await turnOnMfa(dashboard, ws.demo);
  let ended = await endedJob(ws, alice.token, ++count);
  assert.equal(ended.job.status, 'failed');
  assert.equal(ended.job.reason, 'element_missing');
  assert.equal(ended.steps.at(-1).outcome, 'failed');
  assert.equal(ended.steps.at(-1).kind, 'read');
  await row.getByRole('status').filter({ hasText: SAYS.changed }).waitFor();

  // The app refuses the saved password: the team login's password was changed at the demo (its
  // profile page) after it was saved in Latchkey, so the job's sign-in there is refused.
  await app.goto(`${ws.demo}/demo/account/profile`);
  await app.locator('#current-password').fill(ws.signIn.teamPassword);
  await app.locator('#new-password').fill(CHANGED_PASSWORD);
  await app.getByRole('button', { name: 'Change password' }).click();
  await app.getByText('Your password is changed.').waitFor();
  await app.goto(`${ws.demo}/demo/account`);
  await app.getByRole('button', { name: 'Sign out' }).click();
  await app.getByRole('heading', { name: 'Sign in' }).waitFor();
  await turnOnMfa(dashboard, ws.demo);
  ended = await endedJob(ws, alice.token, ++count);
  assert.equal(ended.job.status, 'failed');
  assert.equal(ended.job.reason, 'wrong_password');
  await row.getByRole('status').filter({ hasText: SAYS.wrongPassword }).waitFor();

  // The tab is closed while the job waits for the app to confirm the code.
  const hangs = await startFakeApp(t, 'hangs');
  await turnOnMfa(dashboard, hangs.origin);
  // The person closes the job's tab (the worker's record names it; closed as a person would).
  const { accountId } = await teamJobs(ws, alice.token);
  const sw = await worker(ctx);
  await waitFor(() => hangs.requests.some((r) => r.method === 'POST'), 'the code to be submitted', 30_000).catch(
    explain(ws, alice.token, ctx),
  );
  const running = await sw.evaluate(jobProgressAt, `automation:${accountId}`);
  const jobTab = running?.status === 'running' ? running.tabId : null;
  assert.equal(typeof jobTab, 'number', 'the running job’s tab');
  await sw.evaluate((/** @type {number} */ id) => chrome.tabs.remove(id), jobTab);
  ended = await endedJob(ws, alice.token, ++count);
  assert.equal(ended.job.status, 'needs_attention');
  assert.equal(ended.job.reason, 'tab_closed');
  await row.getByRole('status').filter({ hasText: SAYS.tabClosed }).waitFor();
  await row.getByRole('status').filter({ hasText: SAYS.pending }).waitFor();

  // The worker is stopped while the job waits: when it starts again it ends the job, saying
  // where it stopped; the key read from the app stays in the vault, pending.
  await turnOnMfa(dashboard, hangs.origin);
  // Stopped while it waits at the check after the code (the worker's record says which step).
  await waitFor(
    async () => {
      const p = await sw.evaluate(jobProgressAt, `automation:${accountId}`);
      return p?.status === 'running' && p.kind === 'check';
    },
    'the job to wait at its check',
    30_000,
  ).catch(explain(ws, alice.token, ctx));
  await stopServiceWorker(ctx, dashboard);
  await dashboard.reload();
  ended = await endedJob(ws, alice.token, ++count);
  assert.equal(ended.job.status, 'needs_attention');
  assert.equal(ended.job.reason, 'runner_stopped');
  const last = ended.steps.at(-1);
  assert.equal(last.kind, 'check');
  assert.equal(last.reason, 'runner_stopped');
  const reloadedRow = dashboard.locator('li[data-account-id]', { hasText: TEAM });
  await reloadedRow.getByRole('status').filter({ hasText: SAYS.stopped }).waitFor();
  await reloadedRow.getByRole('status').filter({ hasText: SAYS.pending }).waitFor();
  // The key read from the app is in the vault (pending): the account's code is that key's code.
  const state = await dashboard.evaluate(pendingKeyState, accountId);
  assert.equal(state.secret, 'pending');
  const fakeKey = FAKE_KEY.replace(/\s/g, '');
  assert.ok(
    referenceCodesBetween(fakeKey, Date.now() - 31_000, Date.now()).includes(state.codes[0]?.code),
    JSON.stringify(state.codes),
  );

  // Two clicks at once: one job; the other is refused, and so is a second start at the server.
  const replies = await dashboard.evaluate(twoStartsAtOnce, { accountId, origin: hangs.origin });
  assert.deepEqual(replies.map((r) => r.ok).sort(), [false, true], JSON.stringify(replies));
  assert.equal(await secondStartAtServer(ws, alice.token, accountId), 409);
  const { jobs } = await teamJobs(ws, alice.token);
  assert.equal(jobs.length, count + 1, 'one job for the two clicks');
});

test('the managed number is added to the app and verified through the inbox; then SMS MFA is turned on', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const alice = await workspaceState(ctx);
  // Signed in at the app with two-factor off: the jobs' tabs share this browser's session.
  const app = await ctx.newPage();
  await turnOffTwoFactor(app, ws);

  const dashboard = await openDashboard(ctx);
  let started = Date.now();
  const row = await startTask(dashboard, 'Add the number to the app', ws.demo);
  const status = row.getByRole('status', { name: `Automation status of ${TEAM}` });
  await status.filter({ hasText: SAYS.numberAdded }).waitFor({ timeout: 120_000 });
  console.log(`# add-number job, click to done: ${Date.now() - started} ms`);
  let ended = await endedJob(ws, alice.token, 1);
  assert.equal(ended.job.status, 'succeeded');
  assert.equal(ended.job.task, 'add-number');
  await app.goto(`${ws.demo}/demo/account/profile`);
  await app.locator('#phone-status', { hasText: 'Verified' }).waitFor();

  started = Date.now();
  await startTask(dashboard, 'Turn on SMS MFA', ws.demo);
  await status
    .filter({ hasText: SAYS.smsOn })
    .waitFor({ timeout: 90_000 })
    .catch(explain(ws, alice.token, ctx));
  console.log(`# turn-on-sms job, click to done: ${Date.now() - started} ms`);
  ended = await endedJob(ws, alice.token, 2);
  assert.equal(ended.job.status, 'succeeded');
  assert.equal(ended.job.task, 'turn-on-sms');
  await app.goto(`${ws.demo}/demo/account`);
  await app.locator('#twofa-status', { hasText: 'Two-factor authentication: On' }).waitFor();
  await app.getByText('Signing in asks for a code we text to your phone number').waitFor();
});
