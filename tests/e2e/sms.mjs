// @ts-check
/**
 * Texting a managed number as a carrier and Twilio would: a signed inbound-SMS webhook to the
 * server (the server started with a known LATCHKEY_TWILIO_AUTH_TOKEN), and ageing a stored message
 * in the SQLite database for the freshness rule.
 */
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { TWILIO_TOKEN } from './harness.mjs';

export { TWILIO_TOKEN };
export const MANAGED_NUMBER = '+12025550142';

/**
 * Posts one inbound SMS; returns its MessageSid.
 * @param {{server: string}} ws @param {string} body @param {string} [to]
 */
export async function textTo(ws, body, to = MANAGED_NUMBER) {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params = { MessageSid: sid, SmsSid: sid, AccountSid: `AC${'0'.repeat(32)}`, From: '22395', To: to, Body: body, NumMedia: '0' };
  const url = `${ws.server}/webhooks/sms/twilio`;
  const signed = url + Object.keys(params).sort().map((k) => k + params[/** @type {keyof typeof params} */ (k)]).join('');
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
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', join(ws.dataDir, 'latchkey.db'),
    `UPDATE sms_messages SET received_at = received_at - ${Number(seconds)} WHERE provider_message_id = '${sid.replace(/[^A-Za-z0-9]/g, '')}';`]);
}
