//! Runs the official `twilio` Python package (in the project's venv) over many cases at once.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

pub struct Case {
    pub token: String,
    pub signed_url: String,
    pub check_url: String,
    pub params: Vec<(String, String)>,
}

pub struct Answer {
    pub signature: String,
    pub valid: bool,
}

/// The repository's root: the nearest directory above this crate holding `Cargo.lock` (this file
/// is built into the server's unit tests and into the test-support crate).
pub fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .unwrap_or(&here)
        .to_path_buf()
}

fn python() -> PathBuf {
    let path = repo_root().join(".tools/venv/bin/python3");
    assert!(
        path.exists(),
        "{} is missing: the Twilio signature tests need the official `twilio` Python package; \
         `./build.sh setup` installs it into .tools/venv",
        path.display()
    );
    path
}

/// One answer per case, computed by `twilio.request_validator.RequestValidator`.
pub fn sign_all(cases: &[Case]) -> Vec<Answer> {
    let script = repo_root().join("server/src/test_support/twilio_signatures.py");
    let mut child = Command::new(python())
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the Python signer");
    let mut input = String::new();
    for c in cases {
        let json = serde_json::json!({
            "token": c.token, "signed_url": c.signed_url, "check_url": c.check_url, "params": c.params,
        });
        input.push_str(&json.to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    // Written from a thread so a full stdout pipe cannot deadlock us.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("run the Python signer");
    writer.join().unwrap().expect("write cases to the Python signer");
    assert!(output.status.success(), "the Python signer failed: {}", output.status);
    let answers: Vec<Answer> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            Answer {
                signature: v["signature"].as_str().unwrap().to_string(),
                valid: v["valid"].as_bool().unwrap(),
            }
        })
        .collect();
    assert_eq!(answers.len(), cases.len(), "one answer per case");
    answers
}
