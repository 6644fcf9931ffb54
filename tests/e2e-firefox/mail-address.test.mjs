// @ts-check
// The account's managed e-mail address on the dashboard, as its owner sees it, in Firefox with the
// built package and a real server: Chromium's tests/e2e/mail-address.test.mjs, its words from
// tests/e2e/cases/mail.mjs. The address the demo seed gave, and after it is released, Create email
// address with its dialog (the proposed address shown before anything is created, Create Email
// Address only after the confirmation, Cancel creating nothing).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADDRESS } from '../e2e/cases/mail.mjs';
import { waitFor } from '../e2e/harness.mjs';
import { api } from '../e2e/workspace.mjs';
import { says, waitIn } from './firefox.mjs';
import { DASHBOARD, mailWorkspaceIn } from './messages.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

test('Firefox dashboard: Email Address Linked to Account, and Create email address with its dialog', async (t) => {
  const { ws, ff, token, team, address } = await mailWorkspaceIn(t);
  await ff.openExtensionPage(DASHBOARD);
  const item = `li[data-account-id="${team.id}"]`;
  const shown = `${item} output[aria-label=${JSON.stringify(`E-mail address of ${team.name}`)}]`;
  /** The address the account's item shows, once it shows `want`. @param {string} want */
  const showsAddress = (want) =>
    waitIn(ff, (c, w) => document.querySelector(c)?.textContent === w, `the address ${want}`, shown, want);
  await says(ff, item, ADDRESS.title);
  await showsAddress(address);

  // Released, the owner is offered the address again (only this account may take it back).
  await api(ws.server, token, 'DELETE', `/accounts/${team.id}/email-address`);
  await ff.run(() => location.reload());
  await ff.clickIn(item, ADDRESS.create);
  await says(ff, '#address-dialog-address', address);
  assert.equal(
    await ff.run(() => /** @type {HTMLButtonElement} */ (document.getElementById('address-create')).disabled),
    true,
  );
  // Cancel creates nothing.
  await ff.click('#address-dialog button[value=cancel]');
  assert.equal((await api(ws.server, token, 'GET', `/accounts/${team.id}/email-address`)).address, null);

  await ff.clickIn(item, ADDRESS.create);
  await says(ff, '#address-confirm-label', ADDRESS.confirm(team.name));
  await ff.click('#address-confirm');
  await ff.screenshot('firefox-mail-create-email-address-dialog');
  await ff.click('#address-create');
  await waitFor(
    async () => (await api(ws.server, token, 'GET', `/accounts/${team.id}/email-address`)).address === address,
    'the address created on Create Email Address',
  );
  await showsAddress(address);
  await says(ff, item, ADDRESS.fills);
});
