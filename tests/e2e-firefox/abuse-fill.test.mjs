// @ts-check
// Tricks a page plays to get a code into a field the person cannot see, in Firefox with the built
// package: the Chromium suite's tricks (tests/e2e/cases/abuse-fill.mjs, one per page of
// tests/e2e/fixtures/abuse-fill.html) get no code and no badge, while the same page without a trick
// fills. The rule is the detector's (`isVisible`), whose checks lean on each browser's layout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { TRICKS } from '../e2e/cases/abuse-fill.mjs';
import { referenceCodesBetween, startFixtures } from '../e2e/harness.mjs';
import { addThroughPopup, launchFirefox, openPopup, waitIn } from './firefox.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * The badge Latchkey shows on the tab showing `url`, read from the popup (the current tab).
 * @param {Firefox} ff @param {string} url
 */
const badgeOf = (ff, url) =>
  ff.run(async (/** @type {string} */ u) => {
    const tab = (await chrome.tabs.query({})).find((x) => x.url === u);
    if (tab?.id === undefined) throw new Error(`no tab shows ${u}`);
    return chrome.action.getBadgeText({ tabId: tab.id });
  }, url);

test('Firefox: no code goes into a field the person cannot see, whatever the trick', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  const popup = await openPopup(ff);
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(ff, { secret, site: 'fixtures.localhost' });

  /** @type {Array<[string, string, string]>} trick, its page's address, its tab */
  const pages = [];
  for (const trick of Object.keys(TRICKS)) {
    const tab = await ff.newTab();
    const url = fixtures.url('fixtures', `abuse-fill.html?trick=${trick}`);
    await ff.go(url);
    pages.push([trick, url, tab]);
  }
  // The page without a trick fills and gets its badge, so the extension was at work on the others.
  await ff.newTab();
  const plain = fixtures.url('fixtures', 'abuse-fill.html?trick=none');
  const before = Date.now();
  await ff.go(plain);
  const code = await waitIn(
    ff,
    () => {
      const v = /** @type {HTMLInputElement} */ (document.querySelector('#otp')).value;
      return /^\d{6}$/.test(v) ? v : null;
    },
    'the code in the page without a trick',
  );
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), `filled ${code}`);
  await ff.switchTo(popup);
  await waitIn(
    ff,
    async (/** @type {string} */ u) => {
      const tab = (await chrome.tabs.query({})).find((x) => x.url === u);
      return tab?.id !== undefined && (await chrome.action.getBadgeText({ tabId: tab.id })) !== '';
    },
    'a badge on the page without a trick',
    plain,
  );
  for (const [trick, url, tab] of pages) {
    await t.test(TRICKS[trick], async () => {
      await ff.switchTo(popup);
      assert.equal(await badgeOf(ff, url), '', `${trick}: no code field was reported`);
      await ff.switchTo(tab);
      const values = await ff.run(() =>
        [...document.querySelectorAll('input')].map((i) => /** @type {HTMLInputElement} */ (i).value).join(''),
      );
      assert.equal(values, '', `${trick}: a code went into a hidden field`);
    });
  }
});
