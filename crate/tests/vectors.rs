//! Every known-answer vector in the shared vectors (`vectors/{rfc,otpauth}` beside this
//! repository), natively.
mod kat;
mod support;

#[test]
fn all_known_answers_pass() {
    let (n, failures) = kat::run_all();
    assert!(n > 150, "only {n} vectors ran: is ../shared/vectors complete?");
    assert!(
        failures.is_empty(),
        "{} of {n} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
