// @ts-check
/**
 * What each tab's sign-in has told the worker, kept in `chrome.storage.session` (trusted contexts
 * only: content scripts cannot read it) and dropped with the tab:
 *
 * - the user name typed or filled in the tab's sign-in step (never a password), with the host it
 *   was typed on: when two accounts of the site match the code step that follows, the core picks
 *   the one saved with that name;
 * - a two-factor setup step the tab shows: its host, the key the page displays as text (a hostile
 *   page's suggestion, shown only in Latchkey's popup for the person to confirm), and the account
 *   saved from it, whose first code then fills.
 */

const PREFIX = 'step:';
/** A user name typed longer ago than this no longer says who signs in. */
const USERNAME_TTL_MS = 15 * 60_000;

/**
 * @typedef {object} TabStep
 * @property {{host: string, value: string, at: number}} [username]
 * @property {{frameId: number, host: string, secret: string | null, at: number, newKey?: string}} [setup]
 */

/** @param {number} tabId */
const keyOf = (tabId) => `${PREFIX}${tabId}`;

/** @type {Promise<unknown>} */
let writes = Promise.resolve();

/** @param {number} tabId @returns {Promise<TabStep>} */
export async function stepOf(tabId) {
  const raw = (await chrome.storage.session.get(keyOf(tabId)))[keyOf(tabId)];
  return raw && typeof raw === 'object' ? /** @type {TabStep} */ (raw) : {};
}

/**
 * One read-modify-write at a time.
 * @param {number} tabId @param {(step: TabStep) => void} change
 */
function edit(tabId, change) {
  const run = writes.then(async () => {
    const step = await stepOf(tabId);
    change(step);
    if (!step.username && !step.setup) await chrome.storage.session.remove(keyOf(tabId));
    else await chrome.storage.session.set({ [keyOf(tabId)]: step });
  });
  writes = run.catch(() => {});
  return run;
}

/** @param {number} tabId @param {string} host @param {string} value */
export function rememberUsername(tabId, host, value) {
  return edit(tabId, (s) => {
    s.username = { host, value, at: Date.now() };
  });
}

/**
 * The user name typed in this tab on a host `sameSite` accepts, if recent.
 * @param {number} tabId @param {(typedOn: string) => boolean} sameSite
 */
export async function usernameFor(tabId, sameSite) {
  const u = (await stepOf(tabId)).username;
  if (!u || Date.now() - u.at > USERNAME_TTL_MS || !sameSite(u.host)) return null;
  return u.value;
}

/**
 * Frame `frameId` of the tab shows a setup step on `host` (or, with `null`, no longer does). A new
 * setup step keeps the account saved from the last one only on the same host.
 * @param {number} tabId @param {number} frameId
 * @param {{host: string, secret: string | null} | null} setup
 */
export function setSetup(tabId, frameId, setup) {
  return edit(tabId, (s) => {
    if (!setup) {
      if (s.setup?.frameId === frameId) delete s.setup;
      return;
    }
    const newKey = s.setup?.host === setup.host ? s.setup.newKey : undefined;
    s.setup = { frameId, ...setup, at: Date.now(), ...(newKey ? { newKey } : {}) };
  });
}

/**
 * The person saved an account from the setup step this tab shows: its first code fills there.
 * @param {number} tabId @param {string} accountId
 */
export function savedFromSetup(tabId, accountId) {
  return edit(tabId, (s) => {
    if (s.setup) s.setup.newKey = accountId;
  });
}

/** @param {number} tabId */
export function forgetStep(tabId) {
  return edit(tabId, (s) => {
    delete s.username;
    delete s.setup;
  });
}
