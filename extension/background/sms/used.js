// @ts-check
/**
 * Message ids (SMS and e-mail alike: one list) whose code was filled, per account, in
 * `localStore` (platform.js: trusted contexts only): a code is never filled twice. Kept bounded: the
 * newest 200 ids per account. Changes go one after another, and a code is claimed (picked and
 * marked in one step) before it is sent to a page: two waits on one account, or a page that
 * reloads the moment its field is filled, never get the same code twice.
 */
import { turns } from '../in-turn.js';
import { localStore } from '../platform.js';

const KEY = 'smsUsed';
const MAX = 200;

// Each change reads the map written by the change before it.
const inTurn = turns();

/** @returns {Promise<Record<string, string[]>>} */
async function all() {
  const v = (await localStore.get(KEY))[KEY];
  return v && typeof v === 'object' ? /** @type {Record<string, string[]>} */ (v) : {};
}

/** @param {Record<string, string[]>} map @param {string} accountId */
function listOf(map, accountId) {
  const list = map[accountId];
  return Array.isArray(list) ? list : [];
}

/** @param {string} accountId @returns {Promise<Set<string>>} */
export function usedIds(accountId) {
  return inTurn(async () => new Set(listOf(await all(), accountId)));
}

/**
 * Picks a message with `pick(used)` and marks it used in the same turn; resolves to the pick.
 * @template {{id: string}} P @param {string} accountId @param {(used: ReadonlySet<string>) => P | null} pick
 * @returns {Promise<P | null>}
 */
export function claim(accountId, pick) {
  return inTurn(async () => {
    const map = await all();
    const list = listOf(map, accountId);
    const picked = pick(new Set(list));
    if (picked) {
      map[accountId] = [...list.filter((x) => x !== picked.id), picked.id].slice(-MAX);
      await localStore.set({ [KEY]: map });
    }
    return picked;
  });
}

/**
 * Gives a claimed code back: the page answered that it did not take it.
 * @param {string} accountId @param {string} messageId
 */
export function release(accountId, messageId) {
  return inTurn(async () => {
    const map = await all();
    map[accountId] = listOf(map, accountId).filter((x) => x !== messageId);
    await localStore.set({ [KEY]: map });
  });
}
