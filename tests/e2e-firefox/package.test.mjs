// @ts-check
// The Firefox package beside the Chromium zip (`./build.sh package`): the same files, and a manifest
// that differs only where Firefox reads differently (docs/firefox.md). The other Firefox tests
// install this very package, so its loading is tested there.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../e2e/harness.mjs';
import { firefoxPackage } from './firefox.mjs';

/** The file names and the parsed manifest of a zip. @param {string} zip */
function contents(zip) {
  const script = `import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"names": sorted(z.namelist()), "manifest": json.loads(z.read("manifest.json"))}))`;
  return JSON.parse(execFileSync('python3', ['-c', script, zip], { encoding: 'utf8' }));
}

test('Firefox package: the Chromium zip’s files, under an event-page manifest with a gecko id', () => {
  const dist = join(ROOT, 'dist');
  const chromiumZip = existsSync(dist) ? readdirSync(dist).find((f) => /^latchkey-extension-.*\.zip$/.test(f)) : null;
  assert.ok(chromiumZip, 'dist/ has no Chromium package: run ./build.sh package');
  const firefox = contents(firefoxPackage());
  const chromium = contents(join(dist, chromiumZip));
  assert.deepEqual(firefox.names, chromium.names, 'the same files in both packages');

  const m = firefox.manifest;
  assert.deepEqual(m.background, { scripts: [chromium.manifest.background.service_worker], type: 'module' });
  assert.equal(m.browser_specific_settings.gecko.id, 'latchkey@latchkey.dev');
  assert.equal(m.browser_specific_settings.gecko.strict_min_version, '153.0');
  assert.equal(m.key, undefined);
  assert.equal(m.minimum_chrome_version, undefined);
  // Everything else is the Chromium manifest's, the CSP for wasm included.
  const rest = (/** @type {Record<string, unknown>} */ x) => {
    const { background, browser_specific_settings, minimum_chrome_version, ...others } = x;
    return others;
  };
  assert.deepEqual(rest(m), rest(chromium.manifest));
  assert.match(m.content_security_policy.extension_pages, /'wasm-unsafe-eval'/);
});
