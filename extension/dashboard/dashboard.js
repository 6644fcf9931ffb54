// @ts-check
/**
 * My trusted devices: each device with its status (Approved, Pending approval, Disabled), Approve /
 * Deny for pending ones with their fingerprint phrase, rename, disable, the 20-device limit, and
 * Lock with its idle timeout, and changing the unlock PIN. Waits live for new approval requests.
 */
import { byId, el, showError } from '../popup/dom.js';
import { ask, message, status } from '../pages/ask.js';
import { startInbox } from './inbox.js';
import { addressPart } from './address.js';
import { phonePart } from './phone.js';
import { automationPart } from './automation.js';
import { scanPart, startImport } from './import.js';

/** @typedef {import('../types/protocol').DevicesReply} DevicesReply */
/** @typedef {import('../types/protocol').DeviceView} DeviceView */
/** @typedef {import('../types/protocol').ApprovalView} ApprovalView */
/** @typedef {import('../types/protocol').SharingView} SharingView */

/** @type {Record<DeviceView['status'], string>} */
const STATUS_TEXT = { approved: 'Approved', pending: 'Pending approval', disabled: 'Disabled', denied: 'Denied' };

const errorBox = byId('devices-error');

/** @param {number} unix */
function when(unix) {
  return new Date(unix * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** @param {string} label @param {string} cls @param {() => Promise<unknown>} act */
function button(label, cls, act) {
  const b = el('button', `button small ${cls}`, label);
  b.type = 'button';
  b.addEventListener('click', async () => {
    b.disabled = true;
    showError(errorBox, null);
    try {
      await act();
      await load();
    } catch (e) {
      showError(errorBox, message(e));
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

/** "3 minutes ago" for a Unix time in the past. @param {number} unix */
function ago(unix) {
  const minutes = Math.max(0, Math.round((Date.now() / 1000 - unix) / 60));
  return minutes < 1 ? 'just now' : minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
}

/**
 * One request: who asked, when, from which address and browser/OS (as the server saw them), the
 * phrase, and a box for the number the new device shows. Approve works only once 3 digits are
 * typed; there is no list to pick from, so a request nobody here started cannot be approved by a
 * habitual click. All text goes in with textContent.
 * @param {ApprovalView} r
 */
function requestItem(r) {
  const li = el('li', 'device request');
  li.dataset.requestId = r.id;
  const head = el('div', 'device-head');
  head.append(el('strong', 'name', r.deviceName), el('span', 'status pending', 'Pending approval'));
  const seen = el('dl', 'seen');
  for (const [term, value] of [
    ['Asked', `${when(r.createdAt)} (${ago(r.createdAt)})`],
    ['From', r.clientAddress],
    ['Browser', `${r.browser} on ${r.os}`],
  ]) {
    seen.append(el('dt', '', term), el('dd', '', value));
  }
  const phrase = el('output', 'phrase', r.phrase);
  phrase.setAttribute('aria-label', `Fingerprint phrase of ${r.deviceName}`);
  const numberId = `number-${r.id}`;
  const label = el('label', '', 'Number shown on the new device');
  label.htmlFor = numberId;
  const number = /** @type {HTMLInputElement} */ (el('input', 'number-input'));
  number.id = numberId;
  number.type = 'text';
  number.inputMode = 'numeric';
  number.autocomplete = 'off';
  number.maxLength = 3;
  number.setAttribute('aria-label', `Number shown on ${r.deviceName}`);
  const actions = el('div', 'actions start');
  const approve = button('Approve', 'primary', () => ask('ws-approve', { id: r.id, number: number.value }));
  approve.setAttribute('aria-label', `Approve ${r.deviceName}`);
  approve.disabled = true;
  const ready = () => {
    approve.disabled = r.looksLike !== null || !/^\d{3}$/.test(number.value.trim());
  };
  number.addEventListener('input', ready);
  number.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !approve.disabled) approve.click();
  });
  const deny = button('Deny', 'secondary', () => ask('ws-deny', { id: r.id }));
  deny.setAttribute('aria-label', `Deny ${r.deviceName}`);
  actions.append(label, number, approve, deny);
  li.append(
    head,
    seen,
    el('p', 'hint', 'Check that the new device shows these words, then type the number it shows:'),
    phrase,
  );
  if (r.looksLike !== null) {
    li.append(
      el(
        'p',
        'warn-text',
        `Its name looks like your device “${r.looksLike}”, so it cannot be approved under this name. If you are ` +
          `setting it up yourself, rename it below first. If not, deny it.`,
      ),
    );
  }
  li.append(actions);
  return li;
}

/** @param {DeviceView} d @param {DevicesReply} data */
function deviceItem(d, data) {
  const li = el('li', 'device');
  li.dataset.deviceId = d.id;
  const head = el('div', 'device-head');
  const who = el('div', 'who');
  who.append(
    el('span', 'name', d.name + (d.current ? ' (this device)' : '')),
    el('span', 'meta', `Added ${when(d.createdAt)} · last seen ${when(d.lastSeenAt)}`),
  );
  head.append(who, el('span', `status ${d.status}`, STATUS_TEXT[d.status]));
  li.append(head);
  if (d.status === 'pending') {
    const open = data.requests.find((r) => r.deviceId === d.id);
    if (!open) li.append(el('p', 'hint', 'It has not asked for approval yet, or its request expired.'));
  }
  if (d.status === 'approved' || d.status === 'pending') {
    const actions = el('div', 'actions start');
    const rename = button('Rename', 'secondary', async () => {
      const name = prompt(`New name for “${d.name}”`, d.name);
      if (name === null) return;
      await ask('ws-rename', { id: d.id, name });
    });
    rename.setAttribute('aria-label', `Rename ${d.name}`);
    const disable = button('Disable', 'secondary', async () => {
      const dialog = /** @type {HTMLDialogElement} */ (byId('confirm-disable'));
      byId('disable-title').textContent = `Disable “${d.name}”?`;
      dialog.returnValue = '';
      dialog.showModal();
      await new Promise((r) => dialog.addEventListener('close', r, { once: true }));
      if (dialog.returnValue === 'disable') await ask('ws-disable', { id: d.id });
    });
    disable.setAttribute('aria-label', `Disable ${d.name}`);
    actions.append(rename, disable);
    li.append(actions);
  }
  return li;
}

async function load() {
  /** @type {DevicesReply} */
  const data = await ask('ws-devices');
  byId('who').textContent = `${data.email} · ${data.workspaceName}`;
  byId('requests-card').hidden = data.requests.length === 0;
  // Keep what the person is typing when the list is redrawn for another request.
  const typed = new Map(
    [...byId('requests').querySelectorAll('input.number-input')].map((i) => [
      i.id,
      /** @type {HTMLInputElement} */ (i).value,
    ]),
  );
  byId('requests').replaceChildren(...data.requests.map(requestItem));
  for (const [inputId, value] of typed) {
    const input = /** @type {HTMLInputElement | null} */ (document.getElementById(inputId));
    if (input) {
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
  }
  byId('requests-more').hidden = data.requestsTotal <= data.requests.length;
  byId('requests-more').textContent =
    `Showing the ${data.requests.length} newest of ${data.requestsTotal} requests. Deny any you did not make; the ` +
    `others expire on their own within 5 minutes.`;
  byId('devices').replaceChildren(...data.devices.map((d) => deviceItem(d, data)));
  byId('devices-more').hidden = data.more === 0;
  byId('devices-more').textContent =
    `${data.more} older devices that are not trusted (denied, disabled or never finished) are not shown.`;
  const active = data.devices.filter((d) => d.status === 'approved').length;
  byId('limit-note').textContent =
    active >= data.limit
      ? `You have ${active} trusted devices, the most allowed (${data.limit}). To add another, disable one you no ` +
        `longer use.`
      : `${active} of at most ${data.limit} trusted devices.`;
}

/** New requests appear without a reload: the worker long-polls the server. */
async function watch() {
  for (;;) {
    try {
      await ask('ws-approvals', { wait: 20 });
      await load();
    } catch {
      await new Promise((r) => setTimeout(r, 5000));
      const ws = await status().catch(() => null);
      if (ws?.stage !== 'trusted') return main();
    }
  }
}

byId('idle-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const minutes = Number(/** @type {HTMLInputElement} */ (byId('idle')).value);
  try {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
      throw new Error('Enter a whole number of minutes, from 1 to 1440.');
    await ask('ws-set-idle', { minutes });
    byId('idle-status').textContent = `Latchkey locks after ${minutes} minute${minutes === 1 ? '' : 's'} without use.`;
  } catch (err) {
    byId('idle-status').textContent = message(err);
  }
});
byId('pin-change-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const field = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (byId(id));
  const out = byId('pin-change-status');
  const button = /** @type {HTMLButtonElement} */ (byId('pin-change-form').querySelector('button'));
  button.disabled = true;
  try {
    if (field('pin-next').value !== field('pin-next-again').value)
      throw new Error('The two new entries differ. Type the same PIN twice.');
    out.textContent = 'Changing…';
    await ask('ws-change-pin', { current: field('pin-current').value, pin: field('pin-next').value });
    out.textContent = 'Your unlock PIN is changed.';
  } catch (err) {
    out.textContent = message(err);
    if ((await status().catch(() => null))?.stage !== 'trusted') void main(); // too many wrong PINs: wiped
  } finally {
    for (const id of ['pin-current', 'pin-next', 'pin-next-again']) field(id).value = '';
    button.disabled = false;
  }
});
byId('lock-now').addEventListener('click', async () => {
  await ask('ws-lock');
  byId('idle-status').textContent = 'Locked. Open Latchkey and choose Unlock to see the workspace again.';
});

/**
 * @param {SharingView['accounts'][number]} a
 * @param {Promise<unknown>[]} pending what the parts fetch, for the list to wait on
 */
function sharingItem(a, pending) {
  const li = el('li', 'device');
  li.dataset.accountId = a.id;
  const head = el('div', 'device-head');
  const who = el('div', 'who');
  who.append(el('span', 'name', a.name), el('span', 'meta', a.site));
  head.append(who, el('span', 'status', a.role === 'owner' ? 'Owner' : 'Member'));
  const list = el('ul', 'members');
  for (const m of a.members) {
    const row = el('li', 'member');
    row.append(
      el(
        'span',
        '',
        `${m.displayName || m.email}${m.you ? ' (you)' : ''} · ${m.email} · ${m.role === 'owner' ? 'Owner' : 'Member'}`,
      ),
    );
    if (!m.you && m.role === 'member') {
      const remove = sharingButton('Remove', 'danger-quiet', () => removeMember(a, m));
      remove.setAttribute('aria-label', `Remove ${m.email} from ${a.name}`);
      row.append(remove);
    }
    list.append(row);
  }
  li.append(head, list);
  if (a.needsRotation) {
    const note = el('div', 'stack notice');
    note.append(
      el(
        'p',
        '',
        'Someone lost access to this account (removed, or removed from the workspace). Change its key so that new ' +
          'versions and codes are out of their reach, then change the password at the app.',
      ),
    );
    if (a.role === 'owner') {
      const rotate = sharingButton('Change the key now', 'primary', () => ask('ws-rotate', { accountId: a.id }));
      rotate.setAttribute('aria-label', `Change the key of ${a.name}`);
      note.append(rotate);
    }
    li.append(note);
  }
  li.append(
    sitesPart(a),
    mfaPart(a, pending),
    backupPart(a),
    phonePart(
      a,
      (reason) => showError(byId('sharing-error'), reason),
      () => void loadSharing(),
      pending,
    ),
    addressPart(
      a,
      (reason) => showError(byId('sharing-error'), reason),
      () => void loadSharing(),
      pending,
    ),
  );
  if (a.candidates.length) {
    const form = el('div', 'actions start');
    const select = el('select', 'select');
    select.setAttribute('aria-label', `Share ${a.name} with`);
    for (const c of a.candidates) {
      const option = el('option', '', `${c.displayName || c.email} (${c.email})`);
      option.value = c.id;
      select.append(option);
    }
    const share = sharingButton('Share', 'primary', () => ask('ws-share', { accountId: a.id, userId: select.value }));
    share.setAttribute('aria-label', `Share ${a.name}`);
    form.append(select, share);
    li.append(form);
  }
  return li;
}

/**
 * Where the account's codes are filled: the sites of its sealed sites record (the server's
 * plaintext site is never used for that). Owners change them; an account made before the record
 * existed fills nowhere until an owner confirms its sites (prefilled with the server's site).
 * @param {SharingView['accounts'][number]} a
 */
function sitesPart(a) {
  const box = el('div', 'stack');
  if (a.sites) box.append(el('p', 'hint', `Codes are filled on ${a.sites.join(', ')} (and its sign-in pages).`));
  else {
    box.append(
      el(
        'p',
        'notice',
        a.role === 'owner'
          ? 'Latchkey does not fill this account’s codes yet: confirm the sites where it signs in.'
          : 'Latchkey does not fill this account’s codes until an owner confirms the sites where it signs in.',
      ),
    );
  }
  if (a.role !== 'owner') return box;
  const details = el('details');
  details.open = !a.sites;
  details.append(el('summary', 'hint', a.sites ? 'Change where codes are filled' : 'Confirm the sites'));
  const input = el('input');
  input.type = 'text';
  input.id = `sites-${a.id}`;
  input.spellcheck = false;
  input.value = (a.sites ?? [a.site]).join(' ');
  input.setAttribute('aria-label', `Sites of ${a.name}`);
  const save = sharingButton(a.sites ? 'Save sites' : 'Confirm sites', 'secondary', () =>
    ask('ws-set-sites', { accountId: a.id, sites: input.value }),
  );
  save.setAttribute('aria-label', `Save the sites of ${a.name}`);
  details.append(input, save);
  box.append(details);
  return box;
}

/**
 * "Set as MFA": the app's Secret Key (or otpauth:// link) → Save Code shows the code to type into
 * the app → Done keeps it in the vault for every member.
 * @param {SharingView['accounts'][number]} a @param {Promise<unknown>[]} pending
 */
function mfaPart(a, pending) {
  const box = el('div', 'stack');
  box.append(
    el('p', 'field-title', 'Multi-factor authentication (MFA) settings'),
    el('p', 'field-title', 'Latchkey authenticator'),
    el(
      'p',
      'hint',
      a.hasCode
        ? 'MFA: Latchkey is the authenticator; every member’s Latchkey fills the code.'
        : 'MFA: not set in Latchkey.',
    ),
  );
  if (a.role !== 'owner') return box;
  const open = el('button', 'button small secondary', a.hasCode ? 'Change MFA key' : 'Set as MFA');
  open.type = 'button';
  open.setAttribute('aria-label', `Set as MFA for ${a.name}`);
  const form = el('div', 'stack');
  form.hidden = true;
  const label = el('label', '', 'Secret Key');
  const secret = el('textarea');
  secret.id = `mfa-${a.id}`;
  label.htmlFor = secret.id;
  secret.rows = 2;
  secret.spellcheck = false;
  const error = el('p', 'error');
  error.hidden = true;
  const code = el('output', 'digits');
  const step = el(
    'p',
    'hint',
    'In the app, choose to enter a setup key instead of scanning the QR code, and paste it here.',
  );
  const save = el('button', 'button small primary', 'Save Code');
  save.type = 'button';
  const done = el('button', 'button small primary', 'Done');
  done.type = 'button';
  done.hidden = true;
  open.addEventListener('click', () => {
    form.hidden = false;
    open.hidden = true;
    secret.focus();
  });
  save.addEventListener('click', async () => {
    showError(error, null);
    let reply;
    try {
      reply = await ask('preview', { secret: secret.value });
    } catch (e) {
      return showError(error, message(e));
    }
    code.textContent = String(reply.preview.code).replace(/^(\d{3})(\d{3})$/, '$1 $2');
    step.textContent = 'Enter this code in the app to finish turning on two-factor, then choose Done.';
    save.hidden = true;
    done.hidden = false;
  });
  /** The key picked from a scanned QR code, kept by the worker (this page never sees it). */
  /** @type {{importId: string, index: number, keep: () => string[] | null} | null} */
  let scanned = null;
  const scanner = scanPart(a.name, (importId, index, entry, keep) => {
    scanned = { importId, index, keep };
    secret.value = '';
    label.hidden = true;
    secret.hidden = true;
    code.textContent = String(entry.code ?? '').replace(/^(\d{3})(\d{3})$/, '$1 $2');
    step.textContent =
      `Scanned ${entry.label || 'a key'}. Enter this code in the app to finish turning on two-factor, ` +
      'then choose Done.';
    save.hidden = true;
    done.hidden = false;
  });
  done.addEventListener('click', async () => {
    done.disabled = true;
    try {
      if (scanned) {
        const result = await ask('ws-import-confirm', {
          importId: scanned.importId,
          picks: [{ index: scanned.index, to: a.id }],
        });
        if (result.failed.length) throw new Error(result.failed[0].error);
        // The backup codes found beside the QR code, if the person ticked them.
        const codes = scanned.keep();
        if (codes) await ask('ws-save-backup-codes', { accountId: a.id, codes: codes.join('\n') });
      } else await ask('ws-set-mfa', { accountId: a.id, secret: secret.value });
      await loadSharing();
    } catch (e) {
      showError(error, message(e));
    } finally {
      done.disabled = false;
    }
  });
  const actions = el('div', 'actions start');
  actions.append(save, done);
  form.append(step, scanner, label, secret, code, error, actions);
  // Apps Latchkey has an automation for: Turn on (and the managed number's tasks); the manual path stays.
  box.append(
    automationPart(a, () => void loadSharing(), pending),
    open,
    form,
  );
  return box;
}

/**
 * The app's backup codes: shown on demand (never autofilled); owners keep them.
 * @param {SharingView['accounts'][number]} a
 */
function backupPart(a) {
  const box = el('div', 'stack');
  const shown = el('ul', 'members backup-codes');
  if (a.backupCodes !== null) {
    const show = el('button', 'button small secondary', `Show ${a.backupCodes} backup codes`);
    show.type = 'button';
    show.setAttribute('aria-label', `Show backup codes of ${a.name}`);
    show.addEventListener('click', async () => {
      try {
        /** @type {{codes: string[]}} */
        const { codes } = await ask('ws-reveal-backup-codes', { accountId: a.id });
        shown.replaceChildren(...codes.map((c) => el('li', 'member', c)));
        show.hidden = true;
      } catch (e) {
        showError(byId('sharing-error'), message(e));
      }
    });
    box.append(show, shown);
  }
  if (a.role === 'owner') {
    const details = el('details');
    details.append(
      el('summary', 'hint', a.backupCodes === null ? 'Keep the app’s backup codes' : 'Replace the backup codes'),
    );
    const area = el('textarea');
    area.rows = 4;
    area.id = `backup-${a.id}`;
    area.setAttribute('aria-label', `Backup codes of ${a.name}`);
    const save = sharingButton('Save backup codes', 'secondary', () =>
      ask('ws-save-backup-codes', { accountId: a.id, codes: area.value }),
    );
    details.append(area, save);
    box.append(details);
  }
  return box;
}

/**
 * Remove, behind a confirmation that says what happens; then what it did, and what is left to do
 * at the app when the person left (the account key changed, the app's password and MFA key did not).
 * @param {SharingView['accounts'][number]} a @param {SharingView['accounts'][number]['members'][number]} m
 */
async function removeMember(a, m) {
  const who = m.displayName || m.email;
  const dialog = /** @type {HTMLDialogElement} */ (byId('confirm-remove'));
  byId('remove-title').textContent = `Remove ${who} from ${a.name}?`;
  byId('remove-body').textContent =
    `${who} stops getting ${a.name}’s codes at once, and Latchkey changes the account’s key so that what is ` +
    `shared from now on is out of their reach.`;
  dialog.returnValue = '';
  dialog.showModal();
  await new Promise((r) => dialog.addEventListener('close', r, { once: true }));
  if (dialog.returnValue !== 'remove') return;
  await ask('ws-unshare', { accountId: a.id, userId: m.userId });
  const done = byId('sharing-done');
  done.replaceChildren(
    el('p', 'ok-text', `Removed ${who} from ${a.name}. They no longer get its codes.`),
    el(
      'p',
      '',
      `If ${who} left your team, they may still know ${a.name}’s password and may have kept its MFA key: change ` +
        `the password at the app, and turn two-factor off and on again there to get a new key, then use Set as ` +
        `MFA here with it.`,
    ),
  );
  done.hidden = false;
}

/** @param {string} label @param {string} cls @param {() => Promise<unknown>} act */
function sharingButton(label, cls, act) {
  const b = el('button', `button small ${cls}`, label);
  b.type = 'button';
  b.addEventListener('click', async () => {
    b.disabled = true;
    showError(byId('sharing-error'), null);
    try {
      await act();
      await loadSharing();
    } catch (e) {
      showError(byId('sharing-error'), message(e));
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

/** The accounts the person owns, by id, for Import's preview. @type {Map<string, string>} */
let owned = new Map();

/** Which load of the account list is the latest: an older one that answers later is dropped. */
let sharingLoads = 0;

async function loadSharing() {
  const load = ++sharingLoads;
  /** @type {SharingView} */
  const data = await ask('ws-sharing');
  // Swapped in once every part has what it shows: a reload (after a job, a share) never shows a
  // row without its buttons for a moment, which a person (or a test) could click into.
  /** @type {Promise<unknown>[]} */
  const pending = [];
  const items = data.accounts.map((a) => sharingItem(a, pending));
  await Promise.allSettled(pending);
  if (load !== sharingLoads) return;
  byId('sharing-card').hidden = false;
  byId('sharing-empty').hidden = data.accounts.length > 0;
  byId('sharing').replaceChildren(...items);
  owned = new Map(data.accounts.filter((a) => a.role === 'owner').map((a) => [a.id, a.name]));
  if (byId('import-card').hidden) startImport(() => owned, loadSharing);
  if (byId('inbox-card').hidden) void startInbox(data.accounts.map((a) => ({ id: a.id, name: a.name, site: a.site })));
}

async function main() {
  const ws = await status();
  const trusted = ws.stage === 'trusted';
  if (ws.notice) {
    byId('notice').textContent = ws.notice;
    byId('notice').hidden = false;
  }
  byId('untrusted').hidden = trusted || !!ws.notice;
  byId('devices-card').hidden = !trusted;
  byId('security-card').hidden = !trusted;
  if (!trusted) {
    byId('requests-card').hidden = true;
    return;
  }
  /** @type {HTMLInputElement} */ (byId('idle')).value = String(ws.idleMinutes);
  void loadSharing().catch((e) => {
    byId('sharing-card').hidden = false;
    showError(byId('sharing-error'), message(e));
  });
  try {
    await load();
  } catch (e) {
    showError(errorBox, message(e));
    const after = await status();
    if (after.stage !== 'trusted') return main();
  }
  void watch();
}

void main();
