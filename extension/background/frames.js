// @ts-check
/**
 * Which frames of which tabs have a fillable code field, kept in `chrome.storage.session` so it
 * survives the worker being stopped (it is, when idle). A record holds what the browser reported
 * about the frame (its URL and document id), never anything the page wrote.
 *
 * Records go stale when a frame navigates away. Rather than tracking navigations (a permission
 * more), `prune` asks each recorded document whether it is still there: a message addressed by
 * document id cannot reach a document that is gone.
 */
import { turns } from './in-turn.js';
import { tell } from './tell.js';

/**
 * @typedef {object} FrameRecord
 * @property {string} url the frame's URL as the browser reported it
 * @property {string} documentId the document that reported, so a message reaches only it
 * @property {string | undefined} origin its origin ("null" when sandboxed)
 * @property {number} groups how many fillable code fields it found
 * @property {number} [sms] how many of them take an SMS code
 * @property {number} [email] how many of them take an e-mailed code
 */
/** @typedef {Record<string, FrameRecord>} TabFrames frame id → record */

const PREFIX = 'tab:';
/** @param {number} tabId */
const keyOf = (tabId) => `${PREFIX}${tabId}`;

// One read-modify-write at a time: frames of one page report at once.
const serial = turns();

/** @param {number} tabId @returns {Promise<TabFrames>} */
export async function framesOf(tabId) {
  const items = await chrome.storage.session.get(keyOf(tabId));
  const frames = items[keyOf(tabId)];
  return frames && typeof frames === 'object' ? /** @type {TabFrames} */ (frames) : {};
}

/** Tab ids with records. @returns {Promise<number[]>} */
export async function tabsWithFrames() {
  const keys = await chrome.storage.session.getKeys();
  return keys
    .filter((k) => k.startsWith(PREFIX))
    .map((k) => Number(k.slice(PREFIX.length)))
    .filter(Number.isInteger);
}

/**
 * Records (or, with `null`, forgets) one frame's fields.
 * @param {number} tabId @param {number} frameId @param {FrameRecord | null} record
 */
export function setFrame(tabId, frameId, record) {
  return serial(async () => {
    const frames = await framesOf(tabId);
    if (record) frames[frameId] = record;
    else delete frames[frameId];
    await save(tabId, frames);
  });
}

/** @param {number} tabId @param {TabFrames} frames */
async function save(tabId, frames) {
  if (Object.keys(frames).length === 0) await chrome.storage.session.remove(keyOf(tabId));
  else await chrome.storage.session.set({ [keyOf(tabId)]: frames });
}

/** @param {number} tabId */
export function forgetTab(tabId) {
  return serial(() => chrome.storage.session.remove(keyOf(tabId)));
}

/**
 * Drops the records of documents that are gone, and returns the rest.
 * @param {number} tabId @param {number} [keepFrameId] a frame known to be alive (the sender)
 * @returns {Promise<TabFrames>}
 */
export async function prune(tabId, keepFrameId) {
  const frames = await framesOf(tabId);
  /** @type {string[]} */
  const dead = [];
  await Promise.all(
    Object.entries(frames).map(async ([frameId, record]) => {
      if (Number(frameId) === keepFrameId) return;
      const reply = await tell({ tabId, frameId: Number(frameId), documentId: record.documentId }, 'ping');
      const alive = reply?.ok === true;
      if (!alive) dead.push(frameId);
    }),
  );
  if (dead.length === 0) return frames;
  return serial(async () => {
    const current = await framesOf(tabId);
    for (const frameId of dead) {
      if (current[frameId]?.documentId === frames[frameId].documentId) delete current[frameId];
    }
    await save(tabId, current);
    return current;
  });
}
