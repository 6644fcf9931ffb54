// @ts-check
/**
 * The popup's word on the workspace: "This session is not secure" until the device is trusted
 * (nothing from the vault is shown meanwhile), the workspace with Lock once it is, Unlock when
 * locked, and why the data was wiped when the server disabled the device.
 */
import { byId } from './dom.js';

/** @typedef {import('../types/protocol').WorkspaceStatus} WorkspaceStatus */

/** @param {'join' | 'dashboard'} page */
async function openPage(page) {
  const url = chrome.runtime.getURL(`extension/dashboard/${page}.html`);
  await chrome.tabs.create({ url });
  if (!(await chrome.tabs.getCurrent())) window.close();
}

/** @param {`ws-${string}`} type */
async function send(type) {
  const reply = await chrome.runtime.sendMessage({ type });
  if (!reply?.ok) throw new Error(reply?.error ?? 'Latchkey did not answer.');
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
      await send('ws-dismiss-notice');
      reload();
    });
  } else if (ws.stage === 'none') {
    banner.hidden = true;
    return;
  } else if (ws.stage !== 'trusted') {
    banner.classList.add('insecure');
    title.textContent = 'This session is not secure';
    text.textContent = 'Verify this device to open your team’s vault. Until then, only the accounts saved on this device are shown.';
    action('Verify now', () => openPage('join'));
  } else if (ws.locked) {
    title.textContent = 'Latchkey is locked';
    text.textContent = `${ws.workspaceName ?? 'Your workspace'}’s accounts are hidden until you unlock.`;
    action('Unlock', async () => {
      await send('ws-unlock');
      reload();
    });
  } else {
    title.textContent = ws.workspaceName ?? 'Your workspace';
    text.textContent = '';
    action('Lock', async () => {
      await send('ws-lock');
      reload();
    });
    action('My trusted devices', () => openPage('dashboard'), secondary);
  }
  banner.hidden = false;
}

byId('join-open').addEventListener('click', () => void openPage('join'));
