// @ts-check
/**
 * Phone Number Linked to Account: the account's managed number, or (for its owner, where the app
 * takes managed numbers) Create phone number. The dialog obtains the number when it opens (so the
 * person can copy it at once) and releases it on Cancel; Create Phone Number, enabled by the
 * confirmation, keeps it.
 */
import { byId, copied, el } from '../popup/dom.js';
import { ask, message } from '../pages/ask.js';

/** @typedef {import('../types/protocol').PhoneNumberView} PhoneNumberView */

/**
 * @param {{id: string, name: string, role: 'owner' | 'member'}} a
 * @param {(reason: string) => void} onError @param {() => void} onChange
 * @param {Promise<unknown>[]} pending where the part's fetch goes, for the list to wait on
 */
export function phonePart(a, onError, onChange, pending) {
  const box = el('div', 'stack phone');
  const title = el('p', 'field-title', 'Phone Number Linked to Account');
  box.append(title);
  const fetched = ask('ws-phone', { accountId: a.id }).then(
    (/** @type {any} */ r) => {
      /** @type {PhoneNumberView} */
      const p = { number: r.number ?? null, supported: r.supported === true };
      if (p.number) {
        const number = el('output', 'phone-number', p.number);
        number.setAttribute('aria-label', `Phone number of ${a.name}`);
        box.append(number, steps(a.name));
      } else if (!p.supported) {
        box.append(el('p', 'hint', 'This app does not take managed phone numbers.'));
      } else if (a.role === 'owner') {
        const create = el('button', 'button small secondary', 'Create phone number');
        create.type = 'button';
        create.addEventListener('click', () => openDialog(a, onError, onChange));
        box.append(el('p', 'hint', 'No phone number yet.'), create);
      } else {
        box.append(el('p', 'hint', 'No phone number yet. The account’s owner can create one.'));
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
    el('li', '', `In ${name}’s account settings, add this number as the phone for verification codes.`),
    el(
      'li',
      '',
      'The app texts a code to confirm it: it appears in the Shared inbox below, and Latchkey fills it on the ' +
        'app’s page.',
    ),
  );
  return list;
}

/**
 * @param {{id: string, name: string}} a @param {(reason: string) => void} onError @param {() => void} onChange
 */
async function openDialog(a, onError, onChange) {
  /** @type {HTMLDialogElement} */
  const dialog = byId('phone-dialog');
  /** @type {HTMLInputElement} */
  const confirm = byId('phone-confirm');
  /** @type {HTMLButtonElement} */
  const done = byId('phone-create');
  byId('phone-confirm-label').textContent = `I will add the phone number to ${a.name} account settings`;
  byId('phone-dialog-number').textContent = 'Getting a number…';
  confirm.checked = false;
  done.disabled = true;
  dialog.showModal();
  let number = '';
  try {
    /** @type {{number: string | null}} */
    const r = await ask('ws-phone-create', { accountId: a.id });
    number = r.number ?? '';
    byId('phone-dialog-number').textContent = number;
  } catch (e) {
    dialog.close();
    onError(message(e));
    return;
  }
  confirm.onchange = () => (done.disabled = !confirm.checked);
  byId('phone-copy').onclick = () => void copied(byId('phone-copy'), number);
  dialog.onclose = async () => {
    dialog.onclose = null;
    if (dialog.returnValue !== 'create') {
      await ask('ws-phone-release', { accountId: a.id }).catch((e) => onError(message(e)));
    }
    onChange();
  };
}
