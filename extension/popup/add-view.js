// @ts-check
/**
 * Add account, the flow people know from authenticator apps: paste the key into Secret Key,
 * Save Code shows the current code to type into the app (with its countdown and details), then
 * Name and Site, and Done saves. Until Done or Cancel, what was typed is kept as a draft in
 * `chrome.storage.session` (trusted contexts only: the worker sets that access level, so no content
 * script can read it; gone when the browser closes), so a key pasted before the popup closed (a
 * click on the app's page to copy the code, say) is still there when it opens again.
 *
 * Scan QR code on this page: the worker captures the tab and decodes its QR codes in the on-demand
 * wasm module; it keeps each key and this view gets the entries' labels only (one is used at once,
 * several are listed to pick from, a refused code is shown with its reason). The key shows only if
 * the person asks (Show key), as the dashboard's scan does (docs/import.md).
 */
import { ask } from '../pages/ask.js';
import { byId, el, showError } from './dom.js';
import { groupCode, typeLine } from './format.js';
import { EXPIRING_SECONDS, createRing, setRing } from './ring.js';
import { backupOffer } from '../pages/backup-offer.js';
import { base64Of } from '../dashboard/import.js';

/** @typedef {import('../types/protocol').PreviewView} PreviewView */
/** @typedef {import('../types/protocol').QrScanView} QrScanView */
/** @typedef {import('../types/protocol').ScanRef} ScanRef */

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
const secretHint = byId('secret-hint');
const scanKey = byId('scan-key');
const scanKeyLabel = byId('scan-key-label');
const scanButton = /** @type {HTMLButtonElement} */ (byId('scan-page'));
const scanFound = byId('scan-found');
const offerBox = byId('add-backup-offer');
/** Backup codes the scanned page shows, offered with the new account. @type {ReturnType<typeof backupOffer> | null} */
let offer = null;
const ring = createRing();
byId('preview-ring').append(ring);

/**
 * @typedef {object} AddHooks
 * @property {() => string | null} defaultSite the active tab's host, if it is a web page
 * @property {string | null} [prefill] the key a setup page shows (a suggestion the person checks)
 * @property {number | null} [setupTab] the tab whose setup step this key is saved from
 * @property {() => number | null} [pageTab] the tab Scan QR code on this page captures
 * @property {(id: string) => void} onDone
 * @property {() => void} onCancel
 */

/** @type {AddHooks | null} */
let hooks = null;

const DRAFT = 'addDraft';
/** A scanned key: the worker's reference to it, and its label. @typedef {ScanRef & {label: string}} ScanPick */
/** @typedef {{secret: string, scan?: ScanPick, step: 'key' | 'code', name?: string, site?: string}} Draft */

/** The scanned key in use instead of a typed one (the worker holds it). @type {ScanPick | null} */
let scanned = null;

/** The key fields of a request: the scanned key's reference, or what was typed. */
function keyFields() {
  return scanned ? { scan: { importId: scanned.importId, index: scanned.index } } : { secret: secret.value };
}

/** Uses a scanned key (its label shown, the key not), or goes back to typing one. @param {ScanPick | null} ref */
function takeScanned(ref) {
  scanned = ref;
  secret.hidden = ref !== null;
  secretHint.hidden = ref !== null;
  scanKey.hidden = ref === null;
  scanKeyLabel.textContent = ref ? `Key read from the QR code${ref.label ? `: ${ref.label}` : ''}.` : '';
  if (ref) secret.value = '';
}

/** @param {Draft | null} draft */
async function keepDraft(draft) {
  try {
    if (draft?.secret.trim() || draft?.scan) await chrome.storage.session.set({ [DRAFT]: draft });
    else await chrome.storage.session.remove(DRAFT);
  } catch {
    // Only a convenience: Add account works without it.
  }
}

