// @ts-check
// The attacks of tests/e2e/abuse-sms.test.mjs on "an SMS code is used once" and what Latchkey must
// answer: shared by Chromium's test and Firefox's tests/e2e-firefox/abuse-sms.test.mjs.

/** The text to the managed number, and the code in it. */
export const SMS_TEXT = 'Your Northwind Cloud sign-in code is 246810.';
export const SMS_CODE = '246810';

/** What the code step shows while Latchkey waits for a new text. */
export const WAITING = 'Waiting for the SMS code…';

/** How long the step shown again must stay empty (the time itself is what is checked). */
export const REPLAY_QUIET_MS = 3000;

/**
 * The page's half of the reload attack, run in every document of the tab before Latchkey fills:
 * on the first code typed into the field, keep it (sessionStorage `taken`) and reload at once.
 * Chromium runs it as an init script, Firefox in a probe content script (the listener sees the
 * same DOM events; sessionStorage is the page's).
 */
export function takeAndReload() {
  document.addEventListener(
    'input',
    (e) => {
      const field = /** @type {HTMLInputElement} */ (e.target);
      if (field.id !== 'otp' || sessionStorage.getItem('taken')) return;
      sessionStorage.setItem('taken', field.value);
      location.reload();
    },
    true,
  );
}
