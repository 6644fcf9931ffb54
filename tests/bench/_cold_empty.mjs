import { chromium } from 'playwright-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coldStart } from './cold-start.mjs';
const ext = process.argv[2];
const r = await coldStart(async () => {
  const profile = await mkdtemp(join(tmpdir(), 'c15-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true,
    args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  let sw = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker');
  const id = new URL(sw.url()).host;
  return { context, extensionId: id, close: () => context.close() };
}, 20);
console.log(r);
