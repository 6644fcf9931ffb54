//! The core in headless Chromium inside a real ServiceWorkerGlobalScope, where the extension runs it, run by wasm-bindgen-test-runner: `./build.sh test`.
#![cfg(target_arch = "wasm32")]

mod fixed_bytes;
mod kat;
mod sms;
mod story;
mod support;
mod wasm_common;
mod wycheproof;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_service_worker);

#[wasm_bindgen_test]
fn known_answers_in_a_service_worker() {
    wasm_common::known_answers();
}

#[wasm_bindgen_test]
fn js_api_in_a_service_worker() {
    wasm_common::js_api();
}

#[wasm_bindgen_test]
fn crypto_vectors_in_a_service_worker() {
    wasm_common::crypto_vectors();
}

#[wasm_bindgen_test]
fn vault_story_in_a_service_worker() {
    wasm_common::vault_story();
}

#[wasm_bindgen_test]
fn vault_js_api_in_a_service_worker() {
    wasm_common::vault_js_api();
}

#[wasm_bindgen_test]
fn import_and_qr_in_a_service_worker() {
    wasm_common::import_js_api();
}

#[wasm_bindgen_test]
fn sms_code_in_a_service_worker() {
    wasm_common::sms_js_api();
}

#[wasm_bindgen_test]
fn mail_read_in_a_service_worker() {
    wasm_common::mail_js_api();
}

#[wasm_bindgen_test]
fn pin_js_api_in_a_service_worker() {
    wasm_common::pin_js_api();
}

#[wasm_bindgen_test]
fn offline_copy_js_api_in_a_service_worker() {
    wasm_common::offline_copy_js_api();
}
