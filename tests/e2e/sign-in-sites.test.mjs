// @ts-check
// An app's sign-in on another registrable domain than the account's site: a Microsoft account saved
// for live.com gets its code on login.microsoftonline.com (a sign-in host of its line in
// extension/data/sign-in-sites.txt), and neither another host of the same company
// (www.microsoft.com) nor a look-alike domain does. These are real HTTPS pages: Chromium resolves
// the names to a loopback server with a certificate made for the test (codes go only to HTTPS
// pages off localhost).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as OTPAuth from 'otpauth';
import {
  addThroughPopup,
  badgeOf,
  filledIn,
  launchBrowser,
  listenOnLoopback,
  openPopup,
  referenceCodesBetween,
  waitFor,
} from './harness.mjs';

const HOSTS = ['login.microsoftonline.com', 'www.microsoft.com', 'evil-live.com'];
const VERIFY = fileURLToPath(new URL('./fixtures/verify.html', import.meta.url));

/**
 * A throwaway certificate for HOSTS, and the base64 SHA-256 of its public key for Chromium.
 * @param {import('node:test').TestContext} t
 */
async function certificate(t) {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-tls-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=latchkey-test',
      '-addext',
      `subjectAltName=${HOSTS.map((h) => `DNS:${h}`).join(',')}`,
    ],
    { stdio: 'ignore' },
  );
  const spki = execFileSync('openssl', ['x509', '-in', cert, '-pubkey', '-noout']);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: spki });
  const hash = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
  return { key: await readFile(key), cert: await readFile(cert), hash };
}

test('a code saved for live.com is filled on login.microsoftonline.com, not on another Microsoft host nor a look-alike', async (t) => {
  const tls = await certificate(t);
  const page = await readFile(VERIFY);
  const server = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
  });
  const port = await listenOnLoopback(t, server);
  const ctx = await launchBrowser(t, [
    `--host-resolver-rules=${HOSTS.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', ')}`,
    `--ignore-certificate-errors-spki-list=${tls.hash}`,
  ]);

  const popup = await openPopup(ctx);
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(popup, { secret, site: 'live.com' });

  const login = await ctx.newPage();
  const before = Date.now();
  await login.goto(`https://login.microsoftonline.com:${port}/verify.html`);
  const code = await filledIn(login.locator('#otp'));
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));

  // The company's other hosts are not its sign-in: before hosts were listed, every page of
  // microsoft.com got the code.
  for (const host of ['www.microsoft.com', 'evil-live.com']) {
    const other = await ctx.newPage();
    await other.goto(`https://${host}:${port}/verify.html`);
    await waitFor(
      async () => (await badgeOf(ctx, other)) === '•',
      `the grey badge on ${host}: a field, no account for this site`,
    );
    assert.equal(await other.locator('#otp').inputValue(), '', host);
  }
});
