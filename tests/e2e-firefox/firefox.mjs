// @ts-check
/**
 * The Firefox side of the end-to-end tests: Debian's firefox-esr driven by geckodriver over
 * WebDriver classic (plain HTTP, Node's fetch: no client library), with the built Firefox package
 * installed as a temporary add-on. Servers and fixtures come from the Chromium harness
 * (tests/e2e/harness.mjs), which launches no browser on import.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SCREENSHOTS } from '../e2e/harness.mjs';

const GECKODRIVER = process.env.GECKODRIVER || join(ROOT, '.tools', 'cargo', 'bin', 'geckodriver');
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
/** The id tools/firefox-manifest.mjs gives the add-on. */
const ADDON_ID = 'latchkey@latchkey.dev';
/** Fixed through a pref, so tests know Latchkey's pages' addresses (Firefox picks one at random). */
export const ADDON_UUID = '5c0c7b8e-2f44-4a63-9d2b-6c5e1f0a7d31';
export const BASE = `moz-extension://${ADDON_UUID}/`;
export const POPUP_URL = `${BASE}extension/popup/popup.html`;

/** The Firefox package `./build.sh package` made (dist/latchkey-firefox-VERSION.zip). */
export function firefoxPackage() {
  const dist = join(ROOT, 'dist');
  const zip = existsSync(dist) ? readdirSync(dist).find((f) => /^latchkey-firefox-.*\.zip$/.test(f)) : undefined;
  if (!zip) throw new Error('no Firefox package in dist/: run ./build.sh package first');
  return join(dist, zip);
}

/** @typedef {{after: (fn: () => unknown) => void}} TestContext */

/**
 * A TestContext for what a whole file shares (one Firefox for many tests): what it is given to
 * clean up runs in `after`, the file's own hook, last given first.
 * @param {(fn: () => Promise<void>) => void} after node:test's `after` @returns {TestContext}
 */
export function sharedContext(after) {
  /** @type {(() => unknown)[]} */
  const cleanups = [];
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  return { after: (fn) => void cleanups.push(fn) };
}

/**
 * A copy of the Firefox package with `code` as one more content script of every page (top frames)
 * (a probe: what code that took over a Latchkey content script could do), unpacked in a temporary
 * directory removed after the test.
 * @param {TestContext} t @param {string} code
 */
export async function packageWithProbe(t, code) {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-ff-probe-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  execFileSync('python3', [
    '-c',
    'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
    firefoxPackage(),
    dir,
  ]);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  manifest.content_scripts.push({ matches: ['<all_urls>'], js: ['probe.js'], run_at: 'document_idle' });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'probe.js'), code);
  return dir;
}

/**
 * Starts geckodriver on a free port (its banner names it), killed after the test.
 * @param {TestContext} t @returns {Promise<string>} its base URL
 */
async function startGeckodriver(t) {
  const child = spawn(
    GECKODRIVER,
    ['--port', '0', '--websocket-port', '0', '--allow-system-access', '--binary', FIREFOX, '--log', 'info'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MOZ_HEADLESS: '1' },
    },
  );
  t.after(() => {
    child.kill();
  });
  let log = '';
  let listening = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`geckodriver did not start: ${log}`)), 60_000);
    // Its banner (an info line) names the port; later output is drained, never kept.
    const seen = (/** @type {Buffer} */ chunk) => {
      if (listening) return;
      log += chunk;
      const m = /Listening on (127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        listening = true;
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => reject(new Error(`geckodriver exited (${code}): ${log}`)));
  });
}

/**
 * The prefs that let Firefox suspend an idle event page after `ms` (its default is 30 s; it takes
 * no less than 100 ms): how the tests and the cold-start bench stop Latchkey's background, as
 * Firefox does when a person leaves the browser alone. WebDriver has no command for it.
 * @param {number} ms
 */
export const idleSuspendPrefs = (ms) => ({
  'extensions.background.idle.timeout': ms,
  // On by default in 153; said here so that a profile turning event pages off cannot pass silently.
  'extensions.eventPages.enabled': true,
});

/**
 * The idle timeout the tests that suspend the event page use: well above the one-second calls by
 * which the background holds itself up while it works on an answer (platform.js `holdAwake`;
 * Firefox counts API calls as activity, not work on an answer).
 */
export const TEST_IDLE_MS = 3000;

