// @ts-check
// The attacks of tests/e2e/abuse-mail.test.mjs (hostile e-mail against the e-mailed code fill)
// and what Latchkey must answer: shared by Chromium's test and Firefox's
// tests/e2e-firefox/abuse-mail.test.mjs.

/** What the code step shows while two accounts could have been mailed (the person must choose). */
export const CHOOSE = 'choose one with the Latchkey button';

/** The account the person picks in the popup. */
export const CHOSEN = 'Northwind Cloud team';

/**
 * How long to wait after the sign-in's own e-mail before the attacks: arrival times are whole
 * seconds, and of equal ones the first wins; a second later each attack is its inbox's newest.
 */
export const ARRIVAL_GAP_MS = 1_100;

/** How long the field must stay empty after the attacks (the time itself is what is checked). */
export const QUIET_MS = 1000;

/** To this account's address, binding its code to another site (a code phished for another site). */
export const BOUND_CODE = '333444';
/** To another account's address, its `To:` header naming this account's address. */
export const FORGED_TO_CODE = '777888';

/**
 * The two attack e-mails, for `mailTo` of tests/e2e/mail.mjs.
 * @param {string} team this account's managed address @param {string} ops the other account's
 */
export const attackMails = (team, ops) => [
  {
    to: team,
    subject: 'Your Northwind Cloud sign-in code',
    text: `Your Northwind Cloud sign-in code is ${BOUND_CODE}.\n\n@other.example #${BOUND_CODE}`,
  },
  {
    to: ops,
    headerTo: team,
    subject: `${FORGED_TO_CODE} is your Northwind Cloud sign-in code`,
    text: `Your Northwind Cloud sign-in code is ${FORGED_TO_CODE}.`,
  },
];
