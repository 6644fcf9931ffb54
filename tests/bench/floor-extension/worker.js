// The floor of a service worker's cold start to a reply: nothing loaded, nothing read, the same
// reply shape as Latchkey's `codes` (tests/bench/cold-start.mjs measures both in one browser).
// The same two marks as Latchkey's worker: when the script ran, when the first request came.
performance.mark('latchkey:evaluated');
let asked = false;
chrome.runtime.onMessage.addListener((_message, _sender, sendResponse) => {
  if (!asked) performance.mark('latchkey:asked');
  asked = true;
  sendResponse({ ok: true, codes: [{ id: 'floor', code: '000000', secondsLeft: 30, period: 30 }] });
  return false;
});
