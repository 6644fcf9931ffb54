// @ts-check
/**
 * The Workspace console's calls (the dashboard's people, invitations, roles, deprovisioning,
 * accounts to re-key, app catalog, audit log and SCIM tokens), made here with this device's token:
 * the dashboard never holds it. Only admins and above get here: every request first asks the
 * server who this user is, and a member with the User role is refused before any console call
 * (the server refuses them too). Who may do what to whom is the server's verdict, passed on as
 * given; every value from the server is checked for its shape before the page sees it.
 */
import * as client from './client.js';
import { arr, bool, id, int, obj, oneOf, optText, text } from './shapes.js';
import * as state from './state.js';

/** @typedef {import('../../types/protocol').ConsoleUsersView} ConsoleUsersView */
/** @typedef {import('../../types/protocol').ConsoleRole} ConsoleRole */

export const ROLES = /** @type {const} */ (['owner', 'super_admin', 'admin', 'user']);
const STATUSES = /** @type {const} */ (['invited', 'active', 'deprovisioned']);

/** The signed-in user's role, as the server says now (a role changes without this device knowing). */
async function currentRole() {
  const ws = await state.registered();
  if (ws.stage !== 'trusted') throw new Error('This session is not secure: verify this device first.');
  const me = obj(await client.request('GET', '/me'), 'me');
  return oneOf(obj(me.user, 'user').role, ROLES, 'role');
}

/** Refuses a member with the User role before anything is asked of the console's routes. */
async function adminOnly() {
  const role = await currentRole();
  if (role === 'user') throw new Error('Only workspace admins, super admins and owners use the Workspace console.');
  return role;
}

/** An id for a path segment: nothing that could change the path. @param {string} v */
function segment(v) {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(v)) throw new Error('The request is malformed.');
  return v;
}

/** @param {unknown} raw @returns {Array<{role: ConsoleRole, allowed: boolean, why: string | null}>} */
function choices(raw) {
  return arr(raw, 'role choices', 8).map((c) => {
    const o = obj(c, 'role choice');
    return { role: oneOf(o.role, ROLES, 'role'), allowed: bool(o.allowed, 'allowed'), why: optText(o.why, 'why', 500) };
  });
}

/** @param {unknown} v @param {string} what */
function optInt(v, what) {
  return v === null || v === undefined ? null : int(v, what);
}

/** Whether the dashboard shows the console: the server's word on this user's role. */
export async function access() {
  const role = await currentRole();
  return { allowed: role !== 'user', role };
}

/** @returns {Promise<ConsoleUsersView>} */
export async function users() {
  await adminOnly();
  const reply = obj(await client.request('GET', '/workspace/users'), 'console users');
  const you = obj(reply.you, 'you');
  return {
    users: arr(reply.users, 'users', 10_000).map((raw) => {
      const u = obj(raw, 'user');
      const inv = u.invitation === null || u.invitation === undefined ? null : obj(u.invitation, 'invitation');
      return {
        id: id(u.id, 'user id'),
        email: text(u.email, 'user e-mail', 320),
        displayName: text(u.displayName, 'display name', 200),
        role: oneOf(u.role, ROLES, 'role'),
        status: oneOf(u.status, STATUSES, 'user status'),
        you: bool(u.you, 'you'),
        trustedDevices: int(u.trustedDevices, 'trusted devices'),
        lastSeenAt: optInt(u.lastSeenAt, 'last seen'),
        invitation: inv && {
          id: id(inv.id, 'invitation id'),
          expiresAt: int(inv.expiresAt, 'expiry'),
          expired: bool(inv.expired, 'expired'),
          manageable: bool(inv.manageable, 'manageable'),
        },
        roleChoices: choices(u.roleChoices),
        deprovisionRefused: optText(u.deprovisionRefused, 'deprovision refusal', 500),
      };
    }),
    you: {
      id: id(you.id, 'your id'),
      role: oneOf(you.role, ROLES, 'your role'),
      invitableRoles: choices(you.invitableRoles),
      managesScimTokens: bool(you.managesScimTokens, 'SCIM tokens'),
      editsCatalog: bool(you.editsCatalog, 'catalog'),
    },
  };
}

/** @param {string} email @param {string} role @param {string} displayName */
export async function invite(email, role, displayName) {
  await adminOnly();
  const reply = obj(
    await client.request('POST', '/invitations', { email: email.trim(), role, displayName: displayName.trim() }),
    'invitation',
  );
  return { emailSent: bool(reply.emailSent, 'emailSent') };
}

