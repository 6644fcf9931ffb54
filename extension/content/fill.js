// @ts-check
/**
 * Latchkey's fill engine: puts a code into a group of fields the way typing would, as far as the
 * page can tell, and checks that it took. It decides nothing about whether to fill (autofill.js
 * does) and uses no extension API, so a test page can load it alone
 * (tests/e2e/fill-engine.test.mjs). Defines `globalThis.LatchkeyFill` (no modules in content
 * scripts).
 *
 * - The value goes through the input prototype's setter, with the events a keyboard makes:
 *   keydown, beforeinput, input, keyup, change (a page that cancels the key or the beforeinput
 *   handles the character itself, as with real typing).
 * - Segmented boxes get a paste on their first box first (some widgets take nothing else), then
 *   one character per box.
 * - Before each write the group must still be visible (`isVisible`, the detector's rule): a page
 *   may hide a field between detection and fill, or as it takes focus.
 * - The result is read back (leading zeros and case kept, the spaces and dashes of "123 456"
 *   ignored) and the whole fill retried once.
 */
(() => {
  /** @typedef {import('../types/detector').DetectedGroup} DetectedGroup */
  /** @typedef {(field: HTMLInputElement) => boolean} IsVisible */

  const RETRY_DELAY_MS = 120;
  const valueSetter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;

  /** @param {number} ms */
  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /**
   * Whether the code fits: one box per character, or a field long enough.
   * @param {DetectedGroup} g @param {string} code
   */
  function fits(g, code) {
    if (g.kind === 'segmented') return g.fields.length === code.length;
    const max = g.fields[0].maxLength;
    return max < 0 || max >= code.length;
  }

  /** Whether a person cannot type in the group yet. @param {DetectedGroup} g */
  function isLocked(g) {
    if ('disabled' in g && g.disabled === true) return true;
    return g.fields.some((f) => f.disabled || f.readOnly);
  }

  /**
   * Fills the group with `code` and reads it back; tries once more after a short pause if it did
   * not take. False when the page hid the group or the fields do not hold the code.
   * @param {DetectedGroup} group @param {string} code @param {IsVisible} isVisible
   */
  async function fill(group, code, isVisible) {
    if (await put(group, code, isVisible)) return true;
    await sleep(RETRY_DELAY_MS);
    return put(group, code, isVisible);
  }

  /**
   * Fills the group and reads it back. Segmented widgets usually take a paste on their first box
   * (some take nothing else), so that goes first; box by box after.
   * @param {DetectedGroup} group @param {string} code @param {IsVisible} isVisible
   */
  async function put(group, code, isVisible) {
    if (!seen(group, isVisible)) return false;
    if (group.kind === 'segmented') {
      if (paste(group, code, isVisible) && (await holds(group, code))) return true;
      for (let i = 0; i < group.fields.length; i++) {
        if (!type(group, i, code[i], true, isVisible)) return false;
      }
    } else if (!type(group, 0, code, false, isVisible)) {
      return false;
    }
    return holds(group, code);
  }

  /**
   * Whether a person can see every field of the group right now.
   * @param {DetectedGroup} group @param {IsVisible} isVisible
   */
  function seen(group, isVisible) {
    return group.fields.every((f) => f.isConnected && isVisible(f));
  }

  /**
   * Whether the fields hold the code once the page had a moment to react (frameworks re-render,
   * widgets move focus or reformat "123 456"). Case and leading zeros must survive as they are.
   * @param {DetectedGroup} group @param {string} code
   */
  async function holds(group, code) {
    await sleep(16);
    return group.fields.map((f) => f.value.replace(/[\s-]/g, '')).join('') === code;
  }

  /**
   * A paste on the group's first box as the page would see it; false when nobody handled it (an
   * untrusted paste inserts nothing by itself) or the page hid the boxes when they took focus.
   * @param {DetectedGroup} group @param {string} code @param {IsVisible} isVisible
   */
  function paste(group, code, isVisible) {
    const field = group.fields[0];
    let data;
    try {
      data = new DataTransfer();
      data.setData('text/plain', code);
    } catch {
      return false;
    }
    field.focus();
    if (!seen(group, isVisible)) return false;
    // Firefox makes the event an empty DataTransfer of its own and ignores `clipboardData`; it
    // fills it from its own `dataType` and `data` members instead (Chromium ignores those).
    const event = new ClipboardEvent(
      'paste',
      /** @type {ClipboardEventInit} */ ({
        bubbles: true,
        cancelable: true,
        composed: true,
        clipboardData: data,
        dataType: 'text/plain',
        data: code,
      }),
    );
    field.dispatchEvent(event);
    return event.defaultPrevented;
  }

  /**
   * Types `value` into one field the way a keyboard would, as far as the page can tell: key down,
   * beforeinput, the value through the prototype's setter, input, key up, change. A page that
   * cancels the key or the beforeinput handles the character itself, as with real typing.
   * Refuses (false) when the page hid the group, even as the field took focus.
   * @param {DetectedGroup} group @param {number} index the field @param {string} value
   * @param {boolean} keys one character: send its key events @param {IsVisible} isVisible
   */
  function type(group, index, value, keys, isVisible) {
    const field = group.fields[index];
    if (keys) field.focus();
    if (!seen(group, isVisible)) return false;
    const code = /^\d$/.test(value) ? `Digit${value}` : `Key${value.toUpperCase()}`;
    const key = { key: value, code, bubbles: true, cancelable: true, composed: true };
    const keyAllowed = !keys || field.dispatchEvent(new KeyboardEvent('keydown', key));
    const inserting = { bubbles: true, composed: true, inputType: 'insertText', data: value };
    const before = new InputEvent('beforeinput', { ...inserting, cancelable: true });
    if (keyAllowed && field.dispatchEvent(before)) {
      // The prototype's setter, not `field.value =`: React wraps the instance's setter and would
      // take the change for its own. (A content script's isolated world does not see that wrapper
      // anyway; this keeps the fill right when run in the page's world.)
      if (valueSetter) valueSetter.call(field, value);
      else field.value = value;
      field.dispatchEvent(new InputEvent('input', inserting));
    }
    if (keys) field.dispatchEvent(new KeyboardEvent('keyup', key));
    field.dispatchEvent(new Event('change', { bubbles: true }));
    return true;
  }

  globalThis.LatchkeyFill = Object.freeze({ fill, fits, isLocked });
})();
