// @ts-check
/**
 * Requests from Latchkey's popup. The router accepts these only from extension pages. Replies
 * carry names, sites and codes, never a secret or a URI: the popup shows codes, the worker keeps keys.
 */
import * as core from './core.js';
import * as accounts from './accounts.js';
import { codesAt } from './codes.js';
import { int, str } from './senders.js';
import { refreshAllTabs, tabState } from './tab-state.js';
import { codeOf, isShared, shared } from './all-accounts.js';
import { rememberForTab } from './sms/tab-account.js';
import { startWaiting } from './sms/waiter.js';
import { savedFromSetup, stepOf } from './tab-step.js';
import { tell } from './tell.js';
import { workspaceRequests, workspaceStatus } from './workspace/requests.js';
import { migrateLocalAccounts } from './workspace/migrate.js';
import * as wsState from './workspace/state.js';
import * as wsKeys from './workspace/keys.js';
import { drop as dropVault, health } from './workspace/vault.js';
import * as imports from './workspace/imports.js';
import { saveBackupCodes } from './workspace/items.js';
import { reportFill } from './workspace/fill-report.js';

/** Moves local accounts into the vault when this device is trusted and unlocked; never fails the caller. */
async function intoVault() {
  const ws = await wsState.load();
  if (ws?.stage !== 'trusted' || (await wsKeys.isLocked())) return new Map();
  return migrateLocalAccounts().catch((e) => {
    console.error('Latchkey: the account stays on this device for now:', e);
    return new Map();
  });
}

/** @typedef {import('../types/protocol').PopupRequests} PopupRequests */
/** @typedef {import('../types/protocol').ListReply} ListReply */
/** @typedef {import('../types/protocol').CodesReply} CodesReply */
/** @typedef {import('../types/protocol').PreviewReply} PreviewReply */
/** @typedef {import('../types/protocol').AddReply} AddReply */
/** @typedef {import('../types/protocol').PageReply} PageReply */
/** @typedef {import('../types/protocol').FillReply} FillReply */
/**
 * A received request's fields, named as the protocol says, unchecked.
 * @template {keyof PopupRequests} K
 * @typedef {import('../types/protocol').Untrusted<import('../types/protocol').FieldsOf<PopupRequests, K>>} Message
 */

/** @returns {Promise<ListReply>} */
async function list() {
  await core.ready();
  // The vault is synced first: a device disabled meanwhile learns it here and wipes itself.
  const ws = await shared('sync');
  const local = (await accounts.list()).map(accounts.view);
  const now = core.now();
  const sharedViews = ws.map((a) => {
    const c = codeOf(a, now);
    return /** @type {import('../types/protocol').AccountView} */ ({
      id: a.id,
      name: a.name,
      issuer: a.issuer,
      account: a.account,
      site: a.site,
      kind: 'totp',
      digits: c.code.length,
      period: c.period,
      createdAt: a.createdAt,
      source: 'workspace',
      role: a.role,
    });
  });
  const workspace = await workspaceStatus();
  const open = workspace.stage === 'trusted' && !workspace.locked;
  return { accounts: [...sharedViews, ...local], version: core.version(), workspace, sync: open ? health() : null };
}

/** @returns {Promise<CodesReply>} */
async function codes() {
  // Storage is read while the core instantiates (after a worker start, both are on this path).
  const [, [ws, local]] = await Promise.all([
    core.ready(),
    core.timed('read-accounts', () => Promise.all([shared(), accounts.list()])),
  ]);
  const now = core.now();
  return { codes: [...ws.map((a) => ({ id: a.id, ...codeOf(a, now) })), ...codesAt(local, now)] };
}

/**
 * The key Add account is about: the one typed, or the one a scan found (kept here in the worker).
 * @param {{secret?: unknown, scan?: unknown}} m
 */
function keyOf(m) {
  if (m.scan == null) return str(m.secret);
  const ref = /** @type {{importId?: unknown, index?: unknown}} */ (typeof m.scan === 'object' ? m.scan : {});
  return imports.scannedKey(str(ref.importId, 64), int(ref.index, 0, 100_000));
}

/**
 * Save Code: what the pasted or scanned key is, and its current code; nothing is stored.
 * @param {Message<'preview'>} m
 * @returns {Promise<PreviewReply>}
 */
async function preview(m) {
  const d = await accounts.describeSecret(keyOf(m));
  const c = core.code(d.uri, core.now());
  return {
    preview: {
      kind: d.kind,
      algorithm: d.algorithm,
      digits: d.digits,
      period: d.period,
      issuer: d.issuer,
      account: d.account,
      secretBits: d.secretBits,
      code: c.code,
      secondsLeft: c.secondsLeft,
    },
  };
}

