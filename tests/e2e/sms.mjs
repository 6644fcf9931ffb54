// @ts-check
/**
 * Texting a managed number as a carrier and Twilio would: a signed inbound-SMS webhook to the
 * server (the server started with a known LATCHKEY_TWILIO_AUTH_TOKEN), and ageing a stored message
 * in the SQLite database for the freshness rule; and the demo app's steps the SMS tests share.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PASSWORD, signUp } from './demo-app.mjs';
import { freshEmail } from './harness.mjs';

import { TWILIO_TOKEN } from './harness.mjs';

export { TWILIO_TOKEN };
export const MANAGED_NUMBER = '+12025550142';

/**
 * Posts one inbound SMS; returns its MessageSid.
 * @param {{server: string}} ws @param {string} body @param {string} [to]
 */
export async function textTo(ws, body, to = MANAGED_NUMBER) {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params = {
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: `AC${'0'.repeat(32)}`,
    From: '22395',
    To: to,
    Body: body,
    NumMedia: '0',
  };
  const url = `${ws.server}/webhooks/sms/twilio`;
  const signed =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[/** @type {keyof typeof params} */ (k)])
      .join('');
  const signature = createHmac('sha1', TWILIO_TOKEN).update(signed).digest('base64');
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  if (!r.ok) throw new Error(`webhook: ${r.status} ${await r.text()}`);
  return sid;
}

/** Makes a stored message `seconds` older. @param {{dataDir: string}} ws @param {string} sid @param {number} seconds */
export function age(ws, sid, seconds) {
  execFileSync('sqlite3', [
    '-cmd',
    '.timeout 5000',
    join(ws.dataDir, 'latchkey.db'),
    `UPDATE sms_messages SET received_at = received_at - ${Number(seconds)} WHERE provider_message_id = ` +
      `'${sid.replace(/[^A-Za-z0-9]/g, '')}';`,
  ]);
}

/** @typedef {import('playwright-core').Page} Page */

/** The demo app's sign-in up to its text-message step. */
/** @param {Page} page @param {string} demo @param {string} email */
export async function signInToCode(page, demo, email) {
  await page.goto(`${demo}/demo/login`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await page.locator('#verify-instructions', { hasText: 'texted to your phone number ending in 0142' }).waitFor();
}

/**
 * A demo user whose phone is `number` (text-message sign-in).
 * @param {Page} page @param {string} demo @param {string} number
 */
export async function userTextedAt(page, demo, number) {
  const email = freshEmail('sms');
  await signUp(page, demo, email);
  await page.goto(`${demo}/demo/account/2fa`);
  await page.locator('#phone').fill(number);
  await page.getByRole('button', { name: 'Text me codes instead' }).click();
  await page
    .getByText(`ending in ${number.slice(-4)}`)
    .first()
    .waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  return email;
}

/** The field stays empty for `ms`. @param {Page} page @param {number} ms */
export async function staysEmpty(page, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    assert.equal(await page.locator('#otp').inputValue(), '', 'the code field was filled');
    await new Promise((r) => setTimeout(r, 200));
  }
}
