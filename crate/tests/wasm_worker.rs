//! The core in headless Chromium inside a real ServiceWorkerGlobalScope, where the extension runs it, run by wasm-bindgen-test-runner: `./build.sh test`.
#![cfg(target_arch = "wasm32")]

mod kat;
mod wasm_common;

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
