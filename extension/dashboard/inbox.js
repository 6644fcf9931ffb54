// @ts-check
/**
 * The inboxes: the shared inbox (every account this person reads) or one account's, newest first:
 * texts and e-mails, filtered by app, account and type. Each shows its sender (for an e-mail, with
 * a "Verified sender" mark only when the server proved the From domain), time, the e-mail's
 * subject, the text with its code highlighted (by the core's UTF-16 span) and **Copy code**. New
 * messages appear live (a long poll).
 *
 * Everything in a message is hostile: it is put on the page with textContent only (an e-mail's
 * HTML was reduced to text by the core and is never rendered, so no script runs and nothing
 * loads); a link in an e-mail is shown as text and opened only when the person clicks its
 * **Open link** (http and https only, in a new tab without access to this page).
 */
import { byId, COPIED_MS, el, showError } from '../popup/dom.js';
import { ask, message } from '../pages/ask.js';

/** @typedef {import('../types/protocol').InboxView} InboxView */
/** @typedef {InboxView['messages'][number]} InboxMessage */

/** The account shown, or null for the shared inbox. @type {string | null} */
let account = null;
let last = 0;
/** Bumped at each switch, so an old poll's answer is dropped. */
let generation = 0;
/** The app (site) and type shown; "" for all. */
const filters = { app: '', type: '' };

