// @ts-check
// The copies of the core's wasm and the site lists that the background keeps in Cache Storage
// (extension/background/shipped.js), shared by tests/e2e/cold-start.test.mjs and its Firefox port:
// which copies there should be, and copies changed behind the background's back, as a program
// writing the profile on disk could. A changed copy must never be used: not a core with other
// code, and not a sign-in list that would let the kept account's code go to the shop's page.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../harness.mjs';

/** What shipped.js keeps, and the cache it keeps it in. */
export const SHIPPED = [
  'extension/pkg/latchkey_core_bg.wasm',
  'extension/data/public_suffix_list.bin',
  'extension/data/sign-in-sites.txt',
];
export const CACHE = 'latchkey-shipped';

/** Each file's SHA-256, as built (both browsers load these files). */
export function builtHashes() {
  return Object.fromEntries(
    SHIPPED.map((path) => [
      path,
      createHash('sha256')
        .update(readFileSync(join(ROOT, path)))
        .digest('hex'),
    ]),
  );
}

/**
 * What a copy becomes, by path (base64): the core replaced by another wasm module (the on-demand
 * devices module: it compiles, and has none of the core's functions), the suffix list cut short,
 * and a sign-in list that says the shop's host signs in for the kept account's site (example.com).
 */
export function changedCopies() {
  const b64 = (/** @type {Buffer} */ b) => b.toString('base64');
  const psl = readFileSync(join(ROOT, SHIPPED[1]));
  return {
    [SHIPPED[0]]: b64(readFileSync(join(ROOT, 'extension/pkg/latchkey_devices_bg.wasm'))),
    [SHIPPED[1]]: b64(psl.subarray(0, psl.length >> 1)),
    [SHIPPED[2]]: b64(Buffer.from('shop.localhost for shop.localhost example.com\n')),
  };
}

/**
 * Run in one of Latchkey's pages: the kept copies, each as its key and its body's SHA-256
 * (`KEY = SHA256`), sorted.
 * @param {string} cacheName
 */
export const keptCopies = async (cacheName) => {
  const cache = await caches.open(cacheName);
  const out = [];
  for (const request of await cache.keys()) {
    const body = await (await cache.match(request))?.arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body ?? new ArrayBuffer(0)));
    out.push(`${request.url} = ${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`);
  }
  return out.sort();
};

/**
 * Run in one of Latchkey's pages: every kept copy's body replaced, under its own key, by the bytes
 * `changed` gives for its path (base64). Returns how many were replaced.
 * @param {{cacheName: string, changed: Record<string, string>}} o
 */
export const changeCopies = async ({ cacheName, changed }) => {
  const cache = await caches.open(cacheName);
  let replaced = 0;
  for (const request of await cache.keys()) {
    const path = Object.keys(changed).find((p) => request.url.endsWith(`/${p}`));
    if (!path) continue;
    await cache.put(request, new Response(Uint8Array.from(atob(changed[path]), (c) => c.charCodeAt(0))));
    replaced++;
  }
  return replaced;
};

/**
 * The copies expected once the background read each file, as keptCopies gives them: one per file,
 * kept under its hash.
 * @param {Record<string, string>} hashes
 */
export const expectedCopies = (hashes) =>
  SHIPPED.map((path) => `https://latchkey.invalid/${hashes[path]}/${path} = ${hashes[path]}`).sort();
