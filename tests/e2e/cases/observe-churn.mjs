// @ts-check
// The content script's observers on tests/e2e/fixtures/ticker.html (a page that changes every
// frame and every 8 ms), shared by Chromium's observe-churn.test.mjs and Firefox's: what counts as
// a scan, what the tests do to the page, and how many scans the changes may cost. Page functions are
// self-contained (each suite serializes them into the page).

/**
 * How many scans `times` (when the document was queried as a whole, in ms) are: every scan starts
 * with document-wide queries, the observers' own checks never query the document, and calls
 * within 50 ms of each other are one scan.
 * @param {number[]} times
 */
export function scansIn(times) {
  return times.filter((t, i) => i === 0 || t - times[i - 1] > 50).length;
}

/** An element without inputs, added to the page. */
export function addElementWithoutInputs() {
  document.body.append(Object.assign(document.createElement('div'), { textContent: 'More news' }));
}

/** The ticker's filter box (its only input) hidden by an ancestor's style. */
export function hideToolbar() {
  document.getElementById('toolbar')?.setAttribute('style', 'display: none');
}

/** An input added to the page (no code field by its words). */
export function addInput() {
  const box = document.createElement('div');
  box.innerHTML = '<label>Code <input id="late-code" autocomplete="one-time-code" maxlength="6"></label>';
  document.body.append(box);
}

/** A two-step code field appearing while the page keeps ticking. */
export function addCodeStep() {
  const box = document.createElement('div');
  box.innerHTML =
    '<h2>Two-step verification</h2><label>Authentication code <input id="late-code" ' +
    'autocomplete="one-time-code" inputmode="numeric" maxlength="6"></label>';
  document.body.append(box);
}

/** The code step of addCodeStep gone again. */
export function removeCodeStep() {
  document.getElementById('late-code')?.closest('div')?.remove();
}

/**
 * One input every 100 ms for about 3 s: never 250 ms of quiet. Returns how long it took, as the
 * page measured it (a loaded machine stretches the timers).
 */
export async function addInputsQuickly() {
  const start = performance.now();
  for (let i = 0; i < 30; i++) {
    document.body.append(Object.assign(document.createElement('input'), { name: `field${i}` }));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return performance.now() - start;
}

/** addInputsQuickly's changes must get at least this many scans: the maximum wait forces them. */
export const LEAST_SCANS_UNDER_CHANGES = 2;

/**
 * The most scans addInputsQuickly's changes, taking `elapsed` ms, may cost: about one per half
 * second (the maximum wait, 1 s, while observing, then the poll, 500 ms, once the busy page is
 * polled, plus the scan at the switch); far fewer than one per change.
 * @param {number} elapsed
 */
export const mostScansUnderChanges = (elapsed) => Math.min(Math.ceil(elapsed / 500) + 2, 15);
