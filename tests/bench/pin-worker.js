// ./build.sh bench: the unlock PIN's cost inside a real ServiceWorkerGlobalScope in Chromium, where
// the extension runs it (a module service worker registered by tests/bench/run.mjs's page, loading
// the core's code built with the bench-only workloads, target/bench-pkg). Each sample: Argon2id
// with the default settings, then the device keys opened (PinBench.unlock, the workload of
// crate/benches/pin.rs). Timed here: the core never reads the clock.
import init, { PinBench } from '/bench-pkg/latchkey_bench.js';

const ready = init({ module_or_path: '/bench-pkg/latchkey_bench_bg.wasm' });

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('message', (e) => {
  const rounds = Number(e.data?.rounds) || 5;
  e.waitUntil(
    (async () => {
      try {
        await ready;
        const bench = new PinBench();
        bench.unlock(); // warm-up: compiles the hot path and grows the memory once
        const runs = [];
        for (let i = 0; i < rounds; i++) {
          const t = performance.now();
          if (bench.unlock() !== 1) throw new Error('the unlock opened nothing');
          runs.push(performance.now() - t);
        }
        bench.free();
        runs.sort((a, b) => a - b);
        e.source?.postMessage({ ok: true, medianMs: runs[runs.length >> 1], runs });
      } catch (err) {
        e.source?.postMessage({ ok: false, error: String(err) });
      }
    })(),
  );
});
