// @ts-check
/**
 * The mail and SMS steps in Firefox as a person takes them: the WebDriver twins of the demo app's
 * and the workspace's steps in tests/e2e/mail.mjs and tests/e2e/sms.mjs (the servers, SMTP and the
 * Twilio webhook, are theirs), and picking an account in the popup for a page that asks.
 */
import assert from 'node:assert/strict';
import { OPS } from '../e2e/cases/sms.mjs';
import { PASSWORD } from '../e2e/demo-app.mjs';
import { freshEmail, waitFor } from '../e2e/harness.mjs';
import { ALICE, api, startWorkspace } from '../e2e/workspace.mjs';
import { TWILIO_TOKEN } from '../e2e/sms.mjs';
import { addThroughPopup, BASE, launchFirefox, openPopup, waitIn } from './firefox.mjs';
import { heading, joinWithKit, workspaceToken } from './workspace.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */
/** @typedef {import('./firefox.mjs').TestContext} TestContext */
/** @typedef {Awaited<ReturnType<typeof import('../e2e/workspace.mjs').startWorkspace>>} Workspace */

/**
 * The team account and its managed address, with the device's API token, read from the current
 * tab (one of Latchkey's pages): the twin of tests/e2e/mail.mjs's teamAccount.
 * @param {Firefox} ff @param {{server: string}} ws
 */
export async function teamAccountIn(ff, ws) {
  const token = await workspaceToken(ff);
  /** @type {{accounts: Array<{id: string, name: string, site: string, emailAddress: string | null}>}} */
  const { accounts } = await api(ws.server, token, 'GET', '/accounts');
  const team = accounts.find((a) => a.name === 'Northwind Cloud team');
  assert.ok(team?.emailAddress, 'the demo seed gave the team login a managed address');
  return { token, id: team.id, name: team.name, site: team.site, address: team.emailAddress };
}

/**
 * "Northwind ops", a second Northwind login the owner adds in the popup (tied to the catalog's app
 * for its site), given a managed address of its own; returns its id and address. The popup's tab
 * is closed after: the current tab is then the last one left.
 * @param {Firefox} ff @param {{server: string}} ws @param {string} token
 */
export async function opsAccountIn(ff, ws, token) {
  const popup = await openPopup(ff);
  await addThroughPopup(ff, { secret: OPS.secret, site: OPS.site, name: OPS.name });
  await ff.closeTab(popup);
  /** @type {{accounts: Array<{id: string, name: string, appId: string | null}>}} */
  const { accounts } = await waitFor(async () => {
    const r = await api(ws.server, token, 'GET', '/accounts');
    return r.accounts.some((/** @type {{name: string}} */ a) => a.name === OPS.name) ? r : null;
  }, 'the new account in the vault');
  const ops = accounts.find((a) => a.name === OPS.name);
  assert.ok(ops);
  return ops;
}

/**
 * opsAccountIn with a managed address; returns the address once the background can fill from it.
 * @param {Firefox} ff @param {{server: string}} ws @param {string} token
 */
export async function opsAccountWithAddressIn(ff, ws, token) {
  const ops = await opsAccountIn(ff, ws, token);
  /** @type {{address: string}} */
  const { address } = await api(ws.server, token, 'POST', `/accounts/${ops.id}/email-address`);
  await syncNow(ff);
  return address;
}

/**
 * Has the background read the vault now, as opening the popup does (it syncs first): fills that
 * follow see what the server holds, rather than a copy up to 5 s old (FILL_FRESH_MS). The current
 * tab stays the current one.
 * @param {Firefox} ff
 */
export async function syncNow(ff) {
  const back = await ff.handle();
  const popup = await openPopup(ff);
  const reply = await ff.run(() => chrome.runtime.sendMessage({ type: 'list' }));
  assert.equal(reply.ok, true, `the popup's list: ${reply.error}`);
  await ff.closeTab(popup);
  await ff.switchTo(back);
}

/**
 * Signs a new demo user up in the current tab; ends on the welcome page.
 * @param {Firefox} ff @param {string} demo @param {string} label
 */
