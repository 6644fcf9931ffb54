// @ts-check
/**
 * Tells the server that a workspace account's code was filled (`POST /audit/fills`): the audit
 * log's `code.filled` with the account, the page's host and the kind of code (the device is the
 * caller). Best effort: a fill never waits for it or fails because of it; a report that cannot be
 * sent (the server unreachable, the hourly limit reached) is dropped, logged without its details.
 */
import * as client from './client.js';

/** @param {string} accountId @param {string} site the page's host @param {'totp' | 'sms' | 'email'} kind */
export function reportFill(accountId, site, kind) {
  if (!site) return;
  client.request('POST', '/audit/fills', { accountId, site, kind }).catch(() => {
    console.warn('Latchkey: a code fill could not be reported to the workspace audit log');
  });
}
