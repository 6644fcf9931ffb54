// @ts-check
/** Requests from Latchkey's full pages to the service worker; a refusal throws its sentence. */

/** @typedef {import('../types/protocol').WorkspaceStatus} WorkspaceStatus */

/**
 * @template [T=Record<string, unknown>]
 * @param {`ws-${string}`} type @param {Record<string, unknown>} [fields] @returns {Promise<T>}
 */
export async function ask(type, fields = {}) {
  const reply = await chrome.runtime.sendMessage({ type, ...fields });
  if (!reply || reply.ok !== true) {
    throw new Error(
      typeof reply?.error === 'string' ? reply.error : 'Latchkey did not answer. Reload this page and try again.',
    );
  }
  return reply;
}

/** @returns {Promise<WorkspaceStatus>} */
export async function status() {
  /** @type {{workspace: WorkspaceStatus}} */
  const reply = await ask('ws-status');
  return reply.workspace;
}

/** @param {unknown} e */
export function message(e) {
  return e instanceof Error ? e.message : String(e);
}
