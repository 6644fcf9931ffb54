// @ts-check
/**
 * The vault's freshness under the workspace banner: "Synced 3 h ago" while the server answers;
 * "Server unreachable" with why, the age of the offline copy the codes come from, that texted codes
 * cannot arrive meanwhile, and Retry; or why the offline copy was not used. Text only.
 */
import { byId } from './dom.js';
import { ago } from './format.js';

/** @typedef {import('../types/protocol').VaultHealth} VaultHealth */

/** @param {VaultHealth | null} sync @param {() => Promise<void>} retry */
export function renderSync(sync, retry) {
  const box = byId('sync-state');
  const title = byId('sync-title');
  const text = byId('sync-text');
  const button = /** @type {HTMLButtonElement} */ (byId('sync-retry'));
  if (!sync || (sync.syncedAt === null && !sync.unreachable && !sync.copyProblem)) {
    box.hidden = true;
    return;
  }
  const age = sync.syncedAt === null ? null : `Synced ${ago(sync.syncedAt, Date.now())}`;
  box.hidden = false;
  box.classList.toggle('unreachable', !!sync.unreachable || !!sync.copyProblem);
  button.hidden = !sync.unreachable;
  if (!sync.unreachable && !sync.copyProblem) {
    title.textContent = age ?? '';
    text.textContent = '';
    return;
  }
  title.textContent = sync.unreachable ? 'Server unreachable' : 'The offline copy was not used';
  const parts = [sync.unreachable ?? ''];
  if (sync.copyProblem) parts.push(sync.copyProblem);
  else if (age) parts.push(`Codes come from this device’s copy. ${age}.`);
  else parts.push('This device has no copy of the vault yet.');
  if (sync.unreachable) parts.push('Texted codes cannot reach this device until the server answers again.');
  text.textContent = parts.filter(Boolean).join(' ');
  button.onclick = () => {
    button.disabled = true;
    button.textContent = 'Retrying…';
    retry().finally(() => {
      button.disabled = false;
      button.textContent = 'Retry';
    });
  };
}