/** @param {number} unix */
function when(unix) {
  return new Date(unix * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * `text` with the span [start, end) in a <mark>: three text nodes at most.
 * @param {HTMLElement} node @param {string} text @param {{start: number, end: number} | null} span
 */
function marked(node, text, span) {
  if (span && span.start >= 0 && span.end <= text.length && span.start < span.end) {
    node.append(
      text.slice(0, span.start),
      el('mark', 'sms-code', text.slice(span.start, span.end)),
      text.slice(span.end),
    );
  } else {
    node.textContent = text;
  }
  return node;
}

/** A link's URL when it is http(s), else null (never `javascript:`, `data:`, `file:`…). @param {string} url */
function openable(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The e-mail's links, each as its text and an **Open link** button. @param {InboxMessage} m */
function links(m) {
  const list = el('ul', 'mail-links');
  list.setAttribute('aria-label', 'Links in this e-mail');
  const seen = new Set();
  for (const link of m.links) {
    const href = openable(link.url);
    if (!href || seen.has(href) || seen.size >= 5) continue;
    seen.add(href);
    const li = el('li', 'mail-link');
    const open = el('button', 'button small secondary', 'Open link');
    open.type = 'button';
    open.setAttribute('aria-label', `Open link ${href}`);
    // Opened only now, by the person's click: a new tab with no way back to this page.
    open.addEventListener('click', () => window.open(href, '_blank', 'noopener,noreferrer'));
    li.append(el('span', 'mail-url', href), open);
    list.append(li);
  }
  return list.childElementCount > 0 ? list : null;
}

/** The sender line: who, and for an e-mail whether its domain was proven. @param {InboxMessage} m */
function sender(m) {
  const who = el('div', 'who');
  const name = el('span', 'name', `From ${m.from}`);
  who.append(name);
  if (m.type === 'email') {
    const auth = m.auth;
    if (auth?.verified) {
      const mark = el('span', 'verified-sender', `✓ Verified sender${auth.domain ? ` · ${auth.domain}` : ''}`);
      mark.title = 'The sender’s domain proved this e-mail is its own (DKIM/DMARC)';
      who.append(mark);
    } else {
      // Who did vouch, if anyone: never shown as the From domain.
      const why = auth?.dkim === 'pass' && auth.domain ? `Not verified: signed by ${auth.domain}` : 'Not verified';
      who.append(el('span', 'unverified-sender', why));
    }
  }
  who.append(el('span', 'meta', `${m.accountName} · ${m.type === 'email' ? 'E-mail' : 'SMS'} · ${when(m.receivedAt)}`));
  return who;
}

/** @param {InboxMessage} m */
function item(m) {
  const li = el('li', `device ${m.type === 'email' ? 'email' : 'sms'}`);
  li.dataset.messageId = `${m.type}:${m.id}`;
  li.dataset.type = m.type;
  li.dataset.app = m.app;
  const head = el('div', 'device-head');
  head.append(sender(m));
  if (m.code) {
    const code = m.code.code;
    const copy = el('button', 'button small secondary', 'Copy code');
    copy.type = 'button';
    copy.setAttribute('aria-label', `Copy code ${code}`);
    copy.addEventListener('click', async () => {
      await navigator.clipboard.writeText(code).catch(() => {});
      copy.textContent = 'Copied';
      setTimeout(() => (copy.textContent = 'Copy code'), COPIED_MS);
    });
    head.append(copy);
  }
  li.append(head);
  if (m.type === 'email') {
    const subject = m.subject ?? '';
    li.append(marked(el('p', 'mail-subject'), subject, m.code?.in === 'subject' ? m.code : null));
  }
  li.append(marked(el('p', 'sms-text'), m.text, m.code && m.code.in !== 'subject' ? m.code : null));
  const linked = m.type === 'email' ? links(m) : null;
  if (linked) li.append(linked);
  li.hidden = !passes(li);
  return li;
}

/** @param {HTMLElement} li */
function passes(li) {
  return (!filters.type || li.dataset.type === filters.type) && (!filters.app || li.dataset.app === filters.app);
}

/** Shows the messages the filters let through, and the empty hint when none. */
function filter() {
  const list = byId('inbox');
  let shown = 0;
  for (const li of /** @type {HTMLElement[]} */ ([...list.children])) {
    li.hidden = !passes(li);
    if (!li.hidden) shown++;
  }
  byId('inbox-empty').hidden = shown > 0;
}

/** @param {InboxMessage[]} messages newest go on top */
function prepend(messages) {
  const list = byId('inbox');
  for (const m of messages) {
    if (list.querySelector(`[data-message-id="${CSS.escape(`${m.type}:${m.id}`)}"]`)) continue;
    list.prepend(item(m));
  }
  filter();
}

async function show() {
  const mine = ++generation;
  byId('inbox').replaceChildren();
  /** @type {InboxView} */
  const view = await ask('ws-inbox', { account, after: 0 });
  if (mine !== generation) return;
  last = view.last;
  prepend(view.messages);
  void poll(mine);
}

/** @param {number} mine */
async function poll(mine) {
  while (mine === generation) {
    try {
      /** @type {InboxView} */
      const view = await ask('ws-inbox-wait', { account, after: last });
      if (mine !== generation) return;
      last = Math.max(last, view.last);
      prepend(view.messages);
    } catch {
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

/** @param {HTMLSelectElement} select @param {string} label @param {Array<[string, string]>} choices */
function options(select, label, choices) {
  const all = el('option', '', label);
  all.value = '';
  select.replaceChildren(
    all,
    ...choices.map(([value, text]) => {
      const o = el('option', '', text);
      o.value = value;
      return o;
    }),
  );
}

/**
 * Shows the inbox card with its filters: account (the shared inbox or one account's), app, type.
 * @param {Array<{id: string, name: string, site: string}>} accounts
 */
export async function startInbox(accounts) {
  byId('inbox-card').hidden = false;
  /** @type {HTMLSelectElement} */
  const select = byId('inbox-account');
  options(
    select,
    'Shared inbox (every account)',
    accounts.map((a) => [a.id, a.name]),
  );
  select.onchange = () => {
    account = select.value || null;
    show().catch((e) => showError(byId('inbox-error'), message(e)));
  };
  /** @type {HTMLSelectElement} */
  const app = byId('inbox-app');
  const sites = [...new Set(accounts.map((a) => a.site).filter(Boolean))].sort();
  options(
    app,
    'Every app',
    sites.map((s) => [s, s]),
  );
  app.onchange = () => {
    filters.app = app.value;
    filter();
  };
  /** @type {HTMLSelectElement} */
  const type = byId('inbox-type');
  options(type, 'SMS and e-mail', [
    ['sms', 'SMS only'],
    ['email', 'E-mail only'],
  ]);
  type.onchange = () => {
    filters.type = type.value;
    filter();
  };
  await show().catch((e) => showError(byId('inbox-error'), message(e)));
}
