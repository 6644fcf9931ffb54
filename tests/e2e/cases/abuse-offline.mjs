// @ts-check
// The attacks of tests/e2e/abuse-offline.test.mjs on the offline copy of the vault (docs/security.md,
// "The offline copy") and what Latchkey must answer: shared by Chromium's test and Firefox's
// tests/e2e-firefox/abuse-offline.test.mjs.

/** The key the offline copy is kept under, and what a content script asking the worker gets. */
export const COPY_KEY = 'workspaceVaultCopy';
export const PAGE_ONLY = { ok: false, error: 'Only Latchkey’s own pages may ask that.' };

/**
 * The copy edited as someone with the profile on disk would: one character of its sealed part.
 * @param {string} copy @returns {string}
 */
export function editedCopy(copy) {
  const at = Math.floor(copy.length * 0.6);
  return copy.slice(0, at) + (copy[at] === 'A' ? 'B' : 'A') + copy.slice(at + 1);
}

/** The popup's sync line with the server away, and why the copy opened nothing. */
export const UNREACHABLE = 'Server unreachable';
export const ALTERED = 'The offline copy of the vault was altered or damaged in storage';
export const OTHER_USER = 'The offline copy of the vault belongs to another user';
export const OTHER_USER_SHORT = 'belongs to another user';

/** How long the code step is watched for a fill that must not come. */
export const QUIET_MS = 2500;
