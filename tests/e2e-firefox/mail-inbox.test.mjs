// @ts-check
// The dashboard's inbox shows e-mails next to SMS, in Firefox with the built package against a real
// `latchkey serve --demo` with its SMTP listener on (Python's smtplib delivers): Chromium's
// tests/e2e/mail-inbox.test.mjs, its messages and answers from tests/e2e/cases/mail.mjs. Sender,
// subject, the text with its code highlighted, Copy code (the clipboard read from the browser's
// chrome: a page's readText asks the person first in Firefox), the filters by type, app and
// account (chosen as a person's choice does: the select's change event), and a verification link
// fetched only when clicked, opened in a new tab without an opener. Firefox gives a web page opened
// from one of the extension's pages no opener even when `noopener` is dropped (checked: the page
// moves to another process): here the opener check holds whatever Latchkey asks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INBOX_MAIL, INBOX_SMS, MAIL_META } from '../e2e/cases/mail.mjs';
import { waitFor } from '../e2e/harness.mjs';
import { countingServer, mailTo } from '../e2e/mail-inbox.mjs';
import { textTo } from '../e2e/sms.mjs';
import { waitIn } from './firefox.mjs';
import { DASHBOARD, choose, clipboardText, mailWorkspaceIn, tabShowing } from './messages.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * Waits until the e-mail (the inbox item of the subject) and the SMS (the item with its code) are
 * shown or hidden as `want` says.
 * @param {Firefox} ff @param {{mail: boolean, sms: boolean}} want @param {string} what
 */
const showing = (ff, want, what) =>
  waitIn(
    ff,
    (subject, code, w) => {
      const find = (/** @type {string} */ kind, /** @type {string} */ text) =>
        [...document.querySelectorAll(`#inbox li.${kind}`)].find((li) => li.textContent?.includes(text));
      const shown = (/** @type {Element | undefined} */ li) => Boolean(li?.checkVisibility());
      return shown(find('email', subject)) === w.mail && shown(find('sms', code)) === w.sms;
    },
    what,
    INBOX_MAIL.subject,
    INBOX_SMS.code,
    want,
  );

const TITLE =
  'Firefox dashboard: e-mails next to SMS with the code highlighted, Copy code, filters, a link opened on click';
test(TITLE, async (t) => {
  const { ws, ff, team, address } = await mailWorkspaceIn(t);
  const site = await countingServer(t);

  await textTo(ws, INBOX_SMS.text);
  await mailTo(ws.smtpPort, address, {
    from: INBOX_MAIL.from,
    subject: INBOX_MAIL.subject,
    body: INBOX_MAIL.body(site.origin),
  });
  const dashboard = await ff.openExtensionPage(DASHBOARD);
  await showing(ff, { mail: true, sms: true }, 'the e-mail and the SMS');

  // Sender, subject, the text with its code marked; not a verified sender (nothing checked it).
  const seen = await ff.run((subject) => {
    const li = [...document.querySelectorAll('#inbox li.email')].find((x) => x.textContent?.includes(subject));
    const text = (/** @type {string} */ css) => li?.querySelector(css)?.textContent ?? null;
    return {
      name: text('.name'),
      verified: li?.querySelectorAll('.verified-sender').length,
      unverified: text('.unverified-sender'),
      subject: text('p.mail-subject'),
      code: text('p.sms-text mark.sms-code'),
      meta: text('.meta') ?? '',
    };
  }, INBOX_MAIL.subject);
  assert.equal(seen.name, `From ${INBOX_MAIL.sender}`);
  assert.equal(seen.verified, 0);
  assert.match(seen.unverified ?? '', /Not verified/);
  assert.equal(seen.subject, INBOX_MAIL.subject);
  assert.equal(seen.code, INBOX_MAIL.code);
  assert.match(seen.meta, MAIL_META);

  // Copy code puts the code on the clipboard.
  const copy = `#inbox li.email button[aria-label="Copy code ${INBOX_MAIL.code}"]`;
  await ff.click(copy);
  await waitIn(ff, (c) => document.querySelector(c)?.textContent === 'Copied', '“Copied”', copy);
  assert.equal(await clipboardText(ff), INBOX_MAIL.code);

  // The filter by type shows one kind or the other.
  await choose(ff, '#inbox-type', 'email');
  await showing(ff, { mail: true, sms: false }, 'only e-mails shown');
  await choose(ff, '#inbox-type', 'sms');
  await showing(ff, { mail: false, sms: true }, 'only SMS shown');
  await choose(ff, '#inbox-type', '');
  // By app: the team account's app shows both; the filter lists the apps of the person's accounts.
  await choose(ff, '#inbox-app', team.site);
  await showing(ff, { mail: true, sms: true }, 'the app shows both');
  await choose(ff, '#inbox-app', '');
  // By account: the team account's own inbox.
  await choose(ff, '#inbox-account', team.id);
  await waitIn(
    ff,
    (s) =>
      [...document.querySelectorAll('#inbox li.email')].some(
        (li) => li.textContent?.includes(s) && li.checkVisibility(),
      ),
    'the e-mail in the account’s inbox',
    INBOX_MAIL.subject,
  );

  // The link is shown as text and opened only by a click: in a new tab, without an opener.
  const link = INBOX_MAIL.link(site.origin);
  await waitIn(
    ff,
    (l) => [...document.querySelectorAll('#inbox li.email .mail-url')].some((u) => u.textContent === l),
    'the link shown',
    link,
  );
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(site.hits('/verify'), 0, 'the link was fetched before any click');
  await ff.screenshot('firefox-mail-inbox');
  await ff.click(`#inbox li.email button[aria-label=${JSON.stringify(`Open link ${link}`)}]`);
  await ff.switchTo(await tabShowing(ff, link));
  await waitIn(ff, () => document.readyState === 'complete', 'the link’s page');
  assert.equal(await ff.url(), link);
  assert.equal(await ff.run(() => window.opener === null), true, 'the link’s page has an opener');
  await waitFor(() => site.hits('/verify') === 1, 'the link fetched once');
  await ff.switchTo(dashboard);
});
