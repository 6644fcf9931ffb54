// @ts-check
/**
 * Files of the extension the worker reads at a start (the core's wasm, the site lists), kept as a
 * copy in the extension's Cache Storage: a worker just started reads a copy there in about 2 ms,
 * where a fetch of the extension's own file takes 4 ms and more, and carrying the core inside the
 * worker's script made every start load 470 KB of base64 before its first line ran (README,
 * "Measured"). Each copy is used only when its SHA-256 is the one the worker's bundle carries
 * (written by ./build.sh build): a copy changed on disk or left by another version is never used,
 * but read again from the extension and replaced. The check runs beside the caller's own work on
 * the bytes (the core's compile), so it costs the start almost nothing. Where Cache Storage is
 * missing or refuses (a private window), the extension's file is read as before.
 */
import HASHES from '../pkg/shipped-hashes.js';

/** The cache that holds the copies; nothing else is kept in it. */
export const SHIPPED_CACHE = 'latchkey-shipped';

/**
 * Where a copy is kept: Cache Storage takes http(s) URLs only. `.invalid` is reserved (RFC 2606),
 * so this one names the copy and is never fetched. The hash in it keeps versions apart.
 * @param {string} path @param {string} sha256
 */
export const copyKey = (path, sha256) => `https://latchkey.invalid/${sha256}/${path}`;

/**
 * `use(bytes)` of the extension's file at `path` (from the extension's root), from the kept copy
 * when it is intact. A copy that fails the check is dropped and `use` runs again on the file.
 * @template T @param {string} path @param {(bytes: ArrayBuffer) => Promise<T> | T} use @returns {Promise<T>}
 */
export async function shipped(path, use) {
  const sha256 = HASHES[path];
  const copy = sha256 ? await keptCopy(copyKey(path, sha256)) : null;
  if (copy) {
    const [used, intact] = await Promise.allSettled([
      (async () => use(copy))(),
      hashOf(copy).then((h) => h === sha256),
    ]);
    if (intact.status === 'fulfilled' && intact.value && used.status === 'fulfilled') return used.value;
  }
  const missing = new Error(`Latchkey is missing one of its files (${path}): reinstall Latchkey.`);
  const response = await fetch(chrome.runtime.getURL(path)).catch(() => {
    throw missing;
  });
  if (!response.ok) throw missing;
  const bytes = await response.arrayBuffer();
  if (sha256) void keep(path, sha256, bytes);
  return use(bytes);
}

/** The kept copy's bytes, or null when there is none or Cache Storage refuses. @param {string} key */
async function keptCopy(key) {
  try {
    const hit = await caches.match(key, { cacheName: SHIPPED_CACHE });
    return hit ? await hit.arrayBuffer() : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the file's bytes as its copy, replacing any other copy of the same path, when they are the
 * bytes the bundle names (a build whose files changed after it ran keeps nothing, and reads the file).
 * @param {string} path @param {string} sha256 @param {ArrayBuffer} bytes
 */
async function keep(path, sha256, bytes) {
  try {
    if ((await hashOf(bytes)) !== sha256) return;
    const cache = await caches.open(SHIPPED_CACHE);
    for (const old of await cache.keys()) {
      if (old.url.endsWith(`/${path}`)) await cache.delete(old);
    }
    await cache.put(copyKey(path, sha256), new Response(bytes));
  } catch {
    // No copy kept: the next start reads the file again.
  }
}

/** @param {ArrayBuffer} bytes */
async function hashOf(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
