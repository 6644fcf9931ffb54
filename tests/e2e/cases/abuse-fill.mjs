// @ts-check
// The tricks of tests/e2e/fixtures/abuse-fill.html (one per page, `?trick=NAME`) a page plays to get
// a code into a field the person cannot see, each with what it does: shared by Chromium's
// tests/e2e/abuse-fill.test.mjs and Firefox's tests/e2e-firefox/abuse-fill.test.mjs.

/** @type {Record<string, string>} */
export const TRICKS = {
  faint: 'a field at opacity 0.01',
  'ancestor-transparent': 'an ancestor at opacity 0',
  'ancestor-faint': 'an ancestor at opacity 0.05',
  'clip-path': 'clip-path: inset(50%)',
  'overflow-cut': 'an overflow:hidden ancestor of height 0',
  overlay: 'an opaque element over the field',
  'overlay-shadow': 'an opaque element from a shadow root over the field',
  'off-screen-left': 'positioned 10,000 px to the left',
  'off-screen-right': 'positioned right of a window that cannot scroll there',
};
