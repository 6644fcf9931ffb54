// @ts-check
/**
 * Firefox's manifest, derived from the one manifest.json (./build.sh package, the Firefox e2e
 * harness): `node tools/firefox-manifest.mjs` prints it. Only what Firefox reads differently
 * changes here; everything else stays the Chromium manifest's.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The add-on's id: Firefox needs one for storage to survive an update (AMO signs it). */
export const GECKO_ID = 'latchkey@latchkey.dev';
/**
 * The oldest Firefox Latchkey claims (docs/firefox.md, "Minimum version"). The API floor is 143:
 * `storage.StorageArea.getKeys()` (frames.js) came last (Gecko 143); MV3 with `storage.session`,
 * module background scripts, `documentId` in messaging and `wasm-unsafe-eval` are older, and
 * `data_collection_permissions` needs 140. 153 is the ESR every test here runs on: nothing older is
 * tested, so nothing older is claimed.
 */
export const GECKO_MIN_VERSION = '153.0';

/** @param {Record<string, any>} chromium the manifest.json object @returns {Record<string, any>} */
export function firefoxManifest(chromium) {
  const m = structuredClone(chromium);
  // Chromium-only keys: "key" pins the unpacked id, the minimum version is Chrome's.
  delete m.key;
  delete m.minimum_chrome_version;
  // Firefox has no MV3 service worker: the same bundle runs as an event page (a module script).
  m.background = { scripts: [chromium.background.service_worker], type: 'module' };
  m.browser_specific_settings = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: GECKO_MIN_VERSION,
      // Latchkey sends no personal data to its makers; what it sends goes to the workspace's own server.
      data_collection_permissions: { required: ['none'] },
    },
  };
  return m;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('../', import.meta.url);
  const chromium = JSON.parse(readFileSync(new URL('manifest.json', root), 'utf8'));
  process.stdout.write(`${JSON.stringify(firefoxManifest(chromium), null, 2)}\n`);
}
