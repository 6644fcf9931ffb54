// @ts-check
// The attack: a page takes over Latchkey's content script and reads the key a person pasted into
// Add account but has not saved yet, which the popup keeps as a draft while it is closed (issue 16):
// Chromium's tests/e2e/abuse-draft.test.mjs in Firefox with the built package, the key and the
// reading function from tests/e2e/cases/abuse-draft.mjs. The draft lives in `storage.session`,
// which Firefox ESR 153 gives no content script at all (`chrome.storage.session` is undefined
// there, and `setAccessLevel` with it: checked), where Chromium restricts it by setAccessLevel; a
// content script can read `storage.local` in Firefox, so a draft kept there would be found. Where
// Chromium reaches the content script's world through CDP, a probe content script added to a copy
// of the package runs the same function.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEY, areasHolding } from '../e2e/cases/abuse-draft.mjs';
import { startFixtures } from '../e2e/harness.mjs';
import { askProbe, launchFirefox, openPopup, packageWithProbe, waitIn } from './firefox.mjs';

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
  // Kept for the popup (before it closes: a write still under way when it closes may be lost).
  /** @type {any} */
  const kept = await waitIn(
    ff,
    async () => (await chrome.storage.session.get('addDraft')).addDraft,
    'the draft kept for the popup',
  );
  assert.equal(kept?.secret, KEY, 'the draft is kept for the popup');
  await ff.closeTab(popup); // a click outside the popup closes it

  await ff.newTab();
  await ff.go(fixtures.url('fixtures', 'verify.html'));
  const read = await askProbe(ff, { key: KEY });
  assert.deepEqual(read, [], `the content script read the draft: ${JSON.stringify(read)}`);
  assert.ok(!JSON.stringify(read).includes(KEY), 'the key reached the content script');
});
