// @ts-check
// The dry run against a live page (issue 20, docs/automations.md "A dry run against the app"), in
// Chromium with the real extension, server and the demo app: the demo's turn-on-totp is checked
// from the account page while signed in at the demo (its 2FA page's steps found, two-factor still
// off there, no job logged). Signed out, the sign-in form is found and what follows it is not
// reached. A changed page (the stand-in app without the key's element) is reported as missing with
// its line. On a stand-in page whose every selector exists and that reports every fill or click
// event made on it (and any field left holding a value), the dry run makes none and sends no POST.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, referenceTotp, screenshot, waitFor } from './harness.mjs';
import { ALICE, DASHBOARD_URL, api, joinWithKit, startWorkspace, workspaceState } from './workspace.mjs';
import { startFakeApp } from './automation-app.mjs';
import { assertDryRun, dryRunRows, TEAM, TEAM_LOGIN } from './cases/automation.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('./cases/automation.mjs').Row} Row */

/**
 * Runs the dry run of Turn on MFA from the account page; resolves with the steps it lists.
 * @param {Page} dashboard @param {string} origin @returns {Promise<Row[]>}
 */
async function dryRun(dashboard, origin) {
  const row = dashboard.locator('li[data-account-id]', { hasText: TEAM });
  await row.getByRole('button', { name: `Check Turn on MFA against the app for ${TEAM}` }).click();
  const dialog = dashboard.getByRole('dialog', { name: 'Check Turn on MFA against the app' });
  await dialog.getByLabel('The app’s address').fill(origin);
  await dialog.getByRole('button', { name: 'Check' }).click();
  const list = dialog.getByRole('list', { name: 'Steps checked' });
  await list.waitFor({ timeout: 90_000 });
  const rows = /** @type {Row[]} */ (await dashboard.evaluate(dryRunRows));
  await screenshot(dashboard, 'automation-dry-run');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  return rows;
}

test('a dry run against the demo finds the 2FA page’s steps and changes nothing there', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const alice = await workspaceState(ctx);

  // Signed in at the demo with two-factor off (its own pages, as a person does it).
  const app = await ctx.newPage();
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

  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  await dashboard.locator('li[data-account-id]', { hasText: TEAM }).waitFor();
  const started = Date.now();
  const rows = await dryRun(dashboard, ws.demo);
  console.log(`# dry run of turn-on-totp, signed in: ${Date.now() - started} ms`);

  // The 2FA page's steps are found; past the click that would submit the code, nothing is reached.
  assertDryRun(rows, 'signedIn');

  // Nothing changed at the demo: two-factor is still off there.
  await app.goto(`${ws.demo}/demo/account`);
  await app.locator('#twofa-status', { hasText: 'Two-factor authentication: Off' }).waitFor();
  // No job was queued at the server: the log is only for jobs that act.
  const [account] = (await api(ws.server, alice.token, 'GET', '/accounts')).accounts.filter(
    (/** @type {{name: string}} */ a) => a.name === TEAM,
  );
  const { jobs } = await api(ws.server, alice.token, 'GET', `/automations?account=${account.id}`);
  assert.deepEqual(jobs, []);

  // Signed out: the sign-in form's steps are found, but the saved login is not filled, so
  // everything after its submit is not reached.
  await app.getByRole('button', { name: 'Sign out' }).click();
  await app.getByRole('heading', { name: 'Sign in' }).waitFor();
  const signedOut = await dryRun(dashboard, ws.demo);
  assertDryRun(signedOut, 'signedOut');
  await app.goto(`${ws.demo}/demo/account`);
  await app.getByRole('heading', { name: 'Sign in' }).waitFor();

  // The page changed (the stand-in app on the demo's site, without the key's element): missing, with its line.
  const changed = await startFakeApp(t, 'changed');
  const changedRows = await dryRun(dashboard, changed.origin);
  assertDryRun(changedRows, 'changed');
  assert.deepEqual(
    changed.requests.filter((r) => r.method !== 'GET'),
    [],
  );

  // A page whose every selector exists, and that reports every fill or click event made on it and
  // any field left holding a value: the dry run makes none, and sends it nothing but GETs.
  const watched = await startFakeApp(t, 'watched');
  const watchedRows = await dryRun(dashboard, watched.origin);
  assertDryRun(watchedRows, 'watched');
  assert.ok(
    watched.requests.some((r) => r.path === '/demo/account/2fa'),
    'the page was opened',
  );
  assert.deepEqual(
    watched.requests.filter((r) => r.method !== 'GET'),
    [],
  );
  // The page's recorder works: a person typing into it is reported (the check above is not vacuous).
  const person = await ctx.newPage();
  const beforePerson = watched.requests.length;
  await person.goto(`${watched.origin}/demo/account/2fa`);
  await person.locator('#code').fill('123456');
  await waitFor(
    () => watched.requests.slice(beforePerson).some((r) => r.path === '/event'),
    'the page to report the typing',
    20_000,
  );
  // And nothing was reported before the person came (a late report of the dry run's tab included).
  assert.deepEqual(
    watched.requests.slice(0, beforePerson).filter((r) => r.path === '/event'),
    [],
  );
});
