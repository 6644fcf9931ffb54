// @ts-check
/**
 * Email Address Linked to Account: the account's managed e-mail address, or (for its owner, where
 * the app takes managed addresses) Create email address. The server proposes the address before
 * anything is created (`proposed`), so the dialog shows it at once for copying and creates it only
 * on Create Email Address, enabled by the confirmation; Cancel leaves nothing behind.
 */
import { byId, copied, el } from '../popup/dom.js';
import { ask, message } from '../pages/ask.js';

/** @typedef {import('../types/protocol').EmailAddressView} EmailAddressView */

/**
 * @param {{id: string, name: string, role: 'owner' | 'member'}} a
 * @param {(reason: string) => void} onError @param {() => void} onChange
 * @param {Promise<unknown>[]} pending where the part's fetch goes, for the list to wait on
 */
export function addressPart(a, onError, onChange, pending) {
  const box = el('div', 'stack address');
  box.append(el('p', 'field-title', 'Email Address Linked to Account'));
  const fetched = ask('ws-address', { accountId: a.id }).then(
    (/** @type {EmailAddressView} */ v) => {
      if (v.address) {
        const address = el('output', 'phone-number', v.address);
        address.setAttribute('aria-label', `E-mail address of ${a.name}`);
        box.append(address, steps(a.name));
      } else if (!v.supported) {
        box.append(el('p', 'hint', 'This app does not take managed e-mail addresses.'));
      } else if (a.role === 'owner' && v.proposed) {
        const create = el('button', 'button small secondary', 'Create email address');
        create.type = 'button';
        create.addEventListener('click', () => openDialog(a, v.proposed ?? '', onError, onChange));
        box.append(el('p', 'hint', 'No e-mail address yet.'), create);
      } else if (a.role === 'owner') {
        box.append(el('p', 'hint', 'No e-mail address yet. This server gives none out (it has no mail domain).'));
      } else {
        box.append(el('p', 'hint', 'No e-mail address yet. The account’s owner can create one.'));
      }
    },
    (e) => box.append(el('p', 'hint', message(e))),
  );
  pending.push(fetched);
  return box;
}

/** @param {string} name */
function steps(name) {
  const list = el('ol', 'steps');
  list.append(
    el('li', '', `In ${name}’s account settings, use this address for sign-in and verification codes.`),
    el('li', '', 'Mail sent to it appears in the Shared inbox below, and Latchkey fills its codes on the app’s page.'),
  );
  return list;
}

/**
 * @param {{id: string, name: string}} a @param {string} proposed
 * @param {(reason: string) => void} onError @param {() => void} onChange
 */
function openDialog(a, proposed, onError, onChange) {
  /** @type {HTMLDialogElement} */
  const dialog = byId('address-dialog');
  /** @type {HTMLInputElement} */
  const confirm = byId('address-confirm');
  /** @type {HTMLButtonElement} */
  const done = byId('address-create');
  byId('address-confirm-label').textContent = `I will add the email address to ${a.name} account settings`;
  byId('address-dialog-address').textContent = proposed;
  confirm.checked = false;
  done.disabled = true;
  confirm.onchange = () => (done.disabled = !confirm.checked);
  byId('address-copy').onclick = () => void copied(byId('address-copy'), proposed);
  dialog.onclose = async () => {
    dialog.onclose = null;
    if (dialog.returnValue !== 'create') return;
    await ask('ws-address-create', { accountId: a.id }).catch((e) => onError(message(e)));
    onChange();
  };
  dialog.returnValue = '';
  dialog.showModal();
}