/** @param {string} invitationId */
export async function resend(invitationId) {
  await adminOnly();
  const reply = obj(await client.request('POST', `/invitations/${segment(invitationId)}/resend`), 'invitation');
  return { emailSent: bool(reply.emailSent, 'emailSent') };
}

/** @param {string} invitationId */
export async function cancel(invitationId) {
  await adminOnly();
  await client.request('DELETE', `/invitations/${segment(invitationId)}`);
  return {};
}

/** @param {string} userId @param {string} role */
export async function setRole(userId, role) {
  await adminOnly();
  await client.request('PATCH', `/users/${segment(userId)}`, { role });
  return {};
}

/** A person the server names: id, e-mail, display name. @param {unknown} raw @param {string} what */
function person(raw, what) {
  const x = obj(raw, what);
  return {
    userId: id(x.userId, 'user id'),
    email: text(x.email, 'e-mail', 320),
    displayName: text(x.displayName, 'display name', 200),
  };
}

/** An account the server names: id and name. @param {unknown} raw @param {string} what */
function accountRef(raw, what) {
  const o = obj(raw, what);
  return { accountId: id(o.accountId, 'account id'), name: text(o.name, 'account name', 200) };
}

/** @param {unknown} raw */
function plan(raw) {
  const p = obj(raw, 'deprovisioning');
  return {
    handovers: arr(p.handovers, 'handovers').map((h) => {
      const o = obj(h, 'handover');
      return {
        accountId: id(o.accountId, 'account id'),
        name: text(o.name, 'account name', 200),
        reason: text(o.reason, 'reason', 40),
        newOwners: arr(o.newOwners, 'new owners').map((n) => person(n, 'new owner')),
      };
    }),
    orphaned: arr(p.orphaned, 'orphaned').map((a) => accountRef(a, 'orphaned account')),
  };
}

/** What deprovisioning would do; nothing changes. @param {string} userId @param {string | null} transferTo */
export async function preview(userId, transferTo) {
  await adminOnly();
  const query = transferTo ? `?transferTo=${segment(transferTo)}` : '';
  const raw = obj(await client.request('GET', `/users/${segment(userId)}/deprovision${query}`), 'preview');
  return {
    ...plan(raw),
    devicesToDisable: int(raw.devicesToDisable, 'devices'),
    accountsToRekey: arr(raw.accountsToRekey, 'accounts to re-key').map((a) => accountRef(a, 'account')),
  };
}

/** @param {string} userId @param {string | null} transferTo */
export async function deprovision(userId, transferTo) {
  await adminOnly();
  const raw = obj(
    await client.request('POST', `/users/${segment(userId)}/deprovision`, transferTo ? { transferTo } : {}),
    'deprovisioning',
  );
  return {
    ...plan(raw),
    devicesDisabled: int(raw.devicesDisabled, 'devices'),
    tokensRevoked: int(raw.tokensRevoked, 'tokens'),
    accountsMarkedForRotation: int(raw.accountsMarkedForRotation, 'accounts'),
  };
}

export async function rotations() {
  await adminOnly();
  const reply = obj(await client.request('GET', '/workspace/rotations'), 'rotations');
  return {
    accounts: arr(reply.accounts, 'accounts').map((raw) => {
      const a = obj(raw, 'account');
      return {
        id: id(a.id, 'account id'),
        name: text(a.name, 'account name', 200),
        site: text(a.site, 'site', 300),
        owners: arr(a.owners, 'owners').map((o) => person(o, 'owner')),
      };
    }),
  };
}

export async function apps() {
  await adminOnly();
  return {
    apps: arr(await client.request('GET', '/apps'), 'apps', 1000).map((raw) => {
      const a = obj(raw, 'app');
      return {
        id: id(a.id, 'app id'),
        name: text(a.name, 'app name', 200),
        site: text(a.site, 'app site', 300),
        acceptsManagedNumber: bool(a.acceptsManagedNumber, 'acceptsManagedNumber'),
        voipOk: bool(a.voipOk, 'voipOk'),
        acceptsManagedEmail: bool(a.acceptsManagedEmail, 'acceptsManagedEmail'),
      };
    }),
  };
}

/**
 * @param {{id: string, name: string, site: string, acceptsManagedNumber: boolean, voipOk: boolean,
 *   acceptsManagedEmail: boolean}} app
 */
export async function saveApp(app) {
  await adminOnly();
  const { id: appId, ...body } = app;
  if (!/^[a-z0-9_-]{1,64}$/.test(appId))
    throw new Error('An app id is 1 to 64 lower-case letters, digits, dashes or underscores.');
  await client.request('PUT', `/apps/${appId}`, body);
  return {};
}

