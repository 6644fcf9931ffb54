// @ts-check
/**
 * The user name of a sign-in step: when the person types or fills a user name or e-mail address
 * into a sign-in form (and leaves the field, or submits), the worker is told, so that the code
 * step that follows fills the account saved with that name when several match the site. Never a
 * password: password fields, and anything typed as one, are never read. The worker keeps the name
 * only for this tab, and only when an account is saved for this site. Only what the person (or the
 * browser's own autofill) put in counts: the value as of the last trusted `input` or `change`
 * event. A page's script that sets a name and fires its own events would otherwise choose which of
 * several saved accounts' codes it gets. Loaded after messaging.js.
 */
(() => {
  const messages = globalThis.LatchkeyMessages;
  if (!messages) return;

  /** Names and ids of user-name fields that do not say so in `autocomplete` or their type. */
  const NAMED = /user|e-?mail|login|account|identifier|signin|sign_in/i;
  /** Input types a user name is typed into. */
  const TYPES = new Set(['', 'text', 'email']);
  /** `autocomplete` tokens of fields that are no user name. */
  const OTHER = /one-time-code|password|cc-|tel|postal|address|name/;
  let last = '';
  /** Each user-name field's value as the person last left it (trusted events only). */
  const typed = new WeakMap();

  /** Whether a field takes the user name of a sign-in form. @param {EventTarget | null} el */
  function isUsernameField(el) {
    if (!(el instanceof HTMLInputElement) || !TYPES.has((el.getAttribute('type') || '').toLowerCase())) return false;
    const ac = (el.getAttribute('autocomplete') || '').toLowerCase();
    if (/\b(username|email)\b/.test(ac)) return true;
    if (OTHER.test(ac)) return false;
    if (el.type !== 'email' && !NAMED.test(`${el.name} ${el.id}`)) return false;
    // A sign-in form: a password beside it, or a user-name-first step (one or two typed fields).
    const form = el.form;
    if (!form) return false;
    const typed = [...form.querySelectorAll('input')].filter((i) => TYPES.has(i.type) || i.type === 'password');
    return typed.some((i) => i.type === 'password') || typed.length <= 2;
  }

  /** @param {HTMLInputElement} field */
  function tell(field) {
    const value = String(typed.get(field) ?? '').trim();
    if (!value || value === last || value.length > 254) return;
    last = value;
    void messages.ask('username', { value });
  }

  /** Keeps what the person typed; a script's change of the value is never kept. @param {Event} e */
  function keep(e) {
    const field = e.composedPath()[0] ?? e.target;
    if (!e.isTrusted || !(field instanceof HTMLInputElement)) return null;
    typed.set(field, field.value);
    return field;
  }

  addEventListener('input', keep, { capture: true, passive: true });
  addEventListener(
    'change',
    (e) => {
      const field = keep(e);
      if (field && isUsernameField(field)) tell(field);
    },
    { capture: true, passive: true },
  );
  addEventListener(
    'submit',
    (e) => {
      if (!(e.target instanceof HTMLFormElement)) return;
      const field = [...e.target.querySelectorAll('input')].find(isUsernameField);
      if (field) tell(field);
    },
    { capture: true, passive: true },
  );
})();
