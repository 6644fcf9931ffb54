// @ts-check
// The popup in Firefox, driven as a person would: the core (wasm) answers in the extension page
// and the event page, Save Code shows the reference code, Done lists the account with its code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { referenceCodesBetween } from '../e2e/harness.mjs';
import { addThroughPopup, launchFirefox, openPopup, waitIn } from './firefox.mjs';

test('Firefox: adding an account in the popup shows the reference code and lists it with its code', async (t) => {
  const ff = await launchFirefox(t);
  await openPopup(ff);
  await waitIn(ff, () => !document.querySelector('#empty')?.hasAttribute('hidden'), 'the empty list');

  const base32 = new OTPAuth.Secret({ size: 20 }).base32;
  const from = Date.now();
  const shown = await addThroughPopup(ff, {
    secret: `otpauth://totp/Northwind%20Cloud:ops@brand.example?secret=${base32}&issuer=Northwind%20Cloud`,
    site: 'northwind.example',
  });
  assert.ok(referenceCodesBetween(base32, from, Date.now()).includes(shown), `Save Code showed ${shown}`);
  const listed = await waitIn(
    ff,
    () => {
      const card = [...document.querySelectorAll('li.account')].find((li) =>
        /Northwind Cloud/.test(li.textContent ?? ''),
      );
      const digits = (card?.querySelector('.digits')?.textContent ?? '').replace(/\s/g, '');
      return /^\d{6}$/.test(digits) ? { digits, meta: card?.querySelector('.meta')?.textContent ?? '' } : null;
    },
    'the listed account’s code',
  );
  assert.ok(referenceCodesBetween(base32, from, Date.now()).includes(listed.digits), `the list shows ${listed.digits}`);
  assert.match(listed.meta, /ops@brand\.example · northwind\.example/);
  await ff.screenshot('firefox-popup-list');
});