/**
 * Firefox with Latchkey installed (the Firefox package, or `addon`: another package or an unpacked
 * directory; null: none, for benches), in a fresh profile geckodriver makes and removes; `prefs`
 * are added to the harness's own (and win over them); `args` are added to Firefox's command line.
 * @param {TestContext} t @param {{addon?: string | null, prefs?: Record<string, unknown>, args?: string[]}} [o]
 */
export async function launchFirefox(t, o = {}) {
  const driver = await startGeckodriver(t);
  /** @param {string} method @param {string} path @param {unknown} [body] @returns {Promise<any>} */
  const call = async (method, path, body) => {
    const res = await fetch(driver + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = /** @type {{value: any}} */ (await res.json());
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
    return json.value;
  };
  const created = await call('POST', '/session', {
    capabilities: {
      alwaysMatch: {
        browserName: 'firefox',
        'moz:firefoxOptions': {
          binary: FIREFOX,
          // System access lets the harness open Latchkey's pages (below); the pages run unprivileged.
          args: ['-headless', ...(o.args ?? [])],
          prefs: {
            'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: ADDON_UUID }),
            // No first-run pages, no update or telemetry traffic during a test.
            'browser.shell.checkDefaultBrowser': false,
            'datareporting.policy.dataSubmissionEnabled': false,
            'app.update.disabledForTesting': true,
            ...o.prefs,
          },
        },
      },
    },
  });
  const session = `/session/${created.sessionId}`;
  t.after(() => call('DELETE', session).catch(() => undefined));
  if (o.addon !== null) {
    await call('POST', `${session}/moz/addon/install`, { path: o.addon ?? firefoxPackage(), temporary: true });
  }
  await call('POST', `${session}/window/rect`, { width: 1000, height: 760 });
  return browserOf(call, session);
}

/**
 * The few WebDriver commands the tests use, on the current tab.
 * @param {(method: string, path: string, body?: unknown) => Promise<any>} call @param {string} session
 */
function browserOf(call, session) {
  const s = (/** @type {string} */ p) => `${session}${p}`;
  /** @param {string} css */
  const find = async (css) => {
    const found = await call('POST', s('/element'), { using: 'css selector', value: css });
    return /** @type {string} */ (Object.values(found)[0]);
  };
  /**
   * The element `probe` picks in the current page once it gives one, as Playwright waits before it
   * acts: a page shows a field or a button after an answer comes (the PIN box after Lock).
   * @template {unknown[]} A
   * @param {(...args: A) => Element | null | undefined} probe @param {string} what @param {A} args
   * @returns {Promise<string>}
   */
  const found = async (probe, what, ...args) => {
    // The element checked is the one returned (WebDriver hands it back as a reference): found
    // again by a second command, a page that redraws between the two could have none.
    const ref = await waitIn(ff, probe, what, ...args);
    return /** @type {string} */ (Object.values(/** @type {object} */ (ref))[0]);
  };
  /** The element `css` once it is shown (WebDriver refuses a hidden one). @param {string} css */
  const shown = (css) =>
    found(
      (c) => {
        const e = document.querySelector(c);
        return e?.checkVisibility() ? e : null;
      },
      `${css} to be shown`,
      css,
    );
  /**
   * The element `css` once it is shown and enabled, as Playwright waits before a click: a button
   * disabled while its last action ends (a list reloading after a dialog's Cancel) ignores a click.
   * @param {string} css
   */
  const clickable = (css) =>
    found(
      (c) => {
        const e = document.querySelector(c);
        return e?.checkVisibility() && !e.matches(':disabled') ? e : null;
      },
      `${css} to be shown and enabled`,
      css,
    );
  /**
   * Clicks what `pick` finds. A page that redraws (a list after a job ends or a dialog closes)
   * may replace the element between finding and clicking it: then it is found again and the new
   * one is clicked, as Playwright's locators do.
   * @param {() => Promise<string>} pick
   */
  const clickPicked = async (pick) => {
    for (let tries = 0; ; tries++) {
      try {
        return await call('POST', s(`/element/${await pick()}/click`), {});
      } catch (e) {
        if (!/stale element/.test(String(e)) || tries > 5) throw e;
      }
    }
  };
  const ff = {
    /** @param {string} url */
    go: (url) => call('POST', s('/url'), { url }),
    url: () => /** @type {Promise<string>} */ (call('GET', s('/url'))),
    /**
     * Runs `fn` in the current page (awaited when it returns a promise); its result comes back as JSON.
     * @template {unknown[]} A @template R @param {(...args: A) => R} fn @param {A} args
     * @returns {Promise<Awaited<R>>}
     */
    run: async (fn, ...args) => {
      const script = `const done = arguments[arguments.length - 1];
        Promise.resolve().then(() => (${fn}).apply(null, Array.from(arguments).slice(0, -1)))
          .then((value) => done({ value }), (e) => done({ error: String(e && e.message || e) }));`;
      const r = await call('POST', s('/execute/async'), { script, args });
      if (r.error !== undefined) throw new Error(r.error);
      return r.value;
    },
    /** @param {string} css @returns {Promise<unknown>} */
    click: (css) => clickPicked(() => clickable(css)),
    /** Clicks the visible button whose text starts with `text`, once there is one. @param {string} text */
    press: (text) =>
      clickPicked(() =>
        found(
          (t) =>
            [...document.querySelectorAll('button')].find(
              (e) =>
                (e.textContent ?? '').trim().replace(/\s+/g, ' ').startsWith(t) && e.checkVisibility() && !e.disabled,
            ),
          `a visible, enabled button “${text}”`,
          text,
        ),
      ),
    /**
     * Clicks the visible button saying `text` inside the element `scope` (the dashboard repeats
     * its buttons for every account). @param {string} scope @param {string} text
     */
    clickIn: (scope, text) =>
      clickPicked(() =>
        found(
          (sc, x) =>
            [...(document.querySelector(sc)?.querySelectorAll('button') ?? [])].find(
              (e) => e.textContent?.trim() === x && e.checkVisibility() && !e.disabled,
            ),
          `the enabled button “${text}” in ${scope}`,
          scope,
          text,
        ),
      ),
    /** Types `text` into the field as keystrokes, after clearing it. @param {string} css @param {string} text */
    type: async (css, text) => {
      const id = await shown(css);
      await call('POST', s(`/element/${id}/clear`), {});
      await call('POST', s(`/element/${id}/value`), { text });
    },
    /** Makes the frame `css` of the current page the one commands go to. @param {string} css */
    frame: async (css) => call('POST', s('/frame'), { id: { 'element-6066-11e4-a52e-4f735466cecf': await find(css) } }),
    /** Back to the tab's top page. */
    top: () => call('POST', s('/frame'), { id: null }),
    /** A new tab, made current. */
    newTab: async () => {
      const { handle } = await call('POST', s('/window/new'), { type: 'tab' });
      await call('POST', s('/window'), { handle });
      return /** @type {string} */ (handle);
    },
    /**
     * Opens one of Latchkey's pages in a new tab, made current, as the toolbar button does (WebDriver
     * may not navigate to moz-extension: pages, so the browser's own chrome opens it).
     * @param {string} url
     */
    openExtensionPage: async (url) => {
      const before = new Set(await call('GET', s('/window/handles')));
      await call('POST', s('/moz/context'), { context: 'chrome' });
      try {
        await call('POST', s('/execute/sync'), {
          script: `const tab = gBrowser.addTab(arguments[0], {
            triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
          gBrowser.selectedTab = tab;`,
          args: [url],
        });
      } finally {
        await call('POST', s('/moz/context'), { context: 'content' });
      }
      for (let i = 0; ; i++) {
        const handle = (await call('GET', s('/window/handles'))).find((/** @type {string} */ h) => !before.has(h));
        if (handle) {
          await call('POST', s('/window'), { handle });
          // The new tab shows about:blank first, where there is no `chrome`: a script run then
          // (a test's first step) fails. Return once the extension page itself is there.
          for (let j = 0; ; j++) {
            const shown = await call('POST', s('/execute/sync'), {
              script: "return location.protocol === 'moz-extension:' && typeof chrome !== 'undefined';",
              args: [],
            }).catch(() => false); // the document may be changing under the script
            if (shown) return /** @type {string} */ (handle);
            if (j > 300) throw new Error(`the tab for ${url} never showed it`);
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        if (i > 100) throw new Error(`no tab opened for ${url}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** @param {string} handle */
    switchTo: (handle) => call('POST', s('/window'), { handle }),
    /** The current tab's handle. */
    handle: () => /** @type {Promise<string>} */ (call('GET', s('/window'))),
    /**
     * Closes the tab `handle` (as a popup closes when the person clicks elsewhere); the current tab
     * is then the last one left. @param {string} handle
     */
    closeTab: async (handle) => {
      await call('POST', s('/window'), { handle });
      const left = /** @type {string[]} */ (await call('DELETE', s('/window')));
      if (left.length) await call('POST', s('/window'), { handle: left[left.length - 1] });
    },
    /**
     * Runs `script` (a function body; `arguments` are `args`) in the browser's own chrome, where
     * Firefox's state of an add-on can be read; back in the page's context after.
     * @param {string} script @param {unknown[]} [args] @returns {Promise<any>}
     */
    privileged: async (script, args = []) => {
      await call('POST', s('/moz/context'), { context: 'chrome' });
      try {
        return await call('POST', s('/execute/sync'), { script, args });
      } finally {
        await call('POST', s('/moz/context'), { context: 'content' });
      }
    },
    /**
     * Installs another add-on (a package or an unpacked directory) for this session, or for good
     * (`temporary` false: it stays installed when Firefox exits). @param {string} path @param {boolean} [temporary]
     */
    install: (path, temporary = true) => call('POST', s('/moz/addon/install'), { path, temporary }),
    /**
     * The text of the prompt (`alert`, `confirm`, `prompt`) the current tab shows, once it shows one:
     * a click returns before the page's handler opens it.
     * @returns {Promise<string>}
     */
    alertText: async () => {
      for (let i = 0; ; i++) {
        try {
          return await call('GET', s('/alert/text'));
        } catch (e) {
          if (!/no such alert/.test(String(e)) || i > 300) throw e;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /**
     * Answers the open prompt: `text` typed into a `prompt()` first when given, then OK.
     * @param {string} [text]
     */
    acceptAlert: async (text) => {
      if (text !== undefined) await call('POST', s('/alert/text'), { text });
      await call('POST', s('/alert/accept'), {});
    },
    /** Cancels the open prompt. */
    dismissAlert: () => call('POST', s('/alert/dismiss'), {}),
    /** Ends the session: Firefox exits (as a person quits it). */
    quit: () => call('DELETE', session),
    /** Saves the current tab's screenshot to test-output/screenshots/NAME.png. @param {string} name */
    screenshot: async (name) => {
      await mkdir(SCREENSHOTS, { recursive: true });
      await writeFile(join(SCREENSHOTS, `${name}.png`), Buffer.from(await call('GET', s('/screenshot')), 'base64'));
    },
  };
  return ff;
}

/** @typedef {Awaited<ReturnType<typeof launchFirefox>>} Firefox */

/**
 * Opens the popup in a new tab, about the browser tab showing `forUrl` when given (the popup's
 * `?tab=` parameter), and waits for the core to have answered. The current tab is the popup's after.
 * @param {Firefox} ff @param {string} [forUrl] @returns {Promise<string>} the popup's tab handle
 */
export async function openPopup(ff, forUrl) {
  const handle = await ff.openExtensionPage(POPUP_URL);
  if (forUrl) {
    // The new tab may still show about:blank, where there is no `chrome.tabs`.
    await waitIn(ff, () => typeof chrome !== 'undefined' && Boolean(chrome.tabs), 'the popup page');
    const tabId = await ff.run(
      async (/** @type {string} */ u) => (await chrome.tabs.query({})).find((tab) => tab.url === u)?.id,
      forUrl,
    );
    if (typeof tabId !== 'number') throw new Error(`no tab shows ${forUrl}`);
    await ff.run((/** @type {string} */ u) => location.assign(u), `${POPUP_URL}?tab=${tabId}`);
    await waitIn(ff, () => location.search.startsWith('?tab='), 'the popup about the tab');
  }
  await waitIn(
    ff,
    () => /core/.test(document.querySelector('#version')?.textContent ?? ''),
    'the popup’s core version',
  );
  return handle;
}

/**
 * Polls `probe` in the current page until it returns something truthy; fails with `what`.
 * @template {unknown[]} A @template R
 * @param {Firefox} ff @param {(...args: A) => R} probe @param {string} what @param {A} args
 * @returns {Promise<NonNullable<Awaited<R>>>}
 */
export async function waitIn(ff, probe, what, ...args) {
  const deadline = Date.now() + 30_000;
  let last;
  for (;;) {
    try {
      last = await ff.run(probe, ...args);
      if (last) return /** @type {NonNullable<Awaited<R>>} */ (last);
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Adds an account in the popup (the current tab) as a person does: Add account, the key into
 * Secret Key, Save Code, then Name and Site and Done. Returns the code Save Code showed (digits only).
 * @param {Firefox} ff @param {{secret: string, site?: string, name?: string}} a
 */
export async function addThroughPopup(ff, { secret, site, name }) {
  await ff.click('#add-open');
  await ff.type('#secret', secret);
  await ff.click('#add-key-form button[type=submit]');
  const shown = await waitIn(
    ff,
    () => {
      const digits = (document.querySelector('#preview-code')?.textContent ?? '').replace(/\s/g, '');
      return /^\d{6}$/.test(digits) ? digits : null;
    },
    'the code Save Code shows',
  );
  if (site !== undefined) {
    // Once Name and Site show (a loaded machine was seen typing into the field before it could).
    await waitIn(ff, () => document.querySelector('#add-site')?.checkVisibility(), 'the Site field');
    await ff.type('#add-site', site);
  }
  if (name !== undefined) await ff.type('#add-name', name);
  await ff.click('#add-confirm-form button[type=submit]');
  await waitIn(ff, () => !document.querySelector('#view-list')?.hasAttribute('hidden'), 'the list');
  return shown;
}

/**
 * The state Firefox keeps of an add-on's event page: "stopped" once it was suspended (its
 * document and everything in its memory gone), "starting", "running" or "suspending"; null when
 * the add-on is not installed.
 * @param {Firefox} ff @param {string} [id]
 * @returns {Promise<'stopped' | 'starting' | 'running' | 'suspending' | null>}
 */
export const backgroundState = (ff, id = ADDON_ID) =>
  ff.privileged(
    `const policy = WebExtensionPolicy.getByID(arguments[0]);
    return policy?.extension ? policy.extension.backgroundState : null;`,
    [id],
  );

/**
 * Waits until Firefox has suspended the add-on's event page (the idle timeout of
 * idleSuspendPrefs): its state is "stopped" and it has no background context left. An open popup
 * asks for codes every second and keeps it up: close it first.
 * @param {Firefox} ff @param {string} [id] @param {number} [timeoutMs]
 */
export async function waitSuspended(ff, id = ADDON_ID, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await ff.privileged(
      `const ext = WebExtensionPolicy.getByID(arguments[0])?.extension;
      return ext ? { state: ext.backgroundState, context: Boolean(ext.backgroundContext) } : null;`,
      [id],
    );
    if (state?.state === 'stopped' && !state.context) return;
    if (Date.now() > deadline) throw new Error(`${id}'s event page was not suspended: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Sends Latchkey's background Firefox's word that it is being stopped (`runtime.onSuspend`), or
 * that the stop is called off (`runtime.onSuspendCanceled`), without stopping it: what a page sees
 * between the two is what it sees while a real stop runs its listeners.
 * @param {Firefox} ff @param {'suspend' | 'suspend-canceled'} word
 */
export async function tellBackground(ff, word) {
  const emit = `WebExtensionPolicy.getByID(arguments[0]).extension.emit(arguments[1]);`;
  await ff.privileged(emit, [ADDON_ID, `background-script-${word}`]);
}

/**
 * Ends Latchkey's background at once, as about:debugging's "Terminate background script" does (the
 * add-on's own `terminateBackground()`, from the browser's chrome), and waits until Firefox's state
 * of it says stopped. The idle timeout cannot do it while a job runs: the job's tabs and scripting
 * calls count as activity. An open page of Latchkey's may start it again at its next request.
 * @param {Firefox} ff
 */
export async function stopBackground(ff) {
  // A request already on its way (a content script's report after the last storage change) can
  // start it again at once, before its stop is seen: then it is ended again.
  for (let attempt = 1; ; attempt++) {
    await ff.privileged(
      `const ext = WebExtensionPolicy.getByID(arguments[0]).extension;
      return ext.terminateBackground({ ignoreDevToolsAttached: true }).then(() => ext.backgroundState);`,
      [ADDON_ID],
    );
    try {
      return await waitSuspended(ff, ADDON_ID, 5_000);
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
}

// Helpers of the ported abuse tests (abuse-sms, abuse-sites, abuse-fill's second test, abuse-lock).

/**
 * The toolbar badge of the tab showing `url`, read from one of Latchkey's pages (the current tab
 * must be one: the popup, the dashboard or the join page).
 * @param {Firefox} ff @param {string} url @returns {Promise<string>}
 */
export const badgeOfTab = (ff, url) =>
  ff.run(async (/** @type {string} */ u) => {
    const tab = (await chrome.tabs.query({})).find((x) => x.url === u);
    if (tab?.id === undefined) throw new Error(`no tab shows ${u}`);
    return chrome.action.getBadgeText({ tabId: tab.id });
  }, url);

/**
 * Waits until the badge of the tab showing `url` is `text`, read from Latchkey's page `from` (a tab
 * handle); the current tab is `back` after.
 * @param {Firefox} ff @param {{from: string, back: string, url: string, text: string, what: string}} o
 */
export async function waitForBadge(ff, { from, back, url, text, what }) {
  await ff.switchTo(from);
  try {
    await waitIn(
      ff,
      async (/** @type {string} */ u, /** @type {string} */ want) => {
        const tab = (await chrome.tabs.query({})).find((x) => x.url === u);
        return tab?.id !== undefined && (await chrome.action.getBadgeText({ tabId: tab.id })) === want;
      },
      what,
      url,
      text,
    );
  } finally {
    await ff.switchTo(back);
  }
}

/** The six digits in the current page's (or frame's) `#otp`, once there. @param {Firefox} ff */
export const filledOtpIn = (ff) =>
  waitIn(
    ff,
    () => {
      const v = /** @type {HTMLInputElement | null} */ (document.querySelector('#otp'))?.value ?? '';
      return /^\d{6}$/.test(v) ? v : null;
    },
    'six digits in #otp',
  );

/**
 * Every input of the current page (or frame; or those `fields` selects) stays empty for `ms`, and no
 * SMS wait begins there unless `waitMayBegin` (what a refusal looks like from the page: the time
 * itself is what is checked).
 * @param {Firefox} ff @param {number} ms @param {string} what
 * @param {{waitMayBegin?: boolean, fields?: string}} [o]
 */
export async function staysEmptyIn(ff, ms, what, o = {}) {
  const end = Date.now() + ms;
  do {
    const seen = await ff.run(
      (css) => ({
        values: [...document.querySelectorAll(css)].map((i) => /** @type {HTMLInputElement} */ (i).value).join(''),
        waiting: document.querySelector('[data-latchkey="mark"]') !== null,
      }),
      o.fields ?? 'input',
    );
    if (seen.values !== '' || (seen.waiting && !o.waitMayBegin)) {
      throw new Error(`${what}: ${seen.values ? `“${seen.values}” was filled` : 'the SMS wait began'}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < end);
}

/** The Firefox sessions launched on each kept profile, ended before the profile is removed. */
const onProfile = new Map();

/**
 * A profile directory that outlives restarts within test `t`, for `launchOnProfile`. It is removed
 * after every Firefox launched on it has quit: `t.after` hooks run in the order they were added, so
 * a removal added before the launches would run while Firefox still writes there.
 * @param {TestContext} t @param {string} name @returns {Promise<string>}
 */
export async function keptProfile(t, name) {
  const profile = await mkdtemp(join(tmpdir(), `latchkey-ff-${name}-`));
  /** @type {Set<Firefox>} */
  const launched = new Set();
  onProfile.set(profile, launched);
  t.after(async () => {
    for (const ff of launched) await ff.quit().catch(() => undefined);
    onProfile.delete(profile);
    await rm(profile, { recursive: true, force: true, maxRetries: 5 });
  });
  return profile;
}

/**
 * Firefox on a profile from `keptProfile`, with Latchkey installed for good: ending the session
 * (`ff.quit()`) and launching again on the same directory is a browser restart. A temporary add-on
 * (launchFirefox's) is removed with its data when Firefox exits; this one is installed as a
 * permanent, unsigned add-on, which Firefox ESR accepts with `xpinstall.signatures.required` off,
 * on the first launch only (then it is already there, enabled, its storage kept: checked here).
 * @param {TestContext} t @param {string} profile from `keptProfile`, empty on the first launch
 * @param {{addon?: string, prefs?: Record<string, unknown>}} [o] `addon`: another package (a zip)
 */
export async function launchOnProfile(t, profile, o = {}) {
  const launched = onProfile.get(profile);
  if (!launched) throw new Error(`launchOnProfile: ${profile} is not a keptProfile of this run`);
  const ff = await launchFirefox(t, {
    addon: null,
    args: ['-profile', profile],
    prefs: { 'xpinstall.signatures.required': false, ...o.prefs },
  });
  launched.add(ff);
  const installed = () =>
    ff.privileged(
      `const { AddonManager } = ChromeUtils.importESModule('resource://gre/modules/AddonManager.sys.mjs');
      return AddonManager.getAddonByID(arguments[0]).then((a) =>
        a ? { active: a.isActive, temporary: a.temporarilyInstalled } : null);`,
      [ADDON_ID],
    );
  let addon = await installed();
  if (!addon) {
    await ff.install(o.addon ?? firefoxPackage(), false);
    addon = await installed();
  }
  if (!addon?.active || addon.temporary)
    throw new Error(`Latchkey is not installed for good: ${JSON.stringify(addon)}`);
  return ff;
}

/**
 * packageWithProbe's copy of the package, zipped: what a permanent install (launchOnProfile) takes.
 * @param {TestContext} t @param {string} code @returns {Promise<string>} the zip's path
 */
export async function zippedPackageWithProbe(t, code) {
  const dir = await packageWithProbe(t, code);
  const zip = `${dir}.zip`;
  t.after(() => rm(zip, { force: true }));
  execFileSync('python3', [
    '-c',
    `import os, sys, zipfile
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
    for root, _, files in os.walk(sys.argv[1]):
        for f in files:
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, sys.argv[1]))`,
    dir,
    zip,
  ]);
  return zip;
}

/**
 * Like packageWithProbe, with the probe run at `document_start`, before Latchkey's own content
 * scripts: Firefox gives one extension's content scripts in a frame one shared global, so a probe
 * that wraps a DOM prototype there (as Chromium's tests do through CDP in the content script's
 * world) sees every call Latchkey's scripts make from the start.
 * @param {TestContext} t @param {string} code
 */
export async function packageWithProbeAtStart(t, code) {
  const dir = await packageWithProbe(t, code);
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8'));
  manifest.content_scripts[manifest.content_scripts.length - 1].run_at = 'document_start';
  await writeFile(path, JSON.stringify(manifest));
  return dir;
}

/**
 * Writes items into the store Latchkey keeps for good in Firefox (the extension origin's IndexedDB,
 * platform.js), as someone with the profile on disk would; from the current tab, which must be one
 * of Latchkey's pages. The twin of tests/e2e/offline.mjs's `writeLocal`.
 * @param {Firefox} ff @param {Record<string, unknown>} items
 */
export function writeLocal(ff, items) {
  return ff.run(
    (/** @type {Record<string, unknown>} */ i) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('latchkey');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('local', 'readwrite');
          for (const [k, v] of Object.entries(i)) tx.objectStore('local').put(JSON.stringify(v), k);
          tx.oncomplete = () => resolve(true);
          tx.onerror = () => reject(tx.error);
        };
      }),
    items,
  );
}

/** Waits until `css` (visible) says `text`. @param {Firefox} ff @param {string} css @param {string} text */
export const says = (ff, css, text) =>
  waitIn(
    ff,
    (c, x) => {
      const el = document.querySelector(c);
      return Boolean(el?.checkVisibility() && el.textContent?.includes(x));
    },
    `“${text}” in ${css}`,
    css,
    text,
  );

/**
 * What a probe content script in the current page answers `ask` (the tests' probes listen for a
 * `latchkey-probe` event and answer in `data-probe-reply`, once `data-probe-ready` is set).
 * @param {Firefox} ff @param {object} ask @returns {Promise<any>}
 */
export async function askProbe(ff, ask) {
  await waitIn(ff, () => document.documentElement.dataset.probeReady === '1', 'the probe');
  await ff.run((m) => {
    delete document.documentElement.dataset.probeReply;
    document.dispatchEvent(new CustomEvent('latchkey-probe', { detail: m }));
  }, JSON.stringify(ask));
  return JSON.parse(await waitIn(ff, () => document.documentElement.dataset.probeReply, 'the probe’s answer'));
}
