// @ts-check
/**
 * Watching the page for code fields: runs the detector over the document and its open shadow
 * roots, and again when something that could bring, take or reveal a code field happens, at a cost
 * near zero on pages that change all the time. It decides nothing about filling (autofill.js
 * does). Defines `globalThis.LatchkeyWatch` (no modules in content scripts):
 *
 * - `start(onScan)`: watch the page; `onScan(found)` gets the detector's groups after each scan.
 * - `scan()`: scan now; `soon()`: scan after the page has been quiet a moment.
 * - `detect()`: the detector's groups now, without telling `onScan` (a fill checks them again).
 * - `stop()`: stop watching for good.
 */
(() => {
  /** @typedef {import('../types/detector').DetectedGroup} DetectedGroup */

  const detector = globalThis.LatchkeyDetector;

  /** Quiet time before a rescan, and the longest a rescan waits while the page keeps changing. */
  const QUIET_MS = 250;
  const MAX_WAIT_MS = 1000;
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

  /** @type {(found: DetectedGroup[]) => void} */
  let onScan = () => {};
  let alive = true;
  /** @type {WeakMap<HTMLInputElement, number>} */
  const fieldIds = new WeakMap();
  let nextFieldId = 1;

  /** A stable number per field, for cheap comparisons of what a page shows. @param {HTMLInputElement} field */
  function idOf(field) {
    let id = fieldIds.get(field);
    if (!id) {
      id = nextFieldId++;
      fieldIds.set(field, id);
    }
    return id;
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
      .map((i) => {
        const flags = `${i.disabled ? 'd' : ''}${i.readOnly ? 'r' : ''}${shown(i) ? 'v' : ''}`;
        return `${idOf(i)}:${i.type}${flags}${i.maxLength}:${i.autocomplete}`;
      })
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
    for (let el = walker.nextNode(); el; el = walker.nextNode()) {
      if (/** @type {Element} */ (el).shadowRoot) return true;
    }
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
      if (target.firstElementChild) {
        for (const node of r.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE && mayHoldField(node)) return schedule(true);
        }
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
  function detect() {
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
    const found = detect();
    knownFields = found.flatMap((g) => g.fields);
    if (polling !== undefined && knownFields.length > 0) stopPolling();
    watchHidden(found.length === 0 && detector.lastHidden() > 0);
    onScan(found);
  }

  /** @param {(found: DetectedGroup[]) => void} callback */
  function start(callback) {
    onScan = callback;
    // Code steps often appear without a page load (single-page apps, a hidden step shown).
    watchTree(document);
    scan();
  }

  function stop() {
    alive = false;
    tree.disconnect();
    attrs.disconnect();
    if (timer !== undefined) clearTimeout(timer);
    clearInterval(polling);
    watchHidden(false);
  }

  globalThis.LatchkeyWatch = Object.freeze({ start, scan, soon: () => schedule(true), detect, stop, idOf });
})();
