// @ts-check
/**
 * The Workspace console, for owners, super admins and admins: users (invite, resend or cancel an
 * invitation, change a role, deprovision with a preview), the accounts that need a new key and
 * who can give it, the app catalog, the audit log (filters, pages, export) and, for owners, SCIM
 * tokens. Every request goes through the service worker, which holds the session and refuses a
 * member with the User role; whether a choice is allowed, and why not, is the server's word.
 * Everything the server sends is shown with textContent.
 */
import { byId, copied, el, showError } from '../popup/dom.js';
import { ask, message, status } from '../pages/ask.js';

/** @typedef {import('../types/protocol').ConsoleUsersView} ConsoleUsersView */
/** @typedef {ConsoleUsersView['users'][number]} ConsoleUser */
/** @typedef {import('../types/protocol').AppView} AppView */
/** @typedef {import('../types/protocol').AuditFilters} AuditFilters */
/** @typedef {import('../types/protocol').AuditEventView} AuditEventView */

/** @type {Record<string, string>} */
const ROLE_NAMES = { owner: 'Owner', super_admin: 'Super Admin', admin: 'Admin', user: 'User' };
/** @type {Record<string, string>} */
const STATUS_NAMES = { invited: 'Invited', active: 'Active', deprovisioned: 'Deprovisioned' };
/** The audit log's action names (docs/audit.md), for the filter; `api_audit` checks them against the server's. */
const ACTIONS = [
  'code.filled',
  'user.invited',
  'user.role_changed',
  'user.deprovisioned',
  'user.provisioned',
  'user.updated',
  'user.reactivated',
  'user.scim_deleted',
  'user.invitation_cancelled',
  'device.registered',
  'device.code_emailed',
  'device.verified',
  'device.approval_requested',
  'device.approved',
  'device.denied',
  'device.trusted',
  'device.disabled',
  'device.renamed',
  'account.created',
  'account.shared',
  'account.unshared',
  'account.rekeyed',
  'account.updated',
  'item.set',
  'number.created',
  'number.released',
  'address.created',
  'address.released',
  'workspace.policy_changed',
  'message.received',
  'inbox.read',
  'scim_token.created',
  'scim_token.revoked',
  'app.set',
  'automation.queued',
  'automation.step',
  'automation.finished',
  'audit.pruned',
];

