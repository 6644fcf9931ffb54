// @ts-check
// Attacks through an e-mail's content on the dashboard's inbox, against the built extension in
// Chromium and a real server: an HTML e-mail with a script, a tracking image, an inline event
// handler and links (one `javascript:`). The inbox never renders HTML (the core reduces it to
// text, the page puts that text in with textContent): no script runs, nothing is fetched, and a
// link opens only when the person clicks it, http(s) only. The e-mail and the answers:
// tests/e2e/cases/abuse-mail-inbox.mjs, shared with Firefox's port.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CODE,
  CONFIRM,
  FETCHED_PATHS,
  FROM,
  FROM_HTML,
  LINGER_MS,
  SHOWN_TEXT,
  SUBJECT,
  hostileHtml,
} from './cases/abuse-mail-inbox.mjs';
import { countingServer, mailTo, mailWorkspace } from './mail-inbox.mjs';
import { DASHBOARD_URL } from './workspace.mjs';

const TITLE =
  'an HTML e-mail is shown as text: its script does not run, its image is not fetched, links wait for a click';
test(TITLE, async (t) => {
  const { ws, ctx, address } = await mailWorkspace(t);
  const site = await countingServer(t);
  await mailTo(ws.smtpPort, address, {
    from: FROM,
    subject: SUBJECT,
    type: 'text/html',
    body: hostileHtml(site.origin),
  });
  const page = await ctx.newPage();
  await page.goto(DASHBOARD_URL);
  const title = await page.title();
  const mail = page.locator('#inbox li.email', { hasText: SUBJECT });
  await mail.waitFor({ timeout: 30_000 });
  await mail.locator('mark.sms-code', { hasText: CODE }).waitFor();
  await mail.hover();
  await new Promise((r) => setTimeout(r, LINGER_MS));

  // Only text: no element of the e-mail's HTML made it into the page.
  assert.equal(await mail.locator(FROM_HTML).count(), 0);
  const shown = (await mail.textContent()) ?? '';
  assert.match(shown, SHOWN_TEXT);
  // Nothing ran, nothing was fetched.
  assert.equal(await page.title(), title);
  for (const path of FETCHED_PATHS) {
    assert.equal(site.hits(path), 0, `${path} was fetched`);
  }
  // No button for the javascript: link; the http one opens only now, on the click.
  assert.equal(await mail.getByRole('button', { name: /Open link javascript:/ }).count(), 0);
  const confirm = `${site.origin}${CONFIRM}`;
  const opened = ctx.waitForEvent('page');
  await mail.getByRole('button', { name: `Open link ${confirm}` }).click();
  const tab = await opened;
  await tab.waitForLoadState();
  assert.equal(site.hits('/confirm'), 1);
  assert.equal(await page.title(), title);
});
