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
    let device = vault.create_device();
    let device_keys = vault.public_keys(device).unwrap();
    let user = vault
        .create_user(device, "ws", "alice", "dev-1")
        .map_err(|_| ())
        .unwrap();
    let pair = field(&user, "keyPair").as_f64().unwrap() as u32;
    let user_key = field(&user, "userKey").as_f64().unwrap() as u32;
    let user_public = PublicKeys::parse(&field(&user, "publicKeys").as_string().unwrap()).unwrap();

    let proof = vault
        .sign_enrollment(pair, "ws", "alice", "dev-1", &device_keys)
        .map_err(|_| ())
        .unwrap();
    let signature = base64url_decode(&proof).unwrap();
    let device_public = PublicKeys::parse(&device_keys).unwrap();
    verify_enrollment(&user_public, "ws", "alice", "dev-1", &device_public, &signature).unwrap();
    assert!(verify_enrollment(&user_public, "ws", "alice", "dev-2", &device_public, &signature).is_err());
    assert!(vault
        .sign_enrollment(device, "ws", "alice", "dev-1", &device_keys)
        .is_err());

    let sealed = vault
        .seal_user_key_to_device(user_key, &device_keys, "ws", "alice", "dev-1")
        .map_err(|_| ())
        .unwrap();
    let opened = vault
        .open_user_key(device, &sealed, "ws", "alice", "dev-1")
        .map_err(|_| ())
        .unwrap();
    assert_eq!(vault.kind_of(opened).as_deref(), Some("user key"));
    assert!(vault.open_user_key(device, &sealed, "ws", "alice", "dev-2").is_err());
}
