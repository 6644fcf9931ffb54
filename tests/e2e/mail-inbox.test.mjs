// @ts-check
// The dashboard's inbox shows e-mails next to SMS, against a real `latchkey serve --demo` with its
// SMTP listener on: the team account gets a managed address, Python's smtplib delivers to it, and
// the extension (trusted as Alice) opens each e-mail in wasm (the key store's `openEmail`, the
// messages module's `mailRead`). Sender, subject, the text with its code highlighted, Copy code,
// the filter by type and app, and a verification link that opens only when clicked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INBOX_MAIL, INBOX_SMS, MAIL_META } from './cases/mail.mjs';
import { screenshot, waitFor } from './harness.mjs';
import { countingServer, mailTo, mailWorkspace } from './mail-inbox.mjs';
import { textTo } from './sms.mjs';
import { DASHBOARD_URL } from './workspace.mjs';

const TITLE = 'dashboard: e-mails next to SMS with the code highlighted, Copy code, filters, a link opened on click';
test(TITLE, async (t) => {
  const { ws, ctx, team, address } = await mailWorkspace(t);
  const site = await countingServer(t);
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);

  await textTo(ws, INBOX_SMS.text);
  await mailTo(ws.smtpPort, address, {
    from: INBOX_MAIL.from,
    subject: INBOX_MAIL.subject,
    body: INBOX_MAIL.body(site.origin),
  });
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 900, height: 1100 });
  await page.goto(DASHBOARD_URL);
  const inbox = page.locator('#inbox');
  const mail = inbox.locator('li.email', { hasText: INBOX_MAIL.subject });
  await mail.waitFor({ timeout: 30_000 });

  // Sender, subject, the text with its code marked; not a verified sender (nothing checked it).
  await mail.getByText(`From ${INBOX_MAIL.sender}`).waitFor();
  assert.equal(await mail.locator('.verified-sender').count(), 0);
  await mail.locator('.unverified-sender', { hasText: 'Not verified' }).waitFor();
  assert.equal(await mail.locator('p.mail-subject').textContent(), INBOX_MAIL.subject);
  assert.equal(await mail.locator('p.sms-text mark.sms-code').textContent(), INBOX_MAIL.code);
  assert.match((await mail.locator('.meta').textContent()) ?? '', MAIL_META);

  // Copy code puts the code on the clipboard.
  const copy = mail.getByRole('button', { name: `Copy code ${INBOX_MAIL.code}` });
  await copy.click();
  await copy.filter({ hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), INBOX_MAIL.code);

  // The SMS is there too; the filter by type shows one kind or the other.
  const sms = inbox.locator('li.sms', { hasText: INBOX_SMS.code });
  await sms.waitFor();
  const type = page.getByRole('combobox', { name: 'Type' });
  await type.selectOption('email');
  await waitFor(async () => (await sms.isHidden()) && (await mail.isVisible()), 'only e-mails shown');
  await type.selectOption('sms');
  await waitFor(async () => (await mail.isHidden()) && (await sms.isVisible()), 'only SMS shown');
  await type.selectOption('');
  // By app: the team account's app shows both; the filter lists the apps of the person's accounts.
  const app = page.getByRole('combobox', { name: 'App' });
  await app.selectOption(team.site);
  await waitFor(async () => (await mail.isVisible()) && (await sms.isVisible()), 'the app shows both');
  await app.selectOption('');
  // By account: the team account's own inbox.
  await page.getByRole('combobox', { name: 'Inbox of' }).selectOption(team.id);
  await mail.waitFor();

  // The link is shown as text and opened only by a click: in a new tab, without an opener.
  const link = INBOX_MAIL.link(site.origin);
  await mail.locator('.mail-url', { hasText: link }).waitFor();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(site.hits('/verify'), 0, 'the link was fetched before any click');
  await page.locator('#inbox-card').scrollIntoViewIfNeeded();
  await screenshot(page, 'mail-inbox');
  const opened = ctx.waitForEvent('page');
  await mail.getByRole('button', { name: `Open link ${link}` }).click();
  const tab = await opened;
  await tab.waitForLoadState();
  assert.equal(tab.url(), link);
  assert.equal(await tab.evaluate(() => window.opener), null);
  assert.equal(site.hits('/verify'), 1);
});
