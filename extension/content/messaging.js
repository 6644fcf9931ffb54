// @ts-check
/**
 * The content script's side of the protocol (extension/types/protocol.d.ts): `ask` sends one of
 * the few `ContentRequests` a content script may send (the worker answers it only for the frame
 * the browser says sent it), and `listen` answers the worker's `ContentCommands`, from this
 * extension only. Defines `globalThis.LatchkeyMessages` (no modules in content scripts, so this is
 * the content script's own sender; Latchkey's pages use pages/ask.js).
 */
(() => {
  /** @typedef {import('../types/protocol').ContentRequests} ContentRequests */
  /** @typedef {import('../types/protocol').ContentCommands} ContentCommands */

  /**
   * Asks the worker; resolves with its reply, or null when the extension is gone (reloaded or
   * removed: this script is orphaned and should stop).
   * @template {keyof ContentRequests} K
   * @param {K} type @param {import('../types/protocol').FieldArgs<ContentRequests, K>} fields
   * @returns {Promise<import('../types/protocol').Reply<import('../types/protocol').ReplyTo<ContentRequests, K>> |
   *   null>}
   */
  async function ask(type, ...fields) {
    try {
      return (await chrome.runtime.sendMessage(Object.assign({}, fields[0], { type }))) ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Answers the worker's commands with `handlers`, one per command; a handler's result (or its
   * promise's) is the reply. Messages from anything but this extension's worker, and unknown
   * commands, get no answer.
   * @param {import('../types/protocol').Handlers<ContentCommands>} handlers
   */
  function listen(handlers) {
    chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
      if (sender.id !== chrome.runtime.id || !message || typeof message !== 'object') return false;
      const type = message.type;
      if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) return false;
      const handler = handlers[/** @type {keyof ContentCommands} */ (type)];
      handler(message).then(
        (reply) => sendResponse({ ok: true, ...reply }),
        () => sendResponse({ ok: false, error: 'Refused.' }),
      );
      return true;
    });
  }

  globalThis.LatchkeyMessages = Object.freeze({ ask, listen });
})();
