// @ts-check
/** Small DOM helpers. Text from accounts is set with textContent only, never parsed as HTML. */

/**
 * @template {HTMLElement} T
 * @param {string} id @returns {T}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`popup.html lacks #${id}`);
  return /** @type {T} */ (el);
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag @param {string} [className] @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Says something to screen readers (and nobody else). @param {string} message */
export function announce(message) {
  const region = byId('announcer');
  region.textContent = '';
  // A fresh node each time so the same words are announced twice.
  requestAnimationFrame(() => {
    region.textContent = message;
  });
}

/**
 * Shows or clears an inline error next to a field.
 * @param {HTMLElement} box the error paragraph @param {string | null} message
 * @param {HTMLElement} [field] marked aria-invalid while the error shows
 */
export function showError(box, message, field) {
  box.textContent = message ?? '';
  box.hidden = !message;
  if (field) {
    if (message) field.setAttribute('aria-invalid', 'true');
    else field.removeAttribute('aria-invalid');
  }
}

/** How long a Copy button says "Copied". */
export const COPIED_MS = 1500;

/**
 * A Copy button's click: the text to the clipboard, and the button says "Copied" for a moment.
 * @param {HTMLElement} button @param {string} text @returns {Promise<boolean>} whether it was copied
 */
export async function copied(button, text) {
  const label = button.dataset.label ?? button.textContent ?? 'Copy';
  button.dataset.label = label;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    return false;
  }
  button.textContent = 'Copied';
  setTimeout(() => {
    button.textContent = label;
  }, COPIED_MS);
  return true;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A pencil icon for Edit buttons. */
export function pencilIcon() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', 'M10.8 2.7a1.6 1.6 0 0 1 2.3 2.3L6 12.1 3 13l.9-3z');
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.5');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}
