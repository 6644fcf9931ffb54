// @ts-check
/**
 * Who sent a message, judged only from what the browser reports (`sender`), never from the
 * message. Extension pages (the popup) may manage accounts; content scripts may only describe
 * their own frame.
 */

const EXTENSION_ORIGIN = new URL(chrome.runtime.getURL('')).origin;

/** @param {string | undefined} url */
function originOf(url) {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

/**
 * Whether the sender is one of Latchkey's own pages (popup, or the popup opened in a tab).
 * Content scripts never run in extension pages, so their `sender.url` is a web page's.
 * @param {chrome.runtime.MessageSender} sender
 */
export function isExtensionPage(sender) {
  return sender.id === chrome.runtime.id && originOf(sender.url) === EXTENSION_ORIGIN;
}

/**
 * @typedef {object} ContentFrame
 * @property {number} tabId
 * @property {number} frameId
 * @property {string} documentId
 * @property {string} url
 * @property {string | undefined} origin
 * @property {string | undefined} topUrl
 */

/**
 * The frame a content script message came from, or null when it is not one.
 * @param {chrome.runtime.MessageSender} sender @returns {ContentFrame | null}
 */
export function contentFrame(sender) {
  const tabId = sender.tab?.id;
  if (sender.id !== chrome.runtime.id || typeof tabId !== 'number' || tabId < 0) return null;
  if (typeof sender.frameId !== 'number' || typeof sender.url !== 'string' || typeof sender.documentId !== 'string')
    return null;
  if (originOf(sender.url) === EXTENSION_ORIGIN) return null;
  return {
    tabId,
    frameId: sender.frameId,
    documentId: sender.documentId,
    url: sender.url,
    origin: sender.origin,
    topUrl: sender.tab?.url,
  };
}

/** A message field that must be text of bounded length. @param {unknown} v @param {number} max */
export function str(v, max = 4096) {
  if (typeof v !== 'string' || v.length > max) throw new Error('The request is malformed.');
  return v;
}

/** A message field that must be a whole number in a range. @param {unknown} v @param {number} min @param {number} max */
export function int(v, min, max) {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error('The request is malformed.');
  return v;
}
