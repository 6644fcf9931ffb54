// @ts-check
// The automation runner (issue 20) in Firefox with the built package against the demo app
// (`latchkey serve --demo` and latchkey-demo): Chromium's tests/e2e/automation.test.mjs, its
// expectations and extension-side calls from tests/e2e/cases/automation.mjs. One click turns on MFA
// for the demo's team login (the app then asks for the code at sign-in, and another member's
// Latchkey, a second Firefox, fills it), its backup codes are saved in Emergency controls; the ways
// a job fails, each ending with the job's status and reason read back from the server; the managed
// number added and SMS MFA turned on.
// Firefox's difference: Chromium stops the service worker mid-job over CDP. Firefox's idle timeout
// cannot stop this event page then (the job calls tabs and scripting every second, which Firefox
// counts as activity), so the test ends it as about:debugging's "Terminate background script" does:
// the add-on's own `terminateBackground()` from the browser's chrome, then waits until Firefox's
// state of it says stopped (waitSuspended).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAKE_KEY, startFakeApp } from '../e2e/automation-app.mjs';
import {
  assertNoBareRows,
  BACKUP_CODES,
  CHANGED_PASSWORD,
  endedJob,
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
} from '../e2e/cases/automation.mjs';
import { referenceCodesBetween, referenceTotp, waitFor } from '../e2e/harness.mjs';
import { ALICE, BOB, startWorkspace } from '../e2e/workspace.mjs';
import {
  jobProgress,
  openDashboard,
  signOut,
  startTask,
  statusSays,
  turnOffTwoFactor,
  turnOnMfa,
  twoFactorIs,
} from './automation.mjs';
import { filledOtpIn, launchFirefox, stopBackground, tellBackground, waitIn } from './firefox.mjs';
import { heading, joinWithKit, workspaceToken } from './workspace.mjs';

// Chromium's test names, prefixed.
const ONE_CLICK =
  'Firefox: one click turns on MFA at the demo; backup codes saved; another member’s Latchkey fills the code';
const FAILURES =
  'Firefox: failures: wrong password, page changed, tab closed, worker stopped (key kept), two clicks at once';
const NUMBER =
  'Firefox: the managed number is added to the app and verified through the inbox; then SMS MFA is turned on';

test(ONE_CLICK, async (t) => {
  const ws = await startWorkspace(t);
  const alice = await launchFirefox(t);
  const bob = await launchFirefox(t);
  await joinWithKit(alice, ws, ALICE);
  await joinWithKit(bob, ws, BOB);
  const token = await workspaceToken(alice);

  // The team login has MFA on at the app (as seeded): its owner turns it off there first.
  await alice.newTab();
  await turnOffTwoFactor(alice, ws);
  await signOut(alice);

  await openDashboard(alice);
  await alice.run(watchReloads);
  const started = Date.now();
  await turnOnMfa(alice, ws.demo);
  // The server's job: succeeded, every step logged with fixed words only.
  const { job, steps } = await endedJob(ws, token, 1);
  await statusSays(alice, SAYS.turnedOn);
  console.log(`# turn-on-totp job, click to done: ${Date.now() - started} ms`);
  await statusSays(alice, SAYS.backupSaved);
  // The job's end reloaded the account list, which never showed a row before its parts.
  await assertNoBareRows(() => alice.run(seenReloads));
  await alice.screenshot('firefox-automation-turned-on');
  assert.equal(job.status, 'succeeded');
  assert.equal(job.task, 'turn-on-totp');
  assert.ok(steps.length >= MIN_TOTP_STEPS, `${steps.length} steps`);
  assert.ok(
    steps.every((/** @type {{outcome: string}} */ s) => s.outcome === 'ok' || s.outcome === 'skipped'),
    JSON.stringify(steps),
  );
  assert.ok(steps.some((/** @type {{kind: string}} */ s) => s.kind === 'read-list'));

  // Emergency controls: the ten backup codes the app showed once.
  await alice.click(`button[aria-label="Show backup codes of ${TEAM}"]`);
  const shown = await waitIn(
    alice,
    (n) => {
      const row = [...document.querySelectorAll('li[data-account-id]')].find((li) => li.textContent?.includes(n));
      const codes = row?.querySelectorAll('.backup-codes li').length ?? 0;
      return codes >= 10 ? codes : 0;
    },
    'the backup codes',
    TEAM,
  );
  assert.equal(shown, BACKUP_CODES);

  // The app now asks for the code at sign-in, and Bob's Latchkey fills it from the new key.
  await bob.newTab();
  await bob.go(`${ws.demo}/demo/login`);
  await bob.type('#email', TEAM_LOGIN);
  await bob.type('#password', ws.signIn.teamPassword);
  await bob.click('#sign-in button[type=submit]');
  await heading(bob, 'Two-step verification');
  const code = await filledOtpIn(bob);
  assert.notEqual(code, referenceTotp(ws.signIn.teamTotpKey), 'the new key’s code, not the old one');
  await bob.click('form button[type=submit]');
  await heading(bob, `Welcome, ${TEAM_LOGIN}`);
});

