// @ts-check
/**
 * The popup's requests to the service worker, typed. The worker answers with names, sites and
 * codes only; a failed request throws its sentence, ready to show.
 */

/** @typedef {import('../types/protocol').PopupRequest} PopupRequest */
/** @typedef {import('../types/protocol').ListReply} ListReply */
/** @typedef {import('../types/protocol').CodesReply} CodesReply */
/** @typedef {import('../types/protocol').PreviewReply} PreviewReply */
/** @typedef {import('../types/protocol').AddReply} AddReply */
/** @typedef {import('../types/protocol').PageReply} PageReply */
/** @typedef {import('../types/protocol').FillReply} FillReply */

/**
 * @template T
 * @param {PopupRequest} request
 * @returns {Promise<T>}
 */
async function ask(request) {
  const reply = await chrome.runtime.sendMessage(request);
  if (!reply || reply.ok !== true) {
    throw new Error(
      typeof reply?.error === 'string' ? reply.error : 'Latchkey did not answer. Close this window and try again.',
    );
  }
  return reply;
}

/** @returns {Promise<ListReply>} */
export const listAccounts = () => ask({ type: 'list' });
/** @returns {Promise<CodesReply>} */
export const currentCodes = () => ask({ type: 'codes' });
/** @param {string} secret @returns {Promise<PreviewReply>} */
export const preview = (secret) => ask({ type: 'preview', secret });
/** @param {{secret: string, name: string, site: string}} a @returns {Promise<AddReply>} */
export const addAccount = (a) => ask({ type: 'add', ...a });
/** @param {{id: string, name: string, site: string}} a @returns {Promise<{}>} */
export const updateAccount = (a) => ask({ type: 'update', ...a });
/** @param {string} id @returns {Promise<{}>} */
export const deleteAccount = (id) => ask({ type: 'delete', id });
/** @param {number} tabId @returns {Promise<PageReply>} */
export const pageInfo = (tabId) => ask({ type: 'page', tabId });
/** @param {number} tabId @param {string} id @returns {Promise<FillReply>} */
export const fillChosen = (tabId, id) => ask({ type: 'fill-chosen', tabId, id });
