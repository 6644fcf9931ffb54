// @ts-check
/**
 * Scan QR code and Import (docs/import.md). The on-demand import wasm reads the picture or the
 * export file here in the worker; each entry's key (an otpauth:// link) stays in this worker's
 * memory, under a random id, until the person confirms or the preview expires. Pages get the
 * preview only: issuer, account, parameters, the current code and what the entry will become.
 * On confirm, each chosen entry goes into the vault sealed as usual: the MFA of an existing
 * account (`items.setMfa`) or a new account the person owns (`migrate.createOwnedAccount`).
 */
import { importer } from '../on-demand.js';
import * as items from './items.js';
import * as keys from './keys.js';
import { createOwnedAccount } from './migrate.js';
import * as vault from './vault.js';
import { randomId } from './shapes.js';
import { userKeys } from './unlock.js';
import { readBlocks } from '../page-blocks.js';

/** A preview is kept this long; confirm after that asks for the file or the scan again. */
const KEEP_MS = 15 * 60_000;
/** The largest export file or image taken (the core refuses bigger exports too). */
export const MAX_FILE_BYTES = 16 << 20;

/** @typedef {import('../../pkg/latchkey_import.js').ImportEntry} ImportEntry */
/** @type {Map<string, {at: number, entries: ImportEntry[]}>} */
const pending = new Map();

/** The workspace's accounts, as the core's matching reads them (no secrets). */
async function existing() {
  const all = await vault.accounts();
  return all
    .filter((a) => a.role === 'owner')
    .map((a) => ({
      id: a.accountId,
      name: a.name,
      username: '',
      sites: a.sites ?? (a.site ? [a.site] : []),
      hasTotp: a.items.some((i) => i.summary.kind === 'totp'),
    }));
}

/**
 * Keeps the entries' keys here and gives the preview without them.
 * @param {ImportEntry[]} entries
 */
function keep(entries) {
  const now = Date.now();
  for (const [id, p] of pending) if (now - p.at > KEEP_MS) pending.delete(id);
  const importId = randomId();
  pending.set(importId, { at: now, entries });
  return { importId, entries: entries.map(({ uri: _, ...shown }) => shown) };
}

/** @param {string} b64 */
function bytesOf(b64) {
  const bin = atob(b64);
  if (bin.length > MAX_FILE_BYTES) throw new Error('That file is larger than 16 MiB: choose the export file itself.');
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * Import → preview: the file's entries, nothing stored.
 * @param {string} fileB64 the file's bytes (base64) @param {string} password
 */
export async function preview(fileB64, password) {
  await userKeys();
  const mod = await importer();
  const read = mod.importRead(bytesOf(fileB64), password || undefined, await existing(), Date.now() / 1000);
  return { format: read.format, batches: read.batches, ...keep(read.entries) };
}

/**
 * Every QR code in a picture's pixels → one preview for all their entries, each matched against
 * the workspace's accounts when `match` (the popup's Add account scans without a workspace).
 * @param {ImageBitmap} bitmap @param {boolean} [match]
 */
async function scanBitmap(bitmap, match = true) {
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot read pictures here.');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = new Uint8Array(ctx.getImageData(0, 0, width, height).data.buffer);
  const mod = await importer();
  const found = mod.qrScan(rgba, width, height, match ? await existing() : [], Date.now() / 1000);
  const entries = found.flatMap((f) => f.entries);
  const kept = keep(entries);
  let at = 0;
  return {
    importId: kept.importId,
    codes: found.map((f) => {
      const shown = kept.entries.slice(at, at + f.entries.length);
      const first = at;
      at += f.entries.length;
      return { corners: f.corners, error: f.error, batches: f.batches, first, entries: shown };
    }),
  };
}

/**
 * Scan QR code from an image file the person chose, dropped or pasted (`forAdd`: the popup's Add
 * account, which works without a workspace).
 * @param {string} imageB64 @param {boolean} [forAdd]
 */
export async function scanImage(imageB64, forAdd = false) {
  if (!forAdd) await userKeys();
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytesOf(imageB64)]));
  } catch {
    throw new Error('That file is not a picture Latchkey can read: use a PNG, JPEG, GIF or WebP.');
  }
  return scanBitmap(bitmap, !forAdd);
}

/**
 * Scan QR code on a tab: the page as shown (captureVisibleTab, under the extension's host access),
 * after bringing the tab to the front of its window; then `returnTo` (the asking page's tab) comes
 * back to the front. `forAdd`: the popup's Add account, which works without a workspace (its key
 * is then read from here by `scannedKey`, never sent to the popup unless the person reveals it).
 * @param {number} tabId @param {number | undefined} returnTo @param {boolean} [forAdd]
 */
