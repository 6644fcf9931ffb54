//! Every Wycheproof AES-256-GCM (96-bit IV), HKDF-SHA256 and Ed25519 case in
//! tests/data/vectors/wycheproof, natively. Policy for valid/invalid/acceptable: tests/wycheproof/mod.rs.
mod support;
mod wycheproof;

fn check((n, failures): (usize, Vec<String>), at_least: usize, what: &str) {
    assert!(
        n >= at_least,
        "only {n} {what} cases ran: is tests/data/vectors complete?"
    );
    assert!(
        failures.is_empty(),
        "{} of {n} {what} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn aes_256_gcm() {
    check(wycheproof::aes_gcm(), 66, "AES-256-GCM");
}

#[test]
fn hkdf_sha256() {
    check(wycheproof::hkdf(), 86, "HKDF-SHA256");
}

#[test]
fn ed25519() {
    check(wycheproof::ed25519(), 151, "Ed25519");
}
