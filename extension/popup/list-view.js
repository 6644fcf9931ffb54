// @ts-check
/**
 * The accounts list: each account with its code in large grouped digits and a countdown ring,
 * copied on click; a search box once the list is long; "On this page" with Fill buttons.
 */
import { ask } from '../pages/ask.js';
import { announce, byId, el, pencilIcon } from './dom.js';
import { groupCode, metaLine } from './format.js';
import { EXPIRING_SECONDS, createRing, setRing } from './ring.js';

/** @typedef {import('../types/protocol').AccountView} AccountView */
/** @typedef {import('../types/protocol').CodeView} CodeView */
/** @typedef {import('../types/protocol').PageView} PageView */

/** The search box appears above this many accounts. */
const SEARCH_ABOVE = 5;
const COPIED_MS = 1500;

/**
 * @typedef {object} Row
 * @property {AccountView} account
 * @property {HTMLLIElement} li
 * @property {HTMLButtonElement} button
 * @property {HTMLElement} digits
 * @property {SVGSVGElement} ring
 * @property {string} code
 */

/** @type {Map<string, Row>} */
const rows = new Map();

const list = /** @type {HTMLUListElement} */ (byId('accounts'));
const empty = byId('empty');
const searchBox = byId('search-box');
const search = /** @type {HTMLInputElement} */ (byId('search'));
const noResults = byId('no-results');

search.addEventListener('input', applyFilter);

/**
 * @param {AccountView[]} accounts
 * @param {{onEdit: (a: AccountView) => void, highlight?: string}} options
 */
export function renderAccounts(accounts, { onEdit, highlight }) {
  rows.clear();
  list.replaceChildren(...accounts.map((a) => row(a, onEdit)));
  empty.hidden = accounts.length > 0;
  searchBox.hidden = accounts.length <= SEARCH_ABOVE;
  if (searchBox.hidden) search.value = '';
  applyFilter();
  const added = highlight ? rows.get(highlight) : undefined;
  if (added) {
    added.li.classList.add('new');
    added.li.scrollIntoView({ block: 'nearest' });
  }
}

/** @param {AccountView} account @param {(a: AccountView) => void} onEdit */
function row(account, onEdit) {
  const li = el('li', 'account');
  li.dataset.id = account.id;
  const head = el('div', 'account-head');
  const who = el('div', 'who');
  who.append(el('span', 'name', account.name), el('span', 'meta', metaLine(account)));
  const edit = el('button', 'icon-button');
  edit.type = 'button';
  edit.setAttribute('aria-label', `Edit ${account.name}`);
  edit.title = 'Edit';
  edit.append(pencilIcon());
  edit.addEventListener('click', () => onEdit(account));
  if (account.source === 'workspace') {
    // Shared accounts are managed by their owners; the popup shows and fills their codes.
    who.append(el('span', 'shared-tag', account.role === 'owner' ? 'Shared · you own it' : 'Shared with you'));
    head.append(who);
  } else head.append(who, edit);

  const button = el('button', 'code-button');
  button.type = 'button';
  const digits = el('span', 'digits', '––– –––');
  const ring = createRing();
  const side = el('span', 'code-side');
  side.append(el('span', 'copied', 'Copied'), ring);
  button.append(digits, side);
  button.setAttribute('aria-label', `Copy code for ${account.name}`);
  /** @type {Row} */
  const r = { account, li, button, digits, ring, code: '' };
  button.addEventListener('click', () => copy(r));
  rows.set(account.id, r);
  li.append(head, button);
  return li;
}

/** @param {Row} r */
async function copy(r) {
  if (!r.code) return;
  try {
    await navigator.clipboard.writeText(r.code);
  } catch {
    announce('Could not copy the code.');
    return;
  }
  r.button.classList.add('is-copied');
  announce(`Code for ${r.account.name} copied.`);
  setTimeout(() => r.button.classList.remove('is-copied'), COPIED_MS);
}

/** Updates every row's code and ring (each second). @param {CodeView[]} codes */
export function showCodes(codes) {
  for (const c of codes) {
    const r = rows.get(c.id);
    if (!r) continue;
    if (r.code !== c.code) {
      r.code = c.code;
      r.digits.textContent = c.code ? groupCode(c.code) : '–';
      r.button.setAttribute('aria-label', `Copy code ${groupCode(c.code)} for ${r.account.name}`);
    }
    setRing(r.ring, c.secondsLeft, c.period);
    r.li.classList.toggle('expiring', c.secondsLeft !== null && c.secondsLeft <= EXPIRING_SECONDS);
  }
}

