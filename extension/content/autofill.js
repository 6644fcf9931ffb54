// @ts-check
/**
 * Latchkey's content script, the part that decides: which of the fields the watcher found a code
 * may go to, what to tell the service worker about this frame, and when to fill. It never sees a
 * secret: the worker decides from this frame's address (which the browser reports, not us) whether
 * a code goes here. Loaded last, after the parts it uses (manifest.json's content_scripts, in
 * order): detector.js (which fields take a code), fill.js (putting a code in), mark.js (the
 * on-page mark), messaging.js (talking to the worker), watch.js (watching the page).
 *
 * Rules: fill a TOTP code only into fields whose code comes from an authenticator app (not SMS or
 * e-mail fields); a texted or e-mailed code (which the worker sends later, from the account's
 * inbox) only into fields of its kind or fields that could take either kind, showing "Waiting for
 * the SMS code…" (or the e-mail code, or either) meanwhile;
 * only when empty (never over what a person typed), never the same field twice with the same code;
 * only into fields a person can see, judged again just before each write (the page may hide a
 * field between detection and fill). On a two-factor setup step (the page shows a new key) the
 * worker sends no saved account's code; the frame tells it the key the page shows, for the popup's
 * "Save the new key". A code about to expire is not sent: the frame asks again when the next one
 * is there (`retryIn`).
 */
