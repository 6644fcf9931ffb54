// @ts-check
/**
 * The account page's automations (issue 20): for an app Latchkey has an automation for, **Turn on**
 * opens **Turn on MFA** ("I've verified that MFA is off for this account", then **Turn on MFA**);
 * with a managed number, **Add the number to the app** and **Turn on SMS MFA**. While the job
 * runs, "Latchkey is turning on MFA…" with the current step; at its end, what happened and what to
 * do. The worker runs the job (background/automation/runner.js); this page only asks and shows.
 */
import { el } from '../popup/dom.js';
import { ask, message } from '../pages/ask.js';

/** @typedef {import('../types/protocol').AutomationsView} AutomationsView */
/** @typedef {NonNullable<AutomationsView['job']>} JobView */

/** How often the page asks how a running job is doing. */
const POLL_MS = 500;

/** @type {Record<string, {button: string, title: string, doing: string, done: string}>} */
const TASKS = {
  'turn-on-totp': {
    button: 'Turn on',
    title: 'Turn on MFA',
    doing: 'Latchkey is turning on MFA…',
    done: 'MFA is on. Latchkey is the authenticator: every member’s Latchkey fills the code.',
  },
  'add-number': {
    button: 'Add the number to the app',
    title: 'Add the number to the app',
    doing: 'Latchkey is adding the managed number to the app…',
    done: 'The managed number is added to the app and verified with the code it texted.',
  },
  'turn-on-sms': {
    button: 'Turn on SMS MFA',
    title: 'Turn on SMS MFA',
    doing: 'Latchkey is turning on SMS MFA…',
    done: 'SMS MFA is on: the app texts its codes to the managed number, and Latchkey fills them.',
  },
};

/**
 * What went wrong, and what to do, for each of the server's reasons.
 * @type {Record<string, (line: number) => string>}
 */
const REASONS = {
  wrong_password: () =>
    'The app refused the saved password. ' +
    'Change the account’s saved login in Latchkey to the right one, then try again.',
  element_missing: (line) =>
    `The app’s page has changed: Latchkey did not find what the automation expects (line ${line}). Do it at the ` +
    'app by hand with Set as MFA, and ask your admin to update the automation.',
  check_failed: (line) =>
    `The app did not show what Latchkey expected (line ${line}). Look at the app’s settings, then try again or do ` +
    'it by hand.',
  timed_out: (line) => `The app took too long to answer (line ${line}). Try again later.`,
  off_site: () =>
    'The app sent the job’s tab to another site, so Latchkey stopped before acting there. Do it at the app by hand.',
  app_refused_code: () =>
    'The app did not accept the code of the new key. Check the app’s MFA page, and try again if MFA is off.',
  no_saved_login: () => 'This account has no saved login (user name and password) for Latchkey to sign in with.',
  no_managed_number: () => 'This account has no managed number: create one first.',
  no_texted_code: () => 'No text with a code reached the managed number in time. Try again.',
  vault_locked: () => 'Latchkey is locked. Unlock it, then try again.',
  secret_unreadable: (line) =>
    `Latchkey could not read the app’s key as an authenticator key (line ${line}). Do it by hand with Set as MFA.`,
  tab_closed: (line) => `The job’s tab was closed (at line ${line}), so Latchkey stopped.`,
  runner_stopped: (line) => `Latchkey’s background work was stopped by the browser (at line ${line}).`,
  browser_restarted: (line) => `The browser restarted during the job (at line ${line}).`,
  automation_invalid: () => 'The automation for this app is not valid: ask your admin to update Latchkey.',
  no_automation: () => 'Latchkey has no automation for this app: do it at the app by hand.',
  mfa_already_on: () => 'MFA is already on at the app: turn it off there first, or keep it as it is.',
  cancelled: () => 'The job stopped.',
};

/**
 * The job's outcome in sentences: what happened, where the app stands, what to do.
 * @param {JobView} job
 */
export function outcome(job) {
  const task = TASKS[job.task] ?? TASKS['turn-on-totp'];
  if (job.status === 'running') return `${task.doing} Now: ${job.step}.`;
  const parts = [];
  if (job.status === 'succeeded') parts.push(task.done);
  else parts.push((REASONS[job.reason ?? 'cancelled'] ?? REASONS.cancelled)(job.line));
  if (job.backupCodes) parts.push(`The app’s ${job.backupCodes} backup codes are saved in Emergency controls.`);
  if (job.status !== 'succeeded' && job.secret === 'pending')
    parts.push(
      'The new key the app showed is saved in Latchkey, marked pending: if the app’s MFA page says MFA is on, ' +
        'Latchkey’s codes work; if it says off, turn it on again.',
    );
  if (job.status !== 'succeeded' && job.secret === 'confirmed')
    parts.push('MFA is on at the app with Latchkey’s new key.');
  return parts.join(' ');
}

