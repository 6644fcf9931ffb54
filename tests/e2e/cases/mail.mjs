// @ts-check
// The e-mails of tests/e2e/mail-fill.test.mjs, mail-inbox.test.mjs and mail-address.test.mjs and
// what Latchkey must do with them: shared by Chromium's tests and Firefox's ports
// (tests/e2e-firefox/mail-fill.test.mjs, mail-inbox.test.mjs, mail-address.test.mjs).

/** A code e-mail 10 minutes old when the sign-in begins (stale: never filled). */
export const STALE = {
  subject: '111222 is your Northwind Cloud sign-in code',
  text: 'Your Northwind Cloud sign-in code is 111222.',
  code: '111222',
  ageSeconds: 600,
};

/** The same code e-mailed again, as "resend" would. @param {string} code */
export const resent = (code) => ({
  subject: `${code} is your Northwind Cloud sign-in code`,
  text: `Your Northwind Cloud sign-in code is ${code}.`,
});

/** The marks while a step waits: for an e-mail, for either kind. */
export const WAITING_EMAIL = 'Waiting for the e-mail code…';
export const WAITING_EITHER = 'Waiting for the SMS or e-mail code…';
/** How long the step shown again must stay empty (the time itself is what is checked). */
export const QUIET_MS = 3000;

/** The page whose field could take either kind of code ([site, file] of the fixtures server), and its e-mail. */
export const EITHER_PAGE = /** @type {const} */ (['demo', 'either-verify.html']);
export const EITHER_MAIL = {
  subject: 'Your verification code',
  text: 'Your verification code is 604125. It expires in 10 minutes.',
  code: '604125',
};

/** The codes e-mailed to the other account's address, before and after the choice. */
export const OPS_MAILS = [
  { subject: '777888 is your code', text: 'Your Northwind Cloud sign-in code is 777888.', code: '777888' },
  { subject: '666555 is your code', text: 'Your Northwind Cloud sign-in code is 666555.', code: '666555' },
];
/** The account the person picks, and what the page and the popup say around the choice. */
export const CHOSEN = 'Northwind Cloud team';
export const CHOOSE = 'choose one with the Latchkey button';
export const WAITING_CHOSEN = `Waiting for the code e-mailed to ${CHOSEN}`;
/** How long the asking page must stay empty. */
export const CHOOSE_QUIET_MS = 2000;
/** What the audit log says of the fill (never the code). */
export const FILLED_DETAIL = { site: 'demo.localhost', kind: 'email' };

/** The dashboard's inbox: a text, and an e-mail with a code and a verification link on `origin`. */
export const INBOX_SMS = { text: 'Your Northwind Cloud sign-in code is 111222.', code: '111222' };
export const INBOX_MAIL = {
  from: 'Northwind Cloud <security@northwind.test>',
  sender: 'security@northwind.test',
  subject: 'Verify your e-mail address',
  code: '482913',
  /** @param {string} origin */
  body: (origin) =>
    `Your Northwind Cloud verification code is 482913.\n\nOr confirm here:\n${origin}/verify?token=Zq81\n`,
  /** @param {string} origin */
  link: (origin) => `${origin}/verify?token=Zq81`,
};
/** The inbox item's meta line for the team account's e-mail. */
export const MAIL_META = /Northwind Cloud team · E-mail · /;

/** The dashboard's managed address of an account: its title, its button, the dialog's confirmation. */
export const ADDRESS = {
  title: 'Email Address Linked to Account',
  create: 'Create email address',
  /** @param {string} name */
  confirm: (name) => `I will add the email address to ${name} account settings`,
  /** What the account's steps say once it has an address. */
  fills: 'Latchkey fills its codes',
};
