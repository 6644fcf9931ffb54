//! The enrollment bindings in headless Chromium: `signEnrollment` gives a proof the server's
//! `verify_enrollment` accepts, and `sealUserKeyToDevice` an envelope the device opens.
//! Run: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p latchkey-core
//! --features wasm --target wasm32-unknown-unknown --test wasm_enrollment`.
#![cfg(target_arch = "wasm32")]

use latchkey_core::device::verify_enrollment;
use latchkey_core::vault::{base64url_decode, PublicKeys};
use latchkey_core::wasm::vault::Vault;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn field(v: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(name)).unwrap()
}

#[wasm_bindgen_test]
fn sign_enrollment_and_seal_the_user_key_to_a_recovered_device() {
    let mut vault = Vault::new();
    let device_keys = vault.create_device().map_err(|_| ()).unwrap();
    // Only the device keys: the store refuses to sign, since it would need the user key pair.
    assert!(vault.sign_enrollment("ws", "alice", "dev-1", &device_keys).is_err());
    let user = vault.create_user("ws", "alice", "dev-1").map_err(|_| ()).unwrap();
    let user_public = PublicKeys::parse(&field(&user, "publicKeys").as_string().unwrap()).unwrap();

    let proof = vault
        .sign_enrollment("ws", "alice", "dev-1", &device_keys)
        .map_err(|_| ())
        .unwrap();
    let signature = base64url_decode(&proof).unwrap();
    let device_public = PublicKeys::parse(&device_keys).unwrap();
    verify_enrollment(&user_public, "ws", "alice", "dev-1", &device_public, &signature).unwrap();
    assert!(verify_enrollment(&user_public, "ws", "alice", "dev-2", &device_public, &signature).is_err());

    let sealed = vault
        .seal_user_key_to_device(&device_keys, "ws", "alice", "dev-1")
        .map_err(|_| ())
        .unwrap();
    let mut recovered = Vault::new();
    assert!(
        recovered.open_user_key(&sealed, "ws", "alice", "dev-1").is_err(),
        "no device keys yet"
    );
    vault
        .open_user_key(&sealed, "ws", "alice", "dev-1")
        .map_err(|_| ())
        .unwrap();
    assert!(vault.open_user_key(&sealed, "ws", "alice", "dev-2").is_err());
    assert_eq!(
        vault.size(),
        3,
        "device keys, the user key (opened again in place) and the key pair"
    );
}
