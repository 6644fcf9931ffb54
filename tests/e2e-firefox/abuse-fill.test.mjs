// @ts-check
// Tricks a page plays to get a code into a field the person cannot see, in Firefox with the built
// package: the Chromium suite's tricks (tests/e2e/cases/abuse-fill.mjs, one per page of
// tests/e2e/fixtures/abuse-fill.html) get no code and no badge, while the same page without a trick
// fills; and a field made invisible between detection and the fill (the person picks the account
// in the popup's "On this page" after the field vanished) gets nothing; and real widgets with
// something laid over their field on purpose still fill. The rule is the detector's
// (`isVisible`), applied when fields are found and again just before each write; its checks lean
// on each browser's layout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import {
  HIDE_ON_FOCUS,
  LATE_QUIET_MS,
  OVERLAYS,
  TRICKS,
  VANISH,
  fillButtonName,
  vanishNow,
} from '../e2e/cases/abuse-fill.mjs';
import { referenceCodesBetween, startFixtures } from '../e2e/harness.mjs';
import {
  addThroughPopup,
  filledOtpIn,
  launchFirefox,
  openPopup,
  staysEmptyIn,
  waitForBadge,
  waitIn,
} from './firefox.mjs';

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

/**
 * Clicks Fill for the account `name` in the popup's "On this page" (the current tab, a popup
 * about the tab to fill). @param {Firefox} ff @param {string} name
 */
async function fillFromPopup(ff, name) {
  const css = `#on-page button[aria-label="${fillButtonName(name)}"]`;
  await waitIn(ff, (c) => document.querySelector(c)?.checkVisibility(), `“${fillButtonName(name)}” on this page`, css);
  await ff.click(css);
}

test('Firefox: a field made invisible between detection and fill gets nothing', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  const popup = await openPopup(ff);
  // Two accounts for the site: nothing fills by itself; the person picks one in the popup later.
  const first = new OTPAuth.Secret({ size: 20 }).base32;
  const [firstName, secondName] = VANISH.accounts;
  await addThroughPopup(ff, { secret: first, site: VANISH.site, name: firstName });
  await addThroughPopup(ff, { secret: new OTPAuth.Secret({ size: 20 }).base32, site: VANISH.site, name: secondName });

  const page = await ff.newTab();
  const url = fixtures.url(VANISH.host, `abuse-fill.html?trick=${VANISH.trick}`);
  await ff.go(url);
  await waitForBadge(ff, { from: popup, back: page, url, text: VANISH.badge, what: 'two accounts matching' });
  await ff.run(vanishNow);
  await waitIn(
    ff,
    (opacity) => getComputedStyle(/** @type {Element} */ (document.getElementById('otp'))).opacity === opacity,
    'the field vanished',
    VANISH.opacity,
  );
  await openPopup(ff, url);
  await fillFromPopup(ff, firstName);
  await ff.switchTo(page);
  await staysEmptyIn(ff, LATE_QUIET_MS, 'the field that vanished');

  // Control: the same page without the trick fills when the person picks the account.
  const plain = await ff.newTab();
  const plainUrl = fixtures.url(VANISH.host, 'abuse-fill.html?trick=none');
  await ff.go(plainUrl);
  await waitForBadge(ff, {
    from: popup,
    back: plain,
    url: plainUrl,
    text: VANISH.badge,
    what: 'two accounts matching',
  });
  await openPopup(ff, plainUrl);
  const before = Date.now();
  await fillFromPopup(ff, firstName);
  await ff.switchTo(plain);
  const code = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(first, before, Date.now()).includes(code), code);

  // Six boxes that turn transparent as the fill focuses the first one: the fill stops there.
  await openPopup(ff);
  await addThroughPopup(ff, { secret: new OTPAuth.Secret({ size: 20 }).base32, site: HIDE_ON_FOCUS.site });
  await ff.newTab();
  await ff.go(fixtures.url(HIDE_ON_FOCUS.host, `abuse-fill.html?trick=${HIDE_ON_FOCUS.trick}`));
  await waitIn(
    ff,
    (opacity) => /** @type {HTMLElement} */ (document.querySelector('.boxes')).style.opacity === opacity,
    'the boxes vanished as the fill focused them',
    HIDE_ON_FOCUS.opacity,
  );
  await staysEmptyIn(ff, LATE_QUIET_MS, 'the boxes that vanished');
});

// A floating label, a placeholder, boxes drawn under a transparent input, a cookie banner once dismissed.
test('Firefox: real widgets with something laid over their field still fill', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  await openPopup(ff);
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(ff, { secret, site: OVERLAYS.site });
  for (const widget of OVERLAYS.widgets) {
    await ff.newTab();
    const before = Date.now();
    await ff.go(fixtures.url('fixtures', `fill-overlays.html?widget=${widget}`));
    const code = await filledOtpIn(ff);
    assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), widget);
  }
  // Under the banner the field is not filled; accepting removes the banner (no change to the field
  // or its ancestors), and the field is filled then.
  await ff.newTab();
  await ff.go(fixtures.url('fixtures', `fill-overlays.html?widget=${OVERLAYS.banner}`));
  await staysEmptyIn(ff, OVERLAYS.quietMs, 'the field under the cookie banner');
  const before = Date.now();
  await ff.press(OVERLAYS.accept);
  const code = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));
});