/**
 * How a part shows a job as it stands, or an error.
 * @typedef {{show: (job: JobView | null) => void, fail: (text: string) => void}} PartView
 */
/** The parts made, by their box. @type {WeakMap<Element, PartView>} */
const parts = new WeakMap();
/** Accounts whose running job this page watches: one loop each, however often the list is redrawn. */
const watching = new Set();

/**
 * Asks how the account's job is doing until it ends, showing it in the account's part that is on
 * the page at each answer (a redrawn list has a new one; a part never shown gets nothing), then
 * runs `onEnd` once.
 * @param {string} accountId @param {() => void} onEnd
 */
function watchJob(accountId, onEnd) {
  if (watching.has(accountId)) return;
  watching.add(accountId);
  /** @returns {PartView[]} */
  const onPage = () =>
    [...document.querySelectorAll('.automations')]
      .filter((box) => box instanceof HTMLElement && box.dataset.accountId === accountId)
      .flatMap((box) => parts.get(box) ?? []);
  void (async () => {
    for (;;) {
      /** @type {AutomationsView} */
      const view = await ask('ws-automation-tasks', { accountId });
      for (const part of onPage()) part.show(view.job);
      if (view.job?.status !== 'running') return onEnd();
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })()
    .catch((e) => {
      for (const part of onPage()) part.fail(message(e));
    })
    .finally(() => watching.delete(accountId));
}

/**
 * The automations part of an account's MFA settings. `onEnd` runs when a job this page watched
 * ended (the account list is then reloaded); the part's fetch goes into `pending`.
 * @param {{id: string, name: string, role: 'owner' | 'member'}} a @param {() => void} onEnd
 * @param {Promise<unknown>[]} pending
 */
export function automationPart(a, onEnd, pending) {
  const box = el('div', 'stack automations');
  box.dataset.accountId = a.id;
  if (a.role !== 'owner') return box;
  const actions = el('div', 'actions start');
  const status = el('p', 'hint');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-label', `Automation status of ${a.name}`);
  status.hidden = true;
  box.append(actions, status);
  /** @type {HTMLButtonElement[]} */
  const buttons = [];
  /** @param {JobView | null} job */
  const show = (job) => {
    status.hidden = !job;
    status.textContent = job ? outcome(job) : '';
    status.className = job?.status === 'succeeded' ? 'ok-text' : job?.status === 'running' ? 'hint' : 'notice';
    for (const b of buttons) b.disabled = job?.status === 'running';
  };
  parts.set(box, {
    show,
    fail: (text) => {
      status.hidden = false;
      status.textContent = text;
    },
  });
  const fetched = ask('ws-automation-tasks', { accountId: a.id }).then(
    (/** @type {AutomationsView} */ view) => {
      for (const { task } of view.available) {
        if (task !== 'turn-on-totp' && !view.managedNumber) continue;
        const words = TASKS[task];
        if (!words) continue;
        const b = el('button', 'button small secondary', words.button);
        b.type = 'button';
        b.setAttribute('aria-label', `${words.title} for ${a.name}`);
        b.addEventListener('click', async () => {
          const started = await confirmDialog(a, task, view.origin);
          if (!started) return;
          for (const x of buttons) x.disabled = true;
          watchJob(a.id, onEnd);
        });
        buttons.push(b);
        actions.append(b);
        // The dry run: the same plan against the app as it is now, acting on nothing.
        const dry = el('button', 'button small secondary', 'Check against the app');
        dry.type = 'button';
        dry.setAttribute('aria-label', `Check ${words.title} against the app for ${a.name}`);
        dry.addEventListener('click', () => dryRunDialog(a, task, view.origin));
        buttons.push(dry);
        actions.append(dry);
      }
      show(view.job);
      if (view.job?.status === 'running') watchJob(a.id, onEnd);
    },
    (e) => box.append(el('p', 'hint', message(e))),
  );
  pending.push(fetched);
  return box;
}

/** What each dry-run outcome says, next to the step. @type {Record<string, string>} */
const DRY_OUTCOMES = {
  opened: 'opened',
  found: 'found',
  missing: 'missing',
  skipped: 'skipped (not on the page now)',
  not_reached: 'not reached (after a click)',
  off_site: 'off the app’s site: stopped',
  stopped: 'stopped (the tab went away)',
};

/**
 * The dry run's dialog: the app's address, **Check**, then each step with its line, kind and
 * outcome. Nothing at the app is filled, clicked or read, and no job is logged.
 * @param {{id: string, name: string}} a @param {string} task @param {string} origin
 */
function dryRunDialog(a, task, origin) {
  const words = TASKS[task];
  const dialog = el('dialog');
  dialog.setAttribute('aria-labelledby', 'dry-run-title');
  const form = el('form', 'stack');
  form.method = 'dialog';
  const title = el('h2', '', `Check ${words.title} against the app`);
  title.id = 'dry-run-title';
  const body = el(
    'p',
    '',
    `Latchkey opens ${a.name}’s pages in a tab of its own and looks for each element the automation needs. ` +
      'It fills nothing, clicks nothing and reads nothing: steps after a click are not reached.',
  );
  const addressLabel = el('label', '', 'The app’s address');
  const address = el('input');
  address.id = 'dry-run-origin';
  address.type = 'url';
  address.value = origin;
  addressLabel.htmlFor = address.id;
  const state = el('p', 'hint');
  state.setAttribute('role', 'status');
  state.hidden = true;
  const list = el('ol', 'dry-run-steps');
  list.setAttribute('aria-label', 'Steps checked');
  list.hidden = true;
  const buttons = el('div', 'actions');
  const close = el('button', 'button secondary', 'Close');
  close.type = 'submit';
  const go = el('button', 'button primary', 'Check');
  go.type = 'button';
  buttons.append(close, go);
  form.append(title, body, addressLabel, address, state, list, buttons);
  dialog.append(form);
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
  go.addEventListener('click', async () => {
    go.disabled = true;
    state.hidden = false;
    state.className = 'hint';
    state.textContent = 'Checking…';
    list.hidden = true;
    list.replaceChildren();
    try {
      /** @type {import('../types/protocol').DryRunView} */
      const result = await ask('ws-automation-dry-run', { accountId: a.id, task, origin: address.value });
      const missing = result.steps.filter((s) => s.outcome === 'missing' || s.outcome === 'off_site');
      state.className = missing.length ? 'notice' : 'ok-text';
      state.textContent = missing.length
        ? `${missing.length} step${missing.length === 1 ? '' : 's'} did not find the page as the automation expects ` +
          `(line ${missing.map((s) => s.line).join(', ')}).`
        : 'Every step Latchkey could reach without acting found what it needs.';
      for (const s of result.steps) {
        const li = el(
          'li',
          `dry-run-${s.outcome}`,
          `Line ${s.line} · ${s.kind} · ${DRY_OUTCOMES[s.outcome] ?? s.outcome}`,
        );
        li.dataset.line = String(s.line);
        li.dataset.outcome = s.outcome;
        li.title = s.step;
        list.append(li);
      }
      list.hidden = false;
    } catch (e) {
      state.className = 'error';
      state.textContent = message(e);
    } finally {
      go.disabled = false;
    }
  });
}

/**
 * The dialog before a job: the app's address, and for Turn on MFA the owner's word that MFA is off
 * there; the start button is enabled by it. Resolves true once the worker started the job.
 * @param {{id: string, name: string}} a @param {string} task @param {string} origin
 */
function confirmDialog(a, task, origin) {
  const words = TASKS[task];
  const dialog = el('dialog');
  dialog.setAttribute('aria-labelledby', 'automation-title');
  const form = el('form', 'stack');
  form.method = 'dialog';
  const title = el('h2', '', words.title);
  title.id = 'automation-title';
  const body = el(
    'p',
    '',
    `Latchkey signs in to ${a.name} with its saved login in a tab of its own and does it for you; the app’s ` +
      'key and backup codes go straight into the vault.',
  );
  const addressLabel = el('label', '', 'The app’s address');
  const address = el('input');
  address.id = 'automation-origin';
  address.type = 'url';
  address.value = origin;
  addressLabel.htmlFor = address.id;
  const error = el('p', 'error');
  error.hidden = true;
  const buttons = el('div', 'actions');
  const cancel = el('button', 'button secondary', 'Cancel');
  cancel.type = 'submit';
  cancel.value = 'cancel';
  const go = el('button', 'button primary', task === 'turn-on-totp' ? 'Turn on MFA' : words.title);
  go.type = 'button';
  form.append(title, body, addressLabel, address);
  if (task === 'turn-on-totp') {
    const check = el('input');
    check.type = 'checkbox';
    check.id = 'automation-verified';
    const label = el('label', 'check', 'I’ve verified that MFA is off for this account');
    label.prepend(check);
    go.disabled = true;
    check.addEventListener('change', () => {
      go.disabled = !check.checked;
    });
    form.append(label);
  }
  buttons.append(cancel, go);
  form.append(error, buttons);
  dialog.append(form);
  document.body.append(dialog);
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'started');
    });
    go.addEventListener('click', async () => {
      go.disabled = true;
      error.hidden = true;
      try {
        await ask('ws-automation-start', { accountId: a.id, task, origin: address.value });
        dialog.close('started');
      } catch (e) {
        error.hidden = false;
        error.textContent = message(e);
        go.disabled = false;
      }
    });
  });
}
