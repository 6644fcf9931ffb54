// @ts-check
/**
 * The popup's word on the workspace: "This session is not secure" until the device is trusted
 * (nothing from the vault is shown meanwhile), the workspace with Lock once it is, the PIN box when
 * locked (tries left after a wrong PIN), Choose an unlock PIN on a trusted device without one, and
 * why the data was wiped (the device disabled, or too many wrong PINs).
 */
import { ask } from '../pages/ask.js';
import { byId, showError } from './dom.js';

/** @typedef {import('../types/protocol').WorkspaceStatus} WorkspaceStatus */

/** @param {'join' | 'join.html?change' | 'dashboard'} page */
async function openPage(page) {
  const url = chrome.runtime.getURL(`extension/dashboard/${page.includes('.') ? page : `${page}.html`}`);
  await chrome.tabs.create({ url });
  if (!(await chrome.tabs.getCurrent())) window.close();
}

/**
 * The banner's PIN form: Unlock (one field) or Choose (the PIN twice). Errors (a wrong PIN with
 * the tries left, a PIN the rules refuse) show under the field; `done` runs after success, and
 * after a failure too, since a last wrong PIN wipes the device and the banner must say so.
 * @param {'unlock' | 'choose'} mode @param {() => void} done
 */
function pinForm(mode, done) {
  const form = /** @type {HTMLFormElement} */ (byId('ws-pin-form'));
  const input = /** @type {HTMLInputElement} */ (byId('ws-pin'));
  const again = /** @type {HTMLInputElement} */ (byId('ws-pin-again'));
  const submit = /** @type {HTMLButtonElement} */ (byId('ws-pin-submit'));
  const error = byId('ws-pin-error');
  form.hidden = false;
  byId('ws-pin-again-field').hidden = mode !== 'choose';
  byId('ws-pin-label').textContent = mode === 'choose' ? 'New PIN or passphrase' : 'PIN or passphrase';
  submit.textContent = mode === 'choose' ? 'Save PIN' : 'Unlock';
  submit.disabled = false;
  form.onsubmit = async (e) => {
    e.preventDefault();
    showError(error, null, input);
    if (mode === 'choose' && input.value !== again.value) {
      showError(error, 'The two entries differ. Type the same PIN twice.', again);
      return;
    }
    submit.disabled = true;
    submit.textContent = mode === 'choose' ? 'Saving…' : 'Unlocking…';
    try {
      await ask(mode === 'choose' ? 'ws-set-pin' : 'ws-unlock', { pin: input.value });
      input.value = '';
      again.value = '';
      form.hidden = true;
      done();
    } catch (err) {
      input.value = '';
      submit.disabled = false;
      submit.textContent = mode === 'choose' ? 'Save PIN' : 'Unlock';
      showError(error, err instanceof Error ? err.message : String(err), input);
      input.focus();
      if (mode === 'unlock') done();
    }
  };
}

/**
 * @param {WorkspaceStatus} ws @param {() => void} reload called after Lock, Unlock or a dismissed notice
 */
export function renderWorkspace(ws, reload) {
  const banner = byId('ws-banner');
  const title = byId('ws-title');
  const text = byId('ws-text');
  const primary = /** @type {HTMLButtonElement} */ (byId('ws-primary'));
  const secondary = /** @type {HTMLButtonElement} */ (byId('ws-secondary'));
  byId('join-open').hidden = !(ws.stage === 'none' && !ws.notice);
  secondary.hidden = true;
  primary.hidden = false;
  const pinShown = !byId('ws-pin-form').hidden;
  byId('ws-pin-form').hidden = true;
  banner.className = 'ws-banner';
  /** @param {string} label @param {() => Promise<void>} act @param {HTMLButtonElement} [button] */
  const action = (label, act, button = primary) => {
    button.textContent = label;
    button.hidden = false;
    button.onclick = () => {
      button.disabled = true;
      act()
        .catch((e) => {
          text.textContent = e instanceof Error ? e.message : String(e);
        })
        .finally(() => {
          button.disabled = false;
        });
    };
  };
  if (ws.notice) {
    banner.classList.add('wiped');
    title.textContent = 'This device left the workspace';
    text.textContent = ws.notice;
    action('OK', async () => {
      await ask('ws-dismiss-notice');
      reload();
    });
  } else if (ws.stage === 'none') {
    banner.hidden = true;
    return;
  } else if (ws.stage !== 'trusted') {
    banner.classList.add('insecure');
    title.textContent = 'This session is not secure';
    text.textContent =
      'Verify this device to open your team’s vault. Until then, only the accounts saved on this device are shown.';
    action('Verify now', () => openPage('join'));
    // Before the device is trusted, the server and the e-mail can still change (the join page's first screen).
    action('Change server or e-mail', () => openPage('join.html?change'), secondary);
  } else if (!ws.pinSet) {
    title.textContent = 'Choose an unlock PIN';
    text.textContent =
      `From now on Latchkey asks for it to open ${ws.workspaceName ?? 'your workspace'}’s accounts after Lock, a ` +
      `while without use, or a browser restart. Use 6 or more digits without a pattern, or a passphrase of 8 ` +
      `characters or more.`;
    primary.hidden = true;
    pinForm('choose', reload);
  } else if (ws.locked) {
    title.textContent = 'Latchkey is locked';
    const left =
      ws.pinFailures > 0
        ? ` ${ws.pinTriesLeft} ${ws.pinTriesLeft === 1 ? 'try' : 'tries'} left, then Latchkey removes this device’s ` +
          `keys and you join again.`
        : '';
    text.textContent =
      `Enter the unlock PIN (or passphrase) you chose for this device to open ` +
      `${ws.workspaceName ?? 'your workspace'}’s accounts.${left}`;
    primary.hidden = true;
    pinForm('unlock', reload);
    if (!pinShown) /** @type {HTMLInputElement} */ (byId('ws-pin')).focus();
  } else {
    title.textContent = ws.workspaceName ?? 'Your workspace';
    text.textContent = '';
    action('Lock', async () => {
      await ask('ws-lock');
      reload();
    });
    action('My trusted devices', () => openPage('dashboard'), secondary);
  }
  banner.hidden = false;
}

byId('join-open').addEventListener('click', () => void openPage('join'));
