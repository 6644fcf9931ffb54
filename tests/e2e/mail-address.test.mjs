// @ts-check
/**
 * The account's managed e-mail address on the dashboard, as its owner sees it: the address the
 * demo seed gave, and after it is released, Create email address with its dialog (the proposed
 * address shown and copyable before anything is created, Create Email Address only after the
 * confirmation, Cancel creating nothing).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADDRESS } from './cases/mail.mjs';
import { screenshot, waitFor } from './harness.mjs';
import { mailWorkspace } from './mail-inbox.mjs';
import { DASHBOARD_URL, api } from './workspace.mjs';

test('dashboard: Email Address Linked to Account, and Create email address with its dialog', async (t) => {
  const { ws, ctx, token, team, address } = await mailWorkspace(t);
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 900, height: 1000 });
  await page.goto(DASHBOARD_URL);
  const item = () => page.locator(`li[data-account-id="${team.id}"]`);
  const shown = item().getByRole('status', { name: `E-mail address of ${team.name}` });
  await item().getByText(ADDRESS.title).waitFor({ timeout: 30_000 });
  await shown.waitFor();
  assert.equal(await shown.textContent(), address);

  // Released, the owner is offered the address again (only this account may take it back).
  await api(ws.server, token, 'DELETE', `/accounts/${team.id}/email-address`);
  await page.reload();
  const create = item().getByRole('button', { name: ADDRESS.create });
  await create.click();
  const dialog = page.getByRole('dialog', { name: 'Create email address' });
  await dialog.locator('#address-dialog-address', { hasText: address }).waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Create Email Address' }).isDisabled(), true);
  // Cancel creates nothing.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await api(ws.server, token, 'GET', `/accounts/${team.id}/email-address`)).address, null);

  await item().getByRole('button', { name: ADDRESS.create }).click();
  await dialog.getByRole('checkbox', { name: ADDRESS.confirm(team.name) }).check();
  await screenshot(page, 'mail-create-email-address-dialog');
  await dialog.getByRole('button', { name: 'Create Email Address' }).click();
  await waitFor(
    async () => (await api(ws.server, token, 'GET', `/accounts/${team.id}/email-address`)).address === address,
    'the address created on Create Email Address',
  );
  await shown.waitFor();
  assert.equal(await shown.textContent(), address);
  await item().getByText(ADDRESS.fills).waitFor();
});
