// @ts-check
/**
 * Latchkey's popup: switches between the accounts list, Add account and Edit, and ticks the codes
 * each second. Codes come from the service worker, which keeps the keys; this page never sees them.
 */
import { ask } from '../pages/ask.js';
import { startAdd, showingCode, tickPreview } from './add-view.js';
import { announce, byId, showError } from './dom.js';
import { confirming, startEdit } from './edit-view.js';
import { renderAccounts, renderPage, showCodes, whenSavingNewKey } from './list-view.js';
import { targetTab, webHost } from './target-tab.js';
import { renderWorkspace } from './workspace-banner.js';

/** @typedef {import('../types/protocol').AccountView} AccountView */
/** @typedef {'list' | 'add' | 'edit'} View */

/** How often "On this page" is asked again, in ticks (seconds). */
const PAGE_EVERY = 3;

/** @type {View} */
let view = 'list';
/** @type {AccountView[]} */
let accounts = [];
/** @type {chrome.tabs.Tab | null} */
let tab = null;
let ticks = 0;

const addButton = byId('add-open');
const listError = byId('list-error');

/** @param {View} next */
function show(next) {
  view = next;
  byId('view-list').hidden = next !== 'list';
  byId('view-add').hidden = next !== 'add';
  byId('view-edit').hidden = next !== 'edit';
  addButton.hidden = next !== 'list';
}

/** @param {string} [highlight] the id of an account just added */
async function loadList(highlight) {
  try {
    // Both at once, so cards never appear without their codes.
    const [reply, current] = await Promise.all([ask('list'), ask('codes')]);
    accounts = reply.accounts;
    byId('version').textContent = `core ${reply.version}`;
    renderWorkspace(reply.workspace, () => void loadList());
    renderAccounts(accounts, { onEdit: openEdit, highlight });
    showCodes(current.codes);
    showError(listError, null);
  } catch (e) {
    showError(listError, e instanceof Error ? e.message : String(e));
  }
}

async function loadPage() {
  if (!tab?.id) return;
  try {
    const { page } = await ask('page', { tabId: tab.id });
    pageSetup = page.setup;
    renderPage(page, tab.id);
  } catch {
    renderPage(null, null);
  }
}

/** @param {string} [focusSelector] what gets focus back in the list */
async function backToList(focusSelector) {
  show('list');
  await loadList();
  void loadPage();
  const target = focusSelector ? document.querySelector(focusSelector) : null;
  (target instanceof HTMLElement ? target : addButton).focus();
}

/** The setup step the tab shows, when it shows one. @type {{secret: string | null, host: string} | null} */
let pageSetup = null;

/**
 * Add account. From "Save the new key", `setup` prefills the key the page shows; either way, an
 * account added while the tab shows a setup step is that step's new key (its first code fills).
 * @param {{secret: string | null, host: string} | null} [setup]
 */
function openAdd(setup = null) {
  show('add');
  const step = setup ?? pageSetup;
  startAdd({
    defaultSite: () => step?.host ?? webHost(tab),
    prefill: setup?.secret ?? null,
    setupTab: step && tab?.id !== undefined ? tab.id : null,
    onCancel: () => void backToList(),
    onDone: async (id) => {
      show('list');
      await loadList(id);
      void loadPage();
      announce(`${accounts.find((a) => a.id === id)?.name ?? 'The account'} added.`);
      const added = document.querySelector(`li[data-id="${CSS.escape(id)}"] .code-button`);
      (added instanceof HTMLElement ? added : addButton).focus();
    },
  });
}

/** @param {AccountView} account */
function openEdit(account) {
  show('edit');
  const editButton = `li[data-id="${CSS.escape(account.id)}"] .icon-button`;
  startEdit(account, {
    onCancel: () => void backToList(editButton),
    onSaved: (name) => {
      void backToList(editButton);
      announce(`${name} saved.`);
    },
    onDeleted: (name) => {
      void backToList();
      announce(`${name} deleted.`);
    },
  });
}

/** Once a second, on the second: the codes (list) or the code being set up (add). */
async function tick() {
  ticks++;
  try {
    if (view === 'list' && accounts.length) showCodes((await ask('codes')).codes);
    if (view === 'add' && showingCode()) await tickPreview();
    if (view === 'list' && ticks % PAGE_EVERY === 0) await loadPage();
  } catch {
    // The worker restarts when idle; the next tick asks again.
  }
  setTimeout(tick, 1000 - (Date.now() % 1000) + 15);
}

addButton.addEventListener('click', () => openAdd());
byId('empty-add').addEventListener('click', () => openAdd());
whenSavingNewKey((setup) => openAdd(setup));
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && view !== 'list' && !confirming()) {
    e.preventDefault();
    void backToList();
  }
});

async function main() {
  show('list');
  tab = await targetTab().catch(() => null);
  await loadList();
  await loadPage();
  setTimeout(tick, 1000 - (Date.now() % 1000) + 15);
}

void main();
