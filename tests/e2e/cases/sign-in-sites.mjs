// @ts-check
// An app's sign-in on another registrable domain than the account's site (tests/e2e/sign-in-sites.test.mjs):
// the hosts, the certificate the test's HTTPS server shows for them, and what each must get; shared
// by Chromium's test and Firefox's tests/e2e-firefox/sign-in-sites.test.mjs.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The account's site; its sign-in host (filled); another host of the company and a look-alike (not). */
export const ACCOUNT_SITE = 'live.com';
export const SIGN_IN_HOST = 'login.microsoftonline.com';
export const NOT_SIGN_IN = ['www.microsoft.com', 'evil-live.com'];
export const HOSTS = [SIGN_IN_HOST, ...NOT_SIGN_IN];
/** The page each host serves: the fixtures' verify form. */
export const VERIFY = fileURLToPath(new URL('../fixtures/verify.html', import.meta.url));

/**
 * A throwaway certificate for HOSTS: its key and certificate (PEM), its DER in base64 (for
 * Firefox's certificate overrides), and the base64 SHA-256 of its public key (for Chromium).
 * @param {{after: (fn: () => unknown) => void}} t
 */
export async function certificate(t) {
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
  const certDer = execFileSync('openssl', ['x509', '-in', cert, '-outform', 'der']).toString('base64');
  return { key: await readFile(key), cert: await readFile(cert), hash, certDer };
}
