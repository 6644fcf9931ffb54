// @ts-check
// Where codes must not go and what a content script cannot do (tests/e2e/policy.test.mjs): the
// pages, the requests and the answers, shared by Chromium's test and Firefox's
// tests/e2e-firefox/policy.test.mjs. Pages are [site, file] of the fixtures server.

/** The account's own site, and another site serving the same verify form. */
export const OWN_SITE = 'fixtures.localhost';
export const VERIFY = /** @type {const} */ (['fixtures', 'verify.html']);
export const OTHER_VERIFY = /** @type {const} */ (['other', 'verify.html']);
/** The badge of a code field the background judged and matched no account to. */
export const NO_ACCOUNT_BADGE = '•';

/** A page with one visible code field (#visible) and hidden ones that must stay empty. */
export const HIDDEN = /** @type {const} */ (['fixtures', 'hidden.html']);
export const HIDDEN_FIELDS = 9;

/** Frames: a same-site frame (filled) and a cross-site one (not, even with an account for its site). */
export const FRAMES = /** @type {const} */ (['fixtures', 'frames.html']);
export const FRAME_ACCOUNTS = [
  { name: 'Fixtures', site: 'fixtures.localhost' },
  { name: 'Other', site: 'other.localhost' },
];

/** Two accounts for one site: nothing filled, the badge says 2, the popup's Fill chooses. */
export const TEAM = { name: 'Team login', site: 'fixtures.localhost' };
export const PERSONAL = { name: 'Personal login', site: 'https://www.fixtures.localhost/' };
export const TWO_BADGE = '2';
export const TWO_MATCH = '2 accounts match fixtures.localhost';

/** A field that appears after Continue; the same page with `typed` already in it is left alone. */
export const LATE = /** @type {const} */ (['fixtures', 'late.html']);
export const LATE_TYPED = /** @type {const} */ (['fixtures', 'late.html?typed=12']);
export const TYPED = '12';

/** The account a content script goes for, and what it is told. */
export const SECRET_HOLDER = { name: 'Secret holder', site: 'fixtures.localhost' };
export const PAGES_ONLY = { ok: false, error: 'Only Latchkey’s own pages may ask that.' };
/** A content request from one of Latchkey's pages, and a name outside the protocol. */
export const FROM_PAGE = { type: 'fields', groups: 1 };
export const FROM_PAGE_ANSWER = { ok: false, error: 'Refused.' };
export const UNKNOWN = { type: 'toString' };
export const UNKNOWN_ANSWER = { ok: false, error: 'Unknown request.' };

/** The pages' requests a content script sends first, by hand. */
export const NAMED_REQUESTS = [
  { type: 'list' },
  { type: 'codes' },
  { type: 'preview', secret: 'JBSWY3DPEHPK3PXP' },
  { type: 'add', secret: 'JBSWY3DPEHPK3PXP', name: 'Planted', site: 'fixtures.localhost' },
  { type: 'fill-chosen', tabId: 1, id: 'x' },
  { type: 'ws-status' },
  { type: 'ws-begin', server: 'http://127.0.0.1:1', email: 'x@example.com' },
  { type: 'ws-devices' },
  { type: 'ws-approve', id: 'x' },
];

/** Then every request of the pages' protocol by name, with these fields. @param {string} type */
export const everyRequest = (type) => ({
  type,
  id: 'x',
  accountId: 'x',
  pin: '730519',
  tabId: 1,
  secret: 'JBSWY3DPEHPK3PXP',
});

/**
 * Every page request's name: a missing or extra name is a type error, so a new request joins the
 * attack above by construction.
 * @type {Record<keyof import('../../../extension/types/protocol').PageRequests, true>}
 */
export const PAGE_REQUESTS = {
  list: true,
  codes: true,
  preview: true,
  add: true,
  update: true,
  delete: true,
  page: true,
  'fill-chosen': true,
  'scan-page': true,
  'scan-image': true,
  'scan-reveal': true,
  'ws-status': true,
  'ws-begin': true,
  'ws-default-name': true,
  'ws-register': true,
  'ws-send-code': true,
  'ws-verify-code': true,
  'ws-create-kit': true,
  'ws-confirm-kit': true,
  'ws-recover': true,
  'ws-request-approval': true,
  'ws-wait-approval': true,
  'ws-import-preview': true,
  'ws-qr-tabs': true,
  'ws-qr-scan-tab': true,
  'ws-qr-scan-image': true,
  'ws-import-confirm': true,
  'ws-remind-later': true,
  'ws-dismiss-notice': true,
  'ws-lock': true,
  'ws-set-pin': true,
  'ws-change-pin': true,
  'ws-unlock': true,
  'ws-set-idle': true,
  'ws-devices': true,
  'ws-approvals': true,
  'ws-approve': true,
  'ws-deny': true,
  'ws-rename': true,
  'ws-disable': true,
  'ws-sharing': true,
  'ws-set-mfa': true,
  'ws-set-sites': true,
  'ws-save-backup-codes': true,
  'ws-reveal-backup-codes': true,
  'ws-automation-tasks': true,
  'ws-automation-start': true,
  'ws-automation-dry-run': true,
  'ws-share': true,
  'ws-rotate': true,
  'ws-unshare': true,
  'ws-inbox': true,
  'ws-inbox-wait': true,
  'ws-phone': true,
  'ws-phone-create': true,
  'ws-phone-release': true,
  'ws-address': true,
  'ws-address-create': true,
  'ws-console-access': true,
  'ws-console-users': true,
  'ws-console-invite': true,
  'ws-console-resend': true,
  'ws-console-cancel': true,
  'ws-console-set-role': true,
  'ws-console-preview': true,
  'ws-console-deprovision': true,
  'ws-console-rotations': true,
  'ws-console-apps': true,
  'ws-console-save-app': true,
  'ws-console-audit': true,
  'ws-console-audit-export': true,
  'ws-console-scim-tokens': true,
  'ws-console-scim-create': true,
  'ws-console-scim-revoke': true,
  'ws-automations': true,
  'ws-automation': true,
};
