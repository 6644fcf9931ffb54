//! Envelopes and key stores written when their format was defined still decrypt (tests/fixed_bytes).
mod fixed_bytes;

#[test]
fn stored_envelopes_and_key_stores_stay_readable() {
    let failures = fixed_bytes::check_all();
    assert!(
        failures.is_empty(),
        "stored envelopes no longer read back: {failures:?}"
    );
}

// The generators that wrote the fixtures, once each: `fixed_bytes::generate` (format-1 envelopes)
// and `fixed_bytes::generate_key_store_v2` (the format-2 key store).
