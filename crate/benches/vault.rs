//! Native vault throughput: decrypting 10,000 items (content key unwrap + item decrypt + decode),
//! and sealing then opening 1,000 SMS (ephemeral X25519 + HKDF + AES-GCM each way): the workload
//! `wasm::vault::VaultBench` runs in Chromium. `--json` prints one JSON object for build.sh.

use std::hint::black_box;
use std::time::Instant;

use latchkey_core::vault::bench::{decrypt_items, open_sms, seal_sms, Workload};

const ITEMS: usize = 10_000;
const SMS: usize = 1_000;
const ROUNDS: usize = 7;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn time<T>(mut f: impl FnMut() -> T) -> (f64, T) {
    let mut last = None;
    let s = median(
        (0..ROUNDS)
            .map(|_| {
                let t = Instant::now();
                last = Some(black_box(f()));
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    (s, last.expect("ran at least once"))
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let w = Workload::new(ITEMS, SMS).expect("workload builds");
    let (items_s, checksum) = time(|| decrypt_items(&w.store, &w.account, &w.items).unwrap());
    let (seal_s, sealed) = time(|| seal_sms(&w.inbox_public, SMS).unwrap());
    let (open_s, sms_checksum) = time(|| open_sms(&w.store, &w.account, &sealed).unwrap());
    let items_per_s = ITEMS as f64 / items_s;
    let (seal_per_s, open_per_s) = (SMS as f64 / seal_s, SMS as f64 / open_s);
    if json {
        println!(
            "{{\"items\":{ITEMS},\"items_ms\":{:.2},\"items_per_s\":{items_per_s:.0},\"sms\":{SMS},\"sms_seal_ms\":{:.2},\"sms_open_ms\":{:.2},\"sms_seal_per_s\":{seal_per_s:.0},\"sms_open_per_s\":{open_per_s:.0},\"checksum\":{}}}",
            items_s * 1e3,
            seal_s * 1e3,
            open_s * 1e3,
            checksum + sms_checksum
        );
    } else {
        println!(
            "native: {ITEMS} items decrypted in {:.1} ms ({items_per_s:.0}/s); {SMS} SMS sealed in {:.1} ms ({seal_per_s:.0}/s), opened in {:.1} ms ({open_per_s:.0}/s)",
            items_s * 1e3,
            seal_s * 1e3,
            open_s * 1e3
        );
    }
}
