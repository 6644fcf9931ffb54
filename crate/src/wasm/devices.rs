//! The on-demand devices module (feature `wasm-devices`, `extension/pkg/latchkey_devices*`): what
//! joining and approving a device shows, from public data only: the default device name read from
//! the user agent, the typed name's check, the six-word fingerprint phrase of a device's public
//! keys. No secret key ever reaches this module; the extension instantiates it when a person joins
//! a workspace or looks at approval requests, not at every page visit.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_err, to_js};
use crate::device::{self, DeviceInfo};
use crate::vault::PublicKeys;

#[wasm_bindgen(typescript_custom_section)]
const TS_DEVICES: &'static str = r#"
export interface DeviceInfo { os: string; browser: string; device: string; }
"#;

/// OS, browser and device kind from `navigator.userAgent` (and `userAgentData.brands`, if any).
#[wasm_bindgen(js_name = deviceInfo, unchecked_return_type = "DeviceInfo")]
pub fn device_info(user_agent: &str, brands: Vec<String>) -> Result<JsValue, JsError> {
    let brands: Vec<&str> = brands.iter().map(String::as_str).collect();
    let info = DeviceInfo::from_user_agent(user_agent, &brands);
    #[derive(Serialize)]
    struct Out<'a> {
        os: &'a str,
        browser: &'a str,
        device: &'a str,
    }
    to_js(&Out {
        os: info.os,
        browser: info.browser,
        device: &info.device,
    })
}

/// The default device name, made unique among the user's `existing` device names.
#[wasm_bindgen(js_name = defaultDeviceName)]
pub fn default_device_name(username: &str, user_agent: &str, brands: Vec<String>, existing: Vec<String>) -> String {
    let brands: Vec<&str> = brands.iter().map(String::as_str).collect();
    let base = device::default_device_name(username, &DeviceInfo::from_user_agent(user_agent, &brands));
    device::unique_device_name(&base, existing.iter().map(String::as_str))
}

/// Checks a typed device name (valid, not taken); returns it tidied, or throws the reason.
#[wasm_bindgen(js_name = checkDeviceName)]
pub fn check_device_name(name: &str, existing: Vec<String>) -> Result<String, JsError> {
    let tidy = device::validate_device_name(name).map_err(js_err)?;
    device::check_name_unique(&tidy, existing.iter().map(String::as_str)).map_err(js_err)?;
    Ok(tidy)
}

/// The six-word phrase both devices show during approval.
#[wasm_bindgen(js_name = fingerprintPhrase)]
pub fn fingerprint_phrase(email: &str, public_keys: &str) -> Result<String, JsError> {
    let keys = PublicKeys::parse(public_keys).map_err(js_err)?;
    Ok(device::fingerprint_phrase(email, &keys))
}
