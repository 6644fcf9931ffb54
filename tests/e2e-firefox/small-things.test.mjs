// @ts-check
// Small things people notice, in Firefox (Chromium's small-things.test.mjs and the badge of
// policy.test.mjs; what is typed and what must be seen comes from tests/e2e/cases/small-things.mjs):
// the toolbar badge of a page with a code field, a grey dot with no account and the count once one
// is saved (which fills the page); a key pasted into Add account survives the popup closing, Done
// and Cancel clear it; Copy says "Copied"; a locked popup is the lock screen only; Remove asks
// first, says what it did and what is left to do at the app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import {
  BADGE,
  COPY_SITE,
  DRAFT,
  KEY,
  LOCKED,
  NO_ACCOUNT_SENTENCE,
  REMOVE,
  SAVE_CODE_HEADING,
} from '../e2e/cases/small-things.mjs';
import { referenceCodesBetween, startFixtures, waitFor } from '../e2e/harness.mjs';
import { ALICE, PIN, startWorkspace } from '../e2e/workspace.mjs';
import { addThroughPopup, BASE, launchFirefox, openPopup, waitIn } from './firefox.mjs';
import { joinWithKit } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * The badge Latchkey shows for the tab showing `url`, read from one of its pages (the current tab).
 * @param {Firefox} ff @param {string} url @returns {Promise<string>}
 */
const badgeFor = (ff, url) =>
  ff.run(async (/** @type {string} */ u) => {
    const tab = (await chrome.tabs.query({})).find((t) => t.url === u);
    return tab?.id === undefined ? '' : chrome.action.getBadgeText({ tabId: tab.id });
  }, url);

/** Whether the element `css` of the current page shows. @param {Firefox} ff @param {string} css */
const shows = (ff, css) => ff.run((c) => Boolean(document.querySelector(c)?.checkVisibility()), css);

/** The text of the element `css` of the current page. @param {Firefox} ff @param {string} css */
const textOf = (ff, css) => ff.run((c) => document.querySelector(c)?.textContent ?? '', css);

/** What the popup keeps of Add account, read from the current tab (one of Latchkey's pages). @param {Firefox} ff */
const draft = (ff) => ff.run(async () => (await chrome.storage.session.get('addDraft')).addDraft ?? null);

/** Waits until the element `css` of the current page shows. @param {Firefox} ff @param {string} css */
const shown = (ff, css) => waitIn(ff, (c) => document.querySelector(c)?.checkVisibility(), `${css} to show`, css);

