// @ts-check
/** The countdown ring: an SVG arc that empties over the code's period, with the seconds inside. */

const SVG = 'http://www.w3.org/2000/svg';
/** Under this many seconds the code is about to change: the ring and digits turn amber. */
export const EXPIRING_SECONDS = 5;

/** @returns {SVGSVGElement} */
export function createRing() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 36 36');
  svg.setAttribute('class', 'ring');
  svg.setAttribute('aria-hidden', 'true');
  for (const cls of ['track', 'arc']) {
    const c = document.createElementNS(SVG, 'circle');
    c.setAttribute('class', cls);
    c.setAttribute('cx', '18');
    c.setAttribute('cy', '18');
    c.setAttribute('r', '15');
    c.setAttribute('pathLength', '100');
    if (cls === 'arc') c.setAttribute('stroke-dasharray', '100');
    svg.append(c);
  }
  const text = document.createElementNS(SVG, 'text');
  text.setAttribute('class', 'seconds');
  text.setAttribute('x', '18');
  text.setAttribute('y', '18');
  text.setAttribute('text-anchor', 'middle');
  text.setAttribute('dominant-baseline', 'central');
  svg.append(text);
  return svg;
}

/**
 * @param {SVGSVGElement} ring
 * @param {number | null} secondsLeft
 * @param {number | null} period
 */
export function setRing(ring, secondsLeft, period) {
  const arc = /** @type {SVGCircleElement} */ (ring.querySelector('.arc'));
  const text = /** @type {SVGTextElement} */ (ring.querySelector('.seconds'));
  if (secondsLeft === null || !period) {
    ring.style.visibility = 'hidden';
    return;
  }
  ring.style.visibility = '';
  const offset = 100 * (1 - secondsLeft / period);
  const previous = Number(arc.getAttribute('stroke-dashoffset') ?? '0');
  // A new period refills the ring at once; within a period it glides.
  ring.classList.toggle('jump', offset < previous);
  arc.setAttribute('stroke-dashoffset', offset.toFixed(2));
  text.textContent = String(secondsLeft);
}
