// @ts-check
// A page that claims to be a two-factor setup step (it shows a key, an otpauth:// link, and asks for
// "the first code") gets nothing, in Chromium with the built extension: not the code of an account
// saved for its site (Latchkey filled it there before issue 16), and not the first code of a key
// the person just saved from a setup page in the same tab on another site. The key it shows is
// only a suggestion in Latchkey's popup: saving it adds an account, it replaces none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import {
  EVIL_CLAIM,
  EVIL_VERIFY,
  LAST_QUIET_MS,
  NAMES_AFTER,
  OFFERED_KEY,
  QUIET_MS,
  SAVED,
  SHOP_CLAIM,
  SHOP_VERIFY,
} from './cases/abuse-setup.mjs';
import { addThroughPopup, filledIn, launchBrowser, openPopup, startFixtures, waitFor } from './harness.mjs';

/** The field stays empty for `ms`. @param {import('playwright-core').Locator} field @param {number} ms */
async function staysEmpty(field, ms) {
  const end = Date.now() + ms;
  do {
    assert.equal(await field.inputValue(), '', 'a code was filled');
    await new Promise((r) => setTimeout(r, 150));
  } while (Date.now() < end);
}

test('a page claiming to be a setup step gets no saved account’s code, and its key replaces nothing', async (t) => {
  const fixtures = await startFixtures(t);
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  const saved = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(popup, { secret: saved, ...SAVED });

  // The same site's ordinary code step fills (the account works).
  const verify = await ctx.newPage();
  await verify.goto(fixtures.url(...SHOP_VERIFY));
  await filledIn(verify.locator('#otp'));

  // A page of that site claiming a setup step: nothing.
  const claim = await ctx.newPage();
  await claim.goto(fixtures.url(...SHOP_CLAIM));
  await staysEmpty(claim.locator('#code'), QUIET_MS);

  // Its key is offered in the popup only, and saving it adds an account beside the saved one.
  const offer = await openPopup(ctx, claim);
  await offer.getByRole('button', { name: 'Save the new key' }).click();
  const suggested = await offer.getByRole('textbox', { name: 'Secret Key', exact: true }).inputValue();
  assert.match(suggested, OFFERED_KEY);
  await offer.getByRole('button', { name: 'Save Code' }).click();
  await offer.getByRole('button', { name: 'Done' }).click();
  await waitFor(async () => (await offer.locator('li.account').count()) === 2, 'two accounts');
  const names = await offer.locator('li.account .name').allTextContents();
  assert.deepEqual(names.sort(), NAMES_AFTER, 'the saved account is still there, beside the new one');
  // The new key's first code goes to the page it was saved from.
  await filledIn(claim.locator('#code'));

  // The same tab moves to another site that claims a setup step: the key saved in this tab is not
  // for that site, and no saved account is: nothing.
  await claim.goto(fixtures.url(...EVIL_CLAIM));
  await staysEmpty(claim.locator('#code'), QUIET_MS);
  // And a sign-in page there gets nothing either.
  await claim.goto(fixtures.url(...EVIL_VERIFY));
  await staysEmpty(claim.locator('#otp'), LAST_QUIET_MS);
});
