// @ts-check
/**
 * E-mailing a managed address as a mail server would: one SMTP session to the Latchkey server's
 * own listener (EHLO, MAIL FROM, RCPT TO, DATA, QUIT, every reply checked), a message as services
 * write them (multipart text and HTML), ageing a stored e-mail in the SQLite database for the
 * freshness rule, and the demo app's steps the e-mail tests share.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PASSWORD, signUp } from './demo-app.mjs';
import { addThroughPopup, freshEmail, openPopup, waitFor } from './harness.mjs';
import { api, workspaceState } from './workspace.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */

/**
 * The team account and its managed address (the `--demo` seed with `--mail-domain` gives it one),
 * as the device's user sees them, with the device's API token.
 * @param {BrowserContext} ctx @param {{server: string}} ws
 */
export async function teamAccount(ctx, ws) {
  const { token } = await workspaceState(ctx);
  /** @type {{accounts: Array<{id: string, name: string, emailAddress: string | null}>}} */
  const { accounts } = await api(ws.server, token, 'GET', '/accounts');
  const team = accounts.find((a) => a.name === 'Northwind Cloud team');
  assert.ok(team?.emailAddress, 'the demo seed gave the team login a managed address');
  return { token, id: team.id, address: team.emailAddress };
}

/**
 * A second Northwind login, "Northwind ops", added by the owner (Alice's device) in the popup and
 * tied to the catalog's app for its site, with a managed address of its own; returns the address.
 * @param {BrowserContext} ctx @param {{server: string}} ws @param {string} token
 */
export async function opsAccountWithAddress(ctx, ws, token) {
  const popup = await openPopup(ctx);
  await addThroughPopup(popup, {
    secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    site: 'demo.localhost',
    name: 'Northwind ops',
  });
  await popup.close();
  /** @type {{accounts: Array<{id: string, name: string}>}} */
  const { accounts } = await waitFor(async () => {
    const r = await api(ws.server, token, 'GET', '/accounts');
    return r.accounts.some((/** @type {{name: string}} */ a) => a.name === 'Northwind ops') ? r : null;
  }, 'the new account in the vault');
  const ops = accounts.find((a) => a.name === 'Northwind ops');
  assert.ok(ops);
  /** @type {{address: string}} */
  const { address } = await api(ws.server, token, 'POST', `/accounts/${ops.id}/email-address`);
  await syncNow(ctx);
  return address;
}

/**
 * Has the worker read the vault now, as opening the popup does (it syncs first): fills that follow
 * see what the server holds, rather than a copy up to 5 s old (FILL_FRESH_MS).
 * @param {BrowserContext} ctx
 */
export async function syncNow(ctx) {
  const popup = await openPopup(ctx);
  const reply = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'list' }));
  assert.equal(reply.ok, true, `the popup's list: ${reply.error}`);
  await popup.close();
}

/**
 * Delivers `data` (a raw RFC 5322 message, CRLF line ends) to `to` over SMTP on 127.0.0.1:`port`.
 * Resolves with the time (performance.now()) the end of DATA was written, once the server answered
 * 250 to it; rejects with the server's reply otherwise.
 * @param {number} port @param {{from: string, to: string, data: string}} mail
 */
