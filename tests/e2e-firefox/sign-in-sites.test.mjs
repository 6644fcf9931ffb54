// @ts-check
// An app's sign-in on another registrable domain than the account's site, in Firefox with the
// built package: Chromium's tests/e2e/sign-in-sites.test.mjs, hosts and certificate from
// tests/e2e/cases/sign-in-sites.mjs. A Microsoft account saved for live.com gets its code on
// login.microsoftonline.com (a sign-in host of its line in extension/data/sign-in-sites.txt), and
// neither another host of the same company (www.microsoft.com) nor a look-alike domain does. Real
// HTTPS pages: Firefox resolves the names to the loopback server (network.dns.localDomains, where
// Chromium takes --host-resolver-rules) and takes the test's certificate for those hosts and that
// port only (a certificate override, as a person's "Accept the risk" makes, where Chromium takes
// --ignore-certificate-errors-spki-list).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { ACCOUNT_SITE, HOSTS, NOT_SIGN_IN, SIGN_IN_HOST, VERIFY, certificate } from '../e2e/cases/sign-in-sites.mjs';
import { listenOnLoopback, referenceCodesBetween } from '../e2e/harness.mjs';
import { addThroughPopup, filledOtpIn, launchFirefox, openPopup, waitForBadge, waitIn } from './firefox.mjs';

test('Firefox: a code saved for live.com is filled on login.microsoftonline.com, not on other hosts', async (t) => {
  const tls = await certificate(t);
  const page = await readFile(VERIFY);
  const server = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
  });
  const port = await listenOnLoopback(t, server);
  const ff = await launchFirefox(t, { prefs: { 'network.dns.localDomains': HOSTS.join(',') } });
  const overridden = await ff.privileged(
    `const [der, hosts, port] = arguments;
    const cert = Cc['@mozilla.org/security/x509certdb;1'].getService(Ci.nsIX509CertDB).constructX509FromBase64(der);
    const overrides = Cc['@mozilla.org/security/certoverride;1'].getService(Ci.nsICertOverrideService);
    for (const host of hosts) overrides.rememberValidityOverride(host, port, {}, cert, true);
    return hosts.every((host) => overrides.hasMatchingOverride(host, port, {}, cert, {}));`,
    [tls.certDer, HOSTS, port],
  );
  assert.equal(overridden, true, 'the test certificate taken for its hosts');

  const popup = await openPopup(ff);
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(ff, { secret, site: ACCOUNT_SITE });

  await ff.newTab();
  const before = Date.now();
  await ff.go(`https://${SIGN_IN_HOST}:${port}/verify.html`);
  await waitIn(ff, () => location.protocol === 'https:' && document.querySelector('#otp'), 'the HTTPS sign-in page');
  const code = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));

  // The company's other hosts are not its sign-in: before hosts were listed, every page of
  // microsoft.com got the code.
  for (const host of NOT_SIGN_IN) {
    const other = await ff.newTab();
    const url = `https://${host}:${port}/verify.html`;
    await ff.go(url);
    await waitForBadge(ff, {
      from: popup,
      back: other,
      url,
      text: '•',
      what: `the grey badge on ${host}: a field, no account for this site`,
    });
    assert.equal(await ff.run(() => /** @type {HTMLInputElement} */ (document.querySelector('#otp')).value), '', host);
  }
});
