// @ts-check
// The Workspace console in Firefox with the built package, against a real `latchkey serve --demo`
// and the test's SMTP server: Chromium's tests/e2e/console.test.mjs, who is invited, what is typed
// and what must be seen from tests/e2e/cases/console.mjs. The owner invites Carol (and cancels
// another invitation), Carol joins in a Firefox of her own with the e-mailed code and shares an
// account of hers with the owner; the owner changes Carol's role, deprovisions her with the
// preview and takes over her account, which then waits for a new key; a code is filled; the audit
// log shows each step and exports as JSON lines and CSV (files Firefox saves); the app catalog and
// SCIM tokens are managed from the console, Revoke asking first (the page's confirm()). A member
// with the User role sees no console.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  APP,
  APP_LISTED,
  APP_USES,
  CAROL,
  CAROL_ACCOUNT,
  CAROL_ACTIONS,
  CAROL_NAME,
  DAVE,
  DAVE_NAME,
  EXPORTS,
  FILLED,
  FILLED_WHERE,
  SAYS,
  SCIM_NAME,
  SCIM_TOKEN,
  checkExport,
  exportName,
} from '../e2e/cases/console.mjs';
import { waitFor } from '../e2e/harness.mjs';
import { ALICE, BOB, api, startWorkspace } from '../e2e/workspace.mjs';
import {
  choose,
  downloaded,
  downloadsTo,
  joinAsNewMember,
  openDashboard,
  personRow,
  reloadDashboard,
  showsText,
  workspaceState,
} from './console.mjs';
import { addThroughPopup, filledOtpIn, launchFirefox, openPopup, sharedContext, waitIn } from './firefox.mjs';
import { joinWithKit, teamCodeStep } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/** One demo workspace for the file: the second test's Bob is untouched by the first. */
const shared = sharedContext(after);
/** @type {Promise<Awaited<ReturnType<typeof startWorkspace>>> | undefined} */
let workspace;
const demoWorkspace = () => (workspace ??= startWorkspace(shared));

/** Whether the element `css` of the current page is shown. @param {Firefox} ff @param {string} css */
const shows = (ff, css) => ff.run((c) => Boolean(document.querySelector(c)?.checkVisibility()), css);

/** The audit rows' actions, as drawn now. @param {Firefox} ff */
const auditActions = (ff) =>
  ff.run(() => [...document.querySelectorAll('#audit-rows tr td:nth-child(3)')].map((td) => td.textContent ?? ''));

/** The cells of the first audit row whose action is `action`. @param {Firefox} ff @param {string} action */
const auditRow = (ff, action) =>
  ff.run(
    (a) =>
      [...document.querySelectorAll('#audit-rows tr')]
        .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''))
        .find((cells) => cells[2] === a) ?? null,
    action,
  );

