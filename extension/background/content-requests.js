// @ts-check
/**
 * Requests from content scripts. A content script only says how many code fields its frame has;
 * the answer is the code for that frame when exactly one account matches it, else nothing. It never
 * gets a secret, a URI, or anything about other sites.
 */
import * as core from './core.js';
import { codeOf, forFill, isShared } from './all-accounts.js';
import { accountsFor, decide, frameVerdict } from './fill.js';
import { setFrame } from './frames.js';
import { int, str } from './senders.js';
import { rememberForTab } from './sms/tab-account.js';
import { kindsOf, startWaiting } from './sms/waiter.js';
import { rememberUsername, setSetup, stepOf, usernameFor } from './tab-step.js';
import { refreshBadge } from './tab-state.js';
import { reportFill } from './workspace/fill-report.js';

/** @typedef {import('./senders.js').ContentFrame} ContentFrame */
/** @typedef {import('../types/protocol').ContentRequests} ContentRequests */
/** @typedef {import('../types/protocol').FieldsReply} FieldsReply */

/** The longest key text a setup page's suggestion may be (a base32 key of 1,600 bits). */
const MAX_SETUP_SECRET = 320;

/**
 * `{type: 'fields', groups, sms, email, setup, secret}`: the frame found `groups` code fields a TOTP
 * code may fill, `sms` fields an SMS code may fill and `email` fields an e-mailed code may fill (0:
 * none any more; a field that could take either counts in both); `setup`: the code field is on
 * a two-factor setup step, showing the key `secret` when it is readable as text. A TOTP code is
 * answered at once, unless it is about to expire (`retryIn`: ask again then); for SMS and e-mail
 * fields (when no TOTP code went) the worker waits on the account's inbox, for the kinds the fields
 * take, and sends the code later; when several accounts could have received it, the page is told
 * to ask (`choose`). On a setup step no
 * saved account's code is answered (`setup`: the popup offers to save the new key), only the first
 * code of the account saved from it.
 * @param {ContentFrame} frame what the browser reported about the sender
 * @param {import('../types/protocol').Untrusted<import('../types/protocol').FieldsOf<ContentRequests, 'fields'>>}
 *   message
 * @returns {Promise<FieldsReply>}
 */
export async function onFields(frame, message) {
  const groups = int(message.groups, 0, 100);
  const sms = message.sms === undefined ? 0 : int(message.sms, 0, 100);
  const email = message.email === undefined ? 0 : int(message.email, 0, 100);
  const inboxFields = Math.max(sms, email);
  const record =
    groups + inboxFields > 0
      ? { url: frame.url, documentId: frame.documentId, origin: frame.origin, groups: groups + inboxFields, sms, email }
      : null;
  await setFrame(frame.tabId, frame.frameId, record);
  await refreshBadge(frame.tabId, frame.frameId);
  if (groups === 0 && inboxFields === 0) return {};
  const [sites, list] = await Promise.all([core.sites(), forFill()]);
  const facts = { url: frame.url, topUrl: frame.topUrl, isTop: frame.frameId === 0, origin: frame.origin };
  if (groups > 0) {
    const verdict = frameVerdict(sites, facts);
    const setup = message.setup === true && verdict.ok;
    const shown = setup && message.secret !== undefined ? str(message.secret, MAX_SETUP_SECRET) : '';
    await setSetup(
      frame.tabId,
      frame.frameId,
      verdict.ok && setup ? { host: verdict.host, secret: asKey(shown) } : null,
    );
    const step = await stepOf(frame.tabId);
    const host = verdict.ok ? verdict.host : '';
    const decision = decide(sites, list, facts, {
      setup,
      newKey: step.setup?.newKey,
      username: await usernameFor(frame.tabId, (typedOn) => host !== '' && sites.sameSite(typedOn, host)),
    });
    if (decision.action === 'setup') return { setup: true };
    if (decision.action === 'fill') {
      // This tab now signs in to that account: its SMS code, if one follows, comes from its inbox.
      if (isShared(decision.account)) await rememberForTab(frame.tabId, decision.account.accountId);
      const now = core.now();
      const { code, period } = codeOf(decision.account, now);
      // A code about to expire would reach the app dead: the frame asks again for the next one.
      const retryIn = period ? core.fillDelay(now * 1000, period) : 0;
      if (retryIn > 0) return { retryIn };
      if (isShared(decision.account)) reportFill(decision.account.accountId, host, 'totp');
      return { code };
    }
  }
  if (inboxFields === 0 || !frameVerdict(sites, facts).ok) return {};
  const target = { tabId: frame.tabId, frameId: frame.frameId, documentId: frame.documentId };
  const wait = await startWaiting(target, facts, kindsOf({ sms, email }));
  if (wait.state === 'waiting') return { waiting: true, via: wait.via };
  return wait.state === 'choose' ? { choose: true } : {};
}

/**
 * The key a setup page shows, when it reads as one (the page is hostile: this is only a suggestion
 * the person confirms in the popup); else null.
 * @param {string} text
 */
function asKey(text) {
  if (!text) return null;
  try {
    core.describe(text);
    return text;
  } catch {
    return null;
  }
}

/** The longest user name kept (e-mail addresses are at most 254 characters). */
const MAX_USERNAME = 254;

/**
 * `{type: 'username', value}`: the person typed or filled `value` into this frame's user name
 * field (a sign-in step; never a password field). Kept for the tab when the frame may be filled
 * and some account is saved for its site, to pick that account at the code step.
 * @param {ContentFrame} frame
 * @param {import('../types/protocol').Untrusted<import('../types/protocol').FieldsOf<ContentRequests, 'username'>>}
 *   message
 * @returns {Promise<{}>}
 */
export async function onUsername(frame, message) {
  const value = str(message.value, MAX_USERNAME).trim();
  if (!value) return {};
  const [sites, list] = await Promise.all([core.sites(), forFill()]);
  const facts = { url: frame.url, topUrl: frame.topUrl, isTop: frame.frameId === 0, origin: frame.origin };
  const verdict = frameVerdict(sites, facts);
  if (!verdict.ok || accountsFor(sites, facts, list).length === 0) return {};
  await rememberUsername(frame.tabId, verdict.host, value);
  return {};
}

/**
 * What content scripts may ask, each answered for the frame the browser says sent it.
 * @type {import('../types/protocol').Handlers<ContentRequests, ContentFrame>}
 */
export const contentRequests = {
  fields: (message, frame) => onFields(frame, message),
  username: (message, frame) => onUsername(frame, message),
};
