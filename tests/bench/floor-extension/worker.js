// The floor of a service worker's cold start to a reply: nothing loaded, nothing read, the same
// reply shape as Latchkey's `codes` (tests/bench/cold-start.mjs measures both in one browser).
chrome.runtime.onMessage.addListener((_message, _sender, sendResponse) => {
  sendResponse({ ok: true, codes: [{ id: 'floor', code: '000000', secondsLeft: 30, period: 30 }] });
  return false;
});
