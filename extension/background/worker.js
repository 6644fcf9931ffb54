// @ts-check
/**
 * Latchkey's service worker: the router. It owns the accounts and the wasm core; the popup and
 * content scripts only send messages. Rules of an MV3 worker: no top-level await (the core starts
 * loading here and handlers await it), listeners registered synchronously, `return true` for
 * replies sent later. All state lives in storage (platform.js), since the worker is stopped when idle.
 */
import * as core from './core.js';
import { recover } from './automation/runner.js';
import { forgetTab } from './frames.js';
import { holdAwake, restrictStorage, watchStopping } from './platform.js';
import { contentRequests } from './content-requests.js';
import { pageRequests } from './popup-requests.js';
import { forgetStep } from './tab-step.js';
import { contentFrame, isExtensionPage } from './senders.js';
import { onIdleAlarm } from './workspace/requests.js';

// When this script runs, measured from the worker's start (its modules loaded and evaluated).
performance.mark('latchkey:evaluated');
core.start();

// The accounts hold the secrets: content scripts (which share a process with web pages) must not
// be able to read them (platform.js: how, in each browser).
restrictStorage();

// A job running when the browser stops this background is left for the next start (runner.js).
watchStopping();

// A job this worker's last life was running ended with it: say where it stopped (runner.js).
void recover().catch((e) => console.error('Latchkey: stopped jobs were not ended:', e));

/** @param {unknown} e */
function sentence(e) {
  return e instanceof Error && e.message ? e.message : 'Something went wrong in Latchkey.';
}

/**
 * Whether `type` names a request of `table` (own properties only: never `toString` and the like).
 * @template M, C
 * @param {import('../types/protocol').Handlers<M, C>} table @param {unknown} type
 * @returns {type is keyof M & string}
 */
function requestOf(table, type) {
  return typeof type === 'string' && Object.hasOwn(table, type);
}

// Two kinds of sender, judged by what the browser reports: Latchkey's own pages may send the page
// requests, a content script only the content requests, and then only about its own frame.
let asked = false;
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // When the first request reached the worker (the bench compares it with an empty worker's).
  if (!asked) performance.mark('latchkey:asked');
  asked = true;
  const type = message && typeof message === 'object' ? message.type : undefined;
  /** @type {Promise<object>} */
  let job;
  if (requestOf(pageRequests, type)) {
    if (!isExtensionPage(sender)) {
      sendResponse({ ok: false, error: 'Only Latchkey’s own pages may ask that.' });
      return false;
    }
    job = pageRequests[type](message);
  } else if (requestOf(contentRequests, type)) {
    const frame = contentFrame(sender);
    if (!frame) {
      sendResponse({ ok: false, error: 'Refused.' });
      return false;
    }
    // A page can make its content script ask often; errors stay vague towards it.
    job = contentRequests[type](message, frame).catch(() => {
      throw new Error('Latchkey could not decide for this frame.');
    });
  } else {
    sendResponse({ ok: false, error: 'Unknown request.' });
    return false;
  }
  holdAwake(job).then(
    (result) => sendResponse({ ok: true, ...result }),
    (e) => sendResponse({ ok: false, error: sentence(e) }),
  );
  return true;
});

chrome.alarms.onAlarm.addListener((alarm) => {
  void onIdleAlarm(alarm.name);
});

chrome.tabs.onRemoved.addListener((tabId) => {
  void forgetTab(tabId);
  void forgetStep(tabId);
});
