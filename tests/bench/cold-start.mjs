// Service worker cold start to first code: the worker is stopped the way Chrome stops an idle one
// (CDP ServiceWorker.stopAllWorkers), then the popup asks for codes; the time until the reply holds
// a code is one sample. The baseline is the same request to a worker that is already running.

/**
 * @param {() => Promise<{ context: import('playwright-core').BrowserContext, extensionId: string, close: () => Promise<void> }>} launch
 * @param {number} samples
 */
export async function coldStart(launch, samples) {
  const { context, extensionId, close } = await launch();
  try {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/${process.env.POPUP ?? 'extension/popup/popup.html'}`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    const added = await page.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'add', secret: 'JBSWY3DPEHPK3PXP', name: 'Bench', site: 'example.com' }));
    if (!added?.ok) throw new Error(`could not add the bench account: ${JSON.stringify(added)}`);

    const ask = () => page.evaluate(async () => {
      const t = performance.now();
      const reply = await chrome.runtime.sendMessage({ type: 'codes' });
      if (!reply?.ok || !reply.codes?.[0]?.code) throw new Error(JSON.stringify(reply));
      return performance.now() - t;
    });
    const median = (/** @type {number[]} */ xs) => xs.sort((a, b) => a - b)[xs.length >> 1];

    const cold = [];
    for (let i = 0; i < samples; i++) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      await page.waitForTimeout(50); // let the stop land before asking again
      cold.push(await ask());
    }
    const warm = [];
    for (let i = 0; i < samples; i++) warm.push(await ask());
    return { coldMs: median(cold), warmMs: median(warm) };
  } finally {
    await close();
  }
}
