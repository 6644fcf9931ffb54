// @ts-check
// The texts of tests/e2e/sms.test.mjs and what Latchkey must do with them: shared by Chromium's
// test and Firefox's tests/e2e-firefox/sms.test.mjs.

/** A text 10 minutes old when the sign-in begins (stale: never filled). */
export const STALE = { text: 'Your Northwind Cloud sign-in code is 111222.', code: '111222', ageSeconds: 600 };
/** A text whose code is bound to another site. */
export const OTHER_SITE = { text: 'Your code is 333444.\n\n@other.example #333444', code: '333444' };

/** The mark while the step waits for a text. */
export const WAITING = 'Waiting for the SMS code…';
/** How long the step shown again must stay empty (the time itself is what is checked). */
export const QUIET_MS = 3000;

/** The same code texted again, as "resend" would. @param {string} code */
export const resent = (code) => `Your Northwind Cloud sign-in code is ${code}. Don't share it with anyone.`;

/** The dashboard's inbox: texts before it opens (one hostile), and one while it is open. */
export const INBOX = {
  first: { text: "Your Northwind Cloud sign-in code is 482913. Don't share it with anyone.", code: '482913' },
  hostile: {
    text: '<img src=x onerror="document.title=\'owned\'"> Your code is 551234',
    shows: '<img src=x',
    code: '551234',
  },
  live: { text: 'Northwind: 907 311 is your verification code.', code: '907 311' },
};

/** A managed number as the dialog proposes it. */
export const NUMBER = /^\+1\d{10}$/;

/** The second Northwind login the owner adds, and the codes texted to its own number. */
export const OPS = {
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  site: 'demo.localhost',
  name: 'Northwind ops',
  app: 'northwind',
  first: { text: 'Your Northwind Cloud sign-in code is 777888.', code: '777888' },
  later: { text: 'Your Northwind Cloud sign-in code is 666555.', code: '666555' },
};
/** The account the person picks, and what the page and the popup say around the choice. */
export const CHOSEN = 'Northwind Cloud team';
export const CHOOSE = 'choose one with the Latchkey button';
export const TWO_MATCH = '2 accounts match';
export const WAITING_CHOSEN = `Waiting for the SMS code texted to ${CHOSEN}`;
/** How long the asking page must stay empty. */
export const CHOOSE_QUIET_MS = 2000;
