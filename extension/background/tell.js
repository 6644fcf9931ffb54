// @ts-check
/**
 * The worker's side of `ContentCommands` (extension/types/protocol.d.ts): one command to one
 * frame's content script, addressed by document so a frame that navigated meanwhile gets nothing.
 */

/** @typedef {import('../types/protocol').ContentCommands} ContentCommands */
/** @typedef {{tabId: number, frameId: number, documentId: string}} Target */

/**
 * Sends `type` to the frame; resolves with its reply, or null when nothing answered (the frame is
 * gone, or its script was not there).
 * @template {keyof ContentCommands} K
 * @param {Target} target @param {K} type
 * @param {import('../types/protocol').FieldArgs<ContentCommands, K>} fields
 * @returns {Promise<import('../types/protocol').Reply<import('../types/protocol').ReplyTo<ContentCommands, K>> | null>}
 */
export async function tell(target, type, ...fields) {
  const options = { frameId: target.frameId, documentId: target.documentId };
  try {
    return (await chrome.tabs.sendMessage(target.tabId, Object.assign({}, fields[0], { type }), options)) ?? null;
  } catch {
    return null;
  }
}
