// @ts-check
// Where codes must NOT go: another site, hidden fields, frames of another site, a page with
// several matching accounts (the person chooses in the popup), fields a person typed in; and what
// a content script cannot do: read the accounts, or send the popup's requests. Pages, requests and
// answers: tests/e2e/cases/policy.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import {
  FRAME_ACCOUNTS,
  FRAMES,
  FROM_PAGE,
  FROM_PAGE_ANSWER,
  HIDDEN,
  HIDDEN_FIELDS,
  LATE,
  LATE_TYPED,
  NAMED_REQUESTS,
  NO_ACCOUNT_BADGE,
  OTHER_VERIFY,
  OWN_SITE,
  PAGE_REQUESTS,
  PAGES_ONLY,
  PERSONAL,
  SECRET_HOLDER,
  TEAM,
  TWO_BADGE,
  TWO_MATCH,
  TYPED,
  UNKNOWN,
  UNKNOWN_ANSWER,
  VERIFY,
  everyRequest,
} from './cases/policy.mjs';
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
  await addThroughPopup(popup, { secret, site: OWN_SITE });

  const own = await ctx.newPage();
  const before = Date.now();
  await own.goto(fixtures.url(...VERIFY));
  const code = await filledIn(own.locator('#otp'));
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));

  const other = await ctx.newPage();
  await other.goto(fixtures.url(...OTHER_VERIFY));
  // The grey dot means the worker saw the field and matched no account: the decision is made.
  await waitFor(async () => (await badgeOf(ctx, other)) === NO_ACCOUNT_BADGE, 'the grey badge');
  assert.equal(await other.locator('#otp').inputValue(), '');
});

test('a page already open on the code step is filled as soon as its account is saved', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const page = await ctx.newPage();
  await page.goto(fixtures.url(...VERIFY));
  await waitFor(async () => (await badgeOf(ctx, page)) === BADGE.noAccount, 'the grey badge: a field, no account');
  const popup = await openPopup(ctx, page);
  await popup.getByRole('region', { name: 'On this page' }).getByText(NO_ACCOUNT_SENTENCE).waitFor();
  const secret = newKey();
  const before = Date.now();
  await addThroughPopup(popup, { secret, site: OWN_SITE });
  const code = await filledIn(page.locator('#otp'));
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));
  await waitFor(async () => (await badgeOf(ctx, page)) === BADGE.oneAccount, 'the badge to count the new account');
});

test('hidden code fields are never filled', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, { secret: newKey(), site: OWN_SITE });
  const page = await ctx.newPage();
  await page.goto(fixtures.url(...HIDDEN));
  await filledIn(page.locator('#visible'));
  const hidden = await page.evaluate(() =>
    Array.from(document.querySelectorAll('input'))
      .filter((i) => i.id !== 'visible')
      .map((i) => [i.id, i.value]),
  );
  assert.equal(hidden.length, HIDDEN_FIELDS);
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
  for (const account of FRAME_ACCOUNTS) await addThroughPopup(popup, { secret: newKey(), ...account });
  const page = await ctx.newPage();
  await page.goto(fixtures.url(...FRAMES));
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
  await addThroughPopup(setup, { secret: team, ...TEAM });
  await addThroughPopup(setup, { secret: personal, ...PERSONAL });
  await setup.close();

  const page = await ctx.newPage();
  await page.goto(fixtures.url(...VERIFY));
  await waitFor(async () => (await badgeOf(ctx, page)) === TWO_BADGE, 'the badge to show 2');
  assert.equal(await page.locator('#otp').inputValue(), '', 'nothing filled while two accounts match');

  const popup = await openPopup(ctx, page);
  const section = popup.getByRole('region', { name: 'On this page' });
  await section.getByText(TWO_MATCH).waitFor();
  const before = Date.now();
  await section.getByRole('button', { name: `Fill code for ${TEAM.name}` }).click();
  const code = await filledIn(page.locator('#otp'));
  assert.ok(referenceCodesBetween(team, before, Date.now()).includes(code), 'the chosen account’s code');
  assert.ok(!referenceCodesBetween(personal, before, Date.now()).includes(code));
});

test('a field that appears later is filled; one a person already typed in is left alone', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, { secret: newKey(), site: OWN_SITE });

  const page = await ctx.newPage();
  await page.goto(fixtures.url(...LATE));
  await page.getByRole('button', { name: 'Continue' }).click();
  await filledIn(page.locator('#code'));

  const typed = await ctx.newPage();
  await typed.goto(fixtures.url(...LATE_TYPED));
  await typed.getByRole('button', { name: 'Continue' }).click();
  await waitFor(async () => (await badgeOf(ctx, typed)) === '1', 'the worker to judge the new field');
  assert.equal(await typed.locator('#code').inputValue(), TYPED);
});

test('a content script can neither read the stored accounts nor send any of the pages’ requests', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, { secret: newKey(), ...SECRET_HOLDER });
  const page = await ctx.newPage();
  await page.goto(fixtures.url(...VERIFY));
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
    `Promise.all(${JSON.stringify(NAMED_REQUESTS)}.map((m) => chrome.runtime.sendMessage(m)))`,
  );
  assert.ok('value' in replies, JSON.stringify(replies));
  for (const reply of /** @type {Array<{ok: boolean, error?: string}>} */ (replies.value)) {
    assert.deepEqual(reply, PAGES_ONLY);
  }
  // Every request of the pages' protocol, by name (tsc makes this list follow PageRequests), is
  // refused from a content script, whatever its fields.
  const everyName = Object.keys(PAGE_REQUESTS);
  const all = await inContentScript(
    ctx,
    page,
    `Promise.all(${JSON.stringify(everyName.map(everyRequest))}.map((m) => chrome.runtime.sendMessage(m)))`,
  );
  assert.ok('value' in all, JSON.stringify(all));
  /** @type {Array<{ok: boolean, error?: string}>} */ (all.value).forEach((reply, i) => {
    assert.deepEqual(reply, PAGES_ONLY, everyName[i]);
  });
  // The other way round: a content request from one of Latchkey's pages is no frame's report, and a
  // name outside the protocol is nobody's.
  const fromPage = await popup.evaluate((m) => chrome.runtime.sendMessage(m), FROM_PAGE);
  assert.deepEqual(fromPage, FROM_PAGE_ANSWER);
  const unknown = await inContentScript(ctx, page, `chrome.runtime.sendMessage(${JSON.stringify(UNKNOWN)})`);
  assert.deepEqual(unknown, { value: UNKNOWN_ANSWER });
  await popup.reload();
  assert.deepEqual(
    await popup.locator('li.account .name').allTextContents(),
    [SECRET_HOLDER.name],
    'nothing was added',
  );
});
