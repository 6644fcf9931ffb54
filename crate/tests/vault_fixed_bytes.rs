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

// The generator that made the fixtures is `cargo run -p latchkey-core --example envelope_fixtures`.
