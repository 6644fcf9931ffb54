// @ts-check
// The Workspace console's scenario (tests/e2e/console.test.mjs) and the attack on it
// (tests/e2e/abuse-console.test.mjs): who is invited, what is typed and what the console must say,
// shared by Chromium's tests and Firefox's tests/e2e-firefox/console.test.mjs and
// tests/e2e-firefox/abuse-console.test.mjs.
import assert from 'node:assert/strict';

// ---- The attack: a member with the User role asks for the console's data anyway ----

/** What the worker answers a User-role member's every console request. */
export const REFUSED = 'Only workspace admins, super admins and owners use the Workspace console.';

/** What the console's access request tells a User-role member. */
export const USER_ACCESS = { ok: true, allowed: false, role: 'user' };

/** Every console request, sent from Latchkey's own dashboard as a tampered page would. */
export const CONSOLE_REQUESTS = [
  { type: 'ws-console-users' },
  { type: 'ws-console-rotations' },
  { type: 'ws-console-audit' },
  { type: 'ws-console-audit-export', format: 'csv' },
  { type: 'ws-console-invite', email: 'mallory@evil.example', role: 'owner' },
  { type: 'ws-console-set-role', userId: 'x', role: 'owner' },
  { type: 'ws-console-preview', userId: 'x' },
  { type: 'ws-console-deprovision', userId: 'x' },
  { type: 'ws-console-apps' },
  { type: 'ws-console-scim-tokens' },
  { type: 'ws-console-scim-create', name: 'mine' },
];

/** The console's routes, straight at the server with the member's own token: each answers 403 forbidden. */
/** @type {Array<[string, string, unknown]>} */
export const SERVER_CALLS = [
  ['GET', '/workspace/users', undefined],
  ['GET', '/workspace/rotations', undefined],
  ['GET', '/audit', undefined],
  ['GET', '/audit?format=csv', undefined],
  ['GET', '/invitations', undefined],
  ['POST', '/invitations', { email: 'mallory@evil.example', role: 'user' }],
  ['GET', '/scim-tokens', undefined],
];

/**
 * Each of SERVER_CALLS with `token`: the status and error code of each, labelled "METHOD path".
 * @param {string} server @param {string} token
 * @returns {Promise<Array<{call: string, status: number, code: unknown}>>}
 */
export async function serverAnswers(server, token) {
  const answers = [];
  for (const [method, path, body] of SERVER_CALLS) {
    const r = await fetch(`${server}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    answers.push({ call: `${method} ${path}`, status: r.status, code: (await r.json()).error?.code });
  }
  return answers;
}

// ---- The scenario: invite, join, role change, deprovisioning, audit log, apps, SCIM tokens ----

export const CAROL = 'carol@northwind.test';
export const CAROL_NAME = 'Carol';
/** The second invitation, cancelled. */
export const DAVE = 'dave@northwind.test';
export const DAVE_NAME = 'Dave';

/** The account Carol keeps in the vault and shares with Alice (the owner). */
export const CAROL_ACCOUNT = { secret: 'JBSWY3DPEHPK3PXP', name: 'Carol CRM', site: 'crm.example' };

/** What the console says at each step. */
export const SAYS = {
  noAddress: 'Type the e-mail address',
  /** @param {string} email @param {string} role */
  invited: (email, role) => `${email} is invited as ${role}.`,
  invitationOpen: 'Invitation open until',
  /** @param {string} email */
  resent: (email) => `The invitation was e-mailed again to ${email}.`,
  /** @param {string} email */
  cancelled: (email) => `The invitation of ${email} is cancelled.`,
  ownRole: 'You cannot change your own role: ask another owner.',
  /** @param {string} name @param {string} role */
  roleNow: (name, role) => `${name} is now ${role}.`,
  /** @param {string} name */
  deprovisionTitle: (name) => `Deprovision ${name}?`,
  previewDevices: '1 device disabled at once',
  previewRekey: 'Accounts to re-key (they could read them): Carol CRM.',
  previewHandover: /^Carol CRM, which only Carol owns, goes to .*alice@northwind\.test/,
  deprovisioned: 'Carol is deprovisioned: 1 device disabled',
  handedOver: /^Carol CRM now belongs to .*alice@northwind\.test/,
  rekeyOwners: /^Owners who can change its key: .*alice@northwind\.test/,
  scimOnce: 'it is shown only this once',
  /** @param {string} name */
  revokeAsks: (name) => `Revoke “${name}”?`,
};

/** The audit log's entries for Carol's steps, and the action of a filled code. */
export const CAROL_ACTIONS = ['user.invited', 'user.role_changed', 'user.deprovisioned', 'account.shared'];
export const FILLED = 'code.filled';
/** A filled code's row names the demo app's site. */
export const FILLED_WHERE = /demo\.localhost/;

/** The exports: each format, its button, and the file name the console gives it. */
export const EXPORTS = /** @type {const} */ ([
  ['jsonl', 'Export JSON lines'],
  ['csv', 'Export CSV'],
]);
/** @param {string} format */
export const exportName = (format) => new RegExp(`^latchkey-audit-\\d{4}-\\d{2}-\\d{2}\\.${format}$`);

/**
 * An exported file filtered to the filled codes holds only filled codes: JSON lines, or CSV with
 * one header row.
 * @param {string} format @param {string} text
 */
export function checkExport(format, text) {
  const lines = text.trim().split(/\r?\n/);
  if (format === 'jsonl') {
    const events = lines.map((l) => JSON.parse(l));
    assert.ok(events.length > 0 && events.every((e) => e.action === FILLED), text);
  } else {
    assert.match(lines[0], /^seq,at,/);
    assert.equal(lines.filter((l) => l.startsWith('seq,')).length, 1, 'one header row');
    assert.ok(lines.length >= 2 && lines.slice(1).every((l) => l.includes(`"${FILLED}"`)), text);
  }
}

/** The app added to the catalog, as typed, and as the server then lists it. */
export const APP = { id: 'acme-crm', name: 'Acme CRM', site: 'crm.acme.example' };
export const APP_USES = 'managed number (VoIP ok)';
export const APP_LISTED = {
  ...APP,
  acceptsManagedNumber: true,
  voipOk: true,
  acceptsManagedEmail: false,
};

/** The SCIM token's name, and what a token looks like. */
export const SCIM_NAME = 'Okta';
export const SCIM_TOKEN = /^lks_scim_[A-Za-z0-9_-]+$/;
