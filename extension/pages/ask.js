// @ts-check
/**
 * How Latchkey's own pages (popup, join page, dashboard) ask the service worker: one request of
 * `PageRequests` (extension/types/protocol.d.ts), typed by its name, answered with its reply. A
 * refusal throws its sentence, ready to show. Content scripts have their own sender
 * (content/messaging.js): the worker refuses page requests from them.
 */

/** @typedef {import('../types/protocol').PageRequests} PageRequests */
/** @typedef {import('../types/protocol').WorkspaceStatus} WorkspaceStatus */

/**
 * @template {keyof PageRequests} K
 * @param {K} type
 * @param {import('../types/protocol').FieldArgs<PageRequests, K>} fields
 * @returns {Promise<import('../types/protocol').ReplyTo<PageRequests, K>>}
 */
export async function ask(type, ...fields) {
  /** @type {import('../types/protocol').Reply<import('../types/protocol').ReplyTo<PageRequests, K>> | undefined} */
  const reply = await chrome.runtime.sendMessage(Object.assign({}, fields[0], { type }));
  if (reply?.ok !== true) {
    const error = typeof reply?.error === 'string' ? reply.error : null;
    throw new Error(error ?? 'Latchkey did not answer. Close this window or reload the page, and try again.');
  }
  return reply;
}

/** Where this device stands with a workspace. @returns {Promise<WorkspaceStatus>} */
export async function status() {
  return (await ask('ws-status')).workspace;
}

/** A refusal's sentence. @param {unknown} e */
export function message(e) {
  return e instanceof Error ? e.message : String(e);
}
