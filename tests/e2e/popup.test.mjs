// @ts-check
// The popup, driven as a person would: add an account (Secret Key → Save Code → Done), errors,
// edit, delete with confirmation, search, copy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { addThroughPopup, launchBrowser, openPopup, referenceCodesBetween, screenshot, shownCode } from './harness.mjs';

/** A random 160-bit key in base32, grouped and lower-cased the way people paste keys. */
function pastedKey() {
  const base32 = new OTPAuth.Secret({ size: 20 }).base32;
  return {
    base32,
    pasted: base32
      .toLowerCase()
      .replace(/(.{4})/g, '$1 ')
      .trim(),
  };
}

test('adding an account: Save Code shows the reference code, Done lists it with its code', async (t) => {
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await popup.getByRole('heading', { name: 'No accounts yet' }).waitFor();

  const { base32 } = pastedKey();
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup
    .getByRole('textbox', { name: 'Secret Key', exact: true })
    .fill(`otpauth://totp/Northwind%20Cloud:ops@brand.example?secret=${base32}&issuer=Northwind%20Cloud`);
  let from = Date.now();
  await popup.getByRole('button', { name: 'Save Code' }).click();
  const shown = await shownCode(popup);
  assert.ok(referenceCodesBetween(base32, from, Date.now()).includes(shown), `Save Code showed ${shown}`);
  assert.match((await popup.locator('#preview-code').textContent()) ?? '', /^\d{3} \d{3}$/, 'grouped digits');
  await assert.doesNotReject(popup.locator('#preview-details', { hasText: 'ops@brand.example' }).waitFor());
  assert.equal(
    await popup.getByRole('textbox', { name: 'Name', exact: true }).inputValue(),
    'Northwind Cloud',
    'name defaults to the issuer',
  );
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill('northwind.example');
  await screenshot(popup, 'popup-add-save-code');
  await popup.getByRole('button', { name: 'Done' }).click();

  const card = popup.locator('li.account', { hasText: 'Northwind Cloud' });
  await card.waitFor();
  assert.match((await card.locator('.meta').textContent()) ?? '', /ops@brand\.example · northwind\.example/);
  from = Date.now();
  const listed = ((await card.locator('.digits').filter({ hasText: /\d/ }).textContent()) ?? '').replace(/\s/g, '');
  assert.ok(referenceCodesBetween(base32, from - 1000, Date.now()).includes(listed), `the list shows ${listed}`);

  // A pasted bare key (spaces, lower case) works too; name defaults to the site without an issuer.
  const other = pastedKey();
  await addThroughPopup(popup, { secret: other.pasted, site: 'https://console.aws.amazon.com/iam' });
  await popup.locator('li.account .name', { hasText: /^console\.aws\.amazon\.com$/ }).waitFor();
  await addThroughPopup(popup, {
    secret: `otpauth://totp/Instagram:brand?secret=${pastedKey().base32}&issuer=Instagram`,
    site: 'instagram.com',
  });
  await popup.locator('li.account', { hasText: 'Instagram' }).waitFor();
  assert.equal(await popup.locator('li.account').count(), 3);
  await popup.waitForTimeout(1100); // one tick, so every ring shows its seconds
  await screenshot(popup, 'popup-list');

  // Copy on click, with a confirmation.
  await card.locator('.code-button').click();
  await card.locator('.code-button.is-copied').waitFor();
  await popup.locator('#announcer', { hasText: 'Code for Northwind Cloud copied.' }).waitFor();
});

