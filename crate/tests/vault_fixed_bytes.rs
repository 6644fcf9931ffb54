//! Format-1 envelopes written when the format was defined still decrypt (tests/fixed_bytes).
mod fixed_bytes;

#[test]
fn format_1_envelopes_stay_readable() {
    let failures = fixed_bytes::check_all();
    assert!(
        failures.is_empty(),
        "stored envelopes no longer read back: {failures:?}"
    );
}

/// `cargo test --test vault_fixed_bytes -- --ignored --nocapture` printed tests/data/envelopes_v1.json
/// once. Kept to show how the fixtures were made; do not overwrite the file with its output.
#[test]
#[ignore]
fn print_fixtures() {
    println!("{}", fixed_bytes::generate());
}
