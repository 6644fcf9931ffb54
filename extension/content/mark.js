// @ts-check
/**
 * The small on-page mark beside a code field: "Waiting for the SMS code…" (or the e-mail code, or
 * either), a word that the
 * person must choose the account, that the inbox cannot be reached (the server is away), or that a
 * two-factor setup step gets no saved account's code. Text only, announced politely, dismissable;
 * it holds nothing but one of the fixed sentences below, never anything from the worker or the
 * page. Defines `globalThis.LatchkeyMark` (no modules in content scripts).
 */
(() => {
  const WAITING = 'Waiting for the SMS code…';
  const WAITING_EMAIL = 'Waiting for the e-mail code…';
  const WAITING_EITHER = 'Waiting for the SMS or e-mail code…';
  const CHOOSE = 'Several Latchkey accounts could get this code: choose one with the Latchkey button.';
  const UNREACHABLE = 'Latchkey cannot reach the SMS inbox: the server is unreachable. It keeps trying.';
  const SETUP = 'A new two-factor key: save it with the Latchkey button, and Latchkey fills its first code.';

  /** The mark, while shown. @type {HTMLElement | null} */
  let mark = null;

  /**
   * Shows `sentence` after the last field of a group, or changes the sentence of the mark shown.
   * @param {HTMLInputElement[]} fields
   * @param {typeof WAITING | typeof WAITING_EMAIL | typeof WAITING_EITHER | typeof CHOOSE | typeof UNREACHABLE |
   *   typeof SETUP} sentence
   */
  function show(fields, sentence) {
    if (mark?.isConnected) {
      /** @type {HTMLElement} */ (mark.firstChild).textContent = sentence;
      return;
    }
    const el = document.createElement('span');
    el.setAttribute('role', 'status');
    el.setAttribute('aria-live', 'polite');
    el.dataset.latchkey = 'mark'; // every sentence's mark, not only the SMS wait's
    el.style.cssText =
      'display:inline-flex;align-items:center;gap:4px;margin:4px;padding:2px 6px;border-radius:10px;' +
      'background:#eef3ff;color:#1d3a8a;font:12px/1.4 system-ui,sans-serif;border:1px solid #b9c8f5;';
    const label = document.createElement('span');
    label.textContent = sentence;
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Hide the Latchkey code mark');
    close.style.cssText = 'border:0;background:none;color:inherit;cursor:pointer;font:inherit;padding:0 2px;';
    close.addEventListener('click', hide);
    el.append(label, close);
    fields[fields.length - 1].insertAdjacentElement('afterend', el);
    mark = el;
  }

  function hide() {
    mark?.remove();
    mark = null;
  }

  globalThis.LatchkeyMark = Object.freeze({
    WAITING,
    WAITING_EMAIL,
    WAITING_EITHER,
    CHOOSE,
    UNREACHABLE,
    SETUP,
    show,
    hide,
  });
})();
