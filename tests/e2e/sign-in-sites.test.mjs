// @ts-check
// An app's sign-in on another registrable domain than the account's site: a Microsoft account saved
// for live.com gets its code on login.microsoftonline.com (a sign-in host of its line in
// extension/data/sign-in-sites.txt), and neither another host of the same company
// (www.microsoft.com) nor a look-alike domain does. These are real HTTPS pages: Chromium resolves
// the names to a loopback server with a certificate made for the test (codes go only to HTTPS
// pages off localhost). Hosts and certificate: tests/e2e/cases/sign-in-sites.mjs.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { ACCOUNT_SITE, HOSTS, NOT_SIGN_IN, SIGN_IN_HOST, VERIFY, certificate } from './cases/sign-in-sites.mjs';
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

// Not on another Microsoft host, nor on a look-alike.
test('a code saved for live.com is filled on login.microsoftonline.com, not on other hosts', async (t) => {
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
  await addThroughPopup(popup, { secret, site: ACCOUNT_SITE });

  const login = await ctx.newPage();
  const before = Date.now();
  await login.goto(`https://${SIGN_IN_HOST}:${port}/verify.html`);
  const code = await filledIn(login.locator('#otp'));
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));

  // The company's other hosts are not its sign-in: before hosts were listed, every page of
  // microsoft.com got the code.
  for (const host of NOT_SIGN_IN) {
    const other = await ctx.newPage();
    await other.goto(`https://${host}:${port}/verify.html`);
    await waitFor(
      async () => (await badgeOf(ctx, other)) === '•',
      `the grey badge on ${host}: a field, no account for this site`,
    );
    assert.equal(await other.locator('#otp').inputValue(), '', host);
  }
});
