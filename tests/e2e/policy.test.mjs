// @ts-check
// Where codes must NOT go: another site, hidden fields, frames of another site, a page with
// several matching accounts (the person chooses in the popup), fields a person typed in; and what
// a content script cannot do: read the accounts, or send the popup's requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { BADGE, NO_ACCOUNT_SENTENCE } from './cases/small-things.mjs';
import {
  addThroughPopup,
  badgeOf,
  filledIn,
  inContentScript,
  launchBrowser,
  openPopup,
  referenceCodesBetween,
  startFixtures,
  waitFor,
} from './harness.mjs';

/** @typedef {import('playwright-core').Page} Page */

const newKey = () => new OTPAuth.Secret({ size: 20 }).base32;

test('the same verify form on another site is not filled (and is on the account’s site)', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  const secret = newKey();
  await addThroughPopup(popup, { secret, site: 'fixtures.localhost' });

  const own = await ctx.newPage();
  const before = Date.now();
  await own.goto(fixtures.url('fixtures', 'verify.html'));
  const code = await filledIn(own.locator('#otp'));
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));

  const other = await ctx.newPage();
  await other.goto(fixtures.url('other', 'verify.html'));
  // The grey dot means the worker saw the field and matched no account: the decision is made.
  await waitFor(async () => (await badgeOf(ctx, other)) === '•', 'the grey badge');
  assert.equal(await other.locator('#otp').inputValue(), '');
});

test('a page already open on the code step is filled as soon as its account is saved', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', 'verify.html'));
  await waitFor(async () => (await badgeOf(ctx, page)) === BADGE.noAccount, 'the grey badge: a field, no account');
  const popup = await openPopup(ctx, page);
  await popup.getByRole('region', { name: 'On this page' }).getByText(NO_ACCOUNT_SENTENCE).waitFor();
  const secret = newKey();
  const before = Date.now();
  await addThroughPopup(popup, { secret, site: 'fixtures.localhost' });
  const code = await filledIn(page.locator('#otp'));
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));
  await waitFor(async () => (await badgeOf(ctx, page)) === BADGE.oneAccount, 'the badge to count the new account');
});

test('hidden code fields are never filled', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, { secret: newKey(), site: 'fixtures.localhost' });
  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', 'hidden.html'));
  await filledIn(page.locator('#visible'));
  const hidden = await page.evaluate(() =>
    Array.from(document.querySelectorAll('input'))
      .filter((i) => i.id !== 'visible')
      .map((i) => [i.id, i.value]),
  );
  assert.equal(hidden.length, 9);
  assert.deepEqual(
    hidden.filter(([, value]) => value !== ''),
    [],
    'no hidden field got a value',
  );
});

test('a frame of another site is not filled, even with an account for that site; a same-site frame is', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, { secret: newKey(), name: 'Fixtures', site: 'fixtures.localhost' });
  await addThroughPopup(popup, { secret: newKey(), name: 'Other', site: 'other.localhost' });
  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', 'frames.html'));
  const same = page.frameLocator('#same-site').locator('#otp');
  const cross = page.frameLocator('#cross-site').locator('#otp');
  await filledIn(same);
  await cross.waitFor();
  // Both frames reported at load; the same-site one was filled, so the other was judged too.
  await waitFor(async () => (await badgeOf(ctx, page)) === '1', 'the badge to count the same-site frame');
  assert.equal(await cross.inputValue(), '');
});

// Fill in the popup fills the chosen one.
test('two accounts for one site: nothing is filled, the badge says 2; the popup’s Fill chooses', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const setup = await openPopup(ctx);
  const team = newKey();
  const personal = newKey();
  await addThroughPopup(setup, { secret: team, name: 'Team login', site: 'fixtures.localhost' });
  await addThroughPopup(setup, { secret: personal, name: 'Personal login', site: 'https://www.fixtures.localhost/' });
  await setup.close();

  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', 'verify.html'));
  await waitFor(async () => (await badgeOf(ctx, page)) === '2', 'the badge to show 2');
  assert.equal(await page.locator('#otp').inputValue(), '', 'nothing filled while two accounts match');

  const popup = await openPopup(ctx, page);
  const section = popup.getByRole('region', { name: 'On this page' });
  await section.getByText('2 accounts match fixtures.localhost').waitFor();
  const before = Date.now();
  await section.getByRole('button', { name: 'Fill code for Team login' }).click();
  const code = await filledIn(page.locator('#otp'));
  assert.ok(referenceCodesBetween(team, before, Date.now()).includes(code), 'the chosen account’s code');
  assert.ok(!referenceCodesBetween(personal, before, Date.now()).includes(code));
});