/** @param {Message<'add'>} m @returns {Promise<AddReply>} */
async function add(m) {
  const setupTab = m.setupTab === undefined ? null : int(m.setupTab, 0, Number.MAX_SAFE_INTEGER);
  const account = await accounts.add({ secret: keyOf(m), name: str(m.name, 200), site: str(m.site, 2048) });
  // On a trusted device a new account goes straight into the vault, owned by this person.
  const moved = await intoVault();
  const id = moved.get(account.id) ?? account.id;
  // Backup codes found beside the scanned QR code, which the person ticked: kept with the
  // workspace account (Emergency controls); a local account has nowhere sealed to keep them.
  const codes = m.backupCodes == null ? '' : str(m.backupCodes, 8192);
  let keptBackupCodes;
  if (codes && id.startsWith('ws:')) {
    dropVault(); // the account was just written: read the vault again to find it
    keptBackupCodes = (await saveBackupCodes(id.slice('ws:'.length), codes)).count;
  }
  if (setupTab !== null) {
    // Saved from the setup step that tab shows: its first code finishes the set-up there, when
    // the account was saved for that site.
    const [sites, step] = await Promise.all([core.sites(), stepOf(setupTab)]);
    if (step.setup && sites.sameSite(account.site, step.setup.host)) await savedFromSetup(setupTab, id);
  }
  void refreshAllTabs();
  return keptBackupCodes === undefined ? { id } : { id, keptBackupCodes };
}

/** @param {Message<'update'>} m */
async function update(m) {
  await accounts.update(str(m.id, 64), { name: str(m.name, 200), site: str(m.site, 2048) });
  void refreshAllTabs();
  return {};
}

/** @param {Message<'delete'>} m */
async function remove(m) {
  await accounts.remove(str(m.id, 64));
  void refreshAllTabs();
  return {};
}

/** @param {string | undefined} url */
function webUrl(url) {
  try {
    const u = url ? new URL(url) : null;
    return u && (u.protocol === 'https:' || u.protocol === 'http:') ? u : null;
  } catch {
    return null;
  }
}

/**
 * "On this page": the accounts that match the tab's code fields.
 * @param {Message<'page'>} m
 * @returns {Promise<PageReply>}
 */
async function page(m) {
  const state = await tabState(int(m.tabId, 0, Number.MAX_SAFE_INTEGER));
  const top = webUrl(state.topUrl);
  return {
    page: {
      hasField: state.hasField,
      host: top ? top.hostname : null,
      refusal: top ? (core.Sites.refuseFill(top.protocol.replace(/:$/, ''), top.hostname) ?? null) : null,
      setup: state.setup,
      matches: [
        ...state.matches.map((a) => ({ id: a.id, name: a.name, issuer: a.issuer, account: a.account, site: a.site })),
        ...state.inboxOnly.map((a) => ({ id: a.id, name: a.name, issuer: null, account: a.deliveredTo, site: a.site })),
      ],
    },
  };
}

/**
 * Fill: the person picked an account for the page. Its TOTP code goes to the first frame (top
 * first) where that account matches, addressed by document so a frame that navigated meanwhile gets
 * nothing. A frame that takes an SMS or e-mail code instead waits for the code texted to that
 * account's managed number or e-mailed to its managed address (and the tab remembers the choice).
 * @param {Message<'fill-chosen'>} m @returns {Promise<FillReply>}
 */
async function fillChosen(m) {
  const tabId = int(m.tabId, 0, Number.MAX_SAFE_INTEGER);
  const wanted = str(m.id, 80);
  const state = await tabState(tabId);
  const totp = state.matches.find((a) => a.id === wanted);
  if (totp) {
    for (const frame of state.fillable) {
      if (!frame.matches.some((a) => a.id === wanted)) continue;
      const code = codeOf(totp, core.now()).code;
      const reply = await tell({ tabId, frameId: frame.frameId, documentId: frame.documentId }, 'fill', { code });
      if (reply?.ok && reply.filled) {
        if (isShared(totp)) {
          await rememberForTab(tabId, totp.accountId);
          reportFill(totp.accountId, hostOf(frame.facts.url), 'totp');
        }
        return { filled: true };
      }
    }
  }
  for (const frame of state.fillable) {
    const texted = frame.inbox.find((a) => a.id === wanted);
    if (!texted) continue;
    const target = { tabId, frameId: frame.frameId, documentId: frame.documentId };
    const wait = await startWaiting(target, frame.facts, frame.kinds, texted.accountId);
    if (wait.state === 'waiting') return { filled: false, waiting: true, via: wait.via };
  }
  return { filled: false };
}

/** @type {import('../types/protocol').Handlers<PopupRequests>} */
export const popupRequests = {
  list,
  codes,
  preview,
  add,
  update,
  delete: remove,
  page,
  'fill-chosen': fillChosen,
  'scan-page': async (m) => {
    const view = await imports.scanTab(
      int(m.tabId, 0, Number.MAX_SAFE_INTEGER),
      m.returnTo == null ? undefined : int(m.returnTo, 0, Number.MAX_SAFE_INTEGER),
      true,
    );
    const ws = await workspaceStatus();
    return { ...view, canKeep: ws.stage === 'trusted' && !ws.locked };
  },
  'scan-image': (m) => imports.scanImage(str(m.image, imports.MAX_FILE_BYTES * 2), true),
  'scan-reveal': async (m) => ({ secret: keyOf({ scan: m }) }),
};

/** Everything Latchkey's own pages may ask; the router accepts these only from extension pages. */
/** @type {import('../types/protocol').Handlers<import('../types/protocol').PageRequests>} */
export const pageRequests = { ...popupRequests, ...workspaceRequests };

/** A frame's host as the browser reported its URL, or "" when it has none. @param {string | undefined} url */
function hostOf(url) {
  try {
    return url ? new URL(url).hostname : '';
  } catch {
    return '';
  }
}
