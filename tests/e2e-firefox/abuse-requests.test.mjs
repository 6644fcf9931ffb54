// @ts-check
// The attack: code that took over a Latchkey content script on one site (a page that exploited
// it, or the renderer it shares) asks the background for what only Latchkey's own pages may ask
// (the account list, every code, adding an account), and for another site's code by describing
// its frame as that site's. The background judges a sender only by what Firefox reports about it
// (extension/background/senders.js): the page requests are refused, and the frame is the one the
// content script runs in, whatever the message says. A probe content script, added to a copy of
// the Firefox package like Latchkey's own, sends what the page hands it; the same probe on the
// account's own site gets its code, so the refusals are the rule and not a broken probe.
// Chromium's counterparts reach the content script's world through CDP (abuse-offline, abuse-draft).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { referenceCodesBetween, startFixtures } from '../e2e/harness.mjs';
import { addThroughPopup, askProbe, launchFirefox, openPopup, packageWithProbe } from './firefox.mjs';

/** Sends the message the page puts in a `latchkey-probe` event; the reply goes back into the DOM. */
const PROBE = `document.addEventListener('latchkey-probe', (e) => {
  const message = JSON.parse(String(e.detail));
  const answer = (r) => { document.documentElement.dataset.probeReply = JSON.stringify(r ?? null); };
  chrome.runtime.sendMessage(message).then(answer, (err) => answer({ thrown: String(err && err.message) }));
});
document.documentElement.dataset.probeReady = '1';
`;

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * A `fields` request (one code field), again while it is told to wait for the next period.
 * @param {Firefox} ff @param {object} claims
 */
async function askForCode(ff, claims) {
  for (;;) {
    const reply = await askProbe(ff, { type: 'fields', groups: 1, ...claims });
    if (!reply?.retryIn) return reply;
    await new Promise((r) => setTimeout(r, reply.retryIn));
  }
}

test('Firefox: a content script asking for the accounts, all codes or another site’s code is refused', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t, { addon: await packageWithProbe(t, PROBE) });
  const popup = await openPopup(ff);
  const base32 = new OTPAuth.Secret({ size: 20 }).base32;
  await addThroughPopup(ff, { secret: base32, site: 'fixtures.localhost' });
  const own = fixtures.url('fixtures', 'verify.html');

  await ff.newTab();
  await ff.go(fixtures.url('evil', 'verify.html'));
  const pageOnly = { ok: false, error: 'Only Latchkey’s own pages may ask that.' };
  assert.deepEqual(await askProbe(ff, { type: 'list' }), pageOnly);
  assert.deepEqual(await askProbe(ff, { type: 'codes' }), pageOnly);
  const planted = new OTPAuth.Secret({ size: 20 }).base32;
  assert.deepEqual(
    await askProbe(ff, { type: 'add', secret: planted, name: 'Planted', site: 'evil.localhost' }),
    pageOnly,
  );
  // The frame's own description in the message is not believed: evil.localhost gets no code.
  const claimed = await askForCode(ff, { url: own, topUrl: own, origin: new URL(own).origin, frameId: 0 });
  assert.equal(claimed.ok, true, JSON.stringify(claimed));
  assert.equal(claimed.code, undefined, `evil.localhost was given a code: ${JSON.stringify(claimed)}`);

  // The same probe on the account's own site is given its code.
  await ff.go(own);
  const before = Date.now();
  const given = await askForCode(ff, {});
  assert.ok(referenceCodesBetween(base32, before, Date.now()).includes(given.code), JSON.stringify(given));

  // Nothing was added: the popup still lists the one account.
  await ff.switchTo(popup);
  const sites = await ff.run(async () =>
    (await chrome.runtime.sendMessage({ type: 'list' })).accounts.map((/** @type {{site: string}} */ a) => a.site),
  );
  assert.deepEqual(sites, ['fixtures.localhost']);
});
