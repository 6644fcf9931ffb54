// @ts-check
// Small things people notice (issue 16), shared by Chromium's small-things.test.mjs (and the badge
// by policy.test.mjs) and Firefox's small-things.test.mjs: what is typed and what must be seen.

/** A key pasted into Add account. */
export const KEY = 'JBSWY3DPEHPK3PXP';

/** What is typed on the Save Code step before the popup is closed; it must be there again. */
export const DRAFT = { name: 'Drafted', site: 'drafted.example' };

/** The heading of the Save Code step. */
export const SAVE_CODE_HEADING = 'Enter this code in the app';

/** The site of the account whose Copy button is clicked. */
export const COPY_SITE = 'copy.example';

/** The toolbar badge: a code field with no account for it, and with one account. */
export const BADGE = { noAccount: '•', oneAccount: '1' };

/** What the popup's "On this page" says of a code field on fixtures.localhost with no account for it. */
export const NO_ACCOUNT_SENTENCE = 'fixtures.localhost asks for a code, but no account is saved for it.';

/** Removing Bob from Alice's shared account (the workspace's demo data): asked, then said. */
export const REMOVE = {
  button: 'Remove bob@northwind.test from ',
  heading: /^Remove Bob from /,
  asked: /changes the account’s key/,
  done: /Removed Bob from .*\. They no longer get its codes\./,
  leftToDo: [/change the password at the app/, /new key/],
};

/** A locked popup: its banner, what it says, and what it does not show. */
export const LOCKED = {
  title: 'Latchkey is locked',
  text: /unlock PIN/,
  hidden: ['#view-list', '#add-open', '#profile-open'],
};