export function sendMail(port, mail) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    let buffer = '';
    let step = 0;
    let sentAt = 0;
    const steps = [
      () => 'EHLO sender.test',
      () => `MAIL FROM:<${mail.from}>`,
      () => `RCPT TO:<${mail.to}>`,
      () => 'DATA',
      () => {
        // Dot-stuffing (RFC 5321 §4.5.2), then the end of DATA.
        const body = mail.data.replace(/\r\n\./g, '\r\n..');
        sentAt = performance.now();
        return `${body.endsWith('\r\n') ? body : `${body}\r\n`}.`;
      },
      () => 'QUIT',
    ];
    const expected = [220, 250, 250, 250, 354, 250, 221];
    const fail = (/** @type {string} */ why) => {
      socket.destroy();
      reject(new Error(why));
    };
    socket.on('data', (chunk) => {
      buffer += chunk;
      // A reply ends with a line "NNN " (multi-line replies use "NNN-").
      for (;;) {
        const end = buffer.match(/^(\d{3}) .*\r\n/m);
        if (!end || end.index === undefined) return;
        const reply = buffer.slice(0, end.index + end[0].length);
        buffer = buffer.slice(end.index + end[0].length);
        const code = Number(end[1]);
        if (code !== expected[step]) return fail(`SMTP: expected ${expected[step]}, got ${reply.trim()}`);
        if (step === steps.length) {
          socket.end();
          return resolve(sentAt);
        }
        socket.write(`${steps[step]()}\r\n`);
        step++;
      }
    });
    socket.on('error', (e) => reject(e));
  });
}

/**
 * A code e-mail as a service would send it: multipart text and HTML, the envelope sender unique
 * (so the test can find the stored copy), `subject` and `text` as given.
 * @param {{to: string, subject: string, text: string, from?: string, headerTo?: string}} o `headerTo`: the
 *   `To:` header, when it should say another address than the envelope's recipient
 */
export function codeMail(o) {
  const boundary = `b${randomBytes(8).toString('hex')}`;
  const sender = `${o.from ?? 'no-reply'}+${randomBytes(6).toString('hex')}@sender.test`;
  const html = `<html><body><p>${o.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p></body></html>`;
  const data = [
    `From: Sender <${sender}>`,
    `To: <${o.headerTo ?? o.to}>`,
    `Subject: ${o.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomBytes(8).toString('hex')}@sender.test>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    o.text,
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    html,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { from: sender, to: o.to, data };
}

/**
 * Mails a code e-mail to `to` through the server's listener; returns its envelope sender.
 * @param {{smtpPort: number}} ws @param {{to: string, subject: string, text: string, headerTo?: string}} o
 */
export async function mailTo(ws, o) {
  const mail = codeMail(o);
  await sendMail(ws.smtpPort, mail);
  return mail.from;
}

/**
 * Makes the stored e-mail(s) from envelope sender `from` `seconds` older.
 * @param {{dataDir: string}} ws @param {string} from @param {number} seconds
 */
export function ageMail(ws, from, seconds) {
  execFileSync('sqlite3', [
    '-cmd',
    '.timeout 5000',
    join(ws.dataDir, 'latchkey.db'),
    `UPDATE sms_messages SET received_at = received_at - ${Number(seconds)} WHERE kind = 'email' AND from_number = ` +
      `'${from.replace(/[^A-Za-z0-9@.+-]/g, '')}';`,
  ]);
}

/**
 * A demo user whose sign-in codes are e-mailed to `address` (the account settings' e-mail for codes).
 * @param {Page} page @param {string} demo @param {string} address
 */
export async function userMailedAt(page, demo, address) {
  const email = freshEmail('mail');
  await signUp(page, demo, email);
  await page.goto(`${demo}/demo/account/2fa`);
  await page.locator('#code-email').fill(address);
  await page.getByRole('button', { name: 'Email me codes instead' }).click();
  await page.getByText(`we e-mail to ${address}`).first().waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  return email;
}

/** The demo app's sign-in up to its e-mail step. @param {Page} page @param {string} demo @param {string} email */
export async function signInToMailedCode(page, demo, email) {
  await page.goto(`${demo}/demo/login`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await page.locator('#verify-instructions', { hasText: 'we e-mailed to' }).waitFor();
}

/** The field `#otp` holds a 6-digit code within `ms`; returns it. @param {Page} page @param {number} [ms] */
export async function filledCode(page, ms = 10_000) {
  await page.waitForFunction(
    () => /^\d{6}$/.test(/** @type {HTMLInputElement} */ (document.getElementById('otp')).value),
    null,
    { timeout: ms },
  );
  const code = await page.locator('#otp').inputValue();
  assert.match(code, /^\d{6}$/);
  return code;
}
