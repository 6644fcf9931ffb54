// @ts-check
/**
 * Frame decisions: may this frame receive a code, and which account's. Inputs are what the browser
 * reports about the frame (its URL, its tab's URL, whether it is the top frame), never anything a
 * page says. The rules themselves (scheme, registrable domain) are the core's.
 */
import { Sites } from './core.js';

/** @typedef {import('./all-accounts.js').AnyAccount} Account */
/** @typedef {import('../pkg/latchkey_core.js').Sites} SitesList */

/**
 * @typedef {object} FrameFacts
 * @property {string} url the frame's URL
 * @property {string | undefined} topUrl the URL of the tab's top frame
 * @property {boolean} isTop
 * @property {string} [origin] the frame's origin, "null" for sandboxed and opaque frames
 */

/** @typedef {{ok: true, host: string} | {ok: false, reason: string}} Verdict */

/** @param {string | undefined} url */
function parse(url) {
  try {
    return url ? new URL(url) : null;
  } catch {
    return null;
  }
}

/**
 * Whether a frame may be filled at all: a web page over HTTPS (or loopback), and either the top
 * frame or a frame of the same site as the top frame. Frames of other sites (ads, widgets,
 * embedded logins of third parties) never get a code.
 * @param {SitesList} sites @param {FrameFacts} frame @returns {Verdict}
 */
export function frameVerdict(sites, frame) {
  const url = parse(frame.url);
  if (!url) return { ok: false, reason: 'This frame has no web address.' };
  if (frame.origin === 'null') return { ok: false, reason: 'Sandboxed frames are never filled.' };
  const refusal = Sites.refuseFill(url.protocol.replace(/:$/, ''), url.hostname);
  if (refusal) return { ok: false, reason: refusal };
  if (!frame.isTop) {
    const top = parse(frame.topUrl);
    if (!top) return { ok: false, reason: 'The page around this frame is unknown.' };
    const topRefusal = Sites.refuseFill(top.protocol.replace(/:$/, ''), top.hostname);
    if (topRefusal) return { ok: false, reason: topRefusal };
    if (sites.siteOf(top.hostname) !== sites.siteOf(url.hostname)) {
      return { ok: false, reason: 'Frames of another site than the page are never filled.' };
    }
  }
  return { ok: true, host: url.hostname };
}

/**
 * The accounts saved for the site of `host`.
 * @param {SitesList} sites @param {Account[]} accounts @param {string} host
 */
export function accountsFor(sites, accounts, host) {
  return accounts.filter((a) => sites.sameSite(a.site, host));
}

/**
 * What to do for a frame that found a code field: fill one account's code, let the person choose
 * among several (nothing is filled), or nothing.
 * @param {SitesList} sites @param {Account[]} accounts @param {FrameFacts} frame
 * @returns {{action: 'fill', account: Account} | {action: 'choose', matches: Account[]} | {action: 'none', reason: string}}
 */
export function decide(sites, accounts, frame) {
  const verdict = frameVerdict(sites, frame);
  if (!verdict.ok) return { action: 'none', reason: verdict.reason };
  const matches = accountsFor(sites, accounts, verdict.host);
  if (matches.length === 1) return { action: 'fill', account: matches[0] };
  if (matches.length > 1) return { action: 'choose', matches };
  return { action: 'none', reason: 'No account is saved for this site.' };
}
