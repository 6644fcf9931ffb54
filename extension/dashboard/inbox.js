// @ts-check
/**
 * The inboxes: the shared inbox (every account this person reads) or one account's, newest first,
 * with sender, time, the text and its code highlighted (by the core's UTF-16 span) with a copy
 * button. New messages appear live (a long poll). SMS text is hostile: textContent only.
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

/** @param {number} unix */
function when(unix) {
  return new Date(unix * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The text with the code's span in a <mark>: three text nodes at most. @param {InboxMessage} m */
function body(m) {
  const p = el('p', 'sms-text');
  const c = m.code;
  if (c && c.start >= 0 && c.end <= m.text.length && c.start < c.end) {
    p.append(m.text.slice(0, c.start), el('mark', 'sms-code', m.text.slice(c.start, c.end)), m.text.slice(c.end));
  } else {
    p.textContent = m.text;
  }
  return p;
}

/** @param {InboxMessage} m */
function item(m) {
  const li = el('li', 'device sms');
  li.dataset.messageId = m.id;
  const head = el('div', 'device-head');
  const who = el('div', 'who');
  who.append(el('span', 'name', `From ${m.from}`), el('span', 'meta', `${m.accountName} · ${when(m.receivedAt)}`));
  head.append(who);
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
  li.append(head, body(m));
  return li;
}

/** @param {InboxMessage[]} messages newest go on top */
function prepend(messages) {
  const list = byId('inbox');
  for (const m of messages) {
    if (list.querySelector(`[data-message-id="${CSS.escape(m.id)}"]`)) continue;
    list.prepend(item(m));
  }
  byId('inbox-empty').hidden = list.childElementCount > 0;
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

/**
 * Shows the inbox card with a chooser of accounts.
 * @param {Array<{id: string, name: string}>} accounts
 */
export async function startInbox(accounts) {
  byId('inbox-card').hidden = false;
  /** @type {HTMLSelectElement} */
  const select = byId('inbox-account');
  const all = el('option', '', 'Shared inbox (every account)');
  all.value = '';
  select.replaceChildren(
    all,
    ...accounts.map((a) => {
      const o = el('option', '', `${a.name}`);
      o.value = a.id;
      return o;
    }),
  );
  select.onchange = () => {
    account = select.value || null;
    show().catch((e) => showError(byId('inbox-error'), message(e)));
  };
  await show().catch((e) => showError(byId('inbox-error'), message(e)));
}