test(FAILURES, async (t) => {
  const ws = await startWorkspace(t, { demoArgs: ['--changed-page'] });
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const token = await workspaceToken(ff);
  const dashboard = await openDashboard(ff);
  let count = 0;

  // The page changed: the demo, started with `--changed-page`, shows the two-factor page's key
  // under another id; signed in there (two-factor off), the job finds no key to read.
  const app = await ff.newTab();
  await turnOffTwoFactor(ff, ws);
  await ff.switchTo(dashboard);
  await turnOnMfa(ff, ws.demo);
  let ended = await endedJob(ws, token, ++count);
  assert.equal(ended.job.status, 'failed');
  assert.equal(ended.job.reason, 'element_missing');
  assert.equal(ended.steps.at(-1).outcome, 'failed');
  assert.equal(ended.steps.at(-1).kind, 'read');
  await statusSays(ff, SAYS.changed);

  // The app refuses the saved password: the team login's password was changed at the demo (its
  // profile page) after it was saved in Latchkey, so the job's sign-in there is refused.
  await ff.switchTo(app);
  await ff.go(`${ws.demo}/demo/account/profile`);
  await ff.type('#current-password', ws.signIn.teamPassword);
  await ff.type('#new-password', CHANGED_PASSWORD);
  await ff.click('#password-form button[type=submit]');
  await waitIn(ff, () => document.body.textContent?.includes('Your password is changed.'), 'the password changed');
  await ff.go(`${ws.demo}/demo/account`);
  await signOut(ff);
  await ff.switchTo(dashboard);
  await turnOnMfa(ff, ws.demo);
  ended = await endedJob(ws, token, ++count);
  assert.equal(ended.job.status, 'failed');
  assert.equal(ended.job.reason, 'wrong_password');
  await statusSays(ff, SAYS.wrongPassword);

  // The tab is closed while the job waits for the app to confirm the code.
  const hangs = await startFakeApp(t, 'hangs');
  await turnOnMfa(ff, hangs.origin);
  const { accountId } = await teamJobs(ws, token);
  await waitFor(() => hangs.requests.some((r) => r.method === 'POST'), 'the code to be submitted', 30_000);
  const progress = await jobProgress(ff, accountId);
  assert.equal(progress?.status, 'running', JSON.stringify(progress));
  assert.equal(typeof progress.tabId, 'number', 'the running job’s tab');
  // Closed from the dashboard through the tabs API, as Chromium's test does from the worker. It is
  // closed while Firefox says it is stopping the background, when the extension's calls fail
  // whatever the tab did: the job waits (a stop would leave it for the next start to end), and
  // ends once the stop is called off.
  await tellBackground(ff, 'suspend');
  await ff.run((id) => chrome.tabs.remove(id), progress.tabId);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await jobProgress(ff, accountId))?.status, 'running', 'not ended while the background stops');
  await tellBackground(ff, 'suspend-canceled');
  ended = await endedJob(ws, token, ++count);
  assert.equal(ended.job.status, 'needs_attention');
  assert.equal(ended.job.reason, 'tab_closed');
  await statusSays(ff, SAYS.tabClosed);
  await statusSays(ff, SAYS.pending);

  // The background is stopped while the job waits: when it starts again it ends the job, saying
  // where it stopped; the key read from the app stays in the vault, pending.
  await turnOnMfa(ff, hangs.origin);
  // Stopped while it waits at the check after the code (the background's record says which step).
  await waitFor(async () => {
    const p = await jobProgress(ff, accountId);
    return p?.status === 'running' && p.kind === 'check';
  }, 'the job to wait at its check');
  // The dashboard asks every half second: closed first, or it would start the background again.
  const blank = await ff.newTab();
  await ff.closeTab(dashboard);
  await ff.switchTo(blank);
  await stopBackground(ff);
  await openDashboard(ff);
  ended = await endedJob(ws, token, ++count);
  assert.equal(ended.job.status, 'needs_attention');
  assert.equal(ended.job.reason, 'runner_stopped');
  const last = ended.steps.at(-1);
  assert.equal(last.kind, 'check');
  assert.equal(last.reason, 'runner_stopped');
  await statusSays(ff, SAYS.stopped);
  await statusSays(ff, SAYS.pending);
  // The key read from the app is in the vault (pending): the account's code is that key's code.
  const state = await ff.run(pendingKeyState, accountId);
  assert.equal(state.secret, 'pending');
  const fakeKey = FAKE_KEY.replace(/\s/g, '');
  assert.ok(
    referenceCodesBetween(fakeKey, Date.now() - 31_000, Date.now()).includes(state.codes[0]?.code),
    JSON.stringify(state.codes),
  );

  // Two clicks at once: one job; the other is refused, and so is a second start at the server.
  const replies = await ff.run(twoStartsAtOnce, { accountId, origin: hangs.origin });
  assert.deepEqual(replies.map((r) => r.ok).sort(), [false, true], JSON.stringify(replies));
  assert.equal(await secondStartAtServer(ws, token, accountId), 409);
  const { jobs } = await teamJobs(ws, token);
  assert.equal(jobs.length, count + 1, 'one job for the two clicks');
});

