//! The vault for the service worker: a key store behind opaque handles. Adapters only; every rule
//! lives in `vault` and `device`.
//!
//! What crosses to JavaScript: handles (numbers), envelopes and public keys (base64url), item
//! summaries (name, username, sites, TOTP label), one-time codes, SMS text, fingerprint phrases,
//! the Recovery Kit text once at creation (the person must see it), and wrapping keys for
//! `chrome.storage` (which protect only exported blobs). Never a vault key, a TOTP key, or a
//! password, except through [`Vault::reveal_secret`], which exists because a password must reach a
//! login form or the clipboard when the person asks; it refuses TOTP keys, whose codes suffice.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_err, to_js, unix_seconds};
use crate::device::{self, ApprovalGrant, ApprovalRequest, DeviceInfo};
use crate::vault::{
    Context, Envelope, InboxPublicKey, Item, ItemBody, KeyHandle, KeyStore, NewAccount, PublicKeys, SealedItem, Sms,
    WrappingKey,
};

#[wasm_bindgen(typescript_custom_section)]
const TS_VAULT: &'static str = r#"
/** A handle into the Vault's key store: a number that means nothing outside it. */
export type KeyHandle = number;
export interface NewUser {
  userKey: KeyHandle; keyPair: KeyHandle; publicKeys: string;
  userKeyForDevice: string; keyPairEnvelope: string;
}
export interface MemberEnvelope { userId: string; envelope: string; }
export interface NewAccount {
  accountKey: KeyHandle; generation: number; inboxPublicKey: string; inboxEnvelope: string;
  memberEnvelopes: MemberEnvelope[]; items: SealedItem[];
}
export interface Member { userId: string; publicKeys: string; }
export interface SealedItem {
  workspace: string; account: string; item: string; version: number; contentKey: string; body: string;
}
export type ItemInput =
  | { kind: "login"; name: string; username: string; password: string; sites?: string[] }
  | { kind: "totp"; name: string; otp: string }
  | { kind: "backupCodes"; name: string; codes: string[] }
  | { kind: "note"; name: string; text: string }
  | { kind: "sites"; name: string; sites: string[] };