function saveDraft() {
  void keepDraft({
    secret: secret.value,
    ...(scanned ? { scan: scanned } : {}),
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
  takeScanned(null);
  scanFound.replaceChildren();
  offerBox.replaceChildren();
  offer = null;
  if (h.prefill) secret.value = h.prefill;
  secret.focus();
  if (!draft) return;
  secret.value = draft.secret;
  if (draft.scan) takeScanned(draft.scan);
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
    const { preview } = await ask('preview', keyFields());
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

/** Shows what a scan found: one key is used at once, several are listed to pick. @param {QrScanView} view */
function showScan(view) {
  scanFound.replaceChildren();
  offerBox.replaceChildren();
  offer = null;
  const codes = view.backupCodes ?? [];
  if (codes.length && view.canKeep) {
    offer = backupOffer(codes);
    offerBox.append(offer.box);
  } else if (codes.length) {
    offerBox.append(
      el(
        'p',
        'hint',
        `The page shows ${codes.length} backup codes: keep them somewhere safe ` +
          '(Latchkey keeps them with workspace accounts).',
      ),
    );
  }
  const keys = view.codes.flatMap((c) =>
    c.error ? [] : c.entries.map((e, i) => ({ e, index: c.first + i })).filter((k) => !k.e.error),
  );
  for (const c of view.codes) {
    if (c.error) scanFound.append(el('li', 'error', `Not used: ${c.error}`));
    for (const e of c.entries) if (e.error) scanFound.append(el('li', 'error', `${e.label || 'Key'}: ${e.error}`));
  }
  if (!view.codes.length)
    return showError(secretError, 'No QR code found on this page: scroll so the whole code shows, and scan again.');
  if (!keys.length) return showError(secretError, 'No authenticator key among the QR codes on this page.');
  /** @param {{e: import('../types/protocol').ImportEntryView, index: number}} k */
  const pick = (k) => {
    scanFound.replaceChildren();
    takeScanned({ importId: view.importId, index: k.index, label: k.e.label });
    saveDraft();
    void toCode();
  };
  if (keys.length === 1) return pick(keys[0]);
  scanFound.prepend(el('li', 'hint', `${keys.length} keys on this page: choose the one you are turning on.`));
  for (const k of keys) {
    const b = el('button', 'button small secondary', k.e.label || `Key ${k.index + 1}`);
    b.type = 'button';
    b.addEventListener('click', () => pick(k));
    const li = el('li');
    li.append(b);
    scanFound.append(li);
  }
}

scanButton.addEventListener('click', async () => {
  showError(secretError, null, secret);
  scanFound.replaceChildren();
  const tabId = hooks?.pageTab?.() ?? null;
  if (tabId === null) return showError(secretError, 'Open the page that shows the QR code, then scan again.');
  scanButton.disabled = true;
  try {
    // Opened as a page of its own (a tab), the popup comes back to the front after the capture.
    const me = await chrome.tabs.getCurrent();
    showScan(await ask('scan-page', { tabId, ...(me?.id != null ? { returnTo: me.id } : {}) }));
  } catch (err) {
    showError(secretError, err instanceof Error ? err.message : String(err));
  } finally {
    scanButton.disabled = false;
  }
});

// A picture pasted into Secret Key (a screenshot of the QR code): scanned as a tab is. A file dialog
// would close the popup on some systems, so pasting is the popup's way in; the dashboard takes files.
secret.addEventListener('paste', async (e) => {
  const picture = [...(e.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
  if (!picture) return;
  e.preventDefault();
  showError(secretError, null, secret);
  scanFound.replaceChildren();
  try {
    showScan(await ask('scan-image', { image: await base64Of(picture) }));
  } catch (err) {
    showError(secretError, err instanceof Error ? err.message : String(err));
  }
});

byId('scan-reveal').addEventListener('click', async () => {
  if (!scanned) return;
  try {
    const { secret: key } = await ask('scan-reveal', { importId: scanned.importId, index: scanned.index });
    takeScanned(null);
    secret.value = key;
    saveDraft();
    secret.focus();
  } catch (err) {
    showError(secretError, err instanceof Error ? err.message : String(err));
  }
});

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
    const { preview } = await ask('preview', keyFields());
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
      ...keyFields(),
      name: name.value,
      site: site.value,
      ...(setupTab === null ? {} : { setupTab }),
      ...(offer?.chosen() ? { backupCodes: offer.chosen()?.join('\n') } : {}),
    });
    current = null;
    secret.value = '';
    takeScanned(null);
    await keepDraft(null);
    hooks?.onDone(id);
  } catch (err) {
    showError(siteError, err instanceof Error ? err.message : String(err), site);
    site.focus();
  }
});
