// @ts-check
/**
 * Latchkey's popup: switches between the accounts list, Add account and Edit, and ticks the codes
 * each second. Codes come from the service worker, which keeps the keys; this page never sees them.
 */
import { ask } from '../pages/ask.js';
import { savedDraft, showingCode, startAdd, tickPreview } from './add-view.js';
import { announce, byId, showError } from './dom.js';
import { confirming, startEdit } from './edit-view.js';
import { showProfile } from './profile-view.js';
import { renderAccounts, renderPage, showCodes, whenSavingNewKey } from './list-view.js';
import { targetTab, webHost } from './target-tab.js';
import { renderSync } from './sync-view.js';
import { renderWorkspace } from './workspace-banner.js';

/** @typedef {import('../types/protocol').AccountView} AccountView */
/** @typedef {import('../types/protocol').WorkspaceStatus} WorkspaceStatus */
/** @typedef {'list' | 'add' | 'edit' | 'profile'} View */

/** How often "On this page" is asked again, in ticks (seconds). */
const PAGE_EVERY = 3;

/** @type {View} */
let view = 'list';
/** @type {AccountView[]} */
let accounts = [];
/** @type {chrome.tabs.Tab | null} */
let tab = null;
let ticks = 0;
/** @type {WorkspaceStatus | null} */
let workspace = null;

const addButton = byId('add-open');
const listError = byId('list-error');

/** @param {View} next */
function show(next) {
  view = next;
  byId('view-list').hidden = next !== 'list';
  byId('view-add').hidden = next !== 'add';
  byId('view-edit').hidden = next !== 'edit';
  byId('view-profile').hidden = next !== 'profile';
  addButton.hidden = next !== 'list';
  lockedOnly();
}

/** A locked vault: the lock screen (the banner's PIN box) and nothing else. */
function lockedOnly() {
  const locked = workspace?.stage === 'trusted' && workspace.locked && workspace.pinSet && !workspace.notice;
  byId('main').classList.toggle('locked', !!locked);
  if (locked) {
    for (const v of ['view-list', 'view-add', 'view-edit', 'view-profile']) byId(v).hidden = true;
    addButton.hidden = true;
    byId('profile-open').hidden = true;
  } else byId('profile-open').hidden = false;
}

/** @param {string} [highlight] the id of an account just added */
async function loadList(highlight) {
  try {
    // Both at once, so cards never appear without their codes.
    const [reply, current] = await Promise.all([ask('list'), ask('codes')]);
    accounts = reply.accounts;
    byId('version').textContent = `core ${reply.version}`;
    workspace = reply.workspace;
    renderWorkspace(reply.workspace, () => void loadList());
    if (view === 'list') show('list');
    renderSync(reply.sync, () => loadList());
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
 * `draft` restores a key pasted before the popup closed.
 * @param {{secret: string | null, host: string} | null} [setup]
 * @param {import('./add-view.js').Draft | null} [draft]
 */
function openAdd(setup = null, draft = null) {
  show('add');
  const step = setup ?? pageSetup;
  startAdd(
    {
      defaultSite: () => step?.host ?? webHost(tab),
      prefill: setup?.secret ?? null,
      setupTab: step && tab?.id !== undefined ? tab.id : null,
      pageTab: () => tab?.id ?? null,
      onCancel: () => void backToList(),
      onDone: async (id) => {
        show('list');
        await loadList(id);
        void loadPage();
        announce(`${accounts.find((a) => a.id === id)?.name ?? 'The account'} added.`);
        const added = document.querySelector(`li[data-id="${CSS.escape(id)}"] .code-button`);
        (added instanceof HTMLElement ? added : addButton).focus();
      },
    },
    draft,
  );
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
byId('profile-open').addEventListener('click', async () => {
  try {
    workspace = (await ask('ws-status')).workspace;
  } catch {
    // The last status known is shown.
  }
  if (!workspace) return;
  show('profile');
  showProfile(workspace, { onBack: () => void backToList('#profile-open') });
});
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
  // Add account was left open with a key in it: back where the person was.
  const draft = await savedDraft();
  if (draft && !byId('view-list').hidden) openAdd(null, draft);
  await loadPage();
  setTimeout(tick, 1000 - (Date.now() % 1000) + 15);
}

void main();
