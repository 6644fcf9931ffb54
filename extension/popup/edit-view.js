// @ts-check
/** Edit an account's name and site; delete it behind a confirmation that names it. */
import { ask } from '../pages/ask.js';
import { byId, showError } from './dom.js';

/** @typedef {import('../types/protocol').AccountView} AccountView */

const form = /** @type {HTMLFormElement} */ (byId('edit-form'));
const about = byId('edit-about');
const name = /** @type {HTMLInputElement} */ (byId('edit-name'));
const site = /** @type {HTMLInputElement} */ (byId('edit-site'));
const error = byId('edit-error');
const dialog = /** @type {HTMLDialogElement} */ (byId('confirm-delete'));

/**
 * @typedef {object} EditHooks
 * @property {(name: string) => void} onSaved
 * @property {(name: string) => void} onDeleted
 * @property {() => void} onCancel
 */

/** @type {{account: AccountView, hooks: EditHooks} | null} */
let editing = null;

/** @param {AccountView} account @param {EditHooks} hooks */
export function startEdit(account, hooks) {
  editing = { account, hooks };
  name.value = account.name;
  site.value = account.site;
  about.textContent = [account.issuer, account.account].filter(Boolean).join(' · ') || 'Authenticator key';
  showError(error, null, site);
  name.focus();
  name.select();
}

/** Whether the delete confirmation is open (Escape belongs to it then). */
export function confirming() {
  return dialog.open;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!editing) return;
  try {
    await ask('update', { id: editing.account.id, name: name.value, site: site.value });
    editing.hooks.onSaved(name.value.trim() || editing.account.name);
  } catch (err) {
    showError(error, err instanceof Error ? err.message : String(err), site);
    site.focus();
  }
});

form.querySelector('[data-action=cancel]')?.addEventListener('click', () => editing?.hooks.onCancel());
site.addEventListener('input', () => showError(error, null, site));

byId('delete-open').addEventListener('click', () => {
  if (!editing) return;
  const a = editing.account;
  byId('delete-title').textContent = `Delete “${a.name}”?`;
  byId('delete-body').textContent =
    `Latchkey will forget this key and stop showing and filling its codes. Make sure you can still sign in to ` +
    `${a.issuer || a.name}: turn off two-factor authentication there first, or keep the key in another authenticator.`;
  dialog.returnValue = '';
  dialog.showModal();
});

dialog.addEventListener('close', async () => {
  if (!editing || dialog.returnValue !== 'delete') return;
  const { account, hooks } = editing;
  try {
    await ask('delete', { id: account.id });
    hooks.onDeleted(account.name);
  } catch (err) {
    showError(error, err instanceof Error ? err.message : String(err));
  }
});
