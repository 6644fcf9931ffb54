// @ts-check
// The attack: a page takes over Latchkey's content script and reads the key a person pasted into
// Add account but has not saved yet, which the popup keeps as a draft while it is closed (issue 16):
// Chromium's tests/e2e/abuse-draft.test.mjs in Firefox with the built package, the key and the
// reading function from tests/e2e/cases/abuse-draft.mjs. The draft lives in `storage.session`,
// which the background restricts to trusted contexts (Firefox honours setAccessLevel there), so a
// content script finds it in no area it can read. Where Chromium reaches the content script's world
// through CDP, a probe content script added to a copy of the package runs the same function.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEY, areasHolding } from '../e2e/cases/abuse-draft.mjs';
import { startFixtures } from '../e2e/harness.mjs';
import { askProbe, launchFirefox, openPopup, packageWithProbe } from './firefox.mjs';

/** On the page's `latchkey-probe` event, the areas holding the key, into the DOM for the test. */
const PROBE = `document.addEventListener('latchkey-probe', (e) => {
  const answer = (r) => { document.documentElement.dataset.probeReply = JSON.stringify(r); };
  (${areasHolding})(JSON.parse(String(e.detail)).key).then(answer, (err) => answer({ thrown: String(err) }));
});
document.documentElement.dataset.probeReady = '1';
`;

test('Firefox: a content script cannot read the Add account draft (the key pasted before Done)', async (t) => {
  const fixtures = await startFixtures(t);
  const ff = await launchFirefox(t, { addon: await packageWithProbe(t, PROBE) });
  const popup = await openPopup(ff);
  await ff.click('#add-open');
  await ff.type('#secret', KEY);
  await ff.closeTab(popup); // a click outside the popup closes it
  // Latchkey's own pages read it back: the draft is kept for the popup.
  const reader = await openPopup(ff);
  /** @type {any} */
  const kept = await ff.run(async () => (await chrome.storage.session.get('addDraft')).addDraft);
  assert.equal(kept?.secret, KEY, 'the draft is kept for the popup');
  await ff.closeTab(reader);

  await ff.newTab();
  await ff.go(fixtures.url('fixtures', 'verify.html'));
  const read = await askProbe(ff, { key: KEY });
  assert.deepEqual(read, [], `the content script read the draft: ${JSON.stringify(read)}`);
  assert.ok(!JSON.stringify(read).includes(KEY), 'the key reached the content script');
});
