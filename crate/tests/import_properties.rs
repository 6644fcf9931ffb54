#![cfg(not(target_arch = "wasm32"))]
//! No input makes an import or a QR payload panic: random bytes, and every known-answer file
//! truncated or with bytes changed, go through every parser (the Google protobuf reader, the
//! JSON formats, the encrypted ones with and without the password).

use latchkey_core::import;
use latchkey_core::qr;
use proptest::prelude::*;

fn file(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/import/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

const PLAIN: [&str; 6] = [
    "aegis-plain.json",
    "2fas-plain.2fas",
    "andotp-plain.json",
    "bitwarden.json",
    "google-migration.txt",
    "uris.txt",
];

/// A file with some bytes changed and possibly cut short.
fn mangle(mut bytes: Vec<u8>, edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    for &(at, byte) in edits {
        let len = bytes.len();
        if len > 0 {
            bytes[at % len] = byte;
        }
    }
    if let Some(cut) = cut {
        bytes.truncate(cut % (bytes.len() + 1));
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = import::read(&bytes, None);
        let _ = import::google::read_payload(&bytes);
        let _ = qr::classify(&bytes);
    }

    #[test]
    fn random_text_never_panics(text in "[\\[\\]{}\":,0-9a-zA-Z=%/+ .\\-]{0,300}") {
        let _ = import::read(text.as_bytes(), None);
        let _ = import::read(format!("otpauth-migration://offline?data={text}").as_bytes(), None);
        let _ = qr::classify(format!("otpauth://{text}").as_bytes());
    }

    #[test]
    fn mangled_plain_files_never_panic(
        which in 0..PLAIN.len(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        cut in prop::option::of(any::<usize>()),
    ) {
        let bytes = mangle(file(PLAIN[which]), &edits, cut);
        let _ = import::read(&bytes, None);
    }

    #[test]
    fn mangled_google_payloads_never_panic(
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in prop::option::of(any::<usize>()),
    ) {
        let text = String::from_utf8(file("google-single-batch.txt")).unwrap();
        let data = text.trim().split_once("data=").unwrap().1.replace("%3D", "=");
        let payload = import::base64::decode(&data).unwrap();
        let _ = import::google::read_payload(&mangle(payload, &edits, cut));
    }
}

proptest! {
    // Each case runs the file's key derivation (scrypt 32 MiB, PBKDF2 150 000): fewer cases.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn mangled_encrypted_files_never_panic(
        which in 0..3usize,
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4),
        cut in prop::option::of(any::<usize>()),
    ) {
        let name = ["aegis-encrypted.json", "2fas-encrypted.2fas", "andotp-encrypted.json.aes"][which];
        let bytes = mangle(file(name), &edits, cut);
        let _ = import::read(&bytes, None);
        let _ = import::read(&bytes, Some("correct horse battery staple"));
    }
}