export async function scanTab(tabId, returnTo, forAdd = false) {
  if (!forAdd) await userKeys();
  const tab = await chrome.tabs.get(tabId);
  if (!tab.url || !/^https?:/.test(tab.url)) throw new Error('Latchkey scans QR codes on web pages only.');
  if (!tab.active) await chrome.tabs.update(tabId, { active: true });
  let dataUrl;
  try {
    dataUrl = await captureWhenShown(tab.windowId, tabId);
  } finally {
    if (typeof returnTo === 'number' && returnTo !== tabId)
      await chrome.tabs.update(returnTo, { active: true }).catch(() => {});
  }
  const blob = await (await fetch(dataUrl)).blob();
  const view = await scanBitmap(await createImageBitmap(blob), !forAdd);
  return { ...view, backupCodes: await backupCodesOn(tabId, view.importId) };
}

/**
 * The backup codes the tab shows beside its QR code (the core's rule decides), for the person to
 * confirm; null when there are none or the page cannot be read.
 * @param {number} tabId @param {string} importId the scan, whose keys are never taken for codes
 * @returns {Promise<string[] | null>}
 */
async function backupCodesOn(tabId, importId) {
  const secrets = (pending.get(importId)?.entries ?? [])
    .map((e) => {
      try {
        return e.uri ? (new URL(e.uri).searchParams.get('secret') ?? '') : '';
      } catch {
        return '';
      }
    })
    .join(' ');
  try {
    const [frame] = await chrome.scripting.executeScript({ target: { tabId }, func: readBlocks });
    return (await importer()).backupCodes(frame?.result ?? [], secrets || undefined);
  } catch {
    return null;
  }
}

/**
 * The key (an otpauth:// link) of entry `index` of a scan, for the popup's Save Code and Done.
 * @param {string} importId @param {number} index
 */
export function scannedKey(importId, index) {
  const kept = pending.get(importId);
  if (!kept || Date.now() - kept.at > KEEP_MS) throw new Error('This scan has expired: scan the QR code again.');
  const entry = kept.entries[index];
  if (!entry?.uri || entry.error) throw new Error('This QR code holds no key Latchkey can add.');
  return entry.uri;
}

/**
 * The tab as shown, once it is its window's active tab (Chrome allows two captures a second).
 * @param {number} windowId @param {number} tabId
 */
async function captureWhenShown(windowId, tabId) {
  for (let attempt = 0; ; attempt++) {
    const [active] = await chrome.tabs.query({ windowId, active: true });
    if (active?.id === tabId) {
      try {
        return await chrome.tabs.captureVisibleTab(windowId, { format: 'png' });
      } catch (e) {
        if (attempt >= 10) throw e;
      }
    } else if (attempt >= 10) {
      throw new Error('That tab could not be shown to scan it: open it and try again.');
    }
    await new Promise((r) => setTimeout(r, 600));
  }
}

/** The web pages open in this browser, for the person to choose the one with the QR code. */
export async function tabs() {
  const all = await chrome.tabs.query({});
  return {
    tabs: all
      .filter((t) => typeof t.id === 'number' && t.url && /^https?:/.test(t.url))
      .map((t) => ({
        tabId: /** @type {number} */ (t.id),
        title: t.title ?? '',
        host: new URL(/** @type {string} */ (t.url)).host,
      })),
  };
}

/**
 * Confirm: the chosen entries into the vault. `to` is `"new"` (a new account the person owns,
 * named `name` at `site`) or an account id (its MFA).
 * @param {string} importId @param {Array<{index: number, to: string, name?: string, site?: string}>} picks
 */
export async function confirm(importId, picks) {
  const kept = pending.get(importId);
  if (!kept || Date.now() - kept.at > KEEP_MS)
    throw new Error('This preview has expired: choose the file or scan the QR code again.');
  const done = [];
  const failed = [];
  const { vault: store, ws } = await userKeys();
  // One key store and one catalog for every new account; the store is saved once at the end.
  const ctx = { store, ws };
  let made = false;
  for (const pick of picks) {
    const entry = kept.entries[pick.index];
    if (!entry?.uri || entry.verdict === 'unreadable') {
      failed.push({ index: pick.index, error: 'This entry cannot be imported.' });
      continue;
    }
    try {
      if (pick.to === 'new') {
        const name = (pick.name ?? '').trim() || entry.issuer || entry.label;
        await createOwnedAccount(name, pick.site ?? '', entry.uri, ctx);
        made = true;
      } else {
        await items.setMfa(pick.to, entry.uri);
      }
      done.push(pick.index);
    } catch (e) {
      failed.push({ index: pick.index, error: e instanceof Error ? e.message : 'failed' });
    }
  }
  if (made) await keys.persist();
  if (!failed.length) pending.delete(importId);
  vault.drop();
  return { imported: done.length, failed };
}