(() => {
  /** @typedef {import('../types/detector').DetectedGroup} DetectedGroup */

  const { LatchkeyDetector: detector, LatchkeyFill: engine, LatchkeyMark: mark } = globalThis;
  const { LatchkeyMessages: messages, LatchkeyWatch: watch } = globalThis;
  if (!detector || !engine || !mark || !messages || !watch) return;

  /** Channels a TOTP code may go to: SMS and e-mail codes come from elsewhere. */
  const TOTP_CHANNELS = new Set(['app', 'unknown']);
  /** Channels a code from the inbox may go to, by its kind. */
  const INBOX_CHANNELS = { sms: new Set(['sms', 'unknown']), email: new Set(['email', 'unknown']) };
  /** A code as the core makes them: 4-10 letters or digits. Anything else is not filled. */
  const CODE_SHAPE = /^[0-9A-Za-z]{4,10}$/;

  /** The groups a TOTP code may fill, best first. @type {DetectedGroup[]} */
  let groups = [];
  /** The groups a texted or e-mailed code may fill. @type {DetectedGroup[]} */
  let inboxGroups = [];
  /** Identity of the fields last reported, so an unchanged page costs no message. */
  let reported = '';
  /** What we put in each group (keyed by its first field), to spot typing and repeats. */
  /** @type {WeakMap<HTMLInputElement, string>} */
  const filledWith = new WeakMap();

  /** @param {DetectedGroup[]} found */
  function sort(found) {
    groups = found.filter((g) => TOTP_CHANNELS.has(g.channel));
    inboxGroups = found.filter((g) => INBOX_CHANNELS.sms.has(g.channel) || INBOX_CHANNELS.email.has(g.channel));
  }

  /** @param {DetectedGroup[]} list */
  function signature(list) {
    return list.map((g) => `${g.fields.map(watch.idOf).join(',')}${g.setup ? `+${g.setupKey ?? ''}` : ''}`).join('|');
  }

  /** After each scan: tell the worker when what this frame has changed. @param {DetectedGroup[]} found */
  function onScan(found) {
    sort(found);
    const sig = `${signature(groups)}/${signature(inboxGroups)}`;
    if (sig === reported) return;
    reported = sig;
    void report();
  }

  /** The longest wait for the next code the worker may ask for (it asks under 5 s). */
  const MAX_RETRY_MS = 10_000;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let retry;

  /** Tells the worker what this frame has; fills the code it answers with, if any. */
  async function report() {
    const setup = groups.find((g) => g.setup);
    const reply = await messages.ask('fields', {
      groups: groups.length,
      sms: inboxGroups.filter((g) => INBOX_CHANNELS.sms.has(g.channel)).length,
      email: inboxGroups.filter((g) => INBOX_CHANNELS.email.has(g.channel)).length,
      ...(setup ? { setup: true, ...(setup.setupKey ? { secret: setup.setupKey } : {}) } : {}),
    });
    if (!reply) {
      // The extension was reloaded or removed: this script is orphaned, stop watching.
      stop();
      return;
    }
    clearTimeout(retry);
    if (reply.ok && typeof reply.code === 'string') {
      mark.hide();
      await fill(reply.code, false);
    } else if (reply.ok && typeof reply.retryIn === 'number' && reply.retryIn > 0) askAgainIn(reply.retryIn);
    else if (reply.ok && reply.setup === true && setup) mark.show(setup.fields, mark.SETUP);
    else if (reply.ok && reply.waiting === true) showMark(waitingSentence(reply.via));
    else if (reply.ok && reply.choose === true) showMark(mark.CHOOSE);
    else mark.hide();
  }

  /** The code was about to expire: report again once the next one is there. @param {number} ms */
  function askAgainIn(ms) {
    retry = setTimeout(() => {
      reported = '';
      watch.scan();
    }, Math.min(ms, MAX_RETRY_MS) + 50);
  }

  /**
   * What the mark says while the worker waits (`via`: what for; only the fixed sentences).
   * @param {unknown} via
   */
  function waitingSentence(via) {
    return via === 'email' ? mark.WAITING_EMAIL : via === 'either' ? mark.WAITING_EITHER : mark.WAITING;
  }

  /**
   * The mark goes after the inbox group still on the page.
   * @param {typeof mark.WAITING | typeof mark.WAITING_EMAIL | typeof mark.WAITING_EITHER | typeof mark.CHOOSE |
   *   typeof mark.UNREACHABLE} sentence
   */
  function showMark(sentence) {
    const group = inboxGroups.find((g) => g.fields.every((f) => f.isConnected));
    if (group) mark.show(group.fields, sentence);
  }

  /**
   * Fills the best group with `code`. Automatic fills skip fields that hold anything we did not put
   * there, and fields already filled with this code; a fill the person asked for (popup) replaces.
   * A group that is disabled or read-only (a "Send code" button enables it) is filled once it is
   * enabled, with a fresh code asked for then.
   * @param {string} code @param {boolean} asked
   * @param {'sms' | 'email'} [kind] a code from the inbox, texted or e-mailed (fields of that kind only)
   * @returns {Promise<{filled: boolean, reached: boolean}>} whether a field kept the code, and whether
   *   it was typed into one at all
   */
  async function fill(code, asked, kind) {
    const none = { filled: false, reached: false };
    if (!CODE_SHAPE.test(code)) return none;
    // The page may have changed since the fields were found: find them again, visibility included.
    sort(watch.detect());
    const candidates = kind ? inboxGroups.filter((g) => INBOX_CHANNELS[kind].has(g.channel)) : groups;
    const fitting = candidates.filter((g) => g.fields.every((f) => f.isConnected) && engine.fits(g, code));
    const group = fitting.find((g) => !engine.isLocked(g));
    if (!group) {
      if (fitting[0]) waitUntilEnabled(fitting[0]);
      return none;
    }
    const first = group.fields[0];
    const ours = filledWith.get(first);
    if (!asked) {
      if (ours === code) return none;
      const current = group.fields.map((f) => f.value).join('');
      if (current !== '' && current !== ours) return none;
    }
    const ok = await engine.fill(group, code, detector.isVisible);
    if (ok) filledWith.set(first, code);
    // Typed into the page's field, the code reached the page whether or not the field kept it (a
    // page reads the input events it cancels).
    return { filled: ok, reached: true };
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
    const observer = new MutationObserver(() => {
      if (g.fields.some((f) => f.disabled || f.readOnly || !f.isConnected)) return;
      observer.disconnect();
      if (enableWatch === observer) enableWatch = null;
      reported = '';
      watch.scan();
    });
    for (const f of g.fields) observer.observe(f, { attributes: true, attributeFilter: ['disabled', 'readonly'] });
    enableWatch = observer;
  }

  function stop() {
    clearTimeout(retry);
    watch.stop();
    enableWatch?.disconnect();
  }

  // Back/forward cache: the page comes back without a load, and the worker forgot this frame.
  addEventListener('pageshow', (event) => {
    if (event.persisted) {
      reported = '';
      watch.soon();
    }
  });

  messages.listen({
    ping: async () => ({}),
    rescan: async () => {
      // Accounts changed: ask again even if the fields did not.
      reported = '';
      watch.scan();
      return {};
    },
    fill: async (message) => {
      if (typeof message.code !== 'string') return { filled: false };
      const fromInbox = message.sms === true;
      // The message came: the wait is over, whether or not the field still takes it.
      if (fromInbox) mark.hide();
      const kind = message.kind === 'email' ? 'email' : 'sms';
      return fill(message.code, !fromInbox, fromInbox ? kind : undefined);
    },
    'sms-waiting': async (message) => {
      showMark(waitingSentence(message.via));
      return {};
    },
    'sms-unreachable': async () => {
      showMark(mark.UNREACHABLE);
      return {};
    },
    'sms-stop': async () => {
      mark.hide();
      return {};
    },
  });

  watch.start(onScan);
})();
