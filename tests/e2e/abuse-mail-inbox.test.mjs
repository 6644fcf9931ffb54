// @ts-check
// Attacks through an e-mail's content on the dashboard's inbox, against the built extension in
// Chromium and a real server: an HTML e-mail with a script, a tracking image, an inline event
// handler and links (one `javascript:`). The inbox never renders HTML (the core reduces it to
// text, the page puts that text in with textContent): no script runs, nothing is fetched, and a
// link opens only when the person clicks it, http(s) only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countingServer, mailTo, mailWorkspace } from './mail-inbox.mjs';
import { DASHBOARD_URL } from './workspace.mjs';

const TITLE =
  'an HTML e-mail is shown as text: its script does not run, its image is not fetched, links wait for a click';
test(TITLE, async (t) => {
  const { ws, ctx, address } = await mailWorkspace(t);
  const site = await countingServer(t);
  const html = [
    '<html><head><style>body{background:url(SITE/style.png)}</style></head><body>',
    "<script>document.title='owned';fetch('SITE/script')</script>",
    '<img src="SITE/pixel.gif" width="1" height="1">',
    '<p onmouseover="document.title=\'owned\'">Your Northwind Cloud code is <b style="font-size:32px">551234</b></p>',
    '<p><a href="SITE/confirm?t=2">Confirm your address</a>',
    '<a href="javascript:document.title=\'owned\'">Unsubscribe</a></p>',
    '</body></html>',
  ]
    .join('\n')
    .replaceAll('SITE', site.origin);
  await mailTo(ws.smtpPort, address, {
    from: 'Northwind Cloud <security@northwind.test>',
    subject: 'Your code',
    type: 'text/html',
    body: html,
  });
  const page = await ctx.newPage();
  await page.goto(DASHBOARD_URL);
  const title = await page.title();
  const mail = page.locator('#inbox li.email', { hasText: 'Your code' });
  await mail.waitFor({ timeout: 30_000 });
  await mail.locator('mark.sms-code', { hasText: '551234' }).waitFor();
  await mail.hover();
  await new Promise((r) => setTimeout(r, 1000));

  // Only text: no element of the e-mail's HTML made it into the page.
  assert.equal(await mail.locator('script, img, a, style, b, p[onmouseover], [style]').count(), 0);
  const shown = (await mail.textContent()) ?? '';
  assert.match(shown, /Your Northwind Cloud code is/);
  // Nothing ran, nothing was fetched.
  assert.equal(await page.title(), title);
  for (const path of ['/script', '/pixel.gif', '/style.png', '/confirm']) {
    assert.equal(site.hits(path), 0, `${path} was fetched`);
  }
  // No button for the javascript: link; the http one opens only now, on the click.
  assert.equal(await mail.getByRole('button', { name: /Open link javascript:/ }).count(), 0);
  const confirm = `${site.origin}/confirm?t=2`;
  const opened = ctx.waitForEvent('page');
  await mail.getByRole('button', { name: `Open link ${confirm}` }).click();
  const tab = await opened;
  await tab.waitForLoadState();
  assert.equal(site.hits('/confirm'), 1);
  assert.equal(await page.title(), title);
});
