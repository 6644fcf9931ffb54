// @ts-check
// The dry run against a live page (issue 20, docs/automations.md "A dry run against the app"), in
// Firefox with the built package, the real server and the demo app: Chromium's
// tests/e2e/automation-dry-run.test.mjs, the outcomes each run must list from
// tests/e2e/cases/automation.mjs. The demo's turn-on-totp is checked from the dashboard while
// signed in at the demo (its 2FA page's steps found, two-factor still off there, no job logged);
// signed out, the sign-in form is found and what follows it is not reached; a changed page is
// reported missing with its line; on a stand-in page that reports every fill or click event made on
// it (and any field left holding a value), the dry run makes none and sends no POST.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeApp } from '../e2e/automation-app.mjs';
import { assertDryRun, teamJobs } from '../e2e/cases/automation.mjs';
import { waitFor } from '../e2e/harness.mjs';
import { ALICE, startWorkspace } from '../e2e/workspace.mjs';
import { dryRun, openDashboard, signOut, turnOffTwoFactor, twoFactorIs } from './automation.mjs';
import { launchFirefox } from './firefox.mjs';
import { heading, joinWithKit, workspaceToken } from './workspace.mjs';

test('Firefox: a dry run against the demo finds the 2FA page’s steps and changes nothing there', async (t) => {
  const ws = await startWorkspace(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const token = await workspaceToken(ff);

  // Signed in at the demo with two-factor off (its own pages, as a person does it).
  const app = await ff.newTab();
  await turnOffTwoFactor(ff, ws);

  const dashboard = await openDashboard(ff);
  const started = Date.now();
  const rows = await dryRun(ff, ws.demo);
  console.log(`# dry run of turn-on-totp, signed in: ${Date.now() - started} ms`);
  // The 2FA page's steps are found; past the click that would submit the code, nothing is reached.
  assertDryRun(rows, 'signedIn');

  // Nothing changed at the demo: two-factor is still off there.
  await ff.switchTo(app);
  await ff.go(`${ws.demo}/demo/account`);
  await twoFactorIs(ff, 'Off');
  // No job was queued at the server: the log is only for jobs that act.
  assert.deepEqual((await teamJobs(ws, token)).jobs, []);

  // Signed out: the sign-in form's steps are found, but the saved login is not filled, so
  // everything after its submit is not reached.
  await signOut(ff);
  await ff.switchTo(dashboard);
  assertDryRun(await dryRun(ff, ws.demo), 'signedOut');
  await ff.switchTo(app);
  await ff.go(`${ws.demo}/demo/account`);
  await heading(ff, 'Sign in');

  // The page changed (the stand-in app on the demo's site, without the key's element): missing, with its line.
  const changed = await startFakeApp(t, 'changed');
  await ff.switchTo(dashboard);
  assertDryRun(await dryRun(ff, changed.origin), 'changed');
  assert.deepEqual(
    changed.requests.filter((r) => r.method !== 'GET'),
    [],
  );

  // A page whose every selector exists, and that reports every fill or click event made on it and
  // any field left holding a value: the dry run makes none, and sends it nothing but GETs.
  const watched = await startFakeApp(t, 'watched');
  assertDryRun(await dryRun(ff, watched.origin), 'watched');
  assert.ok(
    watched.requests.some((r) => r.path === '/demo/account/2fa'),
    'the page was opened',
  );
  assert.deepEqual(
    watched.requests.filter((r) => r.method !== 'GET'),
    [],
  );
  // The page's recorder works: a person typing into it is reported (the check above is not vacuous).
  await ff.newTab();
  const beforePerson = watched.requests.length;
  await ff.go(`${watched.origin}/demo/account/2fa`);
  await ff.type('#code', '123456');
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
