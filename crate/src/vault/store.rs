//! A key store addressed by opaque handles: the only way the browser reaches keys.
//!
//! JavaScript holds [`KeyHandle`]s (small numbers) and asks the store to unwrap, seal, decrypt or
//! compute; key bytes stay in wasm memory. Handles mean nothing outside the store that issued them
//! (and the stores restored from its exports), and are never reused within a store. A new store
//! numbers from a random start, so a handle kept from a store that Lock freed names nothing in the
//! one opened at the next unlock (rather than, by chance, another key).

use zeroize::Zeroizing;

use super::codec::{Reader, Writer};
use super::keys::KeyPair;
use super::{
    AccountKey, Code, Context, DeviceKeys, Envelope, InboxKeyPair, InboxPublicKey, Item, ItemSummary, PublicKeys,
    SealedItem, Sms, UserKey, UserKeyPair, VaultError, WrappingKey,
};
use crate::crypto::x25519::X25519Secret;

/// An opaque reference to a key inside a [`KeyStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyHandle(pub u32);

pub(crate) enum Entry {
    Device(DeviceKeys),
    User(UserKey),
    UserPair(UserKeyPair),
    Account(AccountKey),
    Inbox(InboxKeyPair),
}

impl Entry {
    fn kind(&self) -> &'static str {
        match self {
            Entry::Device(_) => "device key pair",
            Entry::User(_) => "user key",
            Entry::UserPair(_) => "user key pair",
            Entry::Account(_) => "account key",
            Entry::Inbox(_) => "inbox key pair",
        }
    }

    fn tag(&self) -> u8 {
        match self {
            Entry::Device(_) => 1,
            Entry::User(_) => 2,
            Entry::UserPair(_) => 3,
            Entry::Account(_) => 4,
            Entry::Inbox(_) => 5,
        }
    }
}

/// What [`KeyStore::create_user`] made: handles, plus what the server stores.
#[derive(Debug)]
pub struct NewUser {
    pub user_key: KeyHandle,
    pub key_pair: KeyHandle,
    pub public_keys: PublicKeys,
    /// The user key sealed to the creating device ([`Context::user_key_for_device`]).
    pub user_key_for_device: Envelope,
    /// The user's private keys under the user key ([`Context::user_key_pair`]).
    pub key_pair_envelope: Envelope,
}

/// What [`KeyStore::create_account`] and [`KeyStore::rotate_account`] made.
#[derive(Debug)]
pub struct NewAccount {
    pub account_key: KeyHandle,
    pub generation: u64,
    pub inbox_public_key: InboxPublicKey,
    /// The inbox private key under the account key ([`Context::inbox_key_pair`]).
    pub inbox_envelope: Envelope,
    /// The account key sealed to each member, by user id ([`Context::account_key_for_member`]).
    pub member_envelopes: Vec<(String, Envelope)>,
    /// Rotation only: every item version with its content key re-wrapped under the new key.
    pub items: Vec<SealedItem>,
}

pub struct KeyStore {
    next: u32,
    // A few dozen keys at most: a sorted Vec is smaller in wasm than a BTreeMap, and as fast.
    entries: Vec<(u32, Entry)>,
}

macro_rules! getter {
    ($fn:ident, $variant:ident, $ty:ty, $what:literal) => {
        pub(crate) fn $fn(&self, handle: KeyHandle) -> Result<&$ty, VaultError> {
            match self.entry(handle)? {
                Entry::$variant(k) => Ok(k),
                other => Err(VaultError::WrongKeyKind {
                    handle: handle.0,
                    expected: $what,
                    found: other.kind(),
                }),
            }
        }
    };
}

impl Default for KeyStore {
    fn default() -> Self {
        KeyStore::new()
    }
}

