// @ts-check
// Where codes must NOT go, in Firefox with the built package: another site, hidden fields, frames of
// another site, a page with several matching accounts (the person chooses in the popup), fields a
// person typed in; and what a content script cannot do: read the accounts, or send the pages'
// requests. Chromium's tests/e2e/policy.test.mjs (its badge test runs in small-things.test.mjs),
// pages, requests and answers from tests/e2e/cases/policy.mjs. One Firefox for the fill tests, each
// starting with no account, cookie or other tab; the content-script test has its own, with a probe
// content script beside Latchkey's (what code that took over a content script could do, where
// Chromium's test reaches the content script's world through CDP).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import {
  FRAME_ACCOUNTS,
  FRAMES,
  FROM_PAGE,
  FROM_PAGE_ANSWER,
  HIDDEN,
  HIDDEN_FIELDS,
  LATE,
  LATE_TYPED,
  NAMED_REQUESTS,
  NO_ACCOUNT_BADGE,
  OTHER_VERIFY,
  OWN_SITE,
  PAGE_REQUESTS,
  PAGES_ONLY,
  PERSONAL,
  SECRET_HOLDER,
  TEAM,
  TWO_BADGE,
  TWO_MATCH,
  TYPED,
  UNKNOWN,
  UNKNOWN_ANSWER,
  VERIFY,
  everyRequest,
} from '../e2e/cases/policy.mjs';
import { referenceCodesBetween, startFixtures } from '../e2e/harness.mjs';
import { oneFirefox } from './accounts.mjs';
import { showsText } from './console.mjs';
import {
  addThroughPopup,
  askProbe,
  filledOtpIn,
  launchFirefox,
  openPopup,
  packageWithProbe,
  sharedContext,
  waitForBadge,
  waitIn,
} from './firefox.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * Does what the page asks in a `latchkey-probe` event, as a content script: `storage` reads every
 * item of `chrome.storage.local`; `send` sends each of `messages` to the background. The answer
 * (or what was thrown) goes back into the DOM.
 */
const PROBE = `document.addEventListener('latchkey-probe', (e) => {
  const ask = JSON.parse(String(e.detail));
  const answer = (r) => { document.documentElement.dataset.probeReply = JSON.stringify(r ?? null); };
  const run = ask.op === 'storage'
    ? chrome.storage.local.get(null).then((items) => ({ value: JSON.stringify(items) }))
    : Promise.all(ask.messages.map((m) => chrome.runtime.sendMessage(m))).then((value) => ({ value }));
  run.then(answer, (err) => answer({ error: String(err && err.message) }));
});
document.documentElement.dataset.probeReady = '1';
`;

const shared = sharedContext(after);
const firefox = oneFirefox(after);
/** @type {ReturnType<typeof startFixtures> | undefined} */
let fixturesServer;
const fixtures = () => {
  fixturesServer ??= startFixtures(shared);
  return fixturesServer;
};

const newKey = () => new OTPAuth.Secret({ size: 20 }).base32;

/** The value of the current page's field `css`. @param {Firefox} ff @param {string} css */
const fieldValue = (ff, css) =>
  ff.run((c) => /** @type {HTMLInputElement | null} */ (document.querySelector(c))?.value ?? null, css);

/** The six digits in the current page's field `css`, once there. @param {Firefox} ff @param {string} css */
const filledIn = (ff, css) =>
  waitIn(
    ff,
    (c) => {
      const v = /** @type {HTMLInputElement | null} */ (document.querySelector(c))?.value ?? '';
      return /^\d{6}$/.test(v) ? v : null;
    },
    `six digits in ${css}`,
    css,
  );

test('Firefox: the same verify form on another site is not filled (and is on the account’s site)', async () => {
  const f = await fixtures();
  const ff = await firefox();
  const popup = await ff.handle();
  const secret = newKey();
  await addThroughPopup(ff, { secret, site: OWN_SITE });

  await ff.newTab();
  const before = Date.now();
  await ff.go(f.url(...VERIFY));
  const code = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(secret, before, Date.now()).includes(code));

  const other = await ff.newTab();
  const otherUrl = f.url(...OTHER_VERIFY);
  await ff.go(otherUrl);
  // The grey dot means the background saw the field and matched no account: the decision is made.
  await waitForBadge(ff, { from: popup, back: other, url: otherUrl, text: NO_ACCOUNT_BADGE, what: 'the grey badge' });
  assert.equal(await fieldValue(ff, '#otp'), '');
});

test('Firefox: hidden code fields are never filled', async () => {
  const f = await fixtures();
  const ff = await firefox();
  await addThroughPopup(ff, { secret: newKey(), site: OWN_SITE });
  await ff.newTab();
  await ff.go(f.url(...HIDDEN));
  await filledIn(ff, '#visible');
  const hidden = await ff.run(() =>
    Array.from(document.querySelectorAll('input'))
      .filter((i) => i.id !== 'visible')
      .map((i) => [i.id, i.value]),
  );
  assert.equal(hidden.length, HIDDEN_FIELDS);
  assert.deepEqual(
    hidden.filter(([, value]) => value !== ''),
    [],
    'no hidden field got a value',
  );
});

const FRAMES_TEST = 'a frame of another site is not filled, even with an account for that site; a same-site frame is';