test('a bad key shows the core’s sentence and saves nothing', async (t) => {
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await popup.getByRole('button', { name: 'Add account', exact: true }).click();
  await popup.getByRole('textbox', { name: 'Secret Key', exact: true }).fill('JBSWY3DPEHPK3PX1');
  await popup.getByRole('button', { name: 'Save Code' }).click();
  const error = popup.locator('#secret-error');
  await error.waitFor();
  assert.equal(
    await error.textContent(),
    "the secret key has '1' at position 16: a key uses only letters A-Z and digits 2-7",
  );
  assert.equal(
    await popup.getByRole('textbox', { name: 'Secret Key', exact: true }).getAttribute('aria-invalid'),
    'true',
  );
  // Counter-based keys are refused: their codes would never change.
  await popup
    .getByRole('textbox', { name: 'Secret Key', exact: true })
    .fill('otpauth://hotp/Old:me?secret=JBSWY3DPEHPK3PXP&counter=3');
  await popup.getByRole('button', { name: 'Save Code' }).click();
  await popup.locator('#secret-error', { hasText: 'counter-based (HOTP)' }).waitFor();
  // Typing clears the error; an empty site is refused at Done with a sentence too.
  await popup.getByRole('textbox', { name: 'Secret Key', exact: true }).fill('JBSWY3DPEHPK3PXP');
  assert.equal(await error.isHidden(), true);
  await popup.getByRole('button', { name: 'Save Code' }).click();
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill('');
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('#add-site-error', { hasText: 'Enter the site where you sign in' }).waitFor();
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill('exa mple.com');
  await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('#add-site-error', { hasText: 'is not a host name' }).waitFor();
  await popup.keyboard.press('Escape');
  await popup.getByRole('heading', { name: 'No accounts yet' }).waitFor();
});

test('editing the name and site; deleting asks for confirmation that names the account', async (t) => {
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, { secret: pastedKey().pasted, name: 'Vendor portal', site: 'vendor.example' });

  await popup.getByRole('button', { name: 'Edit Vendor portal' }).click();
  await popup.getByRole('textbox', { name: 'Name', exact: true }).fill('Vendor portal (finance)');
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill('nonsense site!');
  await popup.getByRole('button', { name: 'Save', exact: true }).click();
  await popup.locator('#edit-error', { hasText: 'is not a host name' }).waitFor();
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill('https://Login.Vendor.example:8443/sso?next=/');
  await popup.getByRole('button', { name: 'Save', exact: true }).click();
  const card = popup.locator('li.account', { hasText: 'Vendor portal (finance)' });
  await card.waitFor();
  assert.equal(await card.locator('.meta').textContent(), 'login.vendor.example');

  // International names are stored in their xn-- form.
  await popup.getByRole('button', { name: 'Edit Vendor portal (finance)' }).click();
  await popup.getByRole('textbox', { name: 'Site', exact: true }).fill('bücher.example');
  await popup.getByRole('button', { name: 'Save', exact: true }).click();
  await popup.locator('li.account .meta', { hasText: 'xn--bcher-kva.example' }).waitFor();

  await popup.getByRole('button', { name: 'Edit Vendor portal (finance)' }).click();
  await popup.getByRole('button', { name: 'Delete account…' }).click();
  const dialog = popup.getByRole('dialog');
  await dialog.getByRole('heading', { name: 'Delete “Vendor portal (finance)”?' }).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await popup.getByRole('button', { name: 'Delete account…' }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await popup.getByRole('heading', { name: 'No accounts yet' }).waitFor();
  assert.equal(await popup.locator('li.account').count(), 0);
});

test('a search box appears above five accounts and filters by name, issuer and site', async (t) => {
  const ctx = await launchBrowser(t);
  const popup = await openPopup(ctx);
  // Five quick adds straight to the worker (the popup page may send them); the sixth as a person.
  for (const name of ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']) {
    const secret = pastedKey().base32;
    const reply = await popup.evaluate((m) => chrome.runtime.sendMessage(m), {
      type: 'add',
      secret,
      name,
      site: `${name.toLowerCase()}.example`,
    });
    assert.equal(reply.ok, true);
  }
  await popup.reload();
  await popup.locator('li.account').nth(4).waitFor();
  assert.equal(await popup.getByRole('searchbox').isHidden(), true, 'no search with five accounts');
  await addThroughPopup(popup, { secret: pastedKey().pasted, name: 'Foxtrot', site: 'foxtrot.example' });
  const search = popup.getByRole('searchbox', { name: 'Search accounts' });
  await search.waitFor();
  await search.fill('charlie.ex');
  assert.deepEqual(await popup.locator('li.account:visible .name').allTextContents(), ['Charlie']);
  await search.fill('zulu');
  await popup.locator('#no-results', { hasText: 'No account matches “zulu”.' }).waitFor();
});