/** @param {number | null} unix */
function when(unix) {
  if (unix === null) return 'never';
  return new Date(unix * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** @param {{displayName: string, email: string}} p */
function nameOf(p) {
  return p.displayName ? `${p.displayName} (${p.email})` : p.email;
}

/**
 * A button that runs `act`, shows its refusal in `box`, then reloads what it changed.
 * @param {string} label @param {string} cls @param {HTMLElement} box @param {() => Promise<unknown>} act
 */
function button(label, cls, box, act) {
  const b = el('button', `button small ${cls}`, label);
  b.type = 'button';
  b.addEventListener('click', async () => {
    b.disabled = true;
    showError(box, null);
    try {
      await act();
    } catch (e) {
      showError(box, message(e));
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

/** The users by id, for naming actors and targets in the audit log. @type {Map<string, ConsoleUser>} */
let people = new Map();
/** @type {ConsoleUsersView['you'] | null} */
let you = null;

// ---- Users ----

const peopleError = byId('people-error');

/** @param {string[]} lines */
function done(lines) {
  const box = byId('people-done');
  box.replaceChildren(...lines.map((line, i) => el('p', i === 0 ? 'ok-text' : '', line)));
  box.hidden = false;
}

/** @param {ConsoleUser} u */
function personItem(u) {
  const li = el('li', 'device person');
  li.dataset.userId = u.id;
  const head = el('div', 'device-head');
  const who = el('div', 'who');
  who.append(el('span', 'name', (u.displayName || u.email) + (u.you ? ' (you)' : '')), el('span', 'meta', u.email));
  head.append(who, el('span', `status ${u.status}`, STATUS_NAMES[u.status]));
  const facts = el('dl', 'seen');
  for (const [term, value] of [
    ['Role', ROLE_NAMES[u.role]],
    ['Trusted devices', String(u.trustedDevices)],
    ['Last seen', when(u.lastSeenAt)],
  ]) {
    facts.append(el('dt', '', term), el('dd', '', value));
  }
  li.append(head, facts);
  const label = u.displayName || u.email;

  if (u.invitation) {
    const inv = u.invitation;
    li.append(
      el(
        'p',
        inv.expired ? 'warn-text' : 'hint',
        inv.expired
          ? `The invitation expired on ${when(inv.expiresAt)}: resend it to open it again for a week.`
          : `Invitation open until ${when(inv.expiresAt)}.`,
      ),
    );
    if (inv.manageable) {
      const actions = el('div', 'actions start');
      const resend = button('Resend invitation', 'secondary', peopleError, async () => {
        const r = await ask('ws-console-resend', { id: inv.id });
        done([
          r.emailSent
            ? `The invitation was e-mailed again to ${u.email}.`
            : `The invitation is open again, but the server could not e-mail ${u.email}: tell them yourself.`,
        ]);
        await loadPeople();
      });
      resend.setAttribute('aria-label', `Resend the invitation of ${label}`);
      const cancel = button('Cancel invitation', 'secondary', peopleError, async () => {
        await ask('ws-console-cancel', { id: inv.id });
        done([`The invitation of ${u.email} is cancelled.`]);
        await loadPeople();
      });
      cancel.setAttribute('aria-label', `Cancel the invitation of ${label}`);
      actions.append(resend, cancel);
      li.append(actions);
    }
  }

  if (u.status !== 'deprovisioned') {
    const actions = el('div', 'actions start');
    const select = el('select', 'select role-select');
    select.setAttribute('aria-label', `Role of ${label}`);
    /** @type {string[]} */
    const whys = [];
    for (const c of u.roleChoices) {
      const option = el('option', '', ROLE_NAMES[c.role]);
      option.value = c.role;
      option.selected = c.role === u.role;
      option.disabled = !c.allowed;
      if (c.why) {
        option.title = c.why;
        if (!whys.includes(c.why)) whys.push(c.why);
      }
      select.append(option);
    }
    const change = button('Change role', 'secondary', peopleError, async () => {
      await ask('ws-console-set-role', { userId: u.id, role: select.value });
      done([`${label} is now ${ROLE_NAMES[select.value]}.`]);
      await loadPeople();
    });
    change.setAttribute('aria-label', `Change the role of ${label}`);
    const changeable = u.roleChoices.some((c) => c.allowed && c.role !== u.role);
    change.disabled = true;
    select.disabled = !changeable;
    select.addEventListener('change', () => (change.disabled = select.value === u.role));
    const deprovision = el('button', 'button small danger-quiet', 'Deprovision…');
    deprovision.type = 'button';
    deprovision.setAttribute('aria-label', `Deprovision ${label}`);
    deprovision.disabled = u.deprovisionRefused !== null;
    deprovision.addEventListener('click', () => void openDeprovision(u));
    actions.append(select, change, deprovision);
    li.append(actions);
    const notes = el('ul', 'rules');
    for (const why of whys) notes.append(el('li', 'hint', why));
    if (u.deprovisionRefused) notes.append(el('li', 'hint', u.deprovisionRefused));
    if (notes.childElementCount) li.append(notes);
  }
  return li;
}

async function loadPeople() {
  const view = await ask('ws-console-users');
  people = new Map(view.users.map((u) => [u.id, u]));
  you = view.you;
  byId('people').replaceChildren(...view.users.map(personItem));
  const roles = /** @type {HTMLSelectElement} */ (byId('invite-role'));
  const chosen = roles.value || 'user';
  /** @type {string[]} */
  const whys = [];
  roles.replaceChildren(
    ...view.you.invitableRoles.map((c) => {
      const option = el('option', '', ROLE_NAMES[c.role]);
      option.value = c.role;
      option.disabled = !c.allowed;
      option.selected = c.role === chosen;
      if (c.why) {
        option.title = c.why;
        whys.push(c.why);
      }
      return option;
    }),
  );
  byId('invite-why').textContent = whys.join(' ');
  byId('scim-card').hidden = !view.you.managesScimTokens;
  fillAuditUsers(view.users);
  return view;
}

byId('invite-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const field = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (byId(id));
  const error = byId('invite-error');
  const submit = /** @type {HTMLButtonElement} */ (byId('invite-form').querySelector('button[type="submit"]'));
  showError(error, null);
  const email = field('invite-email').value.trim();
  if (!email) return showError(error, 'Type the e-mail address of the person to invite.', field('invite-email'));
  submit.disabled = true;
  try {
    const role = field('invite-role').value;
    const r = await ask('ws-console-invite', { email, role, displayName: field('invite-name').value });
    done([
      `${email} is invited as ${ROLE_NAMES[role]}.`,
      r.emailSent
        ? 'They get an e-mail saying so; they join from Latchkey with that address, verifying it with an e-mailed code.'
        : 'The server could not send the e-mail: tell them to join from Latchkey with that address and this server.',
    ]);
    field('invite-email').value = '';
    field('invite-name').value = '';
    await loadPeople();
  } catch (err) {
    showError(error, message(err));
  } finally {
    submit.disabled = false;
  }
});

// ---- Deprovisioning: a preview, a choice of new owner, then its result ----

/** @param {ConsoleUser} u */
async function openDeprovision(u) {
  const dialog = /** @type {HTMLDialogElement} */ (byId('deprovision-dialog'));
  const label = u.displayName || u.email;
  const select = /** @type {HTMLSelectElement} */ (byId('deprovision-owner'));
  const go = /** @type {HTMLButtonElement} */ (byId('deprovision-go'));
  const error = byId('deprovision-error');
  byId('deprovision-title').textContent = `Deprovision ${label}?`;
  const fallback = el('option', '', 'As Latchkey chooses (shown below)');
  fallback.value = '';
  select.replaceChildren(
    fallback,
    ...[...people.values()]
      .filter((p) => p.status === 'active' && p.id !== u.id)
      .map((p) => {
        const option = el('option', '', nameOf(p));
        option.value = p.id;
        return option;
      }),
  );
  const show = async () => {
    showError(error, null);
    go.disabled = true;
    const box = byId('deprovision-preview');
    box.replaceChildren(el('p', 'progress', 'Working out what happens…'));
    try {
      const p = await ask('ws-console-preview', { userId: u.id, transferTo: select.value || null });
      box.replaceChildren(...previewParts(label, p));
      go.disabled = false;
    } catch (e) {
      box.replaceChildren();
      showError(error, message(e));
    }
  };
  select.onchange = () => void show();
  dialog.returnValue = '';
  dialog.showModal();
  await show();
  await new Promise((r) => dialog.addEventListener('close', r, { once: true }));
  if (dialog.returnValue !== 'deprovision') return;
  try {
    const r = await ask('ws-console-deprovision', { userId: u.id, transferTo: select.value || null });
    done([
      `${label} is deprovisioned: ${r.devicesDisabled} device${r.devicesDisabled === 1 ? '' : 's'} disabled, ` +
        `${r.tokensRevoked} session${r.tokensRevoked === 1 ? '' : 's'} ended.`,
      ...r.handovers.map((h) => `${h.name} now belongs to ${h.newOwners.map(nameOf).join(', ')}.`),
      ...r.orphaned.map((a) => `${a.name} had no other member: nobody can read it any more.`),
      `${r.accountsMarkedForRotation} account${r.accountsMarkedForRotation === 1 ? ' needs' : 's need'} a new key: ` +
        `see Accounts needing a new key below.`,
    ]);
  } catch (e) {
    showError(peopleError, message(e));
  }
  await Promise.all([loadPeople(), loadRotations()]).catch((e) => showError(peopleError, message(e)));
}

/** @param {string} label @param {import('../types/protocol').DeprovisionPreview} p */
function previewParts(label, p) {
  const list = el('ul', 'rules');
  list.append(
    el(
      'li',
      '',
      `${p.devicesToDisable} device${p.devicesToDisable === 1 ? '' : 's'} disabled at once; ${label} loses access ` +
        `everywhere and their keys are wiped from their devices.`,
    ),
  );
  if (p.accountsToRekey.length)
    list.append(
      el('li', '', `Accounts to re-key (they could read them): ${p.accountsToRekey.map((a) => a.name).join(', ')}.`),
    );
  for (const h of p.handovers)
    list.append(el('li', '', `${h.name}, which only ${label} owns, goes to ${h.newOwners.map(nameOf).join(', ')}.`));
  for (const a of p.orphaned)
    list.append(el('li', 'warn-text', `${a.name} has no other member: nobody will be able to read it.`));
  return [list];
}

// ---- Accounts needing a new key ----

async function loadRotations() {
  const { accounts } = await ask('ws-console-rotations');
  for (const a of accounts) accountNames.set(a.id, a.name);
  byId('rekey-empty').hidden = accounts.length > 0;
  byId('rekey').replaceChildren(
    ...accounts.map((a) => {
      const li = el('li', 'device');
      li.dataset.rekeyAccountId = a.id;
      const head = el('div', 'device-head');
      const who = el('div', 'who');
      who.append(el('span', 'name', a.name), el('span', 'meta', a.site));
      head.append(who, el('span', 'status pending', 'Needs a new key'));
      li.append(
        head,
        el(
          'p',
          'hint',
          a.owners.length
            ? `Owners who can change its key: ${a.owners.map(nameOf).join(', ')}.`
            : 'It has no owner left: nobody can change its key.',
        ),
      );
      return li;
    }),
  );
}

// ---- Apps ----

const appsError = byId('apps-error');

/**
 * The fields of one app, editable where the caller may edit the catalog.
 * @param {AppView | null} app null: a new one @param {boolean} editable
 */
function appForm(app, editable) {
  const box = el('div', 'stack');
  const key = app?.id ?? 'new';
  /** @param {string} label @param {string} value @param {string} name */
  const input = (label, value, name) => {
    const field = el('div', 'field');
    const l = el('label', '', label);
    const i = /** @type {HTMLInputElement} */ (el('input'));
    i.type = 'text';
    i.id = `app-${key}-${name}`;
    i.value = value;
    i.disabled = !editable;
    i.spellcheck = false;
    l.htmlFor = i.id;
    field.append(l, i);
    return { field, i };
  };
  /** @param {string} label @param {boolean} value @param {string} name */
  const check = (label, value, name) => {
    const l = el('label', 'check');
    const i = /** @type {HTMLInputElement} */ (el('input'));
    i.type = 'checkbox';
    i.checked = value;
    i.disabled = !editable;
    i.setAttribute('aria-label', `${label}${app ? ` (${app.name})` : ''}`);
    i.dataset.name = name;
    l.append(i, el('span', '', label));
    return { l, i };
  };
  const id = app ? null : input('Id (a-z, 0-9, - and _)', '', 'id');
  const name = input('Name', app?.name ?? '', 'name');
  const site = input('Site', app?.site ?? '', 'site');
  const number = check('Takes a managed phone number', app?.acceptsManagedNumber ?? false, 'number');
  const voip = check('A VoIP number will do', app?.voipOk ?? false, 'voip');
  const mail = check('Takes a managed e-mail address', app?.acceptsManagedEmail ?? false, 'mail');
  const fields = el('div', 'inline-fields');
  if (id) fields.append(id.field);
  fields.append(name.field, site.field);
  const checks = el('div', 'checks');
  checks.append(number.l, voip.l, mail.l);
  box.append(fields, checks);
  if (editable) {
    const save = button(app ? 'Save' : 'Add app', app ? 'secondary' : 'primary', appsError, async () => {
      await ask('ws-console-save-app', {
        id: app ? app.id : (id?.i.value ?? '').trim(),
        name: name.i.value,
        site: site.i.value,
        acceptsManagedNumber: number.i.checked,
        voipOk: voip.i.checked,
        acceptsManagedEmail: mail.i.checked,
      });
      await loadApps();
    });
    save.setAttribute('aria-label', app ? `Save ${app.name}` : 'Add app');
    const actions = el('div', 'actions start');
    actions.append(save);
    box.append(actions);
  }
  return box;
}

async function loadApps() {
  const { apps } = await ask('ws-console-apps');
  const editable = you?.editsCatalog ?? false;
  byId('apps').replaceChildren(
    ...apps.map((a) => {
      const li = el('li', 'device');
      li.dataset.appId = a.id;
      const details = el('details');
      const summary = el('summary', 'app-summary');
      const uses = [
        a.acceptsManagedNumber ? (a.voipOk ? 'managed number (VoIP ok)' : 'managed number (no VoIP)') : '',
        a.acceptsManagedEmail ? 'managed e-mail' : '',
      ].filter(Boolean);
      summary.append(
        el('span', 'name', a.name),
        el('span', 'meta', ` · ${a.site} · ${uses.length ? uses.join(', ') : 'no managed number or e-mail'}`),
      );
      details.append(summary, appForm(a, editable));
      li.append(details);
      return li;
    }),
  );
  byId('app-add').hidden = !editable;
  byId('app-add-form').replaceChildren(appForm(null, editable));
}

// ---- Audit log ----

/** The cursor of each page shown so far (the first page has none). @type {Array<string | null>} */
let auditCursors = [null];
/** The next page's cursor, when the last page was full. @type {string | null} */
let auditNext = null;
/** Account names the console knows, for the filter and the rows. @type {Map<string, string>} */
const accountNames = new Map();

/** @param {ConsoleUser[]} users */
function fillAuditUsers(users) {
  const select = /** @type {HTMLSelectElement} */ (byId('audit-user'));
  const chosen = select.value;
  const any = el('option', '', 'Anyone');
  any.value = '';
  select.replaceChildren(
    any,
    ...users.map((u) => {
      const option = el('option', '', u.email);
      option.value = u.id;
      option.selected = u.id === chosen;
      return option;
    }),
  );
}

function fillAuditAccounts() {
  const select = /** @type {HTMLSelectElement} */ (byId('audit-account'));
  const chosen = select.value;
  const any = el('option', '', 'Any account');
  any.value = '';
  select.replaceChildren(
    any,
    ...[...accountNames].map(([id, name]) => {
      const option = el('option', '', name);
      option.value = id;
      option.selected = id === chosen;
      return option;
    }),
  );
}

/** @returns {AuditFilters} */
function auditFilters() {
  const value = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (byId(id)).value;
  const time = (/** @type {string} */ id) => {
    const v = value(id);
    return v ? Math.floor(new Date(v).getTime() / 1000) : null;
  };
  return {
    user: value('audit-user') || null,
    account: value('audit-account') || null,
    action: value('audit-action') || null,
    since: time('audit-since'),
    until: time('audit-until'),
  };
}

/** @param {string | null} id */
function personName(id) {
  if (!id) return 'Latchkey server';
  const p = people.get(id);
  return p ? p.email : id;
}

/** @param {AuditEventView} e */
function auditRow(e) {
  const tr = el('tr');
  tr.dataset.seq = String(e.seq);
  const actor = e.actorUserId
    ? personName(e.actorUserId)
    : e.actorDeviceId?.startsWith('scim-token:')
      ? 'SCIM token'
      : 'Latchkey server';
  let target = e.targetId ?? '';
  if (e.targetType === 'user' && e.targetId) target = personName(e.targetId);
  else if (e.accountId && accountNames.has(e.accountId)) target = accountNames.get(e.accountId) ?? target;
  else if (e.targetType && e.targetId) target = `${e.targetType} ${e.targetId}`;
  const detail = e.detail === '{}' ? '' : e.detail;
  for (const text of [when(e.at), actor, e.action, target, detail, e.outcome]) tr.append(el('td', '', text));
  tr.cells[1].title = e.clientAddress ? `From ${e.clientAddress}` : '';
  return tr;
}

/** Which audit load is the latest: an older one's reply (the page's first load, say) never replaces it. */
let auditLoads = 0;

async function loadAudit() {
  const error = byId('audit-error');
  const mine = ++auditLoads;
  showError(error, null);
  try {
    const cursor = auditCursors[auditCursors.length - 1];
    const page = await ask('ws-console-audit', { ...auditFilters(), cursor });
    if (mine !== auditLoads) return;
    byId('audit-rows').replaceChildren(...page.events.map(auditRow));
    byId('audit-empty').hidden = page.events.length > 0;
    auditNext = page.more ? page.next : null;
    /** @type {HTMLButtonElement} */ (byId('audit-next')).disabled = auditNext === null;
    /** @type {HTMLButtonElement} */ (byId('audit-first')).disabled = auditCursors.length === 1;
    byId('audit-status').textContent = `Page ${auditCursors.length}.`;
  } catch (e) {
    if (mine === auditLoads) showError(error, message(e));
  }
}

byId('audit-form').addEventListener('submit', (e) => {
  e.preventDefault();
  auditCursors = [null];
  void loadAudit();
});
byId('audit-next').addEventListener('click', () => {
  if (auditNext === null) return;
  auditCursors.push(auditNext);
  void loadAudit();
});
byId('audit-first').addEventListener('click', () => {
  auditCursors = [null];
  void loadAudit();
});
for (const format of /** @type {const} */ (['jsonl', 'csv'])) {
  byId(`audit-${format}`).addEventListener('click', async () => {
    const out = byId('audit-status');
    out.textContent = 'Exporting…';
    try {
      const r = await ask('ws-console-audit-export', { ...auditFilters(), format });
      const type = format === 'csv' ? 'text/csv' : 'application/x-ndjson';
      const url = URL.createObjectURL(new Blob([r.text], { type }));
      const a = el('a');
      a.href = url;
      a.download = r.filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      out.textContent = r.complete
        ? `Exported as ${r.filename}.`
        : `Exported the first 100,000 events as ${r.filename}: narrow the filters for the rest.`;
    } catch (e) {
      out.textContent = '';
      showError(byId('audit-error'), message(e));
    }
  });
}

// ---- SCIM tokens (owners) ----

const scimError = byId('scim-error');

async function loadScim() {
  const { tokens } = await ask('ws-console-scim-tokens');
  byId('scim').replaceChildren(
    ...tokens.map((t) => {
      const li = el('li', 'device');
      li.dataset.tokenId = t.id;
      const head = el('div', 'device-head');
      const who = el('div', 'who');
      who.append(
        el('span', 'name', t.name),
        el(
          'span',
          'meta',
          `Created ${when(t.createdAt)}${t.createdBy ? ` by ${personName(t.createdBy)}` : ' on the server'}` +
            ` · last used ${when(t.lastUsedAt)}`,
        ),
      );
      const revoke = button('Revoke', 'danger-quiet', scimError, async () => {
        if (!confirm(`Revoke “${t.name}”? Your identity provider can no longer change the workspace’s people with it.`))
          return;
        await ask('ws-console-scim-revoke', { id: t.id });
        await loadScim();
      });
      revoke.setAttribute('aria-label', `Revoke ${t.name}`);
      head.append(who, revoke);
      li.append(head);
      return li;
    }),
  );
}

byId('scim-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  showError(scimError, null);
  const name = /** @type {HTMLInputElement} */ (byId('scim-name'));
  try {
    const { token } = await ask('ws-console-scim-create', { name: name.value.trim() });
    name.value = '';
    const dialog = /** @type {HTMLDialogElement} */ (byId('scim-dialog'));
    const shown = byId('scim-dialog-token');
    shown.textContent = token.secret;
    byId('scim-copy').onclick = () => void copied(byId('scim-copy'), token.secret);
    dialog.onclose = () => {
      // Shown once: gone from the page when the dialog closes.
      shown.textContent = '';
      dialog.onclose = null;
    };
    dialog.showModal();
    await loadScim();
  } catch (err) {
    showError(scimError, message(err));
  }
});

// ---- Start ----

async function start() {
  const ws = await status().catch(() => null);
  const access = ws?.stage === 'trusted' && !ws.locked ? await ask('ws-console-access').catch(() => null) : null;
  // Marked either way, so a test can tell "not shown" from "not decided yet".
  document.body.dataset.console = access?.allowed ? 'shown' : 'none';
  if (!access?.allowed) return;
  byId('console').hidden = false;
  const action = /** @type {HTMLSelectElement} */ (byId('audit-action'));
  const anyAction = el('option', '', 'Any action');
  anyAction.value = '';
  action.replaceChildren(
    anyAction,
    ...ACTIONS.map((a) => {
      const option = el('option', '', a);
      option.value = a;
      return option;
    }),
  );
  try {
    await loadPeople();
  } catch (e) {
    showError(peopleError, message(e));
  }
  const sharing = await ask('ws-sharing').catch(() => null);
  for (const a of sharing?.accounts ?? []) accountNames.set(a.id, a.name);
  await loadRotations().catch((e) => showError(byId('rekey-error'), message(e)));
  fillAuditAccounts();
  await loadApps().catch((e) => showError(appsError, message(e)));
  await loadAudit();
  if (you?.managesScimTokens) await loadScim().catch((e) => showError(scimError, message(e)));
}

void start();
