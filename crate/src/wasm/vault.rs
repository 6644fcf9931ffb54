//! The vault for the service worker: a key store whose keys are named by what they are. Adapters
//! only; every rule lives in `vault` and `device`.
//!
//! What crosses to JavaScript: key names (the account id and key generation it already has from
//! the server), envelopes and public keys (base64url), item summaries (name, username, sites, TOTP
//! label), one-time codes, SMS text, fingerprint phrases, the Recovery Kit text once at creation
//! (the person must see it), and wrapping keys for `chrome.storage` (which protect only exported
//! blobs). Never a vault key, a TOTP key, or a password, except through [`Vault::reveal_secret`],
//! which exists because a password must reach a login form or the clipboard when the person asks;
//! it refuses TOTP keys, whose codes suffice (`vault::Item::reveal` decides).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_err, to_js, unix_seconds};
use crate::device::{ApprovalGrant, ApprovalRequest};
use crate::vault::{
    AccountGeneration, CopyPlace, Envelope, InboxPublicKey, Item, ItemBody, ItemPlace, KeySlot, KeyStore, NewAccount,
    PublicKeys, SealedItem, WrappingKey,
};

#[wasm_bindgen(typescript_custom_section)]
const TS_VAULT: &'static str = r#"
/**
 * A key in a Vault, named by what it is: the device key pair, the user key and key pair, and an
 * account's key and inbox key pair at one key generation (the server's `keyGeneration`).
 */
export type KeySlot =
  | { kind: "device" } | { kind: "userKey" } | { kind: "userKeyPair" }
  | { kind: "account"; account: string; generation: number }
  | { kind: "inbox"; account: string; generation: number };
export interface NewUser { publicKeys: string; userKeyForDevice: string; keyPairEnvelope: string; }
export interface MemberEnvelope { userId: string; envelope: string; }
/** The account key itself stays in the Vault, at (accountId, generation). */
export interface NewAccount {
  accountId: string; generation: number; inboxPublicKey: string; inboxEnvelope: string;
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
  kind: "login" | "totp" | "backupCodes" | "note" | "sites"; name: string; username: string | null;
  sites: string[]; issuer: string | null; label: string | null; codeCount: number | null;
}
export interface ApprovalRequest {
  workspace: string; userId: string; requestId: string; deviceId: string; deviceKeys: string;
}
export interface RecoveryKitResult { kit: string; wrappedUserKey: string; }
export interface SmsMessage { from: string; text: string; }
/** An opened offline copy: when it was synced (Unix ms) and the `GET /vault` reply it kept (hostile as ever). */
export interface OpenedCopy { syncedAt: number; vault: string; }
"#;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewUserJs {
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
    account_id: String,
    generation: u64,
    inbox_public_key: InboxPublicKey,
    inbox_envelope: Envelope,
    member_envelopes: Vec<MemberEnvelope>,
    items: Vec<SealedItem>,
}

