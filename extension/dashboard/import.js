// @ts-check
/**
 * Import (dashboard): an authenticator's export file (and its password) → a preview of every entry
 * (issuer, account, algorithm, digits, period, the current code, what it becomes, duplicates and
 * unreadable entries with their reason) → nothing stored until Import. And Scan QR code, for Set
 * as MFA: a tab's QR code or a picture's. The worker reads files and pictures in wasm; this page
 * sees no key, only the preview (docs/import.md).
 */
import { byId, el, showError } from '../popup/dom.js';
import { ask, message } from '../pages/ask.js';
import { backupOffer } from '../pages/backup-offer.js';

/**
 * One entry's row in the preview: its checkbox, what it becomes, and the name and site of a new account.
 * @typedef {{index: number, box: HTMLInputElement, to: string, name?: HTMLInputElement, site?: HTMLInputElement}} Row
 */

/** @typedef {import('../types/protocol').ImportEntryView} ImportEntryView */
/** @typedef {import('../types/protocol').QrScanView} QrScanView */

/** A file's bytes as base64, for the worker. @param {Blob} file */
export async function base64Of(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** "SHA1 · 6 digits · 30 s" @param {ImportEntryView} e */
export function parameters(e) {
  const parts = [e.kind === 'steam' ? 'Steam' : e.algorithm, `${e.digits} digits`];
  if (e.period) parts.push(`${e.period} s`);
  return parts.join(' · ');
}

/**
 * Starts the Import card.
 * @param {() => Map<string, string>} accountNames each account id the person owns → its name
 * @param {() => Promise<void>} reload after an import
 */
export function startImport(accountNames, reload) {
  const card = byId('import-card');
  card.hidden = false;
  /** @type {HTMLInputElement} */ const file = byId('import-file');
  /** @type {HTMLInputElement} */ const password = byId('import-password');
  const error = byId('import-error');
  const list = byId('import-entries');
  const done = byId('import-done');
  /** @type {HTMLButtonElement} */ const confirm = byId('import-confirm');
  /** @type {{importId: string, rows: Row[]} | null} */
  let shown = null;

  byId('import-preview').addEventListener('click', async () => {
    showError(error, null);
    done.hidden = true;
    const chosen = file.files?.[0];
    if (!chosen) return showError(error, 'Choose the export file first.');
    try {
      const preview = await ask('ws-import-preview', { file: await base64Of(chosen), password: password.value });
      const names = accountNames();
      /** @type {Row[]} */
      const rows = [];
      list.replaceChildren();
      preview.entries.forEach((e, index) => {
        const li = el('li', 'device import-entry');
        li.dataset.verdict = e.verdict;
        const box = el('input');
        box.type = 'checkbox';
        box.id = `import-${index}`;
        box.checked = e.verdict === 'new' || e.verdict === 'mfaOf';
        box.disabled = e.verdict === 'unreadable' || e.verdict === 'duplicate';
        const label = el('label', 'device-name', e.label || 'Unnamed entry');
        label.htmlFor = box.id;
        li.append(box, label);
        /** @type {Row} */
        const row = { index, box, to: 'new' };
        if (e.verdict === 'unreadable') {
          li.append(el('p', 'error', `Not imported: ${e.error}`));
        } else {
          li.append(el('p', 'hint', parameters(e)), el('output', 'digits', e.code ?? ''));
          if (e.verdict === 'duplicate') li.append(el('p', 'hint', `Same key as entry ${(e.of ?? 0) + 1}: skipped.`));
          else if (e.verdict === 'mfaOf' || e.verdict === 'replacesMfa') {
            row.to = e.id ?? 'new';
            const name = names.get(row.to) ?? 'an account';
            li.append(
              el(
                'p',
                'hint',
                e.verdict === 'mfaOf'
                  ? `Becomes the MFA of ${name}.`
                  : `Replaces the MFA key of ${name}: tick it only if this is the key the app uses now.`,
              ),
            );
          } else {
            li.append(el('p', 'hint', 'A new shared account you own:'));
            row.name = el('input');
            row.name.value = e.issuer ?? e.label;
            row.name.setAttribute('aria-label', `Name of entry ${index + 1}`);
            row.site = el('input');
            row.site.placeholder = 'Site, such as example.com';
            row.site.setAttribute('aria-label', `Site of entry ${index + 1}`);
            if (e.url) row.site.value = e.url;
            li.append(row.name, row.site);
          }
        }
        rows.push(row);
        list.append(li);
      });
      const batches = preview.batches;
      if (batches.length && batches[0].size > batches.length)
        list.prepend(
          el('li', 'hint', `Google's export has ${batches[0].size} QR codes; this file holds ${batches.length}.`),
        );
      shown = { importId: preview.importId, rows };
      confirm.hidden = false;
    } catch (e) {
      showError(error, message(e));
    }
  });

  confirm.addEventListener('click', async () => {
    if (!shown) return;
    showError(error, null);
    const picks = shown.rows
      .filter((r) => r.box.checked && !r.box.disabled)
      .map((r) =>
        r.to === 'new'
          ? { index: r.index, to: 'new', name: r.name?.value ?? '', site: r.site?.value ?? '' }
          : { index: r.index, to: r.to },
      );
    if (!picks.length) return showError(error, 'Tick the entries to import.');
    confirm.disabled = true;
    try {
      const result = await ask('ws-import-confirm', { importId: shown.importId, picks });
      done.textContent =
        `Imported ${result.imported} of ${picks.length}.` +
        result.failed.map((f) => ` Entry ${f.index + 1}: ${f.error}`).join('');
      done.hidden = false;
      if (!result.failed.length) {
        list.replaceChildren();
        confirm.hidden = true;
        shown = null;
        file.value = '';
        password.value = '';
      }
      await reload();
    } catch (e) {
      showError(error, message(e));
    } finally {
      confirm.disabled = false;
    }
  });
}

/**
 * Scan QR code, inside Set as MFA: a tab of this browser (brought to the front for a moment) or a
 * picture (chosen, dropped or pasted). The person picks one key among those found; `onPick` gets
 * the scan's id, the entry's index and preview, and the backup codes the tab shows beside the QR
 * code that the person ticked to keep (asked when the MFA is saved).
 * @param {string} accountName
 * @param {(importId: string, index: number, entry: ImportEntryView, keep: () => string[] | null) => void} onPick
 */
export function scanPart(accountName, onPick) {
  const box = el('div', 'stack scan');
  const open = el('button', 'button small secondary', 'Scan QR code on a tab');
  open.type = 'button';
  open.setAttribute('aria-label', `Scan QR code for ${accountName}`);
  const tabs = el('select', 'select');
  tabs.setAttribute('aria-label', 'Tab with the QR code');
  tabs.hidden = true;
  const scan = el('button', 'button small primary', 'Scan');
  scan.type = 'button';
  scan.hidden = true;
  const picture = el('input');
  picture.type = 'file';
  picture.accept = 'image/*';
  picture.setAttribute('aria-label', `QR code picture for ${accountName}`);
  const error = el('p', 'error');
  error.hidden = true;
  const found = el('ul', 'members scan-found');
  const offered = el('div');
  /** @type {() => string[] | null} */
  let keep = () => null;

  /** @param {QrScanView} view */
  const show = (view) => {
    found.replaceChildren();
    offered.replaceChildren();
    keep = () => null;
    if (view.backupCodes?.length) {
      const offer = backupOffer(view.backupCodes);
      offered.append(offer.box);
      keep = offer.chosen;
    }
    const keys = view.codes.flatMap((c) => (c.error ? [] : c.entries.map((e, i) => ({ e, index: c.first + i }))));
    for (const c of view.codes) if (c.error) found.append(el('li', 'hint', c.error));
    if (!view.codes.length) return showError(error, 'No QR code found: zoom so the whole code shows, and scan again.');
    if (!keys.length) return showError(error, 'No authenticator key among the QR codes found.');
    for (const { e, index } of keys) {
      const pick = el('button', 'button small secondary', `${e.label || 'Key'} · ${e.code ?? ''}`);
      pick.type = 'button';
      pick.addEventListener('click', () => onPick(view.importId, index, e, () => keep()));
      const li = el('li', 'member');
      if (e.error) li.append(el('span', 'error', `${e.label}: ${e.error}`));
      else li.append(pick);
      found.append(li);
    }
    // One key: use it at once.
    const usable = keys.filter((k) => !k.e.error);
    if (usable.length === 1) onPick(view.importId, usable[0].index, usable[0].e, () => keep());
  };
  /** @param {() => Promise<QrScanView>} job */
  const run = async (job) => {
    showError(error, null);
    try {
      show(await job());
    } catch (e) {
      showError(error, message(e));
    }
  };
  /** @param {Blob} blob */
  const fromPicture = (blob) => run(async () => ask('ws-qr-scan-image', { image: await base64Of(blob) }));

  open.addEventListener('click', async () => {
    showError(error, null);
    try {
      const list = (await ask('ws-qr-tabs')).tabs;
      if (!list.length) return showError(error, 'Open the page that shows the QR code in a tab first.');
      tabs.replaceChildren(
        ...list.map((t) => {
          const o = el('option', '', `${t.title || t.host} (${t.host})`);
          o.value = String(t.tabId);
          return o;
        }),
      );
      tabs.hidden = false;
      scan.hidden = false;
    } catch (e) {
      showError(error, message(e));
    }
  });
  scan.addEventListener('click', () =>
    run(async () => {
      const me = await chrome.tabs.getCurrent();
      return ask('ws-qr-scan-tab', { tabId: Number(tabs.value), ...(me?.id != null ? { returnTo: me.id } : {}) });
    }),
  );
  picture.addEventListener('change', () => {
    const f = picture.files?.[0];
    if (f) void fromPicture(f);
  });
  box.addEventListener('dragover', (e) => e.preventDefault());
  box.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files?.[0];
    if (f) void fromPicture(f);
  });
  box.addEventListener('paste', (e) => {
    const f = [...(e.clipboardData?.files ?? [])].find((x) => x.type.startsWith('image/'));
    if (f) void fromPicture(f);
  });
  const row = el('div', 'actions start');
  row.append(open, tabs, scan);
  box.append(row, picture, error, found, offered);
  return box;
}
