// @ts-check
/**
 * The accounts: what a valid one is, and their storage in `localStore` (platform.js; key `accounts`).
 * The worker is the only writer; writes are queued so two quick edits cannot lose one another.
 * Content scripts cannot read this area (the worker sets its access level to trusted contexts).
 */
import { localStore, onLocalChanged } from './platform.js';
import * as core from './core.js';

/**
 * @typedef {object} Account
 * @property {string} id
 * @property {string} name
 * @property {string | null} issuer
 * @property {string | null} account
 * @property {string} site the host a person saved, normalised; matched by registrable domain
 * @property {string} uri the canonical otpauth:// URI: it holds the secret, so it never leaves the worker
 * @property {number} createdAt Unix milliseconds
 */
/** @typedef {import('../types/protocol').AccountView} AccountView */
/** @typedef {import('../pkg/latchkey_core.js').Description} Description */

const KEY = 'accounts';
const MAX_NAME = 80;
const MAX_INPUT = 4096;

/** @type {Promise<Account[]> | null} */
let cache = null;
/** @type {Promise<unknown>} */
let writes = Promise.resolve();

onLocalChanged((changed) => {
  if (changed.includes(KEY)) cache = null;
});

/** @param {unknown} v @returns {v is Account} */
function isAccount(v) {
  if (!v || typeof v !== 'object') return false;
  const a = /** @type {Record<string, unknown>} */ (v);
  return (
    typeof a.id === 'string' &&
    typeof a.name === 'string' &&
    typeof a.site === 'string' &&
    typeof a.uri === 'string' &&
    typeof a.createdAt === 'number' &&
    (a.issuer === null || typeof a.issuer === 'string') &&
    (a.account === null || typeof a.account === 'string')
  );
}

/** Every stored account, in the order they were added. @returns {Promise<Account[]>} */
export function list() {
  cache ??= localStore.get(KEY).then((items) => {
    const stored = items[KEY];
    return Array.isArray(stored) ? stored.filter(isAccount) : [];
  });
  return cache;
}

/** @param {string} id */
export async function find(id) {
  const account = (await list()).find((a) => a.id === id);
  if (!account) throw new Error('That account no longer exists: it may have been deleted.');
  return account;
}

/**
 * Runs `edit` on the current list and stores what it returns, one edit at a time.
 * @param {(accounts: Account[]) => Account[]} edit
 */
function change(edit) {
  const run = writes.then(async () => {
    const next = edit(await list());
    await localStore.set({ [KEY]: next });
    cache = Promise.resolve(next);
    return next;
  });
  writes = run.catch(() => {});
  return run;
}

/** @param {unknown} value @param {string} what */
function text(value, what) {
  if (typeof value !== 'string' || value.length > MAX_INPUT) throw new Error(`The ${what} is not valid text.`);
  return value;
}

/** Describes what a person pasted as Secret Key; throws the core's sentence. @param {unknown} secret */
export async function describeSecret(secret) {
  const input = text(secret, 'secret key').trim();
  if (!input)
    throw new Error(
      'Paste the secret key (or the otpauth:// link) that the app shows when you turn on two-factor authentication.',
    );
  await core.ready();
  const description = core.describe(input);
  if (description.kind === 'hotp') {
    throw new Error(
      'This is a counter-based (HOTP) key. Latchkey fills time-based codes for now: ask the app for a key for an ' +
        'authenticator app.',
    );
  }
  return description;
}

/**
 * Normalises what a person typed as the site to a host (punycode for international names).
 * @param {unknown} site
 */
export async function normalizeSite(site) {
  const input = text(site, 'site').trim();
  if (!input)
    throw new Error('Enter the site where you sign in, such as example.com: Latchkey fills codes only there.');
  let host = input;
  try {
    // The URL parser does IDNA (bücher.de → xn--bcher-kva.de); the core then checks the host.
    host = new URL(input.includes('://') ? input : `https://${input}`).hostname;
  } catch {
    // Not a URL: let the core say what is wrong with it.
  }
  await core.ready();
  return core.Sites.hostFromInput(host);
}

/** @param {unknown} name @param {string} fallback */
function normalizeName(name, fallback) {
  const clean = text(name, 'name').trim().replace(/\s+/g, ' ');
  if (clean.length > MAX_NAME) throw new Error(`Keep the name under ${MAX_NAME} characters.`);
  return clean || fallback;
}

/**
 * Adds an account from what the popup's form holds.
 * @param {{secret: unknown, name: unknown, site: unknown}} input
 */
export async function add(input) {
  const description = await describeSecret(input.secret);
  const site = await normalizeSite(input.site);
  const name = normalizeName(input.name, description.issuer || site);
  /** @type {Account} */
  const account = {
    id: crypto.randomUUID(),
    name,
    issuer: description.issuer,
    account: description.account,
    site,
    uri: description.uri,
    createdAt: Date.now(),
  };
  await change((accounts) => {
    const twin = accounts.find((a) => a.uri === account.uri);
    if (twin) throw new Error(`This key is already saved as “${twin.name}”.`);
    return [...accounts, account];
  });
  return account;
}

/** @param {string} id @param {{name: unknown, site: unknown}} input */
export async function update(id, input) {
  const site = await normalizeSite(input.site);
  await change((accounts) => {
    const i = accounts.findIndex((a) => a.id === id);
    if (i < 0) throw new Error('That account no longer exists: it may have been deleted.');
    const next = accounts.slice();
    next[i] = { ...accounts[i], site, name: normalizeName(input.name, accounts[i].issuer || site) };
    return next;
  });
}

/** @param {string} id */
export async function remove(id) {
  await change((accounts) => accounts.filter((a) => a.id !== id));
}

/** @type {Map<string, Description>} */
const descriptions = new Map();

/** What the popup may know of an account: everything but the URI. @param {Account} a @returns {AccountView} */
export function view(a) {
  let d = descriptions.get(a.uri);
  if (!d) {
    d = core.describe(a.uri);
    descriptions.set(a.uri, d);
  }
  return {
    id: a.id,
    name: a.name,
    issuer: a.issuer,
    account: a.account,
    site: a.site,
    kind: d.kind,
    digits: d.digits,
    period: d.period,
    createdAt: a.createdAt,
  };
}
