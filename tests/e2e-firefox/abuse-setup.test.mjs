// @ts-check
// A page that claims to be a two-factor setup step (it shows a key, an otpauth:// link, and asks for
// "the first code") gets nothing, in Firefox with the built package: Chromium's
// tests/e2e/abuse-setup.test.mjs, its pages and answers from tests/e2e/cases/abuse-setup.mjs. Not
// the code of an account saved for its site, and not the first code of a key the person just saved
// from a setup page in the same tab on another site. The key it shows is only a suggestion in
// Latchkey's popup: saving it adds an account, it replaces none.
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
} from '../e2e/cases/abuse-setup.mjs';
import { startFixtures } from '../e2e/harness.mjs';
import { addThroughPopup, filledOtpIn, launchFirefox, openPopup, staysEmptyIn, waitIn } from './firefox.mjs';

test('Firefox: a page claiming a setup step gets no saved account’s code; its key replaces nothing', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t);
  await openPopup(ff);
  const saved = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(ff, { secret: saved, ...SAVED });

  // The same site's ordinary code step fills (the account works).
  await ff.newTab();
  await ff.go(fixtures.url(...SHOP_VERIFY));
  await filledOtpIn(ff);

  // A page of that site claiming a setup step: nothing.
  const claim = await ff.newTab();
  const claimUrl = fixtures.url(...SHOP_CLAIM);
  await ff.go(claimUrl);
  await staysEmptyIn(ff, QUIET_MS, 'a saved account’s code on a page claiming a setup step', {
    fields: '#code',
    waitMayBegin: true,
  });

  // Its key is offered in the popup only, and saving it adds an account beside the saved one.
  await openPopup(ff, claimUrl);
  await ff.press('Save the new key');
  const suggested = await waitIn(
    ff,
    () => /** @type {HTMLInputElement | null} */ (document.querySelector('#secret'))?.value,
    'the suggested key in Secret Key',
  );
  assert.match(suggested, OFFERED_KEY);
  await ff.click('#add-key-form button[type=submit]');
  await waitIn(ff, () => document.querySelector('#add-confirm-form')?.checkVisibility(), 'Name and Site');
  await ff.click('#add-confirm-form button[type=submit]');
  await waitIn(ff, () => document.querySelectorAll('li.account').length === 2, 'two accounts');
  const names = await ff.run(() => [...document.querySelectorAll('li.account .name')].map((n) => n.textContent));
  assert.deepEqual(names.sort(), NAMES_AFTER, 'the saved account is still there, beside the new one');

  // The new key's first code goes to the page it was saved from.
  await ff.switchTo(claim);
  await waitIn(
    ff,
    () => /^\d{6}$/.test(/** @type {HTMLInputElement | null} */ (document.querySelector('#code'))?.value ?? ''),
    'the new key’s first code in #code',
  );

  // The same tab moves to another site that claims a setup step: the key saved in this tab is not
  // for that site, and no saved account is: nothing.
  await ff.go(fixtures.url(...EVIL_CLAIM));
  await staysEmptyIn(ff, QUIET_MS, 'a code on another site’s setup claim', { fields: '#code', waitMayBegin: true });
  // And a sign-in page there gets nothing either.
  await ff.go(fixtures.url(...EVIL_VERIFY));
  await staysEmptyIn(ff, LAST_QUIET_MS, 'a code on another site’s sign-in page', {
    fields: '#otp',
    waitMayBegin: true,
  });
});
