//! Native unlock cost: Argon2id with the default settings plus opening the device keys, which is
//! what Unlock costs here and what one offline PIN guess costs one core of an attacker's CPU.
//! `wasm::pin::PinBench` runs the same in Chromium's service worker (tests/bench/pin-worker.js).
//! `--json` prints one JSON object for build.sh.

use std::hint::black_box;
use std::time::Instant;

use latchkey_core::pin::KdfParams;
use latchkey_core::vault::{KeySlot, KeyStore};

const PIN: &str = "482913";
const ROUNDS: usize = 7;

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let mut store = KeyStore::new();
    store.create_device().expect("a new store");
    let locked = store.lock_device(PIN, "bench-device").expect("locks");
    store.forget(&KeySlot::Device);
    let mut times: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let t = Instant::now();
            black_box(store.unlock_device(PIN, &locked, "bench-device").expect("opens"));
            let s = t.elapsed().as_secs_f64();
            store.forget(&KeySlot::Device);
            s
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let ms = times[ROUNDS / 2] * 1e3;
    let p = KdfParams::DEFAULT;
    if json {
        println!(
            "{{\"unlock_ms\":{ms:.1},\"memory_kib\":{},\"iterations\":{},\"lanes\":{},\"guesses_per_s_per_core\":{:.2}}}",
            p.memory_kib,
            p.iterations,
            p.lanes,
            1e3 / ms
        );
    } else {
        println!(
            "native: unlock (Argon2id m={} KiB, t={}, p={} + device keys) in {ms:.1} ms (median of {ROUNDS})",
            p.memory_kib, p.iterations, p.lanes
        );
    }
}
