// @ts-check
// Tricks a page plays to get a code into a field the person cannot see, in Chromium with the built
// extension: none of them gets a code (tests/e2e/fixtures/abuse-fill.html, one trick per page),
// while real widgets whose fields are overlaid on purpose still fill
// (tests/e2e/fixtures/fill-overlays.html). The rule is the detector's (`isVisible`), applied when
// fields are found and again just before each write.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import {
  addThroughPopup,
  badgeOf,
  filledIn,
  launchBrowser,
  openPopup,
  referenceCodesBetween,
  startFixtures,
  waitFor,
} from './harness.mjs';
import {
  HIDE_ON_FOCUS,
  LATE_QUIET_MS,
  OVERLAYS,
  TRICKS,
  VANISH,
  fillButtonName,
  vanishNow,
} from './cases/abuse-fill.mjs';

/** @typedef {import('playwright-core').Page} Page */

const newKey = () => new OTPAuth.Secret({ size: 20 }).base32;

/** Every field of the page stays empty for `ms`. @param {Page} page @param {number} ms */
async function staysEmpty(page, ms) {
  const end = Date.now() + ms;
  do {
    const values = await page
      .locator('input')
      .evaluateAll((inputs) => inputs.map((i) => /** @type {HTMLInputElement} */ (i).value).join(''));
    assert.equal(values, '', `a code went into a hidden field on ${page.url()}`);
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < end);
}

// The same page without the trick fills.
test('no code goes into a field the person cannot see, whatever the trick', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  const secret = newKey();
  await addThroughPopup(popup, { secret, site: OVERLAYS.site });

  /** @type {Array<[string, Page]>} */
  const pages = [];
  for (const trick of Object.keys(TRICKS)) {
    const page = await ctx.newPage();
    await page.goto(fixtures.url('fixtures', `abuse-fill.html?trick=${trick}`));
    pages.push([trick, page]);
  }
  // The page without a trick fills, so the extension was at work on the others meanwhile.
  const plain = await ctx.newPage();
  const before = Date.now();
  await plain.goto(fixtures.url('fixtures', 'abuse-fill.html?trick=none'));
  const code = await filledIn(plain.locator('#otp'));
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));
  for (const [trick, page] of pages) {
    await t.test(TRICKS[/** @type {keyof typeof TRICKS} */ (trick)], async () => {
      await staysEmpty(page, 300);
      assert.equal(await badgeOf(ctx, page), '', `${trick}: no code field was reported`);
    });
  }
});

// Made invisible later with no DOM change, or as it takes focus.
test('a field made invisible between detection and fill gets nothing', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  // Two accounts for the site: nothing fills by itself; the person picks one in the popup later.
  const first = newKey();
  const [firstName, secondName] = VANISH.accounts;
  await addThroughPopup(popup, { secret: first, site: VANISH.site, name: firstName });
  await addThroughPopup(popup, { secret: newKey(), site: VANISH.site, name: secondName });

  const page = await ctx.newPage();
  await page.goto(fixtures.url(VANISH.host, `abuse-fill.html?trick=${VANISH.trick}`));
  await waitFor(
    async () => (await badgeOf(ctx, page)) === VANISH.badge,
    'the field found while visible, two accounts matching',
  );
  await page.evaluate(vanishNow);
  await page.waitForFunction(
    (opacity) => getComputedStyle(/** @type {Element} */ (document.getElementById('otp'))).opacity === opacity,
    VANISH.opacity,
  );
  const chooser = await openPopup(ctx, page);
  await chooser
    .getByRole('region', { name: 'On this page' })
    .getByRole('button', { name: fillButtonName(firstName) })
    .click();
  await staysEmpty(page, LATE_QUIET_MS);

  // Control: the same page without the trick fills when the person picks the account.
  const plain = await ctx.newPage();
  await plain.goto(fixtures.url(VANISH.host, 'abuse-fill.html?trick=none'));
  await waitFor(async () => (await badgeOf(ctx, plain)) === VANISH.badge, 'two accounts matching');
  const picker = await openPopup(ctx, plain);
  const before = Date.now();
  await picker
    .getByRole('region', { name: 'On this page' })
    .getByRole('button', { name: fillButtonName(firstName) })
    .click();
  const code = await filledIn(plain.locator('#otp'));
  assert.ok(referenceCodesBetween(first, before, Date.now()).includes(code));

  // Six boxes that turn transparent as the fill focuses the first one: the fill stops there.
  const single = await openPopup(ctx);
  await addThroughPopup(single, { secret: newKey(), site: HIDE_ON_FOCUS.site });
  const boxes = await ctx.newPage();
  await boxes.goto(fixtures.url(HIDE_ON_FOCUS.host, `abuse-fill.html?trick=${HIDE_ON_FOCUS.trick}`));
  await boxes.waitForFunction(
    (opacity) => /** @type {HTMLElement} */ (document.querySelector('.boxes')).style.opacity === opacity,
    HIDE_ON_FOCUS.opacity,
    { timeout: 30_000 },
  );
  await staysEmpty(boxes, LATE_QUIET_MS);
});

// A floating label, a placeholder, boxes drawn under a transparent input, a cookie banner once dismissed.
test('real widgets with something laid over their field still fill', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  const secret = newKey();
  await addThroughPopup(popup, { secret, site: OVERLAYS.site });
  for (const widget of OVERLAYS.widgets) {
    const page = await ctx.newPage();
    const before = Date.now();
    await page.goto(fixtures.url('fixtures', `fill-overlays.html?widget=${widget}`));
    const code = await filledIn(page.locator('#otp'));
    assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code), widget);
  }
  // Under the banner the field is not filled; accepting removes the banner (no change to the field
  // or its ancestors), and the field is filled then.
  const page = await ctx.newPage();
  await page.goto(fixtures.url('fixtures', `fill-overlays.html?widget=${OVERLAYS.banner}`));
  await staysEmpty(page, OVERLAYS.quietMs);
  const before = Date.now();
  await page.getByRole('button', { name: OVERLAYS.accept }).click();
  const code = await filledIn(page.locator('#otp'));
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));
});