export interface ItemSummary {
  kind: "login" | "totp" | "backupCodes" | "note" | "sites"; name: string; username: string | null; sites: string[];
  issuer: string | null; label: string | null; codeCount: number | null;
}
export interface ApprovalRequest {
  workspace: string; userId: string; requestId: string; deviceId: string; deviceKeys: string;
}
export interface RecoveryKitResult { kit: string; wrappedUserKey: string; }
export interface SmsMessage { from: string; text: string; }
export interface DeviceInfo { os: string; browser: string; device: string; }
"#;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewUserJs {
    user_key: u32,
    key_pair: u32,
    public_keys: PublicKeys,
    user_key_for_device: Envelope,
    key_pair_envelope: Envelope,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MemberEnvelope {
    user_id: String,
    envelope: Envelope,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewAccountJs {
    account_key: u32,
    generation: u64,
    inbox_public_key: InboxPublicKey,
    inbox_envelope: Envelope,
    member_envelopes: Vec<MemberEnvelope>,
    items: Vec<SealedItem>,
}

impl From<NewAccount> for NewAccountJs {
    fn from(a: NewAccount) -> Self {
        NewAccountJs {
            account_key: a.account_key.0,
            generation: a.generation,
            inbox_public_key: a.inbox_public_key,
            inbox_envelope: a.inbox_envelope,
            member_envelopes: a
                .member_envelopes
                .into_iter()
                .map(|(user_id, envelope)| MemberEnvelope { user_id, envelope })
                .collect(),
            items: a.items,
        }
    }
}

// Inputs are read field by field with `Reflect` rather than serde's Deserialize: deserializing
// from JsValue pulls in serde's buffering and float formatting, about 10 KB gzip of wasm.

pub(super) fn field(obj: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

pub(super) fn text(obj: &JsValue, name: &str, what: &str) -> Result<String, JsError> {
    field(obj, name)
        .as_string()
        .ok_or_else(|| JsError::new(&format!("{what} needs a text field \"{name}\"")))
}

fn number(obj: &JsValue, name: &str, what: &str) -> Result<f64, JsError> {
    field(obj, name)
        .as_f64()
        .ok_or_else(|| JsError::new(&format!("{what} needs a number field \"{name}\"")))
}

/// A list of strings; a missing field is an empty list.
pub(super) fn texts(obj: &JsValue, name: &str, what: &str) -> Result<Vec<String>, JsError> {
    let v = field(obj, name);
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    let bad = || JsError::new(&format!("{what}'s \"{name}\" must be a list of texts"));
    if !js_sys::Array::is_array(&v) {
        return Err(bad());
    }
    js_sys::Array::from(&v)
        .iter()
        .map(|x| x.as_string().ok_or_else(bad))
        .collect()
}

pub(super) fn array(v: &JsValue, what: &str) -> Result<Vec<JsValue>, JsError> {
    if js_sys::Array::is_array(v) {
        Ok(js_sys::Array::from(v).iter().collect())
    } else {
        Err(JsError::new(&format!("{what} must be a list")))
    }
}

fn read_item(v: &JsValue) -> Result<Item, JsError> {
    const WHAT: &str = "the item";
    let name = text(v, "name", WHAT)?;
    let body = match text(v, "kind", WHAT)?.as_str() {
        "login" => ItemBody::Login {
            username: text(v, "username", WHAT)?,
            password: text(v, "password", WHAT)?,
            sites: texts(v, "sites", WHAT)?,
        },
        "totp" => return Item::totp(&name, &text(v, "otp", WHAT)?).map_err(js_err),
        "backupCodes" => ItemBody::BackupCodes {
            codes: texts(v, "codes", WHAT)?,
        },
        "note" => ItemBody::Note {
            text: text(v, "text", WHAT)?,
        },
        // An account's sites record, sealed at `sitesItemId(accountId)` (elsewhere it is ignored).
        // (Hosts as `Sites.hostFromInput` gives them; sealing refuses anything else.)
        "sites" => ItemBody::Sites {
            sites: texts(v, "sites", WHAT)?,
        },
        other => {
            return Err(JsError::new(&format!(
                "unknown item kind {other:?}: use \"login\", \"totp\", \"backupCodes\" or \"note\""
            )))
        }
    };
    Ok(Item { name, body })
}

fn read_sealed_item(v: &JsValue) -> Result<SealedItem, JsError> {
    const WHAT: &str = "the sealed item";
    Ok(SealedItem {
        workspace: text(v, "workspace", WHAT)?,
        account: text(v, "account", WHAT)?,
        item: text(v, "item", WHAT)?,
        version: whole(number(v, "version", WHAT)?)?,
        content_key: envelope(&text(v, "contentKey", WHAT)?)?,
        body: envelope(&text(v, "body", WHAT)?)?,
    })
}

fn read_request(v: &JsValue) -> Result<ApprovalRequest, JsError> {
    const WHAT: &str = "the approval request";
    Ok(ApprovalRequest {
        workspace: text(v, "workspace", WHAT)?,
        user_id: text(v, "userId", WHAT)?,
        request_id: text(v, "requestId", WHAT)?,
        device_id: text(v, "deviceId", WHAT)?,
        device_keys: PublicKeys::parse(&text(v, "deviceKeys", WHAT)?).map_err(js_err)?,
    })
}

fn envelope(text: &str) -> Result<Envelope, JsError> {
    Envelope::parse(text).map_err(js_err)
}

fn handle(h: KeyHandle) -> u32 {
    h.0
}

/// The device's key store. One per service worker; save it with `save` when keys change.
#[wasm_bindgen]
#[derive(Default)]
pub struct Vault {
    pub(super) store: KeyStore,
}

#[wasm_bindgen]
impl Vault {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Vault {
        Vault::default()
    }

    /// A fresh random wrapping key (base64url) for `save`/`exportDevice`: keep it in
    /// `chrome.storage.session` (session key) or `chrome.storage.local` (device storage key).
    #[wasm_bindgen(js_name = newWrappingKey)]
    pub fn new_wrapping_key() -> String {
        WrappingKey::generate().to_text().to_string()
    }

    /// Every key in the store, encrypted under the session key, for `chrome.storage.local`.
    pub fn save(&self, session_key: &str, device_id: &str) -> Result<String, JsError> {
        let key = WrappingKey::parse(session_key).map_err(js_err)?;
        Ok(self.store.export(&key, device_id).to_text())
    }

    /// The store `save` wrote, with the same handles (after a service-worker restart).
    pub fn restore(session_key: &str, blob: &str, device_id: &str) -> Result<Vault, JsError> {
        let key = WrappingKey::parse(session_key).map_err(js_err)?;
        let store = KeyStore::import(&key, &envelope(blob)?, device_id).map_err(js_err)?;
        Ok(Vault { store })
    }

    /// How many keys the store holds.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.store.len()
    }

    /// Drops a key (locking an account, signing out). True if it was there.
    pub fn forget(&mut self, handle: u32) -> bool {
        self.store.remove(KeyHandle(handle))
    }

    /// What a handle refers to ("user key", "account key", …), or undefined.
    #[wasm_bindgen(js_name = kindOf)]
    pub fn kind_of(&self, handle: u32) -> Option<String> {
        self.store.kind(KeyHandle(handle)).map(str::to_string)
    }

    // ---- devices ----

    /// This browser profile's new device keys.
    #[wasm_bindgen(js_name = createDevice)]
    pub fn create_device(&mut self) -> u32 {
        handle(self.store.create_device())
    }

    /// The public keys (base64url) of a device or user key pair.
    #[wasm_bindgen(js_name = publicKeys)]
    pub fn public_keys(&self, handle: u32) -> Result<String, JsError> {
        Ok(self.store.public_keys(KeyHandle(handle)).map_err(js_err)?.to_text())
    }

    /// The device keys under a device storage key, for `chrome.storage.local` (survives restarts).
    #[wasm_bindgen(js_name = exportDevice)]
    pub fn export_device(&self, device: u32, storage_key: &str, device_id: &str) -> Result<String, JsError> {
        let key = WrappingKey::parse(storage_key).map_err(js_err)?;
        Ok(self
            .store
            .export_device(KeyHandle(device), &key, device_id)
            .map_err(js_err)?
            .to_text())
    }

    #[wasm_bindgen(js_name = importDevice)]
    pub fn import_device(&mut self, storage_key: &str, blob: &str, device_id: &str) -> Result<u32, JsError> {
        let key = WrappingKey::parse(storage_key).map_err(js_err)?;
        Ok(handle(
            self.store
                .import_device(&key, &envelope(blob)?, device_id)
                .map_err(js_err)?,
        ))
    }

    // ---- users ----

    /// First device of a new user: returns handles and the envelopes for the server.
    #[wasm_bindgen(js_name = createUser, unchecked_return_type = "NewUser")]
    pub fn create_user(
        &mut self,
        device: u32,
        workspace: &str,
        user_id: &str,
        device_id: &str,
    ) -> Result<JsValue, JsError> {
        let u = self
            .store
            .create_user(KeyHandle(device), workspace, user_id, device_id)
            .map_err(js_err)?;
        to_js(&NewUserJs {
            user_key: u.user_key.0,
            key_pair: u.key_pair.0,
            public_keys: u.public_keys,
            user_key_for_device: u.user_key_for_device,
            key_pair_envelope: u.key_pair_envelope,
        })
    }

    /// Opens the user key the server keeps sealed to this device.
    #[wasm_bindgen(js_name = openUserKey)]
    pub fn open_user_key(
        &mut self,
        device: u32,
        sealed: &str,
        workspace: &str,
        user_id: &str,
        device_id: &str,
    ) -> Result<u32, JsError> {
        let context = Context::user_key_for_device(workspace, user_id, device_id);
        Ok(handle(
            self.store
                .open_user_key(KeyHandle(device), &envelope(sealed)?, &context)
                .map_err(js_err)?,
        ))
    }

    /// Decrypts the user's key pair with the user key.
    #[wasm_bindgen(js_name = openUserKeyPair)]
    pub fn open_user_key_pair(
        &mut self,
        user_key: u32,
        wrapped: &str,
        workspace: &str,
        user_id: &str,
    ) -> Result<u32, JsError> {
        let context = Context::user_key_pair(workspace, user_id);
        Ok(handle(
            self.store
                .open_user_key_pair(KeyHandle(user_key), &envelope(wrapped)?, &context)
                .map_err(js_err)?,
        ))
    }

    /// A new Recovery Kit: `kit` is shown to the person once and never stored; `wrappedUserKey`
    /// goes to the server.
    #[wasm_bindgen(js_name = createRecoveryKit, unchecked_return_type = "RecoveryKitResult")]
    pub fn create_recovery_kit(&self, user_key: u32, workspace: &str, user_id: &str) -> Result<JsValue, JsError> {
        let (kit, wrapped) = self
            .store
            .create_recovery_kit(KeyHandle(user_key), workspace, user_id)
            .map_err(js_err)?;
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out {
            kit: String,
            wrapped_user_key: Envelope,
        }
        to_js(&Out {
            kit: kit.to_text().to_string(),
            wrapped_user_key: wrapped,
        })
    }

    /// Restores the user key from the kit the person typed (typos are reported as such).
    #[wasm_bindgen(js_name = recoverUserKey)]
    pub fn recover_user_key(
        &mut self,
        kit: &str,
        wrapped: &str,
        workspace: &str,
        user_id: &str,
    ) -> Result<u32, JsError> {
        Ok(handle(
            self.store
                .recover_user_key(kit, &envelope(wrapped)?, workspace, user_id)
                .map_err(js_err)?,
        ))
    }

    /// After a recovery with the kit: the user key sealed to this device (`userKeyEnvelope` of
    /// `POST /trust/recover`), so the server can hand it back on the next start.
    #[wasm_bindgen(js_name = sealUserKeyToDevice)]
    pub fn seal_user_key_to_device(
        &self,
        user_key: u32,
        device_public_keys: &str,
        workspace: &str,
        user_id: &str,
        device_id: &str,
    ) -> Result<String, JsError> {
        let device_keys = PublicKeys::parse(device_public_keys).map_err(js_err)?;
        let context = Context::user_key_for_device(workspace, user_id, device_id);
        Ok(self
            .store
            .seal_user_key(KeyHandle(user_key), &device_keys, &context)
            .map_err(js_err)?
            .to_text())
    }

    /// The enrollment proof (base64url Ed25519 signature by the user key pair) the server asks for
    /// before trusting this device as the first one, or after a recovery with the kit.
    #[wasm_bindgen(js_name = signEnrollment)]
    pub fn sign_enrollment(
        &self,
        key_pair: u32,
        workspace: &str,
        user_id: &str,
        device_id: &str,
        device_public_keys: &str,
    ) -> Result<String, JsError> {
        let device_keys = PublicKeys::parse(device_public_keys).map_err(js_err)?;
        let signature = self
            .store
            .sign_enrollment(KeyHandle(key_pair), workspace, user_id, device_id, &device_keys)
            .map_err(js_err)?;
        Ok(crate::vault::base64url_encode(&signature))
    }

    // ---- approval ----

    /// Trusted device, after **Approve**: the signed grant (base64url) for the server to relay.
    #[wasm_bindgen(js_name = approveDevice)]
    pub fn approve_device(
        &self,
        device: u32,
        user_key: u32,
        #[wasm_bindgen(unchecked_param_type = "ApprovalRequest")] request: JsValue,
        now: f64,
    ) -> Result<String, JsError> {
        let request = read_request(&request)?;
        let grant = self
            .store
            .approve_device(KeyHandle(device), KeyHandle(user_key), &request, unix_seconds(now)?)
            .map_err(js_err)?;
        Ok(grant.to_text())
    }

    /// New device: checks the grant against its own request and the user's trusted devices' public
    /// keys, then keeps the user key. Throws, accepting nothing, if any check fails.
    #[wasm_bindgen(js_name = acceptGrant)]
    pub fn accept_grant(
        &mut self,
        device: u32,
        grant: &str,
        #[wasm_bindgen(unchecked_param_type = "ApprovalRequest")] request: JsValue,
        trusted: Vec<String>,
        now: f64,
    ) -> Result<u32, JsError> {
        let request = read_request(&request)?;
        let trusted = trusted
            .iter()
            .map(|t| PublicKeys::parse(t))
            .collect::<Result<Vec<_>, _>>()
            .map_err(js_err)?;
        let grant = ApprovalGrant::parse(grant).map_err(js_err)?;
        Ok(handle(
            self.store
                .accept_grant(KeyHandle(device), &grant, &request, &trusted, unix_seconds(now)?)
                .map_err(js_err)?,
        ))
    }

    // ---- accounts ----

    /// A new shared account owned by this user (generation 0).
    #[wasm_bindgen(js_name = createAccount, unchecked_return_type = "NewAccount")]
    pub fn create_account(
        &mut self,
        key_pair: u32,
        workspace: &str,
        account_id: &str,
        user_id: &str,
    ) -> Result<JsValue, JsError> {
        let a = self
            .store
            .create_account(KeyHandle(key_pair), workspace, account_id, user_id)
            .map_err(js_err)?;
        to_js(&NewAccountJs::from(a))
    }

    /// Seals an account key to another member's public keys.
    #[wasm_bindgen(js_name = shareAccount)]
    pub fn share_account(
        &self,
        account_key: u32,
        member_public_keys: &str,
        workspace: &str,
        account_id: &str,
        member_user_id: &str,
        generation: f64,
    ) -> Result<String, JsError> {
        let member = PublicKeys::parse(member_public_keys).map_err(js_err)?;
        let context = Context::account_key_for_member(workspace, account_id, member_user_id, whole(generation)?);
        Ok(self
            .store
            .share_account(KeyHandle(account_key), &member, &context)
            .map_err(js_err)?
            .to_text())
    }

    /// Opens an account key sealed to this user.
    #[wasm_bindgen(js_name = openAccountKey)]
    pub fn open_account_key(
        &mut self,
        key_pair: u32,
        sealed: &str,
        workspace: &str,
        account_id: &str,
        user_id: &str,
        generation: f64,
    ) -> Result<u32, JsError> {
        let context = Context::account_key_for_member(workspace, account_id, user_id, whole(generation)?);
        Ok(handle(
            self.store
                .open_account_key(KeyHandle(key_pair), &envelope(sealed)?, &context)
                .map_err(js_err)?,
        ))
    }

    /// After someone leaves: a new account key for the remaining members, items re-wrapped.
    #[wasm_bindgen(js_name = rotateAccount, unchecked_return_type = "NewAccount")]
    pub fn rotate_account(
        &mut self,
        old_account_key: u32,
        workspace: &str,
        account_id: &str,
        generation: f64,
        #[wasm_bindgen(unchecked_param_type = "Member[]")] members: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SealedItem[]")] items: JsValue,
    ) -> Result<JsValue, JsError> {
        let members = array(&members, "the member list")?
            .iter()
            .map(|m| {
                let keys = PublicKeys::parse(&text(m, "publicKeys", "a member")?).map_err(js_err)?;
                Ok((text(m, "userId", "a member")?, keys))
            })
            .collect::<Result<Vec<_>, JsError>>()?;
        let items = array(&items, "the item list")?
            .iter()
            .map(read_sealed_item)
            .collect::<Result<Vec<_>, _>>()?;
        let a = self
            .store
            .rotate_account(
                KeyHandle(old_account_key),
                workspace,
                account_id,
                whole(generation)?,
                &members,
                &items,
            )
            .map_err(js_err)?;
        to_js(&NewAccountJs::from(a))
    }

    /// Encrypts an item version under a fresh content key wrapped by the account key.
    #[wasm_bindgen(js_name = sealItem, unchecked_return_type = "SealedItem")]
    pub fn seal_item(
        &self,
        account_key: u32,
        workspace: &str,
        account_id: &str,
        item_id: &str,
        version: f64,
        #[wasm_bindgen(unchecked_param_type = "ItemInput")] item: JsValue,
    ) -> Result<JsValue, JsError> {
        let item = read_item(&item)?;
        let sealed = self
            .store
            .seal_item(
                KeyHandle(account_key),
                workspace,
                account_id,
                item_id,
                whole(version)?,
                &item,
            )
            .map_err(js_err)?;
        to_js(&sealed)
    }

    /// The sites an account's codes may be filled on, from its sites record among its items
    /// (at the id `sitesItemId` gives); `undefined` when it has none. Throws when the record is
    /// there but does not open.
    #[wasm_bindgen(js_name = accountSites)]
    pub fn account_sites(
        &self,
        account_key: u32,
        workspace: &str,
        account_id: &str,
        #[wasm_bindgen(unchecked_param_type = "SealedItem[]")] items: JsValue,
    ) -> Result<Option<Vec<String>>, JsError> {
        let items = array(&items, "the item list")?
            .iter()
            .map(read_sealed_item)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self
            .store
            .account_sites(KeyHandle(account_key), workspace, account_id, &items)
            .map_err(js_err)?
            .map(|found| found.sites))
    }

    /// The fields of an item that may be shown: never a password, TOTP key, code or note.
    #[wasm_bindgen(js_name = itemSummary, unchecked_return_type = "ItemSummary")]
    pub fn item_summary(
        &self,
        account_key: u32,
        #[wasm_bindgen(unchecked_param_type = "SealedItem")] item: JsValue,
    ) -> Result<JsValue, JsError> {
        let item = read_sealed_item(&item)?;
        to_js(&self.store.item_summary(KeyHandle(account_key), &item).map_err(js_err)?)
    }

    /// The current code of a TOTP item at `now` (seconds); the key stays here.
    #[wasm_bindgen(js_name = itemCode, unchecked_return_type = "Code")]
    pub fn item_code(
        &self,
        account_key: u32,
        #[wasm_bindgen(unchecked_param_type = "SealedItem")] item: JsValue,
        now: f64,
    ) -> Result<JsValue, JsError> {
        let item = read_sealed_item(&item)?;
        to_js(
            &self
                .store
                .item_code(KeyHandle(account_key), &item, unix_seconds(now)?)
                .map_err(js_err)?,
        )
    }

    /// One secret field, for when the person asks to fill, copy or see it: "password" (a login),
    /// "codes" (backup codes, one per line) or "text" (a note). Refuses TOTP keys: use `itemCode`.
    #[wasm_bindgen(js_name = revealSecret)]
    pub fn reveal_secret(
        &self,
        account_key: u32,
        #[wasm_bindgen(unchecked_param_type = "SealedItem")] item: JsValue,
        field: &str,
    ) -> Result<String, JsError> {
        let item = read_sealed_item(&item)?;
        let item = self.store.open_item(KeyHandle(account_key), &item).map_err(js_err)?;
        match (&item.body, field) {
            (ItemBody::Login { password, .. }, "password") => Ok(password.clone()),
            (ItemBody::BackupCodes { codes }, "codes") => Ok(codes.join("\n")),
            (ItemBody::Note { text }, "text") => Ok(text.clone()),
            (ItemBody::Totp { .. }, _) => Err(JsError::new(
                "a TOTP key never leaves Latchkey: ask for the current code instead",
            )),
            _ => Err(JsError::new(&format!(
                "a {} item has no secret field {field:?}: use \"password\", \"codes\" or \"text\"",
                item.kind().name()
            ))),
        }
    }

    /// Decrypts an account's inbox key pair (for reading its SMS).
    #[wasm_bindgen(js_name = openInbox)]
    pub fn open_inbox(
        &mut self,
        account_key: u32,
        wrapped: &str,
        workspace: &str,
        account_id: &str,
        generation: f64,
    ) -> Result<u32, JsError> {
        let context = Context::inbox_key_pair(workspace, account_id, whole(generation)?);
        Ok(handle(
            self.store
                .open_inbox(KeyHandle(account_key), &envelope(wrapped)?, &context)
                .map_err(js_err)?,
        ))
    }

    /// Opens an SMS the server sealed to this inbox.
    #[wasm_bindgen(js_name = openSms, unchecked_return_type = "SmsMessage")]
    pub fn open_sms(
        &self,
        inbox: u32,
        sealed: &str,
        workspace: &str,
        account_id: &str,
        message_id: &str,
    ) -> Result<JsValue, JsError> {
        let sms = self
            .store
            .open_sms(
                KeyHandle(inbox),
                &envelope(sealed)?,
                &Context::sms(workspace, account_id, message_id),
            )
            .map_err(js_err)?;
        #[derive(Serialize)]
        struct Out<'a> {
            from: &'a str,
            text: &'a str,
        }
        to_js(&Out {
            from: &sms.from,
            text: &sms.text,
        })
    }

    /// Opens an e-mail the server sealed to this inbox (an inbox entry with `type: "email"`):
    /// the raw RFC 5322 message as received, to be parsed (MIME) by its reader.
    #[wasm_bindgen(js_name = openEmail)]
    pub fn open_email(
        &self,
        inbox: u32,
        sealed: &str,
        workspace: &str,
        account_id: &str,
        message_id: &str,
    ) -> Result<Vec<u8>, JsError> {
        let email = self
            .store
            .open_email(
                KeyHandle(inbox),
                &envelope(sealed)?,
                &Context::email(workspace, account_id, message_id),
            )
            .map_err(js_err)?;
        Ok(email.raw.clone())
    }
}

