//! Every known-answer vector in tests/data/vectors/{rfc,otpauth}, natively.
mod kat;
mod support;

#[test]
fn all_known_answers_pass() {
    let (n, failures) = kat::run_all();
    assert!(n > 150, "only {n} vectors ran: is tests/data/vectors complete?");
    assert!(
        failures.is_empty(),
        "{} of {n} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