test('a field that appears later is filled; one a person already typed in is left alone', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, { secret: newKey(), site: 'fixtures.localhost' });

  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', 'late.html'));
  await page.getByRole('button', { name: 'Continue' }).click();
  await filledIn(page.locator('#code'));

  const typed = await ctx.newPage();
  await typed.goto(fixtures.url('fixtures', 'late.html?typed=12'));
  await typed.getByRole('button', { name: 'Continue' }).click();
  await waitFor(async () => (await badgeOf(ctx, typed)) === '1', 'the worker to judge the new field');
  assert.equal(await typed.locator('#code').inputValue(), '12');
});

test('a content script can neither read the stored accounts nor send any of the pages’ requests', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, { secret: newKey(), name: 'Secret holder', site: 'fixtures.localhost' });
  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', 'verify.html'));
  await filledIn(page.locator('#otp'));

  const storage = await inContentScript(
    ctx,
    page,
    `chrome.storage.local.get(null).then((items) => JSON.stringify(items))`,
  );
  assert.ok(
    !('value' in storage) || !String(storage.value).includes('otpauth'),
    `storage readable: ${JSON.stringify(storage)}`,
  );
  assert.ok('error' in storage, 'reading storage fails in a content script');

  const replies = await inContentScript(
    ctx,
    page,
    `Promise.all([
    chrome.runtime.sendMessage({ type: 'list' }),
    chrome.runtime.sendMessage({ type: 'codes' }),
    chrome.runtime.sendMessage({ type: 'preview', secret: 'JBSWY3DPEHPK3PXP' }),
    chrome.runtime.sendMessage({
      type: 'add', secret: 'JBSWY3DPEHPK3PXP', name: 'Planted', site: 'fixtures.localhost',
    }),
    chrome.runtime.sendMessage({ type: 'fill-chosen', tabId: 1, id: 'x' }),
    chrome.runtime.sendMessage({ type: 'ws-status' }),
    chrome.runtime.sendMessage({ type: 'ws-begin', server: 'http://127.0.0.1:1', email: 'x@example.com' }),
    chrome.runtime.sendMessage({ type: 'ws-devices' }),
    chrome.runtime.sendMessage({ type: 'ws-approve', id: 'x' }),
  ])`,
  );
  assert.ok('value' in replies, JSON.stringify(replies));
  for (const reply of /** @type {Array<{ok: boolean, error?: string}>} */ (replies.value)) {
    assert.deepEqual(reply, { ok: false, error: 'Only Latchkey’s own pages may ask that.' });
  }
  // Every request of the pages' protocol, by name (tsc makes this list follow PageRequests), is
  // refused from a content script, whatever its fields.
  const everyName = Object.keys(PAGE_REQUESTS);
  const all = await inContentScript(
    ctx,
    page,
    `Promise.all(${JSON.stringify(everyName)}.map((type) =>
    chrome.runtime.sendMessage({
      type, id: 'x', accountId: 'x', pin: '730519', tabId: 1, secret: 'JBSWY3DPEHPK3PXP',
    })))`,
  );
  assert.ok('value' in all, JSON.stringify(all));
  /** @type {Array<{ok: boolean, error?: string}>} */ (all.value).forEach((reply, i) => {
    assert.deepEqual(reply, { ok: false, error: 'Only Latchkey’s own pages may ask that.' }, everyName[i]);
  });
  // The other way round: a content request from one of Latchkey's pages is no frame's report, and a
  // name outside the protocol is nobody's.
  const fromPage = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'fields', groups: 1 }));
  assert.deepEqual(fromPage, { ok: false, error: 'Refused.' });
  const unknown = await inContentScript(ctx, page, `chrome.runtime.sendMessage({ type: 'toString' })`);
  assert.deepEqual(unknown, { value: { ok: false, error: 'Unknown request.' } });
  await popup.reload();
  assert.deepEqual(await popup.locator('li.account .name').allTextContents(), ['Secret holder'], 'nothing was added');
});

/**
 * Every page request's name: a missing or extra name is a type error, so a new request joins the
 * attack above by construction.
 * @type {Record<keyof import('../../extension/types/protocol').PageRequests, true>}
 */
const PAGE_REQUESTS = {
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