test('Firefox: invite, join, role change, deprovisioning with a takeover; the audit log shows each step', async (t) => {
  const ws = await demoWorkspace();
  const downloads = await downloadsTo(t);
  const aliceFf = await launchFirefox(t, { prefs: downloads.prefs });
  await joinWithKit(aliceFf, ws, ALICE);
  const alice = await workspaceState(aliceFf);
  const ff = aliceFf;
  await openDashboard(ff);
  assert.equal(await ff.run(() => document.body.dataset.console), 'shown');
  await waitIn(
    ff,
    () => document.querySelector('#console-title')?.checkVisibility() && document.querySelector('li.person'),
    'the Workspace console and its Users',
  );

  // Invite: a clear error for a missing address, then Carol as a User.
  await ff.click('#invite-form button[type=submit]');
  await showsText(ff, '#invite-error', SAYS.noAddress);
  const sentBefore = ws.smtp.count();
  await ff.type('#invite-email', CAROL);
  await ff.type('#invite-name', CAROL_NAME);
  await choose(ff, '#invite-role', 'user');
  await ff.click('#invite-form button[type=submit]');
  await showsText(ff, '#people-done', SAYS.invited(CAROL, 'User'));
  const carolRow = await personRow(ff, CAROL);
  await showsText(ff, `${carolRow} .status`, 'Invited');
  await showsText(ff, `${carolRow} p`, SAYS.invitationOpen);
  // The same address again: the server's sentence.
  await ff.type('#invite-email', CAROL);
  await ff.click('#invite-form button[type=submit]');
  await waitIn(ff, () => document.querySelector('#invite-error')?.checkVisibility(), 'the server’s refusal');
  await ff.type('#invite-email', '');
  // Resend e-mails it again; a second invitation is cancelled and its row goes.
  await ff.click(`button[aria-label="Resend the invitation of ${CAROL_NAME}"]`);
  await showsText(ff, '#people-done', SAYS.resent(CAROL));
  await waitFor(async () => ws.smtp.count() >= sentBefore + 2 || null, 'the invitation and its resending e-mailed');
  await ff.type('#invite-email', DAVE);
  await ff.type('#invite-name', DAVE_NAME);
  await ff.click('#invite-form button[type=submit]');
  await personRow(ff, DAVE);
  await ff.click(`button[aria-label="Cancel the invitation of ${DAVE_NAME}"]`);
  await showsText(ff, '#people-done', SAYS.cancelled(DAVE));
  await waitIn(
    ff,
    (e) => ![...document.querySelectorAll('li.person .meta')].some((m) => m.textContent === e),
    'Dave’s row gone',
    DAVE,
  );

  // Carol joins in a Firefox of her own: the e-mailed code, her new Recovery Kit, her PIN.
  const carol = await launchFirefox(t);
  await joinAsNewMember(carol, ws, CAROL, 'carol laptop');
  // She keeps an account in the vault (added in the popup) and shares it with Alice.
  await openPopup(carol);
  await addThroughPopup(carol, CAROL_ACCOUNT);
  await openDashboard(carol);
  assert.equal(await carol.run(() => document.body.dataset.console), 'none');
  assert.equal(await shows(carol, '#console'), false, 'a User sees no console');
  const crm = await waitIn(
    carol,
    (n) =>
      /** @type {HTMLElement | undefined} */ (
        [...document.querySelectorAll('#sharing li[data-account-id]')].find((li) => li.textContent?.includes(n))
      )?.dataset.accountId,
    'Carol CRM in Shared accounts',
    CAROL_ACCOUNT.name,
  );
  const crmRow = `#sharing li[data-account-id="${crm}"]`;
  await choose(carol, `${crmRow} select[aria-label="Share ${CAROL_ACCOUNT.name} with"]`, alice.userId);
  await carol.click(`${crmRow} button[aria-label="Share ${CAROL_ACCOUNT.name}"]`);
  await showsText(carol, `${crmRow} .member`, ALICE);

  // Back in the console: Carol is active, with her trusted device and when it was last seen.
  await reloadDashboard(ff);
  const active = await personRow(ff, CAROL);
  await showsText(ff, `${active} .status`, 'Active');
  const facts = await waitIn(
    ff,
    (row) => {
      const dds = [...document.querySelectorAll(`${row} dt`)].map((dt) => [
        dt.textContent,
        dt.nextElementSibling?.textContent,
      ]);
      return dds.length ? Object.fromEntries(dds) : null;
    },
    'Carol’s facts',
    active,
  );
  assert.equal(facts['Trusted devices'], '1');
  assert.notEqual(facts['Last seen'], 'never');
  // An owner may give any role: nothing is greyed out on Carol's row.
  assert.equal(await ff.run((row) => document.querySelectorAll(`${row} option:disabled`).length, active), 0);
  // Alice's own row explains why her role is not hers to change.
  const own = await personRow(ff, ALICE);
  await showsText(ff, `${own} li`, SAYS.ownRole);
  assert.equal(
    await ff.run(
      (row) =>
        /** @type {HTMLSelectElement} */ (document.querySelector(`${row} select[aria-label^="Role of "]`)).disabled,
      own,
    ),
    true,
  );

  await choose(ff, `${active} select[aria-label="Role of ${CAROL_NAME}"]`, 'admin');
  await ff.click(`${active} button[aria-label="Change the role of ${CAROL_NAME}"]`);
  await showsText(ff, '#people-done', SAYS.roleNow(CAROL_NAME, 'Admin'));
  const users = await api(ws.server, alice.token, 'GET', '/users');
  assert.equal(users.find((/** @type {{email: string}} */ u) => u.email === CAROL).role, 'admin');

  // Deprovision: the preview, Alice chosen to take over Carol's account, then the result.
  await ff.click(`${await personRow(ff, CAROL)} button[aria-label="Deprovision ${CAROL_NAME}"]`);
  await showsText(ff, '#deprovision-title', SAYS.deprovisionTitle(CAROL_NAME));
  await showsText(ff, '#deprovision-preview li', SAYS.previewDevices);
  await showsText(ff, '#deprovision-preview li', SAYS.previewRekey);
  await choose(ff, '#deprovision-owner', alice.userId);
  await showsText(ff, '#deprovision-preview li', SAYS.previewHandover);
  await ff.screenshot('firefox-console-deprovision-preview');
  await ff.click('#deprovision-go');
  await showsText(ff, '#people-done p', SAYS.deprovisioned);
  await showsText(ff, '#people-done p', SAYS.handedOver);
  await showsText(ff, `${await personRow(ff, CAROL)} .status`, 'Deprovisioned');
  // The account waits for a new key, and Alice (now its owner) is who can give it one.
  await waitIn(
    ff,
    (n, owners) =>
      [...document.querySelectorAll('#rekey li')].some(
        (li) =>
          li.textContent?.includes(n) &&
          [...li.querySelectorAll('p')].some((p) => new RegExp(owners).test(p.textContent ?? '')),
      ),
    'Carol CRM waiting for a new key, Alice who can give it',
    CAROL_ACCOUNT.name,
    SAYS.rekeyOwners.source,
  );

  // A code filled at the demo app is reported to the audit log.
  const dashboard = await ff.handle();
  await teamCodeStep(ff, ws);
  await filledOtpIn(ff);
  await waitFor(async () => {
    const r = await api(ws.server, alice.token, 'GET', `/audit?action=${FILLED}`);
    return r.events.length > 0 || null;
  }, 'the fill reported');

  // The audit log: Carol's steps under her name, the fill under its action.
  await ff.switchTo(dashboard);
  await reloadDashboard(ff);
  await personRow(ff, CAROL);
  await choose(ff, '#audit-user', CAROL, { byText: true });
  await ff.click('#audit-form button[type=submit]');
  await waitIn(
    ff,
    (wanted) => {
      const actions = [...document.querySelectorAll('#audit-rows tr td:nth-child(3)')].map((td) => td.textContent);
      return wanted.every((/** @type {string} */ a) => actions.includes(a));
    },
    'Carol’s invitation, role change, sharing and deprovisioning in the audit log',
    CAROL_ACTIONS,
  );
  const deprovisioned = await auditRow(ff, 'user.deprovisioned');
  assert.equal(deprovisioned?.[1], ALICE, 'done by Alice');
  assert.equal(deprovisioned?.[3], CAROL, 'done to Carol');
  await choose(ff, '#audit-user', '');
  await choose(ff, '#audit-action', FILLED);
  await ff.click('#audit-form button[type=submit]');
  await waitIn(
    ff,
    (a) => {
      const actions = [...document.querySelectorAll('#audit-rows tr td:nth-child(3)')].map((td) => td.textContent);
      return actions.length > 0 && actions.every((x) => x === a);
    },
    'only filled codes in the audit log',
    FILLED,
  );
  assert.ok((await auditActions(ff)).includes(FILLED));
  assert.match(
    await ff.run((a) => {
      const row = [...document.querySelectorAll('#audit-rows tr')].find((tr) => tr.textContent?.includes(a));
      return row?.textContent ?? '';
    }, FILLED),
    FILLED_WHERE,
  );
  await ff.screenshot('firefox-console-audit');

  // Export: the server's JSON lines and CSV, saved by Firefox as files, for the filters shown.
  for (const [format, label] of EXPORTS) {
    await ff.press(label);
    const { file, text } = await downloaded(downloads.dir, exportName(format));
    assert.match(file, exportName(format));
    checkExport(format, text);
  }

  // The app catalog: a new app that takes managed numbers (VoIP ok).
  await ff.click('#app-add summary');
  await ff.type('#app-new-id', APP.id);
  await ff.type('#app-new-name', APP.name);
  await ff.type('#app-new-site', APP.site);
  await ff.click('#app-add-form input[aria-label="Takes a managed phone number"]');
  await ff.click('#app-add-form input[aria-label="A VoIP number will do"]');
  await ff.click('#app-add-form button[aria-label="Add app"]');
  await showsText(ff, `#apps li[data-app-id="${APP.id}"]`, APP_USES);
  const apps = await api(ws.server, alice.token, 'GET', '/apps');
  assert.deepEqual(
    apps.find((/** @type {{id: string}} */ a) => a.id === APP.id),
    APP_LISTED,
  );

  // SCIM tokens (Alice is an owner): shown once with a warning, listed by name, revoked after a
  // confirmation (Cancel keeps it).
  await ff.type('#scim-name', SCIM_NAME);
  await ff.click('#scim-form button[type=submit]');
  await showsText(ff, '#scim-dialog p', SAYS.scimOnce);
  const token = await waitIn(ff, () => document.querySelector('#scim-dialog-token')?.textContent?.trim(), 'the token');
  assert.match(token, SCIM_TOKEN);
  await ff.click('#scim-dialog button[value=done]');
  await waitIn(
    ff,
    () => document.querySelector('#scim-dialog-token')?.textContent === '',
    'the token gone from the page once closed',
  );
  await showsText(ff, '#scim li', SCIM_NAME);
  await ff.click(`button[aria-label="Revoke ${SCIM_NAME}"]`);
  assert.ok((await ff.alertText()).startsWith(SAYS.revokeAsks(SCIM_NAME)));
  await ff.dismissAlert();
  await showsText(ff, '#scim li', SCIM_NAME);
  assert.equal((await api(ws.server, alice.token, 'GET', '/scim-tokens')).scimTokens.length, 1, 'Cancel keeps it');
  await ff.click(`button[aria-label="Revoke ${SCIM_NAME}"]`);
  assert.ok((await ff.alertText()).startsWith(SAYS.revokeAsks(SCIM_NAME)));
  await ff.acceptAlert();
  await waitIn(
    ff,
    (n) => ![...document.querySelectorAll('#scim li')].some((li) => li.textContent?.includes(n)),
    'the token’s row gone',
    SCIM_NAME,
  );
  assert.deepEqual((await api(ws.server, alice.token, 'GET', '/scim-tokens')).scimTokens, []);
});

test('Firefox: a member with the User role sees no console', async (t) => {
  const ws = await demoWorkspace();
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, BOB);
  await openDashboard(ff);
  await waitIn(ff, () => document.querySelector('#sharing-card')?.checkVisibility(), 'Shared accounts');
  // The console decided (console.js marks the page once it knows), and stayed hidden.
  assert.equal(await ff.run(() => document.body.dataset.console), 'none');
  assert.equal(await shows(ff, '#console'), false);
  assert.equal(
    await ff.run(
      () =>
        [...document.querySelectorAll('h1, h2')].filter((h) => h.textContent === 'Workspace' && h.checkVisibility())
          .length,
    ),
    0,
  );
});