/**
 * The audit log's query string from the console's filters (each checked here: numbers, ids, an
 * action name). @param {import('../../types/protocol').AuditFilters} f
 */
function auditQuery(f) {
  const q = new URLSearchParams();
  if (f.user) q.set('user', segment(f.user));
  if (f.account) q.set('account', segment(f.account));
  if (f.action) {
    if (!/^[a-z_]{1,40}\.[a-z_]{1,40}$/.test(f.action)) throw new Error('That is not an action name.');
    q.set('action', f.action);
  }
  for (const key of /** @type {const} */ (['since', 'until'])) {
    const v = f[key];
    if (v !== null && v !== undefined) q.set(key, String(int(v, key)));
  }
  if (f.cursor) q.set('cursor', text(f.cursor, 'cursor', 200));
  return q;
}

/** @param {import('../../types/protocol').AuditFilters} filters */
export async function audit(filters) {
  await adminOnly();
  const q = auditQuery(filters);
  q.set('limit', '50');
  const reply = obj(await client.request('GET', `/audit?${q}`), 'audit');
  return {
    events: arr(reply.events, 'events', 1000).map((raw) => {
      const e = obj(raw, 'event');
      return {
        seq: int(e.seq, 'seq'),
        at: int(e.at, 'at'),
        actorUserId: optText(e.actorUserId, 'actor', 128),
        actorDeviceId: optText(e.actorDeviceId, 'device', 200),
        clientAddress: text(e.clientAddress, 'client address', 100),
        action: text(e.action, 'action', 80),
        targetType: optText(e.targetType, 'target type', 40),
        targetId: optText(e.targetId, 'target', 200),
        accountId: optText(e.accountId, 'account', 128),
        detail: JSON.stringify(e.detail ?? {}).slice(0, 2000),
        outcome: text(e.outcome, 'outcome', 80),
      };
    }),
    next: text(reply.next, 'cursor', 200),
    more: bool(reply.more, 'more'),
  };
}

/** The most pages an export follows (1000 events each). */
const EXPORT_PAGES = 100;

/**
 * The log as the server formats it (JSON lines or CSV), every page of the filters, as one file's
 * text. A CSV page after the first drops its header row.
 * @param {import('../../types/protocol').AuditFilters} filters @param {'jsonl' | 'csv'} format
 */
export async function exportAudit(filters, format) {
  await adminOnly();
  const q = auditQuery({ ...filters, cursor: null });
  q.set('format', format);
  q.set('limit', '1000');
  let out = '';
  let complete = false;
  for (let page = 0; page < EXPORT_PAGES; page++) {
    const reply = /** @type {{text: string, next: string | null}} */ (
      await client.request('GET', `/audit?${q}`, undefined, 60_000, true)
    );
    let body = reply.text;
    if (format === 'csv' && page > 0) body = body.replace(/^[^\n]*\n/, '');
    if (body.trim() === '') {
      complete = true;
      break;
    }
    if (out && !out.endsWith('\n')) out += '\n';
    out += body;
    if (!reply.next) {
      complete = true;
      break;
    }
    q.set('cursor', text(reply.next, 'cursor', 200));
  }
  const stamp = new Date().toISOString().slice(0, 10);
  return { text: out, filename: `latchkey-audit-${stamp}.${format}`, complete };
}

/** @param {unknown} raw */
function scimToken(raw) {
  const t = obj(raw, 'SCIM token');
  return {
    id: id(t.id, 'token id'),
    name: text(t.name, 'token name', 200),
    createdAt: int(t.createdAt, 'created'),
    createdBy: optText(t.createdBy, 'created by', 128),
    lastUsedAt: optInt(t.lastUsedAt, 'last used'),
  };
}

export async function scimTokens() {
  await adminOnly();
  const reply = obj(await client.request('GET', '/scim-tokens'), 'SCIM tokens');
  return { tokens: arr(reply.scimTokens, 'SCIM tokens', 1000).map(scimToken) };
}

/** The new token's secret goes to the page that asked, once; nothing here keeps it. @param {string} name */
export async function createScimToken(name) {
  await adminOnly();
  const raw = obj(obj(await client.request('POST', '/scim-tokens', { name }), 'reply').scimToken, 'SCIM token');
  return { token: { ...scimToken(raw), secret: text(raw.token, 'token', 300) } };
}

/** @param {string} tokenId */
export async function revokeScimToken(tokenId) {
  await adminOnly();
  await client.request('DELETE', `/scim-tokens/${segment(tokenId)}`);
  return {};
}
