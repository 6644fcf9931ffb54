//! Native OTP throughput: codes for 10,000 accounts, the same workload `tests/bench/run.mjs` runs
//! in Chromium (wasm and the `otpauth` npm package). `--json` prints one JSON object for build.sh.

use std::hint::black_box;
use std::time::Instant;

use latchkey_core::otp::{base32, Otp};

const ACCOUNTS: usize = 10_000;
const ROUNDS: usize = 15;

/// The deterministic account set shared with the browser bench: 20-byte keys from a xorshift PRNG.
fn accounts() -> Vec<String> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..ACCOUNTS)
        .map(|_| {
            let key: Vec<u8> = (0..20)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            base32::encode(&key)
        })
        .collect()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let secrets = accounts();
    let now = 1_700_000_000u64;

    let parse_s = median(
        (0..ROUNDS)
            .map(|_| {
                let t = Instant::now();
                for s in &secrets {
                    black_box(Otp::parse(black_box(s)).unwrap());
                }
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    // Prepared once per account, as the extension's Keyring keeps them.
    let otps: Vec<_> = secrets.iter().map(|s| Otp::parse(s).unwrap().prepare()).collect();
    let codes_s = median(
        (0..ROUNDS)
            .map(|r| {
                let t = Instant::now();
                for o in &otps {
                    black_box(o.code_at(black_box(now + r as u64 * 30)));
                }
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    let checksum: u64 = otps.iter().map(|o| o.code_at(now).parse::<u64>().unwrap()).sum();
    let codes_per_s = ACCOUNTS as f64 / codes_s;
    let parses_per_s = ACCOUNTS as f64 / parse_s;
    if json {
        println!(
            "{{\"accounts\":{ACCOUNTS},\"codes_per_s\":{codes_per_s:.0},\"parses_per_s\":{parses_per_s:.0},\"checksum\":{checksum}}}"
        );
    } else {
        println!("native: {ACCOUNTS} accounts, {codes_per_s:.0} codes/s, {parses_per_s:.0} key parses/s (checksum {checksum})");
    }
}