/// Generations and versions are whole numbers; JS hands them over as floats.
fn whole(n: f64) -> Result<u64, JsError> {
    if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
        Ok(n as u64)
    } else {
        Err(JsError::new(
            "a version or generation must be a whole number, 0 or more",
        ))
    }
}

/// The item id of an account's sites record (derived from the account id by the core).
#[wasm_bindgen(js_name = sitesItemId)]
pub fn sites_item_id(account_id: &str) -> String {
    crate::vault::sites_item_id(account_id)
}

/// Seals an SMS to an inbox public key, as the server does natively (for tests and tools).
#[wasm_bindgen(js_name = sealSms)]
pub fn seal_sms(
    inbox_public_key: &str,
    workspace: &str,
    account_id: &str,
    message_id: &str,
    from: &str,
    text: &str,
) -> Result<String, JsError> {
    let inbox = InboxPublicKey::parse(inbox_public_key).map_err(js_err)?;
    let sms = Sms {
        from: from.to_string(),
        text: text.to_string(),
    };
    Ok(sms
        .seal(&inbox, &Context::sms(workspace, account_id, message_id))
        .map_err(js_err)?
        .to_text())
}

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

/// The vault workload of `tests/bench/run.mjs`, timed by JS (the core reads no clock): build with
/// `new VaultBench(items, sms)`, then time `decryptItems()`, `sealSms()` and `openSms()`; each
/// returns a checksum so the work cannot be skipped.
#[wasm_bindgen]
pub struct VaultBench {
    store: KeyStore,
    account_key: KeyHandle,
    inbox: KeyHandle,
    inbox_public: InboxPublicKey,
    items: Vec<SealedItem>,
    sms_count: usize,
    sealed_sms: Vec<Envelope>,
}

