// @ts-check
/**
 * E-mail for the inbox's end-to-end tests: a workspace whose server takes mail (its SMTP listener on), the
 * demo's team account given a managed address, delivery by Python's smtplib (a real SMTP client),
 * and a tiny HTTP server that counts every request (to prove an e-mail's image, script or link
 * was never fetched).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { launchBrowser } from './harness.mjs';
import { TWILIO_TOKEN } from './sms.mjs';
import { ALICE, api, joinWithKit, startWorkspace, workspaceState } from './workspace.mjs';

/** @typedef {{after: (fn: () => unknown) => void}} TestContext */

/**
 * The demo workspace with mail on, Chromium joined as Alice (an owner of the team account), and the
 * team account's new managed address.
 * @param {TestContext} t
 */
export async function mailWorkspace(t) {
  const ws = await startWorkspace(t, { env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN }, mail: true });
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, ALICE);
  const { token } = await workspaceState(ctx);
  /** @type {{accounts: Array<{id: string, name: string, site: string, emailAddress: string | null}>}} */
  const { accounts } = await api(ws.server, token, 'GET', '/accounts');
  const team = accounts.find((a) => a.name === 'Northwind Cloud team');
  if (!team) throw new Error('no team account');
  // The `--demo` seed with a mail domain gives the team login its address; create one otherwise.
  /** @type {{address: string}} */
  const { address } = team.emailAddress
    ? { address: team.emailAddress }
    : await api(ws.server, token, 'POST', `/accounts/${team.id}/email-address`, {});
  return { ws, ctx, token, team, address };
}

const SMTPLIB = `
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='mx.sender.test', timeout=20)
s.sendmail(sys.argv[2], [sys.argv[3]], sys.stdin.buffer.read())
s.quit()
`;

/**
 * Delivers a message to the server's SMTP listener with Python's smtplib.
 * @param {number} port @param {string} to @param {{from: string, subject: string, type?: string, body: string}} m
 */
export async function mailTo(port, to, m) {
  const raw = [
    `From: ${m.from}`,
    `To: ${to}`,
    `Subject: ${m.subject}`,
    'Date: Sun, 06 Dec 2026 09:00:00 +0000',
    `Message-ID: <${randomBytes(8).toString('hex')}@sender.test>`,
    'MIME-Version: 1.0',
    `Content-Type: ${m.type ?? 'text/plain'}; charset=utf-8`,
    '',
    ...m.body.split('\n'),
    '',
  ].join('\r\n');
  const envelopeFrom = /<([^>]+)>/.exec(m.from)?.[1] ?? m.from;
  await new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', SMTPLIB, String(port), envelopeFrom, to], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`smtplib: ${err}`))));
    child.stdin.end(raw);
  });
}

/**
 * An HTTP server on loopback that answers 200 to everything and counts requests by path.
 * @param {TestContext} t
 */
export async function countingServer(t) {
  /** @type {Map<string, number>} */
  const hits = new Map();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<title>Confirmed</title><p>Confirmed</p>');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  t.after(() => new Promise((r) => server.close(() => r(undefined))));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { origin: `http://127.0.0.1:${port}`, hits: (/** @type {string} */ path) => hits.get(path) ?? 0 };
}