function applyFilter() {
  const q = search.value.trim().toLowerCase();
  let shown = 0;
  for (const r of rows.values()) {
    const a = r.account;
    const hit = !q || [a.name, a.issuer, a.account, a.site].some((s) => s?.toLowerCase().includes(q));
    r.li.hidden = !hit;
    if (hit) shown++;
  }
  noResults.hidden = !(q && shown === 0);
  noResults.textContent = q ? `No account matches “${search.value.trim()}”.` : '';
}

/** What "Save the new key" on a setup step does. @type {(setup: NonNullable<PageView['setup']>) => void} */
let onSaveNewKey = () => {};

/** @param {(setup: NonNullable<PageView['setup']>) => void} handler */
export function whenSavingNewKey(handler) {
  onSaveNewKey = handler;
}

/**
 * "On this page": the accounts that match the active tab's code field, each with Fill; on a
 * two-factor setup step, "Save the new key" instead (no saved account's code goes there).
 * @param {PageView | null} page @param {number | null} tabId
 */
export function renderPage(page, tabId) {
  const section = byId('on-page');
  const note = byId('on-page-note');
  const items = byId('on-page-list');
  if (!page?.hasField || tabId === null) {
    section.hidden = true;
    return;
  }
  const host = page.host ?? 'This page';
  const n = page.matches.length;
  if (page.refusal) note.textContent = `Latchkey does not fill codes here: ${page.refusal}`;
  else if (n === 0) note.textContent = `${host} asks for a code, but no account is saved for it.`;
  else if (n === 1) note.textContent = `${host} asks for a code.`;
  else note.textContent = `${n} accounts match ${host}. Choose the one to sign in with.`;
  const setup = page.refusal ? null : page.setup;
  if (setup && n === 0) {
    note.textContent =
      `${setup.host} is setting up two-factor authentication: a code of an account saved before would be ` +
      'refused. Save the new key, and Latchkey fills its first code.';
  }
  const ids = page.refusal ? [] : page.matches.map((m) => m.id);
  if (setup && n === 0) ids.push(`setup:${setup.secret ?? ''}`);
  // Keep the list as it is when nothing changed, so focus and "Filled" states stay.
  if (items.dataset.ids !== ids.join(',')) {
    items.dataset.ids = ids.join(',');
    items.replaceChildren(
      ...(page.refusal ? [] : page.matches.map((m) => pageItem(m, tabId))),
      ...(setup && n === 0 ? [setupItem(setup)] : []),
    );
  }
  section.hidden = false;
}

/** @param {NonNullable<PageView['setup']>} setup */
function setupItem(setup) {
  const li = el('li', 'on-page-item');
  const who = el('div', 'who');
  who.append(
    el('span', 'name', 'New two-factor key'),
    el('span', 'meta', setup.secret ? 'Shown on the page: check it before saving' : 'Scan or paste the key'),
  );
  const save = el('button', 'button primary small', 'Save the new key');
  save.type = 'button';
  save.addEventListener('click', () => onSaveNewKey(setup));
  li.append(who, save);
  return li;
}

/** @param {PageView['matches'][number]} m @param {number} tabId */
function pageItem(m, tabId) {
  const li = el('li', 'on-page-item');
  const who = el('div', 'who');
  who.append(el('span', 'name', m.name), el('span', 'meta', metaLine(m)));
  const fill = el('button', 'button primary small', 'Fill');
  fill.type = 'button';
  fill.setAttribute('aria-label', `Fill code for ${m.name}`);
  fill.addEventListener('click', async () => {
    fill.disabled = true;
    try {
      const { filled, waiting, via } = await ask('fill-chosen', { tabId, id: m.id });
      fill.textContent = filled ? 'Filled' : waiting ? 'Waiting' : 'Fill';
      announce(
        filled
          ? `Code for ${m.name} filled.`
          : waiting
            ? via === 'email'
              ? `Waiting for the code e-mailed to ${m.name}; it fills when it arrives.`
              : via === 'either'
                ? `Waiting for the code texted or e-mailed to ${m.name}; it fills when it arrives.`
                : `Waiting for the SMS code texted to ${m.name}; it fills when it arrives.`
            : 'The code field is no longer on the page.',
      );
      if (filled || waiting) await closeIfPopup();
    } catch (e) {
      announce(e instanceof Error ? e.message : 'Could not fill.');
    } finally {
      fill.disabled = false;
    }
  });
  li.append(who, fill);
  return li;
}

/** After a fill the person goes back to the page: close the popup (not when opened as a tab). */
async function closeIfPopup() {
  const self = await chrome.tabs.getCurrent();
  if (!self) setTimeout(() => window.close(), 500);
}
