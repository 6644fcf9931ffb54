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
 * only into fields a person can see, judged again just before each write (the page may hide a
 * field between detection and fill); set values so frameworks notice, and check the result (retry
 * once).
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
  /** Quiet time before a rescan, and the longest a rescan waits while the page keeps changing. */
  const QUIET_MS = 250;
  const MAX_WAIT_MS = 1000;
  const RETRY_DELAY_MS = 120;
  /** Input types that may hold a code now or after a script changes the type (hidden → text). */
  const MAYBE_CODE_TYPES = new Set(['', 'text', 'tel', 'number', 'password', 'hidden']);
  /** Attributes that can show, hide, enable or retype a field (on it or on an ancestor). */
  const WATCHED_ATTRIBUTES = [
    'style',
    'class',
    'hidden',
    'type',
    'disabled',
    'readonly',
    'aria-hidden',
    'inert',
    'autocomplete',
    'maxlength',
    'open',
  ];

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

  // --- What is watched ---------------------------------------------------------------------------
  // Two observers keep the cost near zero on pages that change constantly: `tree` sees nodes added
  // and removed (in the document and in every open shadow root, which a document observer cannot
  // see into), and reacts only to inputs, shadow hosts, or the loss of a field we found; `attrs`
  // watches attributes only on inputs and their ancestors, so style and class churn elsewhere on
  // the page never even reaches this script.
  const tree = new MutationObserver(onTree);
  const attrs = new MutationObserver(onAttributes);
  /** The roots `tree` observes now. @type {WeakSet<Node>} */
  let treeRoots = new WeakSet();
  /** The open shadow roots the last scan found. @type {ShadowRoot[]} */
  let shadowRoots = [];
  /** The inputs watched by `attrs` and how they looked when last scanned. @type {HTMLInputElement[]} */
  let watchedInputs = [];
  let lastLook = '';
  /** The fields of the groups last found, to notice their removal. @type {HTMLInputElement[]} */
  let knownFields = [];

  /** @param {Node} root */
  function watchTree(root) {
    if (polling !== undefined || treeRoots.has(root)) return;
    treeRoots.add(root);
    tree.observe(root, { childList: true, subtree: true });
  }

  /**
   * The open shadow roots under `root`, nested ones included. Closed roots are out of reach by design.
   * @param {Document | ShadowRoot} root @param {ShadowRoot[]} out
   */
  function collectShadowRoots(root, out) {
    // A TreeWalker is about 4x faster here than iterating querySelectorAll('*').
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const shadow = /** @type {Element} */ (node).shadowRoot;
      if (!shadow) continue;
      out.push(shadow);
      collectShadowRoots(shadow, out);
    }
    return out;
  }

  /** Inputs that may take a code, in the document and its open shadow roots. */
  function candidateInputs() {
    /** @type {HTMLInputElement[]} */
    const out = [];
    for (const root of [document, ...shadowRoots]) {
      for (const input of root.querySelectorAll('input')) {
        if (MAYBE_CODE_TYPES.has((input.getAttribute('type') || '').toLowerCase())) out.push(input);
      }
    }
    return out;
  }

  /** Watches attributes on each input and its ancestors (through shadow hosts), nothing else. */
  function watchAttributes() {
    attrs.disconnect();
    watchedInputs = candidateInputs();
    lastLook = look();
    if (polling !== undefined) return; // the poll compares looks instead
    /** @type {Set<Element>} */
    const seen = new Set();
    for (const input of watchedInputs) {
      /** @type {Element | null} */
      let node = input;
      while (node && !seen.has(node)) {
        seen.add(node);
        attrs.observe(node, { attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
        const parent = /** @type {Element | null} */ (node.parentElement);
        const root = node.getRootNode();
        node = parent ?? (root instanceof ShadowRoot ? root.host : null);
      }
    }
  }

  /**
   * How the watched inputs look (shown, enabled, type): attribute churn on their ancestors that
   * leaves this unchanged needs no detection.
   */
  function look() {
    return watchedInputs
      .map(
        (i) =>
          `${idOf(i)}:${i.type}${i.disabled ? 'd' : ''}${i.readOnly ? 'r' : ''}${shown(i) ? 'v' : ''}${i.maxLength}:${i.autocomplete}`,
      )
      .join(' ');
  }

  /**
   * Roughly what the detector's visibility test looks at: rendered, not hidden from people, of some
   * size, not pushed off the page to the left or top.
   * @param {HTMLInputElement} i
   */
  function shown(i) {
    if (!i.isConnected || !i.checkVisibility() || i.closest('[aria-hidden="true"], [inert]')) return false;
    const r = i.getBoundingClientRect();
    return r.width >= 4 && r.height >= 4 && r.right + scrollX > 0 && r.bottom + scrollY > 0;
  }

  /** Whether an added node is, holds, or hosts something a code field could be in. @param {Node} node */
  function mayHoldField(node) {
    if (!(node instanceof Element)) return false;
    if (node.localName === 'input' || node.shadowRoot) return true;
    if (!node.firstElementChild) return false;
    if (node.querySelector('input')) return true;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT);
    for (let el = walker.nextNode(); el; el = walker.nextNode())
      if (/** @type {Element} */ (el).shadowRoot) return true;
    return false;
  }

  /** Whether a removed node took a field we found with it. @param {Node} node */
  function tookField(node) {
    return knownFields.some((f) => node === f || node.contains(f));
  }

  /** @param {MutationRecord[]} records */
  function onTree(records) {
    // Runs for every text change on busy pages: element checks only, no allocations. A node added
    // and still there is a child of the record's target, so a target without element children
    // (a text update) needs no look at its added nodes.
    for (const r of records) {
      const target = /** @type {Element | Document | DocumentFragment} */ (r.target);
      if (target.firstElementChild)
        for (const node of r.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE && mayHoldField(node)) return schedule(true);
        }
      if (knownFields.length === 0) continue;
      for (const node of r.removedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE && tookField(node)) return schedule(true);
      }
    }
    noteChurn();
  }

  function onAttributes() {
    schedule(false);
    noteChurn();
  }

  // --- Busy pages without code fields: a poll instead of observers -------------------------------
  // A page that rewrites itself every frame (tickers, feeds, games) makes the browser build mutation
  // records for us each frame, even when our callback drops them at once (about 0.5 ms a frame on
  // tests/e2e/fixtures/ticker.html). When such a page has no code field, stop observing and look
  // twice a second at what could bring one: which inputs exist (document and open shadow roots) and
  // how they look. A field that appears is found within POLL_MS, sooner than the debounce's maximum
  // wait on a page that never goes quiet; once one is found, the observers are back.
  /** Observer calls that changed nothing, within CHURN_WINDOW_MS, that make a page busy. */
  const CHURN_CALLS = 30;
  const CHURN_WINDOW_MS = 1000;
  const POLL_MS = 500;
  /** New shadow hosts are looked for every SHADOW_EVERY polls (a walk of the whole tree). */
  const SHADOW_EVERY = 4;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let polling;
  let churnCalls = 0;
  let churnSince = 0;
  let polls = 0;
  /** Every input at the last poll, in order. @type {HTMLInputElement[]} */
  let polledInputs = [];
  const documentInputs = document.getElementsByTagName('input'); // live; cheap to re-read

  function noteChurn() {
    if (polling !== undefined || knownFields.length > 0) return;
    const now = performance.now();
    if (now - churnSince > CHURN_WINDOW_MS) {
      churnSince = now;
      churnCalls = 0;
    }
    if (++churnCalls >= CHURN_CALLS) startPolling();
  }

  function startPolling() {
    tree.disconnect();
    attrs.disconnect();
    treeRoots = new WeakSet();
    polledInputs = allInputs();
    polling = setInterval(poll, POLL_MS);
  }

  function stopPolling() {
    clearInterval(polling);
    polling = undefined;
    churnCalls = 0;
    churnSince = performance.now();
    watchTree(document);
    shadowRoots.forEach(watchTree);
    watchAttributes();
  }

  function allInputs() {
    /** @type {HTMLInputElement[]} */
    const out = Array.from(documentInputs);
    for (const root of shadowRoots) out.push(...root.querySelectorAll('input'));
    return out;
  }

  function poll() {
    if (++polls % SHADOW_EVERY === 0) shadowRoots = collectShadowRoots(document, []);
    const now = allInputs();
    const same = now.length === polledInputs.length && now.every((input, i) => input === polledInputs[i]);
    if (same && look() === lastLook) return;
    polledInputs = now;
    scan(); // back to the observers if it finds a field
  }

  // --- Code fields that are there but cannot be seen yet ---------------------------------------------
  // A field under a cookie banner, in a dialog still fading in, or scrolled out of a window that
  // does not scroll is not filled, and showing it changes no attribute the observers watch. While
  // a page has such a field and no visible one, look again after what could reveal it (a click, a
  // key, scrolling, the end of a transition or animation) and twice a second, for a while.
  const HIDDEN_POLL_MS = 500;
  const HIDDEN_WATCH_MS = 60_000;
  const REVEALING = ['click', 'keyup', 'scroll', 'transitionend', 'animationend'];
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let hiddenPoll;
  let hiddenSince = 0;

  function onRevealing() {
    schedule(true);
  }

  /** @param {boolean} on */
  function watchHidden(on) {
    if (!on) {
      if (hiddenPoll === undefined) return;
      clearInterval(hiddenPoll);
      hiddenPoll = undefined;
      for (const type of REVEALING) removeEventListener(type, onRevealing, true);
      return;
    }
    if (hiddenPoll !== undefined) return;
    hiddenSince = performance.now();
    for (const type of REVEALING) addEventListener(type, onRevealing, { capture: true, passive: true });
    hiddenPoll = setInterval(() => {
      if (performance.now() - hiddenSince > HIDDEN_WATCH_MS) watchHidden(false);
      else scan();
    }, HIDDEN_POLL_MS);
  }

  // --- Debounced, coalesced rescans ----------------------------------------------------------------
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let firstChange = 0;
  let lastChange = 0;
  /** Whether nodes came or went (detect), or only attributes changed (detect if the fields look different). */
  let structural = false;

  /**
   * Notes a change; the rescan runs once the page was quiet for QUIET_MS, or MAX_WAIT_MS after the
   * first change if it never is. Only a timestamp per change: no timer is reset on busy pages.
   * @param {boolean} nodes
   */
  function schedule(nodes) {
    if (!alive) return;
    structural ||= nodes;
    lastChange = performance.now();
    if (timer !== undefined) return;
    firstChange = lastChange;
    timer = setTimeout(settle, QUIET_MS);
  }

  function settle() {
    const due = Math.min(lastChange + QUIET_MS, firstChange + MAX_WAIT_MS);
    const now = performance.now();
    if (now < due - 1) {
      timer = setTimeout(settle, due - now);
      return;
    }
    timer = undefined;
    const nodes = structural;
    structural = false;
    if (!nodes && look() === lastLook) return;
    scan();
  }

  /** Groups in the document and in open shadow roots (the detector walks them), best first. */
  function detectAll() {
    shadowRoots = collectShadowRoots(document, []);
    for (const root of shadowRoots) watchTree(root);
    const found = detector.detect(document);
    watchAttributes();
    return found;
  }

  function scan() {
    if (!alive) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    structural = false;
    const found = detectAll();
    groups = found.filter((g) => TOTP_CHANNELS.has(g.channel));
    smsGroups = found.filter((g) => SMS_CHANNELS.has(g.channel));
    knownFields = found.flatMap((g) => g.fields);
    if (polling !== undefined && knownFields.length > 0) stopPolling();
    watchHidden(found.length === 0 && detector.lastHidden() > 0);
    const sig = `${signature(groups)}/${signature(smsGroups)}`;
    if (sig === reported) return;
    reported = sig;
    void report();
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
    el.style.cssText =
      'display:inline-flex;align-items:center;gap:4px;margin:4px;padding:2px 6px;border-radius:10px;' +
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
   * A group that is disabled or read-only (a "Send code" button enables it) is filled once it is
   * enabled, with a fresh code asked for then.
   * @param {string} code @param {boolean} asked @param {boolean} [sms] an SMS code (SMS fields only)
   */
  async function fill(code, asked, sms = false) {
    if (!CODE_SHAPE.test(code)) return false;
    // The page may have changed since the fields were found: find them again, visibility included.
    const found = detectAll();
    groups = found.filter((g) => TOTP_CHANNELS.has(g.channel));
    smsGroups = found.filter((g) => SMS_CHANNELS.has(g.channel));
    const fitting = (sms ? smsGroups : groups).filter((g) => g.fields.every((f) => f.isConnected) && fits(g, code));
    const group = fitting.find((g) => !isLocked(g));
    if (!group) {
      if (fitting[0]) waitUntilEnabled(fitting[0]);
      return false;
    }
    const first = group.fields[0];
    const ours = filledWith.get(first);
    if (!asked) {
      if (ours === code) return false;
      const current = group.fields.map((f) => f.value).join('');
      if (current !== '' && current !== ours) return false;
    }
    let ok = await put(group, code);
    if (!ok) {
      await sleep(RETRY_DELAY_MS);
      ok = await put(group, code);
    }
    if (ok) filledWith.set(first, code);
    return ok;
  }

  /** @param {number} ms */
  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Whether a person cannot type in the group yet. @param {DetectedGroup} g */
  function isLocked(g) {
    if ('disabled' in g && g.disabled === true) return true;
    return g.fields.some((f) => f.disabled || f.readOnly);
  }

  /** The group waited on, and its watcher: one at a time, dropped when it fires. */
  /** @type {MutationObserver | null} */
  let enableWatch = null;

  /**
   * Watches a locked group's `disabled`/`readonly` and, once a person can type in it, reports the
   * frame again so the worker answers with a code that is fresh at that moment.
   * @param {DetectedGroup} g
   */
  function waitUntilEnabled(g) {
    enableWatch?.disconnect();
    const watch = new MutationObserver(() => {
      if (g.fields.some((f) => f.disabled || f.readOnly || !f.isConnected)) return;
      watch.disconnect();
      if (enableWatch === watch) enableWatch = null;
      reported = '';
      scan();
    });
    for (const f of g.fields) watch.observe(f, { attributes: true, attributeFilter: ['disabled', 'readonly'] });
    enableWatch = watch;
  }

  /** Whether the code fits: one box per character, or a field long enough. @param {DetectedGroup} g @param {string} code */
  function fits(g, code) {
    if (g.kind === 'segmented') return g.fields.length === code.length;
    const max = g.fields[0].maxLength;
    return max < 0 || max >= code.length;
  }

  /**
   * Fills the group and reads it back. Segmented widgets usually take a paste on their first box
   * (some take nothing else), so that goes first; box by box after.
   * @param {DetectedGroup} group @param {string} code
   */
  async function put(group, code) {
    if (!seen(group)) return false;
    if (group.kind === 'segmented') {
      if (paste(group, code) && (await holds(group, code))) return true;
      for (let i = 0; i < group.fields.length; i++) {
        if (!type(group, i, code[i], true)) return false;
      }
    } else if (!type(group, 0, code, false)) {
      return false;
    }
    return holds(group, code);
  }

  /** Whether a person can see every field of the group right now (the detector's rule). @param {DetectedGroup} group */
  function seen(group) {
    return group.fields.every((f) => f.isConnected && detector.isVisible(f));
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
   * @param {DetectedGroup} group @param {string} code
   */
  function paste(group, code) {
    const field = group.fields[0];
    let data;
    try {
      data = new DataTransfer();
      data.setData('text/plain', code);
    } catch {
      return false;
    }
    field.focus();
    if (!seen(group)) return false;
    const event = new ClipboardEvent('paste', { bubbles: true, cancelable: true, composed: true, clipboardData: data });
    field.dispatchEvent(event);
    return event.defaultPrevented;
  }

  /**
   * Types `value` into one field the way a keyboard would, as far as the page can tell: key down,
   * beforeinput, the value through the prototype's setter, input, key up, change. A page that
   * cancels the key or the beforeinput handles the character itself, as with real typing.
   * Refuses (false) when the page hid the group, even as the field took focus.
   * @param {DetectedGroup} group @param {number} index the field @param {string} value @param {boolean} keys one character: send its key events
   */
  function type(group, index, value, keys) {
    const field = group.fields[index];
    if (keys) field.focus();
    if (!seen(group)) return false;
    const key = {
      key: value,
      code: /^\d$/.test(value) ? `Digit${value}` : `Key${value.toUpperCase()}`,
      bubbles: true,
      cancelable: true,
      composed: true,
    };
    const keyAllowed = !keys || field.dispatchEvent(new KeyboardEvent('keydown', key));
    const before = new InputEvent('beforeinput', {
      bubbles: true,
      cancelable: true,
      composed: true,
      inputType: 'insertText',
      data: value,
    });
    if (keyAllowed && field.dispatchEvent(before)) {
      // The prototype's setter, not `field.value =`: React wraps the instance's setter and would
      // take the change for its own. (A content script's isolated world does not see that wrapper
      // anyway; this keeps the fill right when run in the page's world.)
      if (valueSetter) valueSetter.call(field, value);
      else field.value = value;
      field.dispatchEvent(
        new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: value }),
      );
    }
    if (keys) field.dispatchEvent(new KeyboardEvent('keyup', key));
    field.dispatchEvent(new Event('change', { bubbles: true }));
    return true;
  }

  function stop() {
    alive = false;
    tree.disconnect();
    attrs.disconnect();
    enableWatch?.disconnect();
    if (timer !== undefined) clearTimeout(timer);
    clearInterval(polling);
    watchHidden(false);
  }

  // Code steps often appear without a page load (single-page apps, a hidden step shown).
  watchTree(document);
  // Back/forward cache: the page comes back without a load, and the worker forgot this frame.
  addEventListener('pageshow', (event) => {
    if (event.persisted) {
      reported = '';
      schedule(true);
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
        // The SMS came: the wait is over, whether or not the field still takes it.
        if (sms) hideMark();
        fill(message.code, !sms, sms).then((filled) => sendResponse({ ok: true, filled }));
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
