//! Bitwarden's JSON export (not the encrypted one): `{encrypted: false, items: [{name, login:
//! {username, uris: [{uri}], totp}}]}`. Only items with a `login.totp` are entries; the field holds
//! an `otpauth://` link, a `steam://` key or a bare base32 key, each read by the core's one parser.

use serde_json::Value;

use super::{array, text, Entry, Format, ImportError, Imported};
use crate::otp::Otp;

const FORMAT: &str = "Bitwarden";

pub fn read(file: Value) -> Result<Imported, ImportError> {
    if file.get("encrypted").and_then(Value::as_bool) == Some(true) {
        return Err(ImportError::BitwardenEncrypted);
    }
    let items = array(&file, "items", FORMAT)?;
    if items.len() > super::MAX_ENTRIES {
        return Err(ImportError::TooManyEntries(items.len()));
    }
    let entries = items
        .iter()
        .filter_map(|item| {
            let login = item.get("login")?;
            let totp = text(login, "totp");
            if totp.trim().is_empty() {
                return None;
            }
            let (name, username) = (text(item, "name"), text(login, "username"));
            let otp = Otp::parse(totp).map_err(ImportError::from).map(|mut otp| {
                // A bare key names nothing: the item's name and username do.
                if otp.issuer.is_none() && !name.trim().is_empty() {
                    otp.issuer = Some(name.trim().to_string());
                }
                if otp.account.is_none() && !username.trim().is_empty() {
                    otp.account = Some(username.trim().to_string());
                }
                otp
            });
            let mut entry = Entry::new(name, username, otp);
            entry.url = login
                .get("uris")
                .and_then(Value::as_array)
                .and_then(|uris| uris.iter().map(|u| text(u, "uri")).find(|u| !u.trim().is_empty()))
                .map(|u| u.trim().to_string());
            Some(entry)
        })
        .collect();
    Ok(super::imported(Format::Bitwarden, entries))
}