test(NUMBER, async (t) => {
  const ws = await startWorkspace(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const token = await workspaceToken(ff);
  // Signed in at the app with two-factor off: the jobs' tabs share this browser's session.
  const app = await ff.newTab();
  await turnOffTwoFactor(ff, ws);

  const dashboard = await openDashboard(ff);
  let started = Date.now();
  await startTask(ff, 'Add the number to the app', ws.demo);
  let ended = await endedJob(ws, token, 1);
  await statusSays(ff, SAYS.numberAdded);
  console.log(`# add-number job, click to done: ${Date.now() - started} ms`);
  assert.equal(ended.job.status, 'succeeded');
  assert.equal(ended.job.task, 'add-number');
  await ff.switchTo(app);
  await ff.go(`${ws.demo}/demo/account/profile`);
  await waitIn(ff, () => document.querySelector('#phone-status')?.textContent?.includes('Verified'), 'verified');

  await ff.switchTo(dashboard);
  started = Date.now();
  await startTask(ff, 'Turn on SMS MFA', ws.demo);
  ended = await endedJob(ws, token, 2);
  await statusSays(ff, SAYS.smsOn);
  console.log(`# turn-on-sms job, click to done: ${Date.now() - started} ms`);
  assert.equal(ended.job.status, 'succeeded');
  assert.equal(ended.job.task, 'turn-on-sms');
  await ff.switchTo(app);
  await ff.go(`${ws.demo}/demo/account`);
  await twoFactorIs(ff, 'On');
  await waitIn(
    ff,
    () => document.body.textContent?.includes('Signing in asks for a code we text to your phone number'),
    'SMS sign-in said',
  );
});
