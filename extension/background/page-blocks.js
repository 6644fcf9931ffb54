// @ts-check
/**
 * The visible list-like blocks of a page (lists, tables, `pre`s, code grids), each with the words
 * around it, as text only: what the core's backup-code rule reads (crate/src/backup_codes.rs).
 * `readBlocks` is injected into the scanned tab's top frame by chrome.scripting on the person's
 * Scan click, in the extension's isolated world; it must be self-contained (it is serialised).
 * Everything it returns comes from the page and is hostile: the core bounds and checks it.
 */

/** @returns {Array<{items: string[], context: string}>} */
export function readBlocks() {
  const MAX_BLOCKS = 300;
  const MAX_ITEMS = 200;
  const MAX_TEXT = 2000;
  /** @param {Element} el */
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  /** @param {Element} el */
  // biome-ignore lint/performance/useDomNodeTextContent: the text as shown (line breaks, no hidden parts)
  const text = (el) => (el instanceof HTMLElement ? el.innerText : (el.textContent ?? '')).slice(0, MAX_TEXT);
  /** The block's label and the text just before it, up three levels (headings, paragraphs). @param {Element} el */
  const around = (el) => {
    let out = el.getAttribute('aria-label') ?? '';
    /** @type {Element | null} */
    let node = el;
    for (let up = 0; up < 3 && node && out.length < MAX_TEXT; up++) {
      let sibling = node.previousElementSibling;
      for (let n = 0; sibling && n < 4; n++, sibling = sibling.previousElementSibling)
        out = `${text(sibling).slice(0, 500)} ${out}`;
      node = node.parentElement;
    }
    return out.slice(-MAX_TEXT);
  };
  /** @type {Array<{items: string[], context: string}>} */
  const blocks = [];
  const candidates = document.querySelectorAll(
    'ul, ol, pre, table, dl, textarea, [class*="code" i], [class*="grid" i]',
  );
  for (const el of candidates) {
    if (blocks.length >= MAX_BLOCKS) break;
    if (!visible(el)) continue;
    /** @type {string[]} */
    let items;
    if (el.matches('ul, ol')) items = [...el.children].map(text);
    else if (el.matches('table')) items = [...el.querySelectorAll('td, th')].map(text);
    else if (el.matches('dl')) items = [...el.querySelectorAll('dd')].map(text);
    else if (el instanceof HTMLTextAreaElement) items = [el.value.slice(0, MAX_TEXT)];
    else if (el.matches('pre')) items = [text(el)];
    else items = el.children.length ? [...el.children].map(text) : [text(el)];
    blocks.push({ items: items.slice(0, MAX_ITEMS), context: around(el) });
  }
  return blocks;
}
