// @ts-check
// The store zip that `./build.sh package` makes (build.sh test makes it first): unpacked as a store
// would install it, with no "key" and so another extension id, it loads, and its worker computes
// the right code in wasm. Catches a file missing from the zip or a path that only works unpacked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT, referenceCodesBetween } from './harness.mjs';

test('the packaged zip loads in Chromium and its worker computes codes', async (t) => {
  const dist = join(ROOT, 'dist');
  const zip = existsSync(dist) ? readdirSync(dist).find((f) => /^latchkey-extension-.*\.zip$/.test(f)) : undefined;
  assert.ok(zip, 'dist/ has no package: run ./build.sh package');
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-pkg-'));
  const profile = mkdtempSync(join(tmpdir(), 'latchkey-pkg-profile-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });
  execFileSync('python3', ['-m', 'zipfile', '-e', join(dist, zip), dir]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.key, undefined, 'the store refuses a manifest with "key"');

  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  t.after(() => ctx.close());
  const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker', { timeout: 30_000 }));
  const id = new URL(sw.url()).host;
  const popup = await ctx.newPage();
  await popup.goto(`chrome-extension://${id}/extension/popup/popup.html`);
  const secret = 'JBSWY3DPEHPK3PXP';
  const from = Date.now();
  const reply = await popup.evaluate((s) => chrome.runtime.sendMessage({ type: 'preview', secret: s }), secret);
  assert.ok(reply?.ok, JSON.stringify(reply));
  assert.ok(referenceCodesBetween(secret, from, Date.now()).includes(reply.preview.code), `got ${reply.preview.code}`);
});