test('Firefox: the badge: a grey dot for a code field with no account, then the count once one is saved', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  const extensionPage = await openPopup(ff);
  const page = fixtures.url('fixtures', 'verify.html');
  const tab = await ff.newTab();
  await ff.go(page);
  await ff.switchTo(extensionPage);
  await waitFor(async () => (await badgeFor(ff, page)) === BADGE.noAccount, 'the grey badge: a field, no account');
  const popup = await openPopup(ff, page);
  await waitIn(
    ff,
    (s) =>
      [...document.querySelectorAll('p, li, span')].some((e) => e.textContent?.trim() === s && e.checkVisibility()),
    'On this page: no account for the site',
    NO_ACCOUNT_SENTENCE,
  );
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  const before = Date.now();
  await addThroughPopup(ff, { secret, site: 'fixtures.localhost' });
  await ff.switchTo(tab);
  const code = await waitIn(
    ff,
    () => {
      const v = /** @type {HTMLInputElement} */ (document.querySelector('#otp')).value;
      return /^\d{6}$/.test(v) ? v : null;
    },
    'the page filled',
  );
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code}`);
  await ff.switchTo(popup);
  await waitFor(async () => (await badgeFor(ff, page)) === BADGE.oneAccount, 'the badge to count the new account');
});

test('Firefox: a key pasted into Add account survives the popup closing; Done and Cancel clear it', async (t) => {
  const ff = await launchFirefox(t);
  let popup = await openPopup(ff);
  await ff.click('#add-open');
  await ff.type('#secret', KEY);
  await ff.closeTab(popup); // a click outside the popup closes it
  popup = await openPopup(ff);
  await shown(ff, '#secret');
  assert.equal(await ff.run(() => /** @type {HTMLTextAreaElement} */ (document.querySelector('#secret')).value), KEY);
  // On the Save Code step with a name typed: closed and opened again, it is still there.
  await ff.click('#add-key-form button[type=submit]');
  await shown(ff, '#add-site');
  await ff.type('#add-name', DRAFT.name);
  await ff.type('#add-site', DRAFT.site);
  await ff.closeTab(popup);
  popup = await openPopup(ff);
  await waitIn(
    ff,
    (h) =>
      document.querySelector('#confirm-title')?.checkVisibility() &&
      document.querySelector('#confirm-title')?.textContent === h,
    'the Save Code step',
    SAVE_CODE_HEADING,
  );
  const typed = await ff.run(() =>
    ['#add-name', '#add-site'].map((c) => /** @type {HTMLInputElement} */ (document.querySelector(c)).value),
  );
  assert.deepEqual(typed, [DRAFT.name, DRAFT.site]);
  await ff.click('#add-confirm-form button[type=submit]');
  const listed = (/** @type {string} */ name) =>
    waitIn(
      ff,
      (n) =>
        [...document.querySelectorAll('li.account')].some((li) => li.textContent?.includes(n) && li.checkVisibility()),
      `${name} in the list`,
      name,
    );
  await listed(DRAFT.name);
  assert.equal(await draft(ff), null, 'Done left the draft');
  // Cancel clears it too.
  await ff.click('#add-open');
  await ff.type('#secret', KEY);
  await waitFor(() => draft(ff), 'the draft kept');
  await ff.click('#add-key-form [data-action=cancel]');
  await listed(DRAFT.name);
  assert.equal(await draft(ff), null, 'Cancel left the draft');
  await ff.closeTab(popup);
  await openPopup(ff);
  assert.ok(await shows(ff, '#view-list'), 'the popup opens on the list again');
});

test('Firefox: Copy buttons say “Copied”', async (t) => {
  const ff = await launchFirefox(t);
  await openPopup(ff);
  await addThroughPopup(ff, { secret: KEY, site: COPY_SITE });
  // Once the code shows ("Copy code 123 456 for …"): before, there is nothing to copy.
  await waitIn(
    ff,
    () =>
      /^Copy code \d{3} \d{3} for /.test(
        document.querySelector('li.account .code-button')?.getAttribute('aria-label') ?? '',
      ),
    'the code to copy',
  );
  // "Copied" is there all along at opacity 0 and fades in for a moment once the code is copied:
  // noted when its fade-in ends (a poll could miss the moment, and opacity 0 counts as visible).
  await ff.run(() => {
    const label = /** @type {HTMLElement} */ (document.querySelector('li.account .copied'));
    label.addEventListener('transitionend', () => {
      if (getComputedStyle(label).opacity === '1') document.documentElement.dataset.shown = label.textContent ?? '';
    });
  });
  await ff.click('li.account .code-button');
  const said = await waitIn(ff, () => document.documentElement.dataset.shown, '“Copied” to fade in');
  assert.equal(said.trim(), 'Copied');
});

test('Firefox: a locked popup shows the lock screen only; Unlock asks for the PIN, the list is back', async (t) => {
  const ws = await startWorkspace(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  await openPopup(ff);
  await ff.press('Lock');
  await waitIn(
    ff,
    (s) =>
      document.querySelector('#ws-banner')?.checkVisibility() && document.querySelector('#ws-title')?.textContent === s,
    'the lock screen',
    LOCKED.title,
  );
  assert.match(await textOf(ff, '#ws-text'), LOCKED.text);
  for (const hidden of LOCKED.hidden) assert.equal(await shows(ff, hidden), false, `${hidden} shows on a locked popup`);
  await ff.type('#ws-pin', PIN);
  await ff.press('Unlock');
  await shown(ff, 'li.account');
  assert.ok(await shows(ff, '#add-open'));
});

test('Firefox: Remove asks first, says what it did, and suggests a new password and MFA key at the app', async (t) => {
  const ws = await startWorkspace(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  await ff.openExtensionPage(`${BASE}extension/dashboard/dashboard.html`);
  const remove = `button[aria-label^="${REMOVE.button}"]`;
  await shown(ff, remove);
  // Cancel: nothing happens.
  await ff.click(remove);
  await shown(ff, '#confirm-remove');
  assert.match(await textOf(ff, '#remove-title'), REMOVE.heading);
  assert.match(await textOf(ff, '#confirm-remove'), REMOVE.asked);
  await ff.click('#confirm-remove button[value=cancel]');
  await waitIn(ff, () => !document.querySelector('#confirm-remove')?.hasAttribute('open'), 'the dialog closed');
  assert.ok(await shows(ff, remove), 'Cancel removed the member');
  assert.equal(await shows(ff, '#sharing-done'), false, 'Cancel said something was done');
  // Remove: done, and what is left to do.
  await ff.click(remove);
  await shown(ff, '#confirm-remove');
  await ff.click('#confirm-remove button[value=remove]');
  await waitIn(
    ff,
    (d) =>
      document.querySelector('#sharing-done')?.checkVisibility() &&
      new RegExp(d).test(document.querySelector('#sharing-done')?.textContent ?? ''),
    'Removed …',
    REMOVE.done.source,
  );
  const said = await textOf(ff, '#sharing-done');
  for (const left of REMOVE.leftToDo) assert.match(said, left);
  await waitIn(ff, (c) => !document.querySelector(c), 'the member gone from the list', remove);
});
