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

/**
 * A field made invisible between detection and the fill (the second test of both suites): on
 * pair.localhost (`host` of the fixtures server) the field turns almost transparent by a CSS
 * animation (no mutation at all) that the test ends (`vanishNow`) once Latchkey has found the field
 * while visible, with two accounts so nothing fills until the person
 * picks one in the popup; on boxes.localhost six boxes turn transparent as the fill focuses the
 * first one. Neither gets a code; the pair page without the trick fills when the person picks.
 */
export const VANISH = {
  host: 'pair',
  site: 'pair.localhost',
  trick: 'vanish',
  accounts: ['First', 'Second'],
  /** The badge: the field found while visible, both accounts matching. */
  badge: '2',
  opacity: '0.01',
};
/**
 * Ends the page's vanish animation: run in the page. `Animation.finish()` changes no attribute or
 * node, so no mutation observer hears of it, as with a delay that ran out by itself.
 */
export const vanishNow = () => {
  for (const a of document.getAnimations()) a.finish();
};
export const HIDE_ON_FOCUS = { host: 'boxes', site: 'boxes.localhost', trick: 'hide-on-focus', opacity: '0.01' };
/** How long the fields must stay empty after the fill was asked for. */
export const LATE_QUIET_MS = 1500;
/** The popup's button that fills an account's code on the tab it is about. @param {string} name */
export const fillButtonName = (name) => `Fill code for ${name}`;

/**
 * Real widgets with something laid over their field on purpose (the third test of both suites,
 * tests/e2e/fixtures/fill-overlays.html `?widget=NAME` on `site`): a floating label, a placeholder,
 * boxes drawn under a transparent input all fill; under a cookie banner the field stays empty for
 * `quietMs`, and fills once the person accepts (the banner removed, the field and its ancestors
 * untouched).
 */
export const OVERLAYS = {
  site: 'fixtures.localhost',
  widgets: ['floating-label', 'placeholder', 'drawn-boxes'],
  banner: 'cookie-banner',
  accept: 'Accept',
  quietMs: 1000,
};
