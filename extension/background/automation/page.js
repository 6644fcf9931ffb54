// @ts-check
/**
 * The one function the runner injects into its job's tab (`chrome.scripting.executeScript`, the
 * extension's isolated world, top frame only). It is serialised on its own: it may use nothing
 * from around it. It acts only when the document is still at the origin the worker checked just
 * before (`origin`), so a page that navigated away in between gets nothing, not even a value.
 * It waits up to `waitMs` for the element and then answers; the worker calls again until the
 * step's own time is up, checking the tab's address between calls.
 *
 * Answers `{state: 'done', text?, texts?}`, `{state: 'missing'}` (not there yet),
 * `{state: 'failed'}` (a check that does not hold) or `{state: 'elsewhere'}` (another origin).
 *
 * @param {{origin: string, kind: string, selector: string, value?: string, condition?: string,
 *   text?: string, waitMs: number}} step
 * @returns {Promise<{state: 'done' | 'missing' | 'failed' | 'elsewhere', text?: string, texts?: string[]}>}
 */
export async function act(step) {
  if (location.origin !== step.origin) return { state: 'elsewhere' };
  /** @returns {Element | null} */
  const find = () => {
    try {
      return document.querySelector(step.selector);
    } catch {
      return null;
    }
  };
  /** @param {Element} e */
  const shown = (e) => e.isConnected && (!(e instanceof HTMLElement) || e.offsetParent !== null || e === document.body);
  /** Resolves with the element once it is on the page, or null when `waitMs` passed. */
  const waitFor = () =>
    new Promise((resolve) => {
      const now = find();
      if (now) return resolve(now);
      const observer = new MutationObserver(() => {
        const e = find();
        if (e) {
          observer.disconnect();
          clearTimeout(timer);
          resolve(e);
        }
      });
      observer.observe(document, { childList: true, subtree: true, attributes: true });
      const timer = setTimeout(() => {
        observer.disconnect();
        resolve(find());
      }, step.waitMs);
    });

  if (step.kind === 'when') return { state: find() ? 'done' : 'missing' };
  if (step.kind === 'check') {
    const e = /** @type {Element | null} */ (step.condition === 'absent' ? find() : await waitFor());
    if (step.condition === 'absent') return { state: e && shown(e) ? 'failed' : 'done' };
    if (!e) return { state: 'missing' };
    if (step.condition === 'text' && !(e.textContent ?? '').includes(step.text ?? '')) return { state: 'failed' };
    return { state: 'done' };
  }
  const e = /** @type {Element | null} */ (await waitFor());
  if (!e) return { state: 'missing' };
  if (location.origin !== step.origin) return { state: 'elsewhere' };
  switch (step.kind) {
    case 'wait':
      return { state: 'done' };
    case 'click':
      if (e instanceof HTMLElement) e.click();
      return { state: 'done' };
    case 'fill': {
      if (!(e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement)) return { state: 'missing' };
      e.focus();
      // The prototype's setter, so that frameworks watching `value` see the change.
      const proto = e instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
      Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(e, step.value ?? '');
      e.dispatchEvent(new Event('input', { bubbles: true }));
      e.dispatchEvent(new Event('change', { bubbles: true }));
      return { state: 'done' };
    }
    case 'read':
      return { state: 'done', text: (e.textContent ?? '').trim() };
    case 'read-list': {
      const texts = [...document.querySelectorAll(step.selector)].map((x) => (x.textContent ?? '').trim());
      return { state: 'done', texts: texts.filter(Boolean) };
    }
    default:
      return { state: 'failed' };
  }
}

/**
 * The dry run's one injected function (same rules as `act`: serialised on its own, top frame, the
 * origin checked just before): it only LOOKS. It never fills, clicks, focuses or reads a value, and
 * answers one word, never page text: `found` (the element is there; for `fill` and `click` also
 * visible and enabled; for `check` its condition holds now), `missing`, or `elsewhere`.
 *
 * @param {{origin: string, kind: string, selector: string, condition?: string, text?: string,
 *   waitMs: number}} step
 * @returns {Promise<{state: 'found' | 'missing' | 'elsewhere'}>}
 */
export async function look(step) {
  if (location.origin !== step.origin) return { state: 'elsewhere' };
  /** @returns {Element | null} */
  const find = () => {
    try {
      return document.querySelector(step.selector);
    } catch {
      return null;
    }
  };
  /** @param {Element} e */
  const shown = (e) => e.isConnected && (!(e instanceof HTMLElement) || e.offsetParent !== null || e === document.body);
  /** @param {Element} e */
  const usable = (e) => {
    if (!shown(e) || e.matches(':disabled')) return false;
    if (step.kind !== 'fill') return true;
    return (e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement) && !e.readOnly;
  };
  /** @param {Element | null} e */
  const holds = (e) => {
    if (step.kind === 'when') return e !== null;
    if (step.kind === 'check' && step.condition === 'absent') return !e || !shown(e);
    if (!e) return false;
    if (step.kind === 'check' && step.condition === 'text') return (e.textContent ?? '').includes(step.text ?? '');
    if (step.kind === 'fill' || step.kind === 'click') return usable(e);
    return true;
  };
  // `when` and `check … absent` are about the page as it is now; the others may wait for it to render.
  const now = step.kind === 'when' || (step.kind === 'check' && step.condition === 'absent');
  const found = await new Promise((resolve) => {
    if (now || holds(find())) return resolve(holds(find()));
    const observer = new MutationObserver(() => {
      if (holds(find())) finish(true);
    });
    const timer = setTimeout(() => finish(holds(find())), step.waitMs);
    /** @param {boolean} v */
    function finish(v) {
      observer.disconnect();
      clearTimeout(timer);
      resolve(v);
    }
    observer.observe(document, { childList: true, subtree: true, attributes: true });
  });
  if (location.origin !== step.origin) return { state: 'elsewhere' };
  return { state: found ? 'found' : 'missing' };
}