impl KeyStore {
    pub fn new() -> Self {
        KeyStore {
            // Below 2^30, leaving room for three billion keys before the numbers run out.
            next: crate::crypto::random::u32() >> 2,
            entries: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What kind of key a handle refers to, if any.
    pub fn kind(&self, handle: KeyHandle) -> Option<&'static str> {
        self.entry(handle).ok().map(Entry::kind)
    }

    /// Drops (and so zeroizes) a key; true if it was there.
    pub fn remove(&mut self, handle: KeyHandle) -> bool {
        let before = self.entries.len();
        self.entries.retain(|(h, _)| *h != handle.0);
        self.entries.len() != before
    }

    pub(crate) fn insert(&mut self, entry: Entry) -> KeyHandle {
        self.next += 1;
        self.entries.push((self.next, entry));
        KeyHandle(self.next)
    }

    pub(crate) fn insert_user_key(&mut self, key: UserKey) -> KeyHandle {
        self.insert(Entry::User(key))
    }

    pub(crate) fn insert_device(&mut self, keys: DeviceKeys) -> KeyHandle {
        self.insert(Entry::Device(keys))
    }

    fn entry(&self, handle: KeyHandle) -> Result<&Entry, VaultError> {
        self.entries
            .iter()
            .find(|(h, _)| *h == handle.0)
            .map(|(_, e)| e)
            .ok_or(VaultError::NoSuchKey(handle.0))
    }

    getter!(device, Device, DeviceKeys, "device key pair");
    getter!(user_key, User, UserKey, "user key");
    getter!(user_pair, UserPair, UserKeyPair, "user key pair");
    getter!(account_key, Account, AccountKey, "account key");
    getter!(inbox, Inbox, InboxKeyPair, "inbox key pair");

    // ---- devices ----

    /// Generates this browser profile's device keys.
    pub fn create_device(&mut self) -> KeyHandle {
        self.insert(Entry::Device(DeviceKeys::generate()))
    }

    /// The public keys of a device key pair, or of a user key pair.
    pub fn public_keys(&self, handle: KeyHandle) -> Result<PublicKeys, VaultError> {
        match self.entry(handle)? {
            Entry::Device(k) => Ok(k.public()),
            Entry::UserPair(k) => Ok(k.public()),
            other => Err(VaultError::WrongKeyKind {
                handle: handle.0,
                expected: "device or user key pair",
                found: other.kind(),
            }),
        }
    }

    /// The device's keys for storage across browser restarts (see docs/security.md).
    pub fn export_device(
        &self,
        device: KeyHandle,
        wrapping: &WrappingKey,
        device_id: &str,
    ) -> Result<Envelope, VaultError> {
        wrapping.wrap_device(self.device(device)?, &Context::device_keys(device_id))
    }

    pub fn import_device(
        &mut self,
        wrapping: &WrappingKey,
        envelope: &Envelope,
        device_id: &str,
    ) -> Result<KeyHandle, VaultError> {
        let keys = wrapping.unwrap_device(envelope, &Context::device_keys(device_id))?;
        Ok(self.insert(Entry::Device(keys)))
    }

    // ---- users ----

    /// First device of a new user: a user key sealed to this device, and a user key pair under it.
    pub fn create_user(
        &mut self,
        device: KeyHandle,
        workspace: &str,
        user: &str,
        device_id: &str,
    ) -> Result<NewUser, VaultError> {
        let device_public = self.device(device)?.public();
        let user_key = UserKey::generate();
        let pair = UserKeyPair::generate();
        let user_key_for_device = user_key.seal_to_device(
            &device_public,
            &Context::user_key_for_device(workspace, user, device_id),
        )?;
        let key_pair_envelope = user_key.wrap_key_pair(&pair, &Context::user_key_pair(workspace, user))?;
        let public_keys = pair.public();
        Ok(NewUser {
            user_key: self.insert(Entry::User(user_key)),
            key_pair: self.insert(Entry::UserPair(pair)),
            public_keys,
            user_key_for_device,
            key_pair_envelope,
        })
    }

    /// Opens the user key sealed to this device.
    pub fn open_user_key(
        &mut self,
        device: KeyHandle,
        envelope: &Envelope,
        context: &Context,
    ) -> Result<KeyHandle, VaultError> {
        let key = UserKey::open_on_device(self.device(device)?, envelope, context)?;
        Ok(self.insert(Entry::User(key)))
    }

    /// Seals the user key to a device (e.g. to this device after a recovery, so the server can
    /// give it back next time).
    pub fn seal_user_key(
        &self,
        user_key: KeyHandle,
        device: &PublicKeys,
        context: &Context,
    ) -> Result<Envelope, VaultError> {
        self.user_key(user_key)?.seal_to_device(device, context)
    }

    /// Decrypts the user's key pair with the user key.
    pub fn open_user_key_pair(
        &mut self,
        user_key: KeyHandle,
        envelope: &Envelope,
        context: &Context,
    ) -> Result<KeyHandle, VaultError> {
        let pair = self.user_key(user_key)?.unwrap_key_pair(envelope, context)?;
        Ok(self.insert(Entry::UserPair(pair)))
    }

    // ---- accounts ----

    /// A new shared account: its key (generation 0), inbox key pair, and the key sealed to its owner.
    pub fn create_account(
        &mut self,
        owner: KeyHandle,
        workspace: &str,
        account: &str,
        owner_user_id: &str,
    ) -> Result<NewAccount, VaultError> {
        let owner_public = self.user_pair(owner)?.public();
        self.new_generation(
            workspace,
            account,
            0,
            &[(owner_user_id.to_string(), owner_public)],
            &[],
            None,
        )
    }

    /// Seals an account key to another member (sharing).
    pub fn share_account(
        &self,
        account_key: KeyHandle,
        member: &PublicKeys,
        context: &Context,
    ) -> Result<Envelope, VaultError> {
        self.account_key(account_key)?.seal_to_member(member, context)
    }

    /// Opens an account key sealed to this user.
    pub fn open_account_key(
        &mut self,
        user_pair: KeyHandle,
        envelope: &Envelope,
        context: &Context,
    ) -> Result<KeyHandle, VaultError> {
        let key = AccountKey::open_as_member(self.user_pair(user_pair)?, envelope, context)?;
        Ok(self.insert(Entry::Account(key)))
    }

    /// After a member or device leaves: a new account key (`generation`, one more than before) and
    /// inbox key pair, sealed to the remaining `members`, and every item's content key re-wrapped
    /// from the old account key to the new one. Item contents are not re-encrypted.
    pub fn rotate_account(
        &mut self,
        old: KeyHandle,
        workspace: &str,
        account: &str,
        generation: u64,
        members: &[(String, PublicKeys)],
        items: &[SealedItem],
    ) -> Result<NewAccount, VaultError> {
        self.account_key(old)?;
        self.new_generation(workspace, account, generation, members, items, Some(old))
    }

    fn new_generation(
        &mut self,
        workspace: &str,
        account: &str,
        generation: u64,
        members: &[(String, PublicKeys)],
        items: &[SealedItem],
        old: Option<KeyHandle>,
    ) -> Result<NewAccount, VaultError> {
        let key = AccountKey::generate();
        let inbox = InboxKeyPair::generate();
        let inbox_envelope = key.wrap_inbox(&inbox, &Context::inbox_key_pair(workspace, account, generation))?;
        let member_envelopes = members
            .iter()
            .map(|(user, public)| {
                let context = Context::account_key_for_member(workspace, account, user, generation);
                Ok((user.clone(), key.seal_to_member(public, &context)?))
            })
            .collect::<Result<Vec<_>, VaultError>>()?;
        let items = match old {
            Some(old) => {
                let old = self.account_key(old)?;
                items
                    .iter()
                    .map(|i| i.rewrap(old, &key))
                    .collect::<Result<Vec<_>, _>>()?
            }
            None => Vec::new(),
        };
        Ok(NewAccount {
            account_key: self.insert(Entry::Account(key)),
            generation,
            inbox_public_key: inbox.public(),
            inbox_envelope,
            member_envelopes,
            items,
        })
    }

    /// Encrypts an item version under a fresh content key wrapped by the account key.
    pub fn seal_item(
        &self,
        account_key: KeyHandle,
        workspace: &str,
        account: &str,
        item_id: &str,
        version: u64,
        item: &Item,
    ) -> Result<SealedItem, VaultError> {
        SealedItem::seal(
            self.account_key(account_key)?,
            workspace,
            account,
            item_id,
            version,
            item,
        )
    }

    /// An account's sites record ([`super::sites`]) as `version`, at the account's own record id.
    pub fn seal_sites(
        &self,
        account_key: KeyHandle,
        workspace: &str,
        account: &str,
        version: u64,
        name: &str,
        sites: &[&str],
    ) -> Result<SealedItem, VaultError> {
        let item = Item::sites(name, sites)?;
        self.seal_item(
            account_key,
            workspace,
            account,
            &super::sites_item_id(account),
            version,
            &item,
        )
    }

    /// The sites an account's codes may be filled on, from its sites record among `items`.
    pub fn account_sites(
        &self,
        account_key: KeyHandle,
        workspace: &str,
        account: &str,
        items: &[SealedItem],
    ) -> Result<Option<super::AccountSites>, VaultError> {
        super::account_sites(self.account_key(account_key)?, workspace, account, items)
    }

    /// The shareable fields of an item ([`ItemSummary`]).
    pub fn item_summary(&self, account_key: KeyHandle, item: &SealedItem) -> Result<ItemSummary, VaultError> {
        item.summary(self.account_key(account_key)?)
    }

    /// A TOTP item's code at `now_unix`.
    pub fn item_code(&self, account_key: KeyHandle, item: &SealedItem, now_unix: u64) -> Result<Code, VaultError> {
        item.code_at(self.account_key(account_key)?, now_unix)
    }

    /// The whole item, secrets included. Callers decide what may leave the core.
    pub fn open_item(&self, account_key: KeyHandle, item: &SealedItem) -> Result<Item, VaultError> {
        item.open(self.account_key(account_key)?)
    }

    /// Decrypts an account's inbox key pair.
    pub fn open_inbox(
        &mut self,
        account_key: KeyHandle,
        envelope: &Envelope,
        context: &Context,
    ) -> Result<KeyHandle, VaultError> {
        let inbox = self.account_key(account_key)?.unwrap_inbox(envelope, context)?;
        Ok(self.insert(Entry::Inbox(inbox)))
    }

    /// Opens an SMS sealed to an inbox.
    pub fn open_sms(&self, inbox: KeyHandle, envelope: &Envelope, context: &Context) -> Result<Sms, VaultError> {
        Sms::open(self.inbox(inbox)?, envelope, context)
    }

    /// Opens an e-mail the server sealed to inbox `inbox` ([`Context::email`]): the raw message.
    pub fn open_email(
        &self,
        inbox: KeyHandle,
        envelope: &Envelope,
        context: &Context,
    ) -> Result<super::Email, VaultError> {
        super::Email::open(self.inbox(inbox)?, envelope, context)
    }

    // ---- surviving a service-worker restart ----

    /// Every key and its handle, encrypted under `wrapping` ([`Context::key_store`]).
    pub fn export(&self, wrapping: &WrappingKey, device_id: &str) -> Envelope {
        let mut w = Writer::new(STORE_FORMAT);
        w.bytes(NEXT, &self.next.to_be_bytes());
        for (handle, entry) in &self.entries {
            let mut record = Zeroizing::new(Vec::with_capacity(69));
            record.extend_from_slice(&handle.to_be_bytes());
            record.push(entry.tag());
            match entry {
                Entry::Device(k) => record.extend_from_slice(k.0.to_secret_bytes().as_ref()),
                Entry::UserPair(k) => record.extend_from_slice(k.0.to_secret_bytes().as_ref()),
                Entry::User(k) => record.extend_from_slice(k.bytes()),
                Entry::Account(k) => record.extend_from_slice(k.bytes()),
                Entry::Inbox(k) => record.extend_from_slice(k.0.to_bytes().as_ref()),
            }
            w.bytes(ENTRY, &record);
        }
        let plaintext = Zeroizing::new(std::mem::take(&mut w.out));
        wrapping.encrypt(&Context::key_store(device_id), &plaintext)
    }

    /// Restores what [`KeyStore::export`] saved, with the same handles.
    pub fn import(wrapping: &WrappingKey, envelope: &Envelope, device_id: &str) -> Result<KeyStore, VaultError> {
        let plaintext = wrapping.decrypt(envelope, &Context::key_store(device_id))?;
        let mut r = Reader::new(&plaintext, STORE_FORMAT, "saved key store")?;
        let mut store = KeyStore::new();
        while let Some((tag, value)) = r.next_field()? {
            match tag {
                NEXT => store.next = u32::from_be_bytes(r.array(value)?),
                ENTRY if value.len() >= 5 => {
                    let handle = u32::from_be_bytes(r.array(&value[..4])?);
                    let secret = &value[5..];
                    let entry = match value[4] {
                        1 => Entry::Device(DeviceKeys(KeyPair::from_secret_bytes(secret)?)),
                        2 => Entry::User(UserKey::from_bytes(r.array(secret)?)),
                        3 => Entry::UserPair(UserKeyPair(KeyPair::from_secret_bytes(secret)?)),
                        4 => Entry::Account(AccountKey::from_bytes(r.array(secret)?)),
                        5 => Entry::Inbox(InboxKeyPair(X25519Secret::from_bytes(r.array(secret)?))),
                        _ => return Err(r.malformed()),
                    };
                    if handle == 0 || store.entries.iter().any(|(h, _)| *h == handle) {
                        return Err(r.malformed());
                    }
                    store.entries.push((handle, entry));
                }
                ENTRY => return Err(r.malformed()),
                _ => {}
            }
        }
        if store.entries.iter().any(|(h, _)| *h > store.next) {
            return Err(r.malformed());
        }
        Ok(store)
    }
}

const STORE_FORMAT: u8 = 1;
const NEXT: u8 = 1;
const ENTRY: u8 = 2;

impl std::fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(h, e)| (h, e.kind())))
            .finish()
    }
}