#[wasm_bindgen]
impl VaultBench {
    #[wasm_bindgen(constructor)]
    pub fn new(items: usize, sms: usize) -> Result<VaultBench, JsError> {
        let bench = crate::vault::bench::Workload::new(items, sms).map_err(js_err)?;
        Ok(VaultBench {
            store: bench.store,
            account_key: bench.account_key,
            inbox: bench.inbox,
            inbox_public: bench.inbox_public,
            items: bench.items,
            sms_count: sms,
            sealed_sms: Vec::new(),
        })
    }

    /// Decrypts every item's summary; returns the total length of the names.
    #[wasm_bindgen(js_name = decryptItems)]
    pub fn decrypt_items(&self) -> Result<usize, JsError> {
        crate::vault::bench::decrypt_items(&self.store, self.account_key, &self.items).map_err(js_err)
    }

    /// Seals `sms` messages (kept for `openSms`); returns their total size in bytes.
    #[wasm_bindgen(js_name = sealSms)]
    pub fn seal_sms(&mut self) -> Result<usize, JsError> {
        self.sealed_sms = crate::vault::bench::seal_sms(&self.inbox_public, self.sms_count).map_err(js_err)?;
        Ok(self.sealed_sms.iter().map(|e| e.as_bytes().len()).sum())
    }

    /// Opens what `sealSms` sealed; returns the total length of the texts.
    #[wasm_bindgen(js_name = openSms)]
    pub fn open_sms(&self) -> Result<usize, JsError> {
        crate::vault::bench::open_sms(&self.store, self.inbox, &self.sealed_sms).map_err(js_err)
    }
}
