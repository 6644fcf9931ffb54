// @ts-check
// Attacks through an e-mail's content on the dashboard's inbox, in Firefox with the built package
// and a real server: Chromium's tests/e2e/abuse-mail-inbox.test.mjs, the e-mail and the answers from
// tests/e2e/cases/abuse-mail-inbox.mjs. An HTML e-mail with a script, a tracking image, an inline
// handler and links (one `javascript:`), delivered by Python's smtplib: the inbox shows it as text,
// nothing runs or is fetched, and the http link opens only on the person's click. The pointer
// going over the e-mail is dispatched mouse events (the harness has no WebDriver pointer actions):
// an inline handler, had one been kept, would run on them as on a real pointer's.
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
} from '../e2e/cases/abuse-mail-inbox.mjs';
import { waitFor } from '../e2e/harness.mjs';
import { countingServer, mailTo } from '../e2e/mail-inbox.mjs';
import { waitIn } from './firefox.mjs';
import { DASHBOARD, mailWorkspaceIn, tabShowing } from './messages.mjs';

const TITLE =
  'Firefox: an HTML e-mail is shown as text: its script does not run, its image is not fetched, links wait for a click';
test(TITLE, async (t) => {
  const { ws, ff, address } = await mailWorkspaceIn(t);
  const site = await countingServer(t);
  await mailTo(ws.smtpPort, address, {
    from: FROM,
    subject: SUBJECT,
    type: 'text/html',
    body: hostileHtml(site.origin),
  });
  const dashboard = await ff.openExtensionPage(DASHBOARD);
  await waitIn(ff, () => document.readyState === 'complete', 'the dashboard');
  const title = await ff.run(() => document.title);
  await waitIn(
    ff,
    (s, c) =>
      [...document.querySelectorAll('#inbox li.email')].some(
        (li) =>
          li.textContent?.includes(s) && [...li.querySelectorAll('mark.sms-code')].some((m) => m.textContent === c),
      ),
    'the e-mail with its code marked',
    SUBJECT,
    CODE,
  );
  await ff.run((s) => {
    const li = [...document.querySelectorAll('#inbox li.email')].find((x) => x.textContent?.includes(s));
    for (const el of [li, ...(li?.querySelectorAll('*') ?? [])]) {
      for (const type of ['mouseover', 'mouseenter', 'mousemove'])
        el?.dispatchEvent(new MouseEvent(type, { bubbles: true }));
    }
  }, SUBJECT);
  await new Promise((r) => setTimeout(r, LINGER_MS));

  const seen = await ff.run(
    (s, sel) => {
      const li = [...document.querySelectorAll('#inbox li.email')].find((x) => x.textContent?.includes(s));
      return {
        fromHtml: li?.querySelectorAll(sel).length ?? -1,
        text: li?.textContent ?? '',
        buttons: [...(li?.querySelectorAll('button') ?? [])].map((b) => b.getAttribute('aria-label') ?? ''),
        title: document.title,
      };
    },
    SUBJECT,
    FROM_HTML,
  );
  // Only text: no element of the e-mail's HTML made it into the page.
  assert.equal(seen.fromHtml, 0);
  assert.match(seen.text, SHOWN_TEXT);
  // Nothing ran, nothing was fetched.
  assert.equal(seen.title, title);
  for (const path of FETCHED_PATHS) {
    assert.equal(site.hits(path), 0, `${path} was fetched`);
  }
  // No button for the javascript: link; the http one opens only now, on the click.
  assert.equal(seen.buttons.filter((b) => /Open link javascript:/.test(b)).length, 0);
  const confirm = `${site.origin}${CONFIRM}`;
  await ff.click(`#inbox li.email button[aria-label=${JSON.stringify(`Open link ${confirm}`)}]`);
  await tabShowing(ff, confirm);
  await waitFor(() => site.hits('/confirm') === 1, 'the link fetched on the click');
  assert.equal(site.hits('/confirm'), 1);
  await ff.switchTo(dashboard);
  assert.equal(await ff.run(() => document.title), title);
});