test(`Firefox: ${FRAMES_TEST}`, async () => {
  const f = await fixtures();
  const ff = await firefox();
  const popup = await ff.handle();
  for (const account of FRAME_ACCOUNTS) await addThroughPopup(ff, { secret: newKey(), ...account });
  const page = await ff.newTab();
  const url = f.url(...FRAMES);
  await ff.go(url);
  await ff.frame('#same-site');
  await filledOtpIn(ff);
  await ff.top();
  // Both frames reported at load; the same-site one was filled, so the other was judged too.
  await waitForBadge(ff, { from: popup, back: page, url, text: '1', what: 'the badge to count the same-site frame' });
  await ff.frame('#cross-site');
  await waitIn(ff, () => document.querySelector('#otp'), 'the cross-site frame’s field');
  assert.equal(await fieldValue(ff, '#otp'), '');
  await ff.top();
});

const TWO_TEST = 'two accounts for one site: nothing is filled, the badge says 2; the popup’s Fill chooses';

test(`Firefox: ${TWO_TEST}`, async () => {
  const f = await fixtures();
  const ff = await firefox();
  const setup = await ff.handle();
  const team = newKey();
  const personal = newKey();
  await addThroughPopup(ff, { secret: team, ...TEAM });
  await addThroughPopup(ff, { secret: personal, ...PERSONAL });

  const page = await ff.newTab();
  const url = f.url(...VERIFY);
  await ff.go(url);
  await waitForBadge(ff, { from: setup, back: page, url, text: TWO_BADGE, what: 'the badge to show 2' });
  assert.equal(await fieldValue(ff, '#otp'), '', 'nothing filled while two accounts match');

  await openPopup(ff, url);
  await showsText(ff, '#on-page-note', TWO_MATCH);
  const before = Date.now();
  await ff.click(`#on-page button[aria-label="Fill code for ${TEAM.name}"]`);
  await ff.switchTo(page);
  const code = await filledOtpIn(ff);
  assert.ok(referenceCodesBetween(team, before, Date.now()).includes(code), 'the chosen account’s code');
  assert.ok(!referenceCodesBetween(personal, before, Date.now()).includes(code));
});

const LATE_TEST = 'a field that appears later is filled; one a person already typed in is left alone';

test(`Firefox: ${LATE_TEST}`, async () => {
  const f = await fixtures();
  const ff = await firefox();
  const popup = await ff.handle();
  await addThroughPopup(ff, { secret: newKey(), site: OWN_SITE });

  await ff.newTab();
  await ff.go(f.url(...LATE));
  await ff.press('Continue');
  await filledIn(ff, '#code');

  const typed = await ff.newTab();
  const typedUrl = f.url(...LATE_TYPED);
  await ff.go(typedUrl);
  await ff.press('Continue');
  await waitForBadge(ff, {
    from: popup,
    back: typed,
    url: typedUrl,
    text: '1',
    what: 'the background to judge the field',
  });
  assert.equal(await fieldValue(ff, '#code'), TYPED);
});

const PROBE_TEST = 'a content script can neither read the stored accounts nor send any of the pages’ requests';

test(`Firefox: ${PROBE_TEST}`, async (t) => {
  const f = await fixtures();
  // A Firefox of its own: the package with the probe beside Latchkey's content scripts.
  const ff = await launchFirefox(t, { addon: await packageWithProbe(t, PROBE) });
  await openPopup(ff);
  const secret = newKey();
  await addThroughPopup(ff, { secret, ...SECRET_HOLDER });
  await ff.newTab();
  await ff.go(f.url(...VERIFY));
  await filledOtpIn(ff);

  // Firefox lets a content script read storage.local (it has no access levels there: docs/firefox.md);
  // Latchkey keeps nothing in it, so the read finds no account (Chromium refuses the read itself).
  const storage = await askProbe(ff, { op: 'storage' });
  assert.ok(
    !('value' in storage) || (!String(storage.value).includes('otpauth') && !String(storage.value).includes(secret)),
    `storage readable: ${JSON.stringify(storage)}`,
  );

  const replies = await askProbe(ff, { op: 'send', messages: NAMED_REQUESTS });
  assert.ok('value' in replies, JSON.stringify(replies));
  for (const reply of /** @type {Array<{ok: boolean, error?: string}>} */ (replies.value)) {
    assert.deepEqual(reply, PAGES_ONLY);
  }
  // Every request of the pages' protocol, by name (tsc makes the list follow PageRequests), is
  // refused from a content script, whatever its fields.
  const everyName = Object.keys(PAGE_REQUESTS);
  const all = await askProbe(ff, { op: 'send', messages: everyName.map(everyRequest) });
  assert.ok('value' in all, JSON.stringify(all));
  /** @type {Array<{ok: boolean, error?: string}>} */ (all.value).forEach((reply, i) => {
    assert.deepEqual(reply, PAGES_ONLY, everyName[i]);
  });
  // The other way round: a content request from one of Latchkey's pages is no frame's report, and a
  // name outside the protocol is nobody's.
  assert.deepEqual(await askProbe(ff, { op: 'send', messages: [UNKNOWN] }), { value: [UNKNOWN_ANSWER] });
  await openPopup(ff);
  assert.deepEqual(await ff.run((m) => chrome.runtime.sendMessage(m), FROM_PAGE), FROM_PAGE_ANSWER);
  // The popup opened again lists what is stored.
  await waitIn(ff, () => document.querySelectorAll('li.account .name').length > 0, 'the list');
  assert.deepEqual(
    await ff.run(() => [...document.querySelectorAll('li.account .name')].map((n) => n.textContent)),
    [SECRET_HOLDER.name],
    'nothing was added',
  );
});
