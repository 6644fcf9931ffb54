// @ts-check
/**
 * Frame decisions: may this frame receive a code, and which account's. A thin adapter over the
 * core's `site::fill` (`Sites.decide`): inputs are what the browser reports about the frame (its
 * URL, its tab's URL, whether it is the top frame, its origin), never anything a page says, and
 * each account's fill sites: a local account's saved site, a shared account's sites from its sealed
 * sites record (never the server's plaintext site).
 */
import { isShared } from './all-accounts.js';

/** @typedef {import('./all-accounts.js').AnyAccount} Account */
/** @typedef {import('../pkg/latchkey_core.js').Sites} SitesList */

/**
 * What the browser reports about a frame.
 * @typedef {object} FrameFacts
 * @property {string} url the frame's URL
 * @property {string | undefined} topUrl the URL of the tab's top frame
 * @property {boolean} isTop
 * @property {string} [origin] the frame's origin, "null" for sandboxed and opaque frames
 */

/** @typedef {{ok: true, host: string} | {ok: false, reason: string}} Verdict */

/**
 * What the tab says about the frame's step (`site::Step` in the core): hints that narrow whose
 * code fills, never widen it.
 * @typedef {object} StepHints
 * @property {boolean} [setup] the code field is on a two-factor setup step
 * @property {string} [newKey] the id of the account saved from that setup step
 * @property {string | null} [username] the user name typed in this tab's sign-in step on this site
 */

/** Where an account's codes may go. @param {Account} a @returns {string[]} */
export function fillSites(a) {
  return isShared(a) ? a.sites : [a.site];
}

/**
 * The core's decision for a frame, given where each account's codes may go.
 * @template A
 * @param {SitesList} sites @param {FrameFacts} frame @param {A[]} accounts @param {(a: A) => string[]} sitesOf
 * @param {(a: A) => string | null} [usernameOf] @param {StepHints} [step]
 * @returns {{action: string, host: string | null, reason: string, matches: A[]}}
 */
function decideFor(sites, frame, accounts, sitesOf, usernameOf = () => null, step = {}) {
  const newKey = step.newKey === undefined ? -1 : accounts.findIndex((a) => idOf(a) === step.newKey);
  const [action, host, reason, ...picked] = sites.decide(
    frame.url,
    frame.topUrl ?? undefined,
    frame.isTop,
    frame.origin === 'null',
    accounts.map((_, i) => String(i)),
    accounts.map((a) => sitesOf(a).join(' ')),
    accounts.map((a) => usernameOf(a) ?? ''),
    step.setup === true,
    newKey < 0 ? undefined : String(newKey),
    step.username ?? undefined,
  );
  return { action, host: host || null, reason, matches: picked.map((i) => accounts[Number(i)]) };
}

/**
 * Whether a frame may be filled at all: a web page over HTTPS (or loopback), and either the top
 * frame or a frame of the same site as the top frame.
 * @param {SitesList} sites @param {FrameFacts} frame @returns {Verdict}
 */
export function frameVerdict(sites, frame) {
  const d = decideFor(sites, frame, [], () => []);
  return d.host ? { ok: true, host: d.host } : { ok: false, reason: d.reason };
}

/**
 * The accounts whose codes may go to this frame (none when it may not be filled at all).
 * @template A
 * @param {SitesList} sites @param {FrameFacts} frame @param {A[]} accounts @param {(a: A) => string[]} sitesOf
 */
export function matching(sites, frame, accounts, sitesOf) {
  return decideFor(sites, frame, accounts, sitesOf).matches;
}

/**
 * The accounts (local or shared) whose TOTP codes may go to this frame.
 * @param {SitesList} sites
 * @param {FrameFacts} frame
 * @param {Account[]} accounts
 */
export function accountsFor(sites, frame, accounts) {
  return matching(sites, frame, accounts, fillSites);
}

/** An account's id, for matching the step's new key. @param {unknown} a */
function idOf(a) {
  return a && typeof a === 'object' && 'id' in a ? a.id : undefined;
}

/**
 * What to do for a frame that found a code field: fill one account's code, let the person choose
 * among several (nothing is filled), offer to save the key a setup step shows (nothing is filled),
 * or nothing.
 * @param {SitesList} sites @param {Account[]} accounts @param {FrameFacts} frame @param {StepHints} [step]
 * @returns {{action: 'fill', account: Account} | {action: 'choose', matches: Account[]} | {action: 'setup'} |
 *   {action: 'none', reason: string}}
 */
export function decide(sites, accounts, frame, step = {}) {
  const d = decideFor(sites, frame, accounts, fillSites, (a) => a.account, step);
  if (d.action === 'fill') return { action: 'fill', account: d.matches[0] };
  if (d.action === 'choose') return { action: 'choose', matches: d.matches };
  if (d.action === 'setup') return { action: 'setup' };
  return { action: 'none', reason: d.reason || 'No account is saved for this site.' };
}
