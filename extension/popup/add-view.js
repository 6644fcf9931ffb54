// @ts-check
/**
 * Add account, the flow people know from authenticator apps: paste the key into Secret Key,
 * Save Code shows the current code to type into the app (with its countdown and details), then
 * Name and Site, and Done saves. Until Done or Cancel, what was typed is kept as a draft in
 * `chrome.storage.session` (trusted contexts only: the worker sets that access level, so no content
 * script can read it; gone when the browser closes), so a key pasted before the popup closed (a
 * click on the app's page to copy the code, say) is still there when it opens again.
 */
import { ask } from '../pages/ask.js';
import { byId, el, showError } from './dom.js';
import { groupCode, typeLine } from './format.js';
import { EXPIRING_SECONDS, createRing, setRing } from './ring.js';

/** @typedef {import('../types/protocol').PreviewView} PreviewView */

const keyForm = /** @type {HTMLFormElement} */ (byId('add-key-form'));
const confirmForm = /** @type {HTMLFormElement} */ (byId('add-confirm-form'));
const secret = /** @type {HTMLTextAreaElement} */ (byId('secret'));
const secretError = byId('secret-error');
const code = byId('preview-code');
const hint = byId('preview-hint');
const details = byId('preview-details');
const name = /** @type {HTMLInputElement} */ (byId('add-name'));
const site = /** @type {HTMLInputElement} */ (byId('add-site'));
const siteError = byId('add-site-error');
const siteHint = byId('add-site-hint');
const ring = createRing();
byId('preview-ring').append(ring);

/**
 * @typedef {object} AddHooks
 * @property {() => string | null} defaultSite the active tab's host, if it is a web page
 * @property {string | null} [prefill] the key a setup page shows (a suggestion the person checks)
 * @property {number | null} [setupTab] the tab whose setup step this key is saved from
 * @property {(id: string) => void} onDone
 * @property {() => void} onCancel
 */

/** @type {AddHooks | null} */
let hooks = null;

const DRAFT = 'addDraft';
/** @typedef {{secret: string, step: 'key' | 'code', name?: string, site?: string}} Draft */

/** @param {Draft | null} draft */
async function keepDraft(draft) {
  try {
    if (draft?.secret.trim()) await chrome.storage.session.set({ [DRAFT]: draft });
    else await chrome.storage.session.remove(DRAFT);
  } catch {
    // Only a convenience: Add account works without it.
  }
}

function saveDraft() {
  void keepDraft({
    secret: secret.value,
    step: confirmForm.hidden ? 'key' : 'code',
    ...(confirmForm.hidden ? {} : { name: name.value, site: site.value }),
  });
}

/** The draft left when the popup closed during Add account, if any. @returns {Promise<Draft | null>} */
export async function savedDraft() {
  /** @type {Record<string, any>} */
  const stored = await chrome.storage.session.get(DRAFT).catch(() => ({}));
  const d = stored[DRAFT];
  return d && typeof d === 'object' && typeof d.secret === 'string' ? /** @type {Draft} */ (d) : null;
}

/** @type {PreviewView | null} */
let current = null;

/** @param {AddHooks} h @param {Draft | null} [draft] where the person was when the popup closed */
export function startAdd(h, draft = null) {
  hooks = h;
  current = null;
  keyForm.reset();
  confirmForm.reset();
  showError(secretError, null, secret);
  showError(siteError, null, site);
  keyForm.hidden = false;
  confirmForm.hidden = true;
  if (h.prefill) secret.value = h.prefill;
  secret.focus();
  if (!draft) return;
  secret.value = draft.secret;
  if (draft.step === 'code') void toCode(draft);
}

/** Whether the Save Code step is showing (its code ticks). */
export function showingCode() {
  return !confirmForm.hidden && current !== null;
}

secret.addEventListener('keydown', (e) => {
  // A one-line answer in a roomy box: Enter means Save Code, as in a text field.
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    keyForm.requestSubmit();
  }
});
secret.addEventListener('input', () => {
  showError(secretError, null, secret);
  saveDraft();
});

keyForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void toCode();
});

/** Save Code: the key's current code, then Name and Site. @param {Draft} [draft] restores those two */
async function toCode(draft) {
  try {
    const { preview } = await ask('preview', { secret: secret.value });
    current = preview;
    showPreview(preview);
    site.value = hooks?.defaultSite() ?? '';
    siteHint.textContent = site.value
      ? 'From the page you are on. Codes are filled only on this site and its subdomains.'
      : 'Where you sign in, such as example.com. Codes are filled only on this site and its subdomains.';
    // Name defaults to the issuer; without one, the worker names the account after its site.
    name.value = preview.issuer ?? '';
    name.placeholder = preview.issuer ? '' : 'The site, unless you name it';
    if (draft?.name !== undefined) name.value = draft.name;
    if (draft?.site) site.value = draft.site;
    keyForm.hidden = true;
    confirmForm.hidden = false;
    saveDraft();
    byId('confirm-title').focus();
  } catch (err) {
    showError(secretError, err instanceof Error ? err.message : String(err), secret);
    secret.focus();
  }
}

keyForm.querySelector('[data-action=cancel]')?.addEventListener('click', () => {
  void keepDraft(null);
  hooks?.onCancel();
});
name.addEventListener('input', saveDraft);

/** @param {PreviewView} p */
function showPreview(p) {
  showCode(p);
  hint.textContent =
    `Type it into the app to finish turning on two-factor authentication. It changes every ${p.period ?? 30} ` +
    `seconds.`;
  /** @type {Array<[string, string | null]>} */
  const facts = [
    ['Issuer', p.issuer],
    ['Account', p.account],
    ['Type', typeLine(p)],
  ];
  details.replaceChildren(...facts.filter(([, v]) => v).flatMap(([k, v]) => [el('dt', '', k), el('dd', '', v ?? '')]));
}

/** @param {PreviewView} p */
function showCode(p) {
  const grouped = groupCode(p.code);
  // Only on change: the code is a live region, and it must not be read out every second.
  if (code.textContent !== grouped) code.textContent = grouped;
  setRing(ring, p.secondsLeft, p.period);
  code.parentElement?.classList.toggle('expiring', p.secondsLeft !== null && p.secondsLeft <= EXPIRING_SECONDS);
}

/** Refreshes the shown code (each second). */
export async function tickPreview() {
  if (!showingCode()) return;
  try {
    const { preview } = await ask('preview', { secret: secret.value });
    current = preview;
    showCode(preview);
  } catch {
    // Shown again next second; the key itself was accepted by Save Code.
  }
}

site.addEventListener('input', () => {
  showError(siteError, null, site);
  saveDraft();
});

confirmForm.querySelector('[data-action=back]')?.addEventListener('click', () => {
  current = null;
  confirmForm.hidden = true;
  keyForm.hidden = false;
  saveDraft();
  secret.focus();
});

confirmForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!site.value.trim()) {
    showError(
      siteError,
      'Enter the site where you sign in, such as example.com: Latchkey fills codes only there.',
      site,
    );
    site.focus();
    return;
  }
  try {
    const setupTab = hooks?.setupTab ?? null;
    const { id } = await ask('add', {
      secret: secret.value,
      name: name.value,
      site: site.value,
      ...(setupTab === null ? {} : { setupTab }),
    });
    current = null;
    secret.value = '';
    await keepDraft(null);
    hooks?.onDone(id);
  } catch (err) {
    showError(siteError, err instanceof Error ? err.message : String(err), site);
    site.focus();
  }
});
