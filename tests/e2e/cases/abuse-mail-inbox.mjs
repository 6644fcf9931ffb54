// @ts-check
// The hostile HTML e-mail of tests/e2e/abuse-mail-inbox.test.mjs and what the dashboard's inbox
// must show of it: shared by Chromium's test and Firefox's tests/e2e-firefox/abuse-mail-inbox.test.mjs.

export const FROM = 'Northwind Cloud <security@northwind.test>';
export const SUBJECT = 'Your code';
export const CODE = '551234';

/** The paths the e-mail points at: its script's fetch, its image, its style's image, its http link. */
export const FETCHED_PATHS = ['/script', '/pixel.gif', '/style.png', '/confirm'];
/** The http link, opened only on the click. */
export const CONFIRM = '/confirm?t=2';

/** Nothing of the e-mail's HTML may be in the page: any of these inside the shown e-mail is. */
export const FROM_HTML = 'script, img, a, style, b, p[onmouseover], [style]';
/** The text that must show. */
export const SHOWN_TEXT = /Your Northwind Cloud code is/;
/** How long the shown e-mail is watched after the pointer went over it (nothing may run). */
export const LINGER_MS = 1000;

/**
 * The e-mail: a script, a tracking image, a style fetching an image, an inline handler, an http
 * link and a `javascript:` one, all pointing at `origin` (a server that counts requests).
 * @param {string} origin
 */
export const hostileHtml = (origin) =>
  [
    '<html><head><style>body{background:url(SITE/style.png)}</style></head><body>',
    "<script>document.title='owned';fetch('SITE/script')</script>",
    '<img src="SITE/pixel.gif" width="1" height="1">',
    `<p onmouseover="document.title='owned'">Your Northwind Cloud code is <b style="font-size:32px">${CODE}</b></p>`,
    '<p><a href="SITE/confirm?t=2">Confirm your address</a>',
    '<a href="javascript:document.title=\'owned\'">Unsubscribe</a></p>',
    '</body></html>',
  ]
    .join('\n')
    .replaceAll('SITE', origin);