impl From<NewAccount> for NewAccountJs {
    fn from(a: NewAccount) -> Self {
        NewAccountJs {
            account_id: a.key.account,
            generation: a.key.generation,
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

/// A slot as JS sees it (`KeySlot` in TypeScript). Built field by field: serde's tagged enums
/// cost about 1 KB gzip of wasm.
fn slot_js(slot: &KeySlot) -> JsValue {
    let (kind, account) = match slot {
        KeySlot::Device => ("device", None),
        KeySlot::UserKey => ("userKey", None),
        KeySlot::UserKeyPair => ("userKeyPair", None),
        KeySlot::Account(a) => ("account", Some(a)),
        KeySlot::Inbox(a) => ("inbox", Some(a)),
    };
    let o = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&o, &JsValue::from_str(k), &v).is_ok();
    set("kind", kind.into());
    if let Some(a) = account {
        set("account", a.account.as_str().into());
        set("generation", (a.generation as f64).into());
    }
    o.into()
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

/// An account's key at a generation, as JS names it.
fn account(account_id: &str, generation: f64) -> Result<AccountGeneration, JsError> {
    Ok(AccountGeneration::new(account_id, whole(generation)?))
}

fn sealed_items(items: &JsValue) -> Result<Vec<SealedItem>, JsError> {
    array(items, "the item list")?.iter().map(read_sealed_item).collect()
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

    /// Every key in the store, with its name, encrypted under the session key, for
    /// `chrome.storage.local`.
    pub fn save(&self, session_key: &str, device_id: &str) -> Result<String, JsError> {
        let key = WrappingKey::parse(session_key).map_err(js_err)?;
        Ok(self.store.export(&key, device_id).to_text())
    }

    /// The store `save` wrote, with the same keys under the same names (after a service-worker
    /// restart).
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

    /// The names of the keys the store holds.
    #[wasm_bindgen(unchecked_return_type = "KeySlot[]")]
    pub fn slots(&self) -> js_sys::Array {
        self.store.slots().iter().map(slot_js).collect()
    }

    /// The key generation of an account this store holds, or `undefined`.
    pub fn generation(&self, account_id: &str) -> Option<f64> {
        self.store.generation(account_id).map(|g| g as f64)
    }

    /// Drops an account's key and inbox key (it left the vault). True if they were there.
    #[wasm_bindgen(js_name = forgetAccount)]
    pub fn forget_account(&mut self, account_id: &str) -> bool {
        self.store.forget_account(account_id)
    }

    // ---- the offline copy (vault::copy) ----

    /// The offline copy of a `GET /vault` reply synced at `syncedAt` (Unix ms), for
    /// `chrome.storage.local`: encrypted under a key derived from the device keys, bound to this
    /// workspace, user and device.
    #[wasm_bindgen(js_name = sealCopy)]
    pub fn seal_copy(
        &self,
        workspace: &str,
        user_id: &str,
        device_id: &str,
        synced_at: f64,
        vault: &str,
    ) -> Result<String, JsError> {
        let place = CopyPlace {
            workspace,
            user: user_id,
            device: device_id,
        };
        self.store.seal_copy(&place, whole(synced_at)?, vault).map_err(js_err)
    }

    /// Opens the offline copy for this workspace, user and device (refused for another, or when
    /// altered); opens the user keys from it when the store lacks them.
    #[wasm_bindgen(js_name = openCopy, unchecked_return_type = "OpenedCopy")]
    pub fn open_copy(
        &mut self,
        text: &str,
        workspace: &str,
        user_id: &str,
        device_id: &str,
    ) -> Result<JsValue, JsError> {
        let place = CopyPlace {
            workspace,
            user: user_id,
            device: device_id,
        };
        let opened = self.store.open_copy(text, &place).map_err(js_err)?;
        let o = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&o, &JsValue::from_str(k), &v).is_ok();
        set("syncedAt", (opened.synced_at as f64).into());
        set("vault", opened.vault.into());
        Ok(o.into())
    }

    // ---- devices ----

    /// This browser profile's new device keys (a store holds one device's); returns their public
    /// keys (base64url).
    #[wasm_bindgen(js_name = createDevice)]
    pub fn create_device(&mut self) -> Result<String, JsError> {
        Ok(self.store.create_device().map_err(js_err)?.to_text())
    }

    /// The device's public keys (base64url).
    #[wasm_bindgen(js_name = devicePublicKeys)]
    pub fn device_public_keys(&self) -> Result<String, JsError> {
        Ok(self.store.device_public_keys().map_err(js_err)?.to_text())
    }

    /// The device keys under a device storage key, for `chrome.storage.local` (survives restarts).
    #[wasm_bindgen(js_name = exportDevice)]
    pub fn export_device(&self, storage_key: &str, device_id: &str) -> Result<String, JsError> {
        let key = WrappingKey::parse(storage_key).map_err(js_err)?;
        Ok(self.store.export_device(&key, device_id).map_err(js_err)?.to_text())
    }

    /// Opens what `exportDevice` wrote into this store (which holds no device keys yet).
    #[wasm_bindgen(js_name = importDevice)]
    pub fn import_device(&mut self, storage_key: &str, blob: &str, device_id: &str) -> Result<(), JsError> {
        let key = WrappingKey::parse(storage_key).map_err(js_err)?;
        self.store
            .import_device(&key, &envelope(blob)?, device_id)
            .map_err(js_err)?;
        Ok(())
    }

    // ---- users ----

    /// First device of a new user: the user key and key pair, kept here; returns the envelopes
    /// for the server.
    #[wasm_bindgen(js_name = createUser, unchecked_return_type = "NewUser")]
    pub fn create_user(&mut self, workspace: &str, user_id: &str, device_id: &str) -> Result<JsValue, JsError> {
        let u = self.store.create_user(workspace, user_id, device_id).map_err(js_err)?;
        to_js(&NewUserJs {
            public_keys: u.public_keys,
            user_key_for_device: u.user_key_for_device,
            key_pair_envelope: u.key_pair_envelope,
        })
    }

    /// Opens the user key the server keeps sealed to this device.
    #[wasm_bindgen(js_name = openUserKey)]
    pub fn open_user_key(
        &mut self,
        sealed: &str,
        workspace: &str,
        user_id: &str,
        device_id: &str,
    ) -> Result<(), JsError> {
        self.store
            .open_user_key(&envelope(sealed)?, workspace, user_id, device_id)
            .map_err(js_err)
    }

    /// Decrypts the user's key pair with the user key.
    #[wasm_bindgen(js_name = openUserKeyPair)]
    pub fn open_user_key_pair(&mut self, wrapped: &str, workspace: &str, user_id: &str) -> Result<(), JsError> {
        self.store
            .open_user_key_pair(&envelope(wrapped)?, workspace, user_id)
            .map_err(js_err)
    }

    /// A new Recovery Kit: `kit` is shown to the person once and never stored; `wrappedUserKey`
    /// goes to the server.
    #[wasm_bindgen(js_name = createRecoveryKit, unchecked_return_type = "RecoveryKitResult")]
    pub fn create_recovery_kit(&self, workspace: &str, user_id: &str) -> Result<JsValue, JsError> {
        let (kit, wrapped) = self.store.create_recovery_kit(workspace, user_id).map_err(js_err)?;
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
    ) -> Result<(), JsError> {
        self.store
            .recover_user_key(kit, &envelope(wrapped)?, workspace, user_id)
            .map_err(js_err)
    }

    /// After a recovery with the kit: the user key sealed to this device (`userKeyEnvelope` of
    /// `POST /trust/recover`), so the server can hand it back on the next start.
    #[wasm_bindgen(js_name = sealUserKeyToDevice)]
    pub fn seal_user_key_to_device(
        &self,
        device_public_keys: &str,
        workspace: &str,
        user_id: &str,
        device_id: &str,
    ) -> Result<String, JsError> {
        let device_keys = PublicKeys::parse(device_public_keys).map_err(js_err)?;
        Ok(self
            .store
            .seal_user_key(&device_keys, workspace, user_id, device_id)
            .map_err(js_err)?
            .to_text())
    }

    /// The enrollment proof (base64url Ed25519 signature by the user key pair) the server asks for
    /// before trusting this device as the first one, or after a recovery with the kit.
    #[wasm_bindgen(js_name = signEnrollment)]
    pub fn sign_enrollment(
        &self,
        workspace: &str,
        user_id: &str,
        device_id: &str,
        device_public_keys: &str,
    ) -> Result<String, JsError> {
        let device_keys = PublicKeys::parse(device_public_keys).map_err(js_err)?;
        let signature = self
            .store
            .sign_enrollment(workspace, user_id, device_id, &device_keys)
            .map_err(js_err)?;
        Ok(crate::vault::base64url_encode(&signature))
    }

    // ---- approval ----

    /// Trusted device, after **Approve**: the signed grant (base64url) for the server to relay.
    #[wasm_bindgen(js_name = approveDevice)]
    pub fn approve_device(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ApprovalRequest")] request: JsValue,
        now: f64,
    ) -> Result<String, JsError> {
        let request = read_request(&request)?;
        let grant = self
            .store
            .approve_device(&request, unix_seconds(now)?)
            .map_err(js_err)?;
        Ok(grant.to_text())
    }

    /// New device: checks the grant against its own request and the user's trusted devices' public
    /// keys, then keeps the user key. Throws, accepting nothing, if any check fails.
    #[wasm_bindgen(js_name = acceptGrant)]
    pub fn accept_grant(
        &mut self,
        grant: &str,
        #[wasm_bindgen(unchecked_param_type = "ApprovalRequest")] request: JsValue,
        trusted: Vec<String>,
        now: f64,
    ) -> Result<(), JsError> {
        let request = read_request(&request)?;
        let trusted = trusted
            .iter()
            .map(|t| PublicKeys::parse(t))
            .collect::<Result<Vec<_>, _>>()
            .map_err(js_err)?;
        let grant = ApprovalGrant::parse(grant).map_err(js_err)?;
        self.store
            .accept_grant(&grant, &request, &trusted, unix_seconds(now)?)
            .map_err(js_err)
    }

    // ---- accounts ----

    /// A new shared account owned by this user: its key, kept here at generation 0.
    #[wasm_bindgen(js_name = createAccount, unchecked_return_type = "NewAccount")]
    pub fn create_account(&mut self, workspace: &str, account_id: &str, user_id: &str) -> Result<JsValue, JsError> {
        let a = self
            .store
            .create_account(workspace, account_id, user_id)
            .map_err(js_err)?;
        to_js(&NewAccountJs::from(a))
    }

    /// Seals an account key (at `generation`) to another member's public keys.
    #[wasm_bindgen(js_name = shareAccount)]
    pub fn share_account(
        &self,
        account_id: &str,
        generation: f64,
        member_public_keys: &str,
        workspace: &str,
        member_user_id: &str,
    ) -> Result<String, JsError> {
        let member = PublicKeys::parse(member_public_keys).map_err(js_err)?;
        Ok(self
            .store
            .share_account(&account(account_id, generation)?, &member, workspace, member_user_id)
            .map_err(js_err)?
            .to_text())
    }

    /// Opens an account key sealed to this user and keeps it at (account, generation), in place
    /// of any other generation of that account (and its inbox key).
    #[wasm_bindgen(js_name = openAccountKey)]
    pub fn open_account_key(
        &mut self,
        account_id: &str,
        generation: f64,
        sealed: &str,
        workspace: &str,
        user_id: &str,
    ) -> Result<(), JsError> {
        self.store
            .open_account_key(
                &account(account_id, generation)?,
                &envelope(sealed)?,
                workspace,
                user_id,
            )
            .map_err(js_err)
    }

    /// After someone leaves: a new account key at the next generation for the remaining members,
    /// items re-wrapped; the new key replaces the one at `generation`.
    #[wasm_bindgen(js_name = rotateAccount, unchecked_return_type = "NewAccount")]
    pub fn rotate_account(
        &mut self,
        account_id: &str,
        generation: f64,
        workspace: &str,
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
        let items = sealed_items(&items)?;
        let a = self
            .store
            .rotate_account(&account(account_id, generation)?, workspace, &members, &items)
            .map_err(js_err)?;
        to_js(&NewAccountJs::from(a))
    }

    /// Encrypts an item version under a fresh content key wrapped by the account key.
    #[wasm_bindgen(js_name = sealItem, unchecked_return_type = "SealedItem")]
    pub fn seal_item(
        &self,
        account_id: &str,
        generation: f64,
        workspace: &str,
        item_id: &str,
        version: f64,
        #[wasm_bindgen(unchecked_param_type = "ItemInput")] item: JsValue,
    ) -> Result<JsValue, JsError> {
        let item = read_item(&item)?;
        let key = account(account_id, generation)?;
        let sealed = self
            .store
            .seal_item(&key, workspace, item_id, whole(version)?, &item)
            .map_err(js_err)?;
        to_js(&sealed)
    }

    /// The sites an account's codes may be filled on, from its sites record among its items
    /// (at the id `sitesItemId` gives); `undefined` when it has none. Throws when the record is
    /// there but does not open.
    #[wasm_bindgen(js_name = accountSites)]
    pub fn account_sites(
        &self,
        account_id: &str,
        generation: f64,
        workspace: &str,
        #[wasm_bindgen(unchecked_param_type = "SealedItem[]")] items: JsValue,
    ) -> Result<Option<Vec<String>>, JsError> {
        let items = sealed_items(&items)?;
        Ok(self
            .store
            .account_sites(&account(account_id, generation)?, workspace, &items)
            .map_err(js_err)?
            .map(|found| found.sites))
    }

    /// The fields of an item that may be shown: never a password, TOTP key, code or note.
    #[wasm_bindgen(js_name = itemSummary, unchecked_return_type = "ItemSummary")]
    pub fn item_summary(
        &self,
        account_id: &str,
        generation: f64,
        #[wasm_bindgen(unchecked_param_type = "SealedItem")] item: JsValue,
    ) -> Result<JsValue, JsError> {
        let item = read_sealed_item(&item)?;
        let key = account(account_id, generation)?;
        to_js(&self.store.item_summary(&key, &item).map_err(js_err)?)
    }

    /// The current code of a TOTP item at `now` (seconds); the key stays here.
    #[wasm_bindgen(js_name = itemCode, unchecked_return_type = "Code")]
    pub fn item_code(
        &self,
        account_id: &str,
        generation: f64,
        #[wasm_bindgen(unchecked_param_type = "SealedItem")] item: JsValue,
        now: f64,
    ) -> Result<JsValue, JsError> {
        let item = read_sealed_item(&item)?;
        let key = account(account_id, generation)?;
        to_js(&self.store.item_code(&key, &item, unix_seconds(now)?).map_err(js_err)?)
    }

    /// One secret field, for when the person asks to fill, copy or see it: "password" (a login),
    /// "codes" (backup codes, one per line) or "text" (a note). Refuses TOTP keys: use `itemCode`.
    /// (The rule is the core's: `Item::reveal`.)
    #[wasm_bindgen(js_name = revealSecret)]
    pub fn reveal_secret(
        &self,
        account_id: &str,
        generation: f64,
        #[wasm_bindgen(unchecked_param_type = "SealedItem")] item: JsValue,
        field: &str,
    ) -> Result<String, JsError> {
        let item = read_sealed_item(&item)?;
        let item = self
            .store
            .open_item(&account(account_id, generation)?, &item)
            .map_err(js_err)?;
        Ok(item.reveal(field).map_err(js_err)?.to_string())
    }

    /// Decrypts the inbox key pair of an account's key generation (for reading its SMS) and keeps
    /// it with the account key.
    #[wasm_bindgen(js_name = openInbox)]
    pub fn open_inbox(
        &mut self,
        account_id: &str,
        generation: f64,
        wrapped: &str,
        workspace: &str,
    ) -> Result<(), JsError> {
        self.store
            .open_inbox(&account(account_id, generation)?, &envelope(wrapped)?, workspace)
            .map_err(js_err)
    }

    /// Opens an SMS the server sealed to the account's inbox at that generation.
    #[wasm_bindgen(js_name = openSms, unchecked_return_type = "SmsMessage")]
    pub fn open_sms(
        &self,
        account_id: &str,
        generation: f64,
        sealed: &str,
        workspace: &str,
        message_id: &str,
    ) -> Result<JsValue, JsError> {
        let sms = self
            .store
            .open_sms(
                &account(account_id, generation)?,
                &envelope(sealed)?,
                workspace,
                message_id,
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
        account_id: &str,
        generation: f64,
        sealed: &str,
        workspace: &str,
        message_id: &str,
    ) -> Result<Vec<u8>, JsError> {
        let email = self
            .store
            .open_email(
                &account(account_id, generation)?,
                &envelope(sealed)?,
                workspace,
                message_id,
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

/// Reads an item's text (`data` in `GET /vault` and `GET /accounts/{id}/items`) that the server
/// listed in this workspace and account with this id and version (`SealedItem::parse`); throws
/// when it is not an item, or names another place (the server moved or altered it).
#[wasm_bindgen(js_name = parseSealedItem, unchecked_return_type = "SealedItem")]
pub fn parse_sealed_item(
    text: &str,
    workspace: &str,
    account_id: &str,
    item_id: &str,
    version: f64,
) -> Result<JsValue, JsError> {
    let place = ItemPlace {
        workspace,
        account: account_id,
        item: item_id,
        version: whole(version)?,
    };
    to_js(&SealedItem::parse(text, &place).map_err(js_err)?)
}

/// A sealed item's text, to store and send as `data` (`SealedItem::to_text`).
#[wasm_bindgen(js_name = sealedItemText)]
pub fn sealed_item_text(
    #[wasm_bindgen(unchecked_param_type = "SealedItem")] sealed: JsValue,
) -> Result<String, JsError> {
    Ok(read_sealed_item(&sealed)?.to_text())
}
