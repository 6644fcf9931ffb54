// @ts-check
// The attacks of tests/e2e/abuse-sites.test.mjs on where a shared account's codes go, done to the
// server's SQLite database as someone holding it would, and what Latchkey must answer: shared by
// Chromium's test and Firefox's tests/e2e-firefox/abuse-sites.test.mjs.
import { execFileSync } from 'node:child_process';
import { hkdfSync } from 'node:crypto';
import { join } from 'node:path';

/**
 * Runs SQL on the server's database, as someone with the database would.
 * @param {{dataDir: string}} ws
 * @param {string} sql
 */
export function sql(ws, sql) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', join(ws.dataDir, 'latchkey.db'), sql], {
    encoding: 'utf8',
  }).trim();
}

/** The item id of an account's sites record, as the core derives it (docs/vault.md). @param {string} accountId */
export function sitesItemId(accountId) {
  return Buffer.from(hkdfSync('sha256', accountId, 'latchkey sites item id v1', '', 32))
    .subarray(0, 16)
    .toString('hex');
}

/** The site the rewrite names, one the attacker controls. */
export const EVIL_SITE = 'evil.localhost';

/**
 * The rewrite: every account's stored (plaintext) site names the attacker's; the sealed items
 * are untouched (the attacker has no account key). @param {{dataDir: string}} ws
 */
export function pointAccountsAtEvil(ws) {
  sql(ws, `UPDATE accounts SET site = '${EVIL_SITE}';`);
  return sql(ws, 'SELECT DISTINCT site FROM accounts;');
}

/**
 * An account made before sites records existed (or whose record a database dropped): the demo's
 * one account loses its sites record. Returns its id and how many sealed items it has left.
 * @param {{dataDir: string}} ws
 */
export function dropSitesRecord(ws) {
  const accountId = sql(ws, 'SELECT id FROM accounts;');
  sql(ws, `DELETE FROM vault_items WHERE id = '${sitesItemId(accountId)}';`);
  return { accountId, left: sql(ws, `SELECT COUNT(*) FROM vault_items WHERE account_id = '${accountId}';`) };
}

/**
 * Whether the account has its sites record again (after an owner confirmed it).
 * @param {{dataDir: string}} ws @param {string} accountId
 */
export const hasSitesRecord = (ws, accountId) =>
  sql(ws, `SELECT COUNT(*) FROM vault_items WHERE id = '${sitesItemId(accountId)}';`) === '1';

/** The badge of a tab where Latchkey saw a code field and matched no account. */
export const GREY_BADGE = '•';

/** The text to the managed number, and the code in it. */
export { SMS_CODE, SMS_TEXT } from './abuse-sms.mjs';

/** How long a field must stay empty on the attacker's pages (TOTP, then SMS as the text arrives). */
export const QUIET_MS = { totp: 1500, sms: 3000 };

/** What the dashboard says and names about the demo's account without a sites record. */
export const DASHBOARD = {
  why: 'Latchkey does not fill this account’s codes yet',
  sitesLabel: 'Sites of Northwind Cloud team',
  prefilled: 'demo.localhost',
  save: 'Save the sites of Northwind Cloud team',
  saved: 'Codes are filled on demo.localhost',
};