async function signUp(ff, demo, label) {
  const email = freshEmail(label);
  await ff.go(`${demo}/demo/signup`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/signup"] button');
  await heading(ff, `Welcome, ${email}`);
  return email;
}

/**
 * A demo user whose sign-in codes are e-mailed to `address`, signed out after: the twin of
 * tests/e2e/mail.mjs's userMailedAt.
 * @param {Firefox} ff @param {string} demo @param {string} address
 */
export async function userMailedAtIn(ff, demo, address) {
  const email = await signUp(ff, demo, 'mail');
  await ff.go(`${demo}/demo/account/2fa`);
  await ff.type('#code-email', `${address}\uE007`);
  await waitIn(ff, (a) => document.body.textContent?.includes(`we e-mail to ${a}`), 'e-mailed codes on', address);
  await ff.click('form[action="/demo/logout"] button');
  await heading(ff, 'Sign in');
  return email;
}

/**
 * The demo app's sign-in up to its e-mail step: the twin of tests/e2e/mail.mjs's signInToMailedCode.
 * @param {Firefox} ff @param {string} demo @param {string} email
 */
export async function signInToMailedCodeIn(ff, demo, email) {
  await ff.go(`${demo}/demo/login`);
  await ff.type('#email', email);
  await ff.type('#password', PASSWORD);
  await ff.click('form[action="/demo/login"] button');
  await heading(ff, 'Two-step verification');
  await waitIn(
    ff,
    () => document.querySelector('#verify-instructions')?.textContent?.includes('we e-mailed to'),
    'the e-mail step',
  );
}

/**
 * The Latchkey mark beside the current page's code field says `text`.
 * @param {Firefox} ff @param {string} text
 */
export const markSays = (ff, text) =>
  waitIn(
    ff,
    (x) => document.querySelector('[data-latchkey="mark"]')?.textContent?.includes(x),
    `the mark “${text}”`,
    text,
  );

/** Whether the current page shows a Latchkey mark saying `text`. @param {Firefox} ff @param {string} text */
export const markShown = (ff, text) =>
  ff.run((x) => Boolean(document.querySelector('[data-latchkey="mark"]')?.textContent?.includes(x)), text);

/** The value of `#otp` in the current page. @param {Firefox} ff */
export const otpValue = (ff) =>
  ff.run(() => /** @type {HTMLInputElement | null} */ (document.querySelector('#otp'))?.value ?? '');

/**
 * In the popup about the tab showing `url` (the current tab), the person clicks Fill for the
 * account `name`; returns what the popup said about the page (its "On this page" note) and what it
 * announced after the click. The popup's tab is closed after, and the page's tab is current again.
 * @param {Firefox} ff @param {string} url @param {string} name
 */
export async function fillChosenInPopup(ff, url, name) {
  const page = await ff.handle();
  const popup = await openPopup(ff, url);
  const button = `button[aria-label=${JSON.stringify(`Fill code for ${name}`)}]`;
  await waitIn(ff, (b) => document.querySelector(b)?.checkVisibility(), `Fill for ${name}`, button);
  const note = await ff.run(() => document.getElementById('on-page-note')?.textContent ?? '');
  await ff.click(button);
  const said = await waitIn(ff, () => document.getElementById('announcer')?.textContent, 'the popup’s answer');
  await ff.closeTab(popup);
  await ff.switchTo(page);
  return { note, said };
}

/**
 * Chooses `value` in the select `css` of the current page, as a person's choice does (change event).
 * @param {Firefox} ff @param {string} css @param {string} value
 */
export const choose = (ff, css, value) =>
  ff.run(
    (c, v) => {
      const select = /** @type {HTMLSelectElement} */ (document.querySelector(c));
      select.value = v;
      select.dispatchEvent(new Event('input', { bubbles: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
    },
    css,
    value,
  );

/**
 * The text of `css` in the current page once it matches `pattern`.
 * @param {Firefox} ff @param {string} css @param {RegExp} pattern
 */
export const textMatching = (ff, css, pattern) =>
  waitIn(
    ff,
    (c, src, flags) => {
      const t = document.querySelector(c)?.textContent ?? '';
      return new RegExp(src, flags).test(t) ? t : null;
    },
    `${css} to match ${pattern}`,
    css,
    pattern.source,
    pattern.flags,
  );

/** The dashboard's address. */
export const DASHBOARD = `${BASE}extension/dashboard/dashboard.html`;

/**
 * The demo workspace with mail on (and the Twilio webhook's token), Firefox joined as Alice (an
 * owner of the team account), the team account and its managed address: the twin of
 * tests/e2e/mail-inbox.mjs's mailWorkspace. The join page's tab is current after.
 * @param {TestContext} t
 */
export async function mailWorkspaceIn(t) {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN }, mail: true });
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, ALICE);
  const team = await teamAccountIn(ff, ws);
  return { ws, ff, token: team.token, team, address: team.address };
}

/**
 * The handle of the tab showing `url` once there is one (a page opened it), read from the browser's
 * chrome: Firefox's remote agent (Marionette, geckodriver's other half) names a tab's window handle
 * by its NavigableManager id.
 * @param {Firefox} ff @param {string} url @returns {Promise<string>}
 */
export const tabShowing = (ff, url) =>
  waitFor(
    () =>
      ff.privileged(
        `const { NavigableManager } = ChromeUtils.importESModule(
          'chrome://remote/content/shared/NavigableManager.sys.mjs',
        );
        const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec === arguments[0]);
        return tab ? NavigableManager.getIdForBrowser(tab.linkedBrowser) : null;`,
        [url],
      ),
    `a tab showing ${url}`,
  );

/**
 * The text on the system clipboard, read from the browser's chrome (a page's `readText` asks the
 * person first in Firefox).
 * @param {Firefox} ff @returns {Promise<string>}
 */
export const clipboardText = (ff) =>
  ff.privileged(
    `const trans = Cc['@mozilla.org/widget/transferable;1'].createInstance(Ci.nsITransferable);
    trans.init(null);
    trans.addDataFlavor('text/plain');
    Services.clipboard.getData(trans, Ci.nsIClipboard.kGlobalClipboard, null);
    const out = {};
    try { trans.getTransferData('text/plain', out); } catch { return ''; }
    return out.value.QueryInterface(Ci.nsISupportsString).data;`,
  );
