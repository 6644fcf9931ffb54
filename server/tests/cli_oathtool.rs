//! `latchkey totp` against Debian's `oathtool` on hundreds of random keys, times and parameters.
//!
//! The seed is printed; rerun a failure with `LATCHKEY_TEST_SEED=N cargo test -p latchkey --test cli_oathtool`.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use latchkey_core::otp::base32;

const OATHTOOL: &str = "/usr/bin/oathtool";
const TOTP_CASES: usize = 300;
const HOTP_CASES: usize = 60;

/// SplitMix64: tiny, seedable, good enough to pick test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform enough in `lo..=hi` for test selection (modulo bias is irrelevant here).
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn seed() -> u64 {
    match std::env::var("LATCHKEY_TEST_SEED") {
        Ok(s) => s.parse().expect("LATCHKEY_TEST_SEED must be a whole number"),
        Err(_) => SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64,
    }
}

fn require_oathtool() {
    assert!(
        Path::new(OATHTOOL).exists(),
        "{OATHTOOL} is missing: `./build.sh setup` installs it (Debian package oathtool)"
    );
}

/// RFC 4648 base32 with `=` padding, the form oathtool's `-b` insists on (it rejects unpadded
/// keys whose length is not a multiple of 8 only sometimes, so always pad).
fn padded_base32(key: &[u8]) -> String {
    let mut text = base32::encode(key);
    while !text.len().is_multiple_of(8) {
        text.push('=');
    }
    text
}

/// The ways people paste a key: canonical, lower case in groups of four, dashed, padded.
fn pasted(rng: &mut Rng, key: &[u8]) -> String {
    let canonical = base32::encode(key);
    let grouped = |sep: &str| {
        canonical
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(sep)
    };
    match rng.range(0, 3) {
        0 => canonical,
        1 => grouped(" ").to_lowercase(),
        2 => grouped("-"),
        _ => padded_base32(key),
    }
}

fn run(program: &str, args: &[String]) -> (bool, String, String) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        String::from_utf8_lossy(&out.stderr).trim().to_string(),
    )
}

fn shell(program: &str, args: &[String]) -> String {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{}'", a.replace('\'', r"'\''"))).collect();
    format!("{program} {}", quoted.join(" "))
}

/// Runs both and returns a description of any disagreement.
fn compare(latchkey: Vec<String>, oathtool: Vec<String>) -> Option<String> {
    let ours = run(env!("CARGO_BIN_EXE_latchkey"), &latchkey);
    let theirs = run(OATHTOOL, &oathtool);
    let agree = ours.0 && theirs.0 && ours.1 == theirs.1;
    (!agree).then(|| {
        format!(
            "latchkey gave {:?} (stderr {:?}), oathtool gave {:?} (stderr {:?})\n  {}\n  {}",
            ours.1,
            ours.2,
            theirs.1,
            theirs.2,
            shell("latchkey", &latchkey),
            shell(OATHTOOL, &oathtool)
        )
    })
}

#[test]
fn totp_matches_oathtool() {
    require_oathtool();
    let seed = seed();
    println!("seed {seed} (rerun with LATCHKEY_TEST_SEED={seed})");
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    for case in 0..TOTP_CASES {
        let len = rng.range(10, 64) as usize;
        let key = rng.bytes(len);
        let time = rng.range(0, 1 << 33);
        let algorithm = ["SHA1", "SHA256", "SHA512"][rng.range(0, 2) as usize];
        let digits = rng.range(6, 8);
        let period = rng.range(1, 120);

        let oathtool = vec![
            format!("--totp={algorithm}"),
            "-b".into(),
            format!("--digits={digits}"),
            format!("--time-step-size={period}"),
            format!("--now=@{time}"),
            padded_base32(&key),
        ];
        // Half the cases give the parameters as flags, half inside an otpauth:// URI.
        let latchkey = if rng.range(0, 1) == 0 {
            vec![
                "totp".into(),
                pasted(&mut rng, &key),
                "--time".into(),
                time.to_string(),
                "--algorithm".into(),
                algorithm.to_lowercase(),
                format!("--digits={digits}"),
                "--period".into(),
                period.to_string(),
            ]
        } else {
            let uri = format!(
                "otpauth://totp/Example:a%40b.test?secret={}&issuer=Example&algorithm={algorithm}&digits={digits}&period={period}",
                base32::encode(&key)
            );
            vec!["totp".into(), uri, format!("--time={time}")]
        };
        if let Some(failure) = compare(latchkey, oathtool) {
            failures.push(format!("case {case}: {failure}"));
        }
    }
    assert!(
        failures.is_empty(),
        "seed {seed}: {} of {TOTP_CASES} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn hotp_counter_matches_oathtool() {
    require_oathtool();
    let seed = seed();
    println!("seed {seed} (rerun with LATCHKEY_TEST_SEED={seed})");
    let mut rng = Rng(seed ^ 0x5eed);
    let mut failures = Vec::new();
    for case in 0..HOTP_CASES {
        let len = rng.range(10, 64) as usize;
        let key = rng.bytes(len);
        let counter = rng.range(0, u64::from(u32::MAX));
        let digits = rng.range(6, 8);
        let oathtool = vec![
            "--hotp".into(),
            "-b".into(),
            format!("--digits={digits}"),
            format!("--counter={counter}"),
            padded_base32(&key),
        ];
        let uri = format!(
            "otpauth://hotp/x?secret={}&digits={digits}&counter={counter}",
            base32::encode(&key)
        );
        // The URI's own counter, then the same through --counter on a bare key.
        let from_uri = vec!["totp".into(), uri];
        let from_flag = vec![
            "totp".into(),
            pasted(&mut rng, &key),
            "--digits".into(),
            digits.to_string(),
            "--counter".into(),
            counter.to_string(),
        ];
        for latchkey in [from_uri, from_flag] {
            if let Some(failure) = compare(latchkey, oathtool.clone()) {
                failures.push(format!("case {case}: {failure}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "seed {seed}: {} HOTP runs differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
