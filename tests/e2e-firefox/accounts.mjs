// @ts-check
/**
 * One Firefox for a file's tests about accounts and fills (right-account, policy): each test starts
 * with no account saved, no cookie and no tab but a popup's, so what one test saved or signed in
 * to cannot fill, count or sign in in the next; the Firefox and its add-on are launched once.
 */
import { launchFirefox, openPopup, sharedContext } from './firefox.mjs';

/** @typedef {import('./firefox.mjs').Firefox} Firefox */

/**
 * A function giving each test the file's Firefox, launched at the first call (`o` as launchFirefox
 * takes it), cleaned for the test: every account removed, every other tab closed (through
 * a popup of Latchkey's, the current tab after, drawn before the cleaning: tests open their own),
 * every cookie removed.
 * @param {(fn: () => Promise<void>) => void} after node:test's `after`
 * @param {Parameters<typeof launchFirefox>[1]} [o]
 * @returns {() => Promise<Firefox>}
 */
export function oneFirefox(after, o) {
  const shared = sharedContext(after);
  /** @type {Promise<Firefox> | undefined} */
  let launched;
  return async () => {
    launched ??= launchFirefox(shared, o);
    const ff = await launched;
    await openPopup(ff);
    const left = await ff.run(async () => {
      const here = (await chrome.tabs.getCurrent())?.id;
      const others = (await chrome.tabs.query({})).map((t) => t.id).filter((id) => id !== undefined && id !== here);
      await chrome.tabs.remove(/** @type {number[]} */ (others));
      const { accounts } = await chrome.runtime.sendMessage({ type: 'list' });
      for (const a of accounts) await chrome.runtime.sendMessage({ type: 'delete', id: a.id });
      return (await chrome.runtime.sendMessage({ type: 'list' })).accounts.length;
    });
    if (left !== 0) throw new Error(`${left} accounts left after removing them all`);
    // Signed out of every site, as a new browser context starts (Chromium's tests get one each).
    await ff.privileged('Services.cookies.removeAll();');
    return ff;
  };
}
