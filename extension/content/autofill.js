// @ts-check
/**
 * Latchkey's content script: finds code fields with the detector, tells the service worker how many
 * this frame has, and fills the code the worker sends back. It never sees a secret: the worker
 * decides from this frame's address (which the browser reports, not us) whether a code goes here.
 *
 * Rules: fill a TOTP code only into fields whose code comes from an authenticator app (not SMS or
 * e-mail fields); an SMS code (which the worker sends later, from the account's inbox) only into
 * SMS fields or fields that could take either kind, showing "Waiting for the SMS code…" meanwhile;
 * only when empty (never over what a person typed), never the same field twice with the same code;
 * set values so frameworks notice, and check the result (retry once).
 */
(() => {
  /** @typedef {import('../types/detector').DetectedGroup} DetectedGroup */
  /** @typedef {import('../types/protocol').FieldsReply} FieldsReply */
  /** @typedef {import('../types/protocol').Reply<FieldsReply>} FieldsResponse */

  const detector = globalThis.LatchkeyDetector;
  if (!detector) return;

  /** Channels a TOTP code may go to: SMS and e-mail codes come from elsewhere. */
  const TOTP_CHANNELS = new Set(['app', 'unknown']);
  /** Channels an SMS code may go to. */
  const SMS_CHANNELS = new Set(['sms', 'unknown']);
  /** A code as the core makes them: 4-10 letters or digits. Anything else is not filled. */
  const CODE_SHAPE = /^[0-9A-Za-z]{4,10}$/;
  const RESCAN_DELAY_MS = 250;
  const RETRY_DELAY_MS = 120;

  const valueSetter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;

  /** The groups a TOTP code may fill, best first. @type {DetectedGroup[]} */
  let groups = [];
  /** The groups an SMS code may fill. @type {DetectedGroup[]} */
  let smsGroups = [];
  /** The "Waiting for the SMS code…" mark, while shown. @type {HTMLElement | null} */
  let mark = null;
  /** Identity of the fields last reported, so an unchanged page costs no message. */
  let reported = '';
  /** What we put in each group (keyed by its first field), to spot typing and repeats. */
  /** @type {WeakMap<HTMLInputElement, string>} */
  const filledWith = new WeakMap();
  /** @type {WeakMap<HTMLInputElement, number>} */
  const fieldIds = new WeakMap();
  let nextFieldId = 1;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let alive = true;

  /** @param {HTMLInputElement} field */
  function idOf(field) {
    let id = fieldIds.get(field);
    if (!id) fieldIds.set(field, (id = nextFieldId++));
    return id;
  }

  /** @param {DetectedGroup[]} list */
  function signature(list) {
    return list.map((g) => g.fields.map(idOf).join(',')).join('|');
  }

  function scan() {
    timer = undefined;
    if (!alive) return;
    const found = detector.detect(document);
    groups = found.filter((g) => TOTP_CHANNELS.has(g.channel));
    smsGroups = found.filter((g) => SMS_CHANNELS.has(g.channel));
    const sig = `${signature(groups)}/${signature(smsGroups)}`;
    if (sig === reported) return;
    reported = sig;
    void report();
  }

  function scheduleScan() {
    if (timer === undefined && alive) timer = setTimeout(scan, RESCAN_DELAY_MS);
  }

  /** Tells the worker what this frame has; fills the code it answers with, if any. */
  async function report() {
    /** @type {FieldsResponse | undefined} */
    let reply;
    try {
      reply = await chrome.runtime.sendMessage({ type: 'fields', groups: groups.length, sms: smsGroups.length });
    } catch {
      // The extension was reloaded or removed: this script is orphaned, stop watching.
      stop();
      return;
    }
    if (reply?.ok && typeof reply.code === 'string') await fill(reply.code, false);
    else if (reply?.ok && reply.waiting === true) showMark(WAITING);
    else if (reply?.ok && reply.choose === true) showMark(CHOOSE);
    else hideMark();
  }

  const WAITING = 'Waiting for the SMS code…';
  const CHOOSE = 'Several Latchkey accounts could get this SMS code: choose one with the Latchkey button.';

  /**
   * Shows the small mark after the SMS field: text only, announced politely, dismissable. It holds
   * nothing but one of the fixed sentences.
   * @param {string} sentence
   */
  function showMark(sentence) {
    const group = smsGroups.find((g) => g.fields.every((f) => f.isConnected));
    if (!group) return;
    if (mark && mark.isConnected) {
      /** @type {HTMLElement} */ (mark.firstChild).textContent = sentence;
      return;
    }
    const el = document.createElement('span');
    el.setAttribute('role', 'status');
    el.setAttribute('aria-live', 'polite');
    el.dataset.latchkey = 'sms-waiting';
    el.style.cssText = 'display:inline-flex;align-items:center;gap:4px;margin:4px;padding:2px 6px;border-radius:10px;' +
      'background:#eef3ff;color:#1d3a8a;font:12px/1.4 system-ui,sans-serif;border:1px solid #b9c8f5;';
    const label = document.createElement('span');
    label.textContent = sentence;
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Hide the Latchkey SMS mark');
    close.style.cssText = 'border:0;background:none;color:inherit;cursor:pointer;font:inherit;padding:0 2px;';
    close.addEventListener('click', hideMark);
    el.append(label, close);
    const last = group.fields[group.fields.length - 1];
    last.insertAdjacentElement('afterend', el);
    mark = el;
  }

  function hideMark() {
    mark?.remove();
    mark = null;
  }

  /**
   * Fills the best group with `code`. Automatic fills skip fields that hold anything we did not put
   * there, and fields already filled with this code; a fill the person asked for (popup) replaces.
   * @param {string} code @param {boolean} asked
   */
  async function fill(code, asked) {
    if (!CODE_SHAPE.test(code)) return false;
    const group = groups.find((g) => g.fields.every((f) => f.isConnected) && fits(g, code));
    if (!group) return false;
    const first = group.fields[0];
    const ours = filledWith.get(first);
    if (!asked) {
      if (ours === code) return false;
      const current = group.fields.map((f) => f.value).join('');
      if (current !== '' && current !== ours) return false;
    }
    let ok = await put(group, code);
    if (!ok) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      ok = await put(group, code);
    }
    if (ok) filledWith.set(first, code);
    return ok;
  }

  /** Whether the code fits: one box per character, or a field long enough. @param {DetectedGroup} g @param {string} code */
  function fits(g, code) {
    if (g.kind === 'segmented') return g.fields.length === code.length;
    const max = g.fields[0].maxLength;
    return max < 0 || max >= code.length;
  }

  /**
   * Sets the values the way typing would, so React/Vue/Angular see them, then reads them back.
   * @param {DetectedGroup} group @param {string} code
   */
  async function put(group, code) {
    const parts = group.kind === 'segmented' ? code.split('') : [code];
    group.fields.forEach((field, i) => setValue(field, parts[i]));
    // Widgets move focus or reformat on input: give them a tick before checking.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return group.fields.map((f) => f.value.replace(/\s/g, '')).join('') === code;
  }

  /** @param {HTMLInputElement} field @param {string} value */
  function setValue(field, value) {
    // The prototype's setter, not `field.value =`: frameworks wrap the instance's setter and
    // would otherwise treat the change as their own and drop it.
    if (valueSetter) valueSetter.call(field, value);
    else field.value = value;
    field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: value }));
    field.dispatchEvent(new Event('change', { bubbles: true }));
  }

  function stop() {
    alive = false;
    observer.disconnect();
    if (timer !== undefined) clearTimeout(timer);
  }

  // Code steps often appear without a page load (single-page apps, a hidden step shown): watch the
  // DOM, debounced; `scan` sends nothing when the fields are the same as last time.
  const observer = new MutationObserver(scheduleScan);
  observer.observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['style', 'class', 'hidden', 'type', 'disabled', 'readonly', 'aria-hidden', 'autocomplete', 'maxlength'],
  });
  // Back/forward cache: the page comes back without a load, and the worker forgot this frame.
  addEventListener('pageshow', (event) => {
    if (event.persisted) {
      reported = '';
      scheduleScan();
    }
  });

  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || !message || typeof message !== 'object') return false;
    switch (message.type) {
      case 'ping':
        sendResponse({ ok: true });
        return false;
      case 'rescan':
        // Accounts changed: ask again even if the fields did not.
        reported = '';
        scan();
        sendResponse({ ok: true });
        return false;
      case 'fill': {
        if (typeof message.code !== 'string') return false;
        const sms = message.sms === true;
        groups = detector.detect(document).filter((g) => (sms ? SMS_CHANNELS : TOTP_CHANNELS).has(g.channel));
        fill(message.code, !sms).then((filled) => {
          if (sms && filled) hideMark();
          sendResponse({ ok: true, filled });
        });
        return true;
      }
      case 'sms-waiting':
        showMark(WAITING);
        sendResponse({ ok: true });
        return false;
      case 'sms-stop':
        hideMark();
        sendResponse({ ok: true });
        return false;
      default:
        return false;
    }
  });

  scan();
})();
