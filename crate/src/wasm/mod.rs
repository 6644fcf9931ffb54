//! wasm-bindgen glue for the extension. Adapters only: every rule lives in `otp`, `site`, `vault`,
//! `device`, `pin` and `sms`. Errors cross as JS `Error`s whose message is the core's sentence.
//!
//! One crate, three shipped modules, chosen by cargo features (each a cdylib build of its own,
//! `./build.sh build`):
//! - `wasm`: the always-loaded core (`extension/pkg/latchkey_core*`): codes, sites and the fill
//!   decision, the vault and its key store, device trust (keys, grants, the Recovery Kit), the unlock
//!   PIN. What every page visit needs, and everything that touches a secret key.
//! - `wasm-messages`: the on-demand messages module (`extension/pkg/latchkey_messages*`): finding
//!   the code in an SMS's text. It reads message text and never holds a key, so it needs nothing
//!   from the core's instance; the extension instantiates it on first use.
//! - `wasm-devices`: the on-demand devices module (`extension/pkg/latchkey_devices*`): default
//!   device names, the typed name's check, fingerprint phrases. Public data only; loaded when a
//!   person joins a workspace or approves a device.
//! - `wasm-import`: the on-demand import module (`extension/pkg/latchkey_import*`): QR codes in a
//!   captured tab or an image, and authenticator exports (Google, Aegis, 2FAS, andOTP, Bitwarden).
//!   It reads keys (the person's own files) and hands them to the worker as `otpauth://` links,
//!   which the core's instance seals; it holds no vault key. Loaded when a person scans or imports.
//!   It also holds the automations' plan and page check (`automations`), loaded with an account page.
//! - `wasm-bench`: the benchmark workloads and test tools (`./build.sh bench` only), never shipped.
//!
//! The wasm test suites are built with all of them.

#[cfg(feature = "wasm-import")]
pub mod automations;
#[cfg(feature = "wasm-bench")]
pub mod bench;
#[cfg(feature = "wasm")]
mod codes;
#[cfg(feature = "wasm-devices")]
pub mod devices;
#[cfg(feature = "wasm-import")]
pub mod import;
#[cfg(feature = "wasm-messages")]
pub mod messages;
#[cfg(feature = "wasm")]
pub mod pin;
#[cfg(feature = "wasm")]
mod sites;
#[cfg(feature = "wasm")]
pub mod vault;

#[cfg(feature = "wasm")]
pub use codes::{code, describe, fill_delay, version, Keyring};
#[cfg(feature = "wasm")]
pub use sites::{inbox_choice, Sites};

#[cfg(any(feature = "wasm", feature = "wasm-devices", feature = "wasm-import"))]
use wasm_bindgen::prelude::*;

#[cfg(any(feature = "wasm", feature = "wasm-devices", feature = "wasm-import"))]
fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// JS hands time over as a float of seconds (`Date.now() / 1000`); refuse what is not a time.
#[cfg(any(feature = "wasm", feature = "wasm-import"))]
fn unix_seconds(unix: f64) -> Result<u64, JsError> {
    if (0.0..1.8e19).contains(&unix) {
        Ok(unix.floor() as u64)
    } else {
        Err(JsError::new(
            "the time must be a non-negative number of seconds since 1970",
        ))
    }
}

#[cfg(any(feature = "wasm", feature = "wasm-devices", feature = "wasm-import"))]
fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_err)
}
