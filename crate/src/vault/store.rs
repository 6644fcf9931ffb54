//! A key store addressed by what each key is: the only way the browser reaches keys.
//!
//! Callers name a key by its place in the domain ([`KeySlot`]): this device's keys, the user key
//! and key pair, an account's key at one key generation ([`AccountGeneration`]) and that
//! generation's inbox key pair. They ask the store to unwrap, seal, decrypt or compute with it;
//! key bytes stay in wasm memory. The shape follows Bitwarden's sdk-internal key store, whose keys
//! are named by typed ids (the user key, an organization's key) rather than by numbers it hands out.
//!
//! What the store's shape guarantees:
//! - one device key pair, one user key, one user key pair; opening another replaces the user keys
//!   (never the device keys, which a store gets once);
//! - one generation per account: opening or rotating to another generation replaces the old key
//!   and drops its inbox key, and asking for a generation the store does not hold is refused
//!   ([`VaultError::WrongGeneration`]), so a caller cannot mix one generation's items with
//!   another's key by mistake;
//! - an inbox key pair lives with its account key: forgetting the account forgets its inbox;
//! - the contexts that bind each envelope (workspace, account, user, generation) are built here
//!   from the slot, so a key is always stored under the name its envelope authenticated.

use zeroize::Zeroizing;

use super::codec::{Reader, Writer};
use super::keys::KeyPair;
use super::{
    AccountKey, Code, Context, DeviceKeys, Envelope, InboxKeyPair, InboxPublicKey, Item, ItemSummary, PublicKeys,
    SealedItem, Sms, UserKey, UserKeyPair, VaultError, WrappingKey,
};
use crate::crypto::x25519::X25519Secret;

/// One generation of an account's keys: its key after `generation` rotations (0 at creation).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountGeneration {
    pub account: String,
    pub generation: u64,
}

impl AccountGeneration {
    pub fn new(account: &str, generation: u64) -> Self {
        AccountGeneration {
            account: account.to_string(),
            generation,
        }
    }

    /// The generation a rotation makes.
    pub fn next(&self) -> Result<AccountGeneration, VaultError> {
        let generation = self
            .generation
            .checked_add(1)
            .ok_or(VaultError::Malformed("key generation"))?;
        Ok(AccountGeneration::new(&self.account, generation))
    }
}

/// Which key an entry of the store is, named by what it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeySlot {
    /// This browser profile's device key pair (X25519 + Ed25519).
    Device,
    /// The user key, opened on this device.
    UserKey,
    /// The user's key pair (X25519 + Ed25519), opened with the user key.
    UserKeyPair,
    /// A shared account's key at one generation.
    Account(AccountGeneration),
    /// That generation's inbox key pair (X25519), opened with the account key.
    Inbox(AccountGeneration),
}

impl std::fmt::Display for KeySlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySlot::Device => f.write_str("the device key pair"),
            KeySlot::UserKey => f.write_str("the user key"),
            KeySlot::UserKeyPair => f.write_str("the user key pair"),
            KeySlot::Account(a) => write!(f, "the key of account \"{}\" (generation {})", a.account, a.generation),
            KeySlot::Inbox(a) => write!(
                f,
                "the inbox key of account \"{}\" (generation {})",
                a.account, a.generation
            ),
        }
    }
}

/// What [`KeyStore::create_user`] made (its keys stay in the store), and what the server stores.
#[derive(Debug)]
pub struct NewUser {
    pub public_keys: PublicKeys,
    /// The user key sealed to the creating device ([`Context::user_key_for_device`]).
    pub user_key_for_device: Envelope,
    /// The user's private keys under the user key ([`Context::user_key_pair`]).
    pub key_pair_envelope: Envelope,
}

/// What [`KeyStore::create_account`] and [`KeyStore::rotate_account`] made; the new account key
/// stays in the store at `key`.
#[derive(Debug)]
pub struct NewAccount {
    pub key: AccountGeneration,
    pub inbox_public_key: InboxPublicKey,
    /// The inbox private key under the account key ([`Context::inbox_key_pair`]).
    pub inbox_envelope: Envelope,
    /// The account key sealed to each member, by user id ([`Context::account_key_for_member`]).
    pub member_envelopes: Vec<(String, Envelope)>,
    /// Rotation only: every item version with its content key re-wrapped under the new key.
    pub items: Vec<SealedItem>,
}

struct AccountEntry {
    id: AccountGeneration,
    key: AccountKey,
    inbox: Option<InboxKeyPair>,
}

/// The keys of one browser profile's workspace session. See the module documentation.
#[derive(Default)]
pub struct KeyStore {
    device: Option<DeviceKeys>,
    user_key: Option<UserKey>,
    user_pair: Option<UserKeyPair>,
    // A few dozen accounts at most: a Vec is smaller in wasm than a map, and as fast.
    accounts: Vec<AccountEntry>,
}

impl KeyStore {
    pub fn new() -> Self {
        KeyStore::default()
    }

    /// How many keys the store holds (an inbox key pair counts as one).
    pub fn len(&self) -> usize {
        self.slots().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every key the store holds, by name.
    pub fn slots(&self) -> Vec<KeySlot> {
        let mut out = Vec::new();
        if self.device.is_some() {
            out.push(KeySlot::Device);
        }
        if self.user_key.is_some() {
            out.push(KeySlot::UserKey);
        }
        if self.user_pair.is_some() {
            out.push(KeySlot::UserKeyPair);
        }
        for a in &self.accounts {
            out.push(KeySlot::Account(a.id.clone()));
            if a.inbox.is_some() {
                out.push(KeySlot::Inbox(a.id.clone()));
            }
        }
        out
    }

    pub fn contains(&self, slot: &KeySlot) -> bool {
        match slot {
            KeySlot::Device => self.device.is_some(),
            KeySlot::UserKey => self.user_key.is_some(),
            KeySlot::UserKeyPair => self.user_pair.is_some(),
            KeySlot::Account(id) => self.account(id).is_ok(),
            KeySlot::Inbox(id) => self.inbox(id).is_ok(),
        }
    }

    /// The generation of an account's key this store holds, if any.
    pub fn generation(&self, account: &str) -> Option<u64> {
        self.accounts
            .iter()
            .find(|a| a.id.account == account)
            .map(|a| a.id.generation)
    }

    /// Drops (and so zeroizes) one key; an account key takes its inbox key with it. True if it
    /// was there.
    pub fn forget(&mut self, slot: &KeySlot) -> bool {
        match slot {
            KeySlot::Device => self.device.take().is_some(),
            KeySlot::UserKey => self.user_key.take().is_some(),
            KeySlot::UserKeyPair => self.user_pair.take().is_some(),
            KeySlot::Account(id) => {
                let before = self.accounts.len();
                self.accounts.retain(|a| a.id != *id);
                self.accounts.len() != before
            }
            KeySlot::Inbox(id) => self
                .accounts
                .iter_mut()
                .find(|a| a.id == *id)
                .is_some_and(|a| a.inbox.take().is_some()),
        }
    }

    /// Drops an account's key and inbox key, whatever their generation. True if it had them.
    pub fn forget_account(&mut self, account: &str) -> bool {
        let before = self.accounts.len();
        self.accounts.retain(|a| a.id.account != account);
        self.accounts.len() != before
    }

    pub(crate) fn device(&self) -> Result<&DeviceKeys, VaultError> {
        self.device.as_ref().ok_or(VaultError::KeyNotOpen(KeySlot::Device))
    }

    pub(crate) fn user_key(&self) -> Result<&UserKey, VaultError> {
        self.user_key.as_ref().ok_or(VaultError::KeyNotOpen(KeySlot::UserKey))
    }

    pub(crate) fn user_pair(&self) -> Result<&UserKeyPair, VaultError> {
        self.user_pair
            .as_ref()
            .ok_or(VaultError::KeyNotOpen(KeySlot::UserKeyPair))
    }

    fn account(&self, id: &AccountGeneration) -> Result<&AccountEntry, VaultError> {
        match self.accounts.iter().find(|a| a.id.account == id.account) {
            Some(a) if a.id.generation == id.generation => Ok(a),
            Some(a) => Err(VaultError::WrongGeneration {
                account: id.account.clone(),
                asked: id.generation,
                held: a.id.generation,
            }),
            None => Err(VaultError::KeyNotOpen(KeySlot::Account(id.clone()))),
        }
    }

    pub(crate) fn account_key(&self, id: &AccountGeneration) -> Result<&AccountKey, VaultError> {
        Ok(&self.account(id)?.key)
    }

    fn inbox(&self, id: &AccountGeneration) -> Result<&InboxKeyPair, VaultError> {
        self.account(id)?
            .inbox
            .as_ref()
            .ok_or_else(|| VaultError::KeyNotOpen(KeySlot::Inbox(id.clone())))
    }

    /// Keeps an account key at `id`, in place of any generation held before (and its inbox).
    fn keep_account(&mut self, id: AccountGeneration, key: AccountKey) {
        self.forget_account(&id.account);
        self.accounts.push(AccountEntry { id, key, inbox: None });
    }

    /// The device keys come once per store: a second set would orphan what the first opened.
    pub(crate) fn keep_device(&mut self, keys: DeviceKeys) -> Result<(), VaultError> {
        if self.device.is_some() {
            return Err(VaultError::DevicePresent);
        }
        self.device = Some(keys);
        Ok(())
    }

    pub(crate) fn keep_user_key(&mut self, key: UserKey) {
        self.user_key = Some(key);
    }

    // ---- devices ----

    /// Generates this browser profile's device keys; returns their public half.
    pub fn create_device(&mut self) -> Result<PublicKeys, VaultError> {
        let keys = DeviceKeys::generate();
        let public = keys.public();
        self.keep_device(keys)?;
        Ok(public)
    }

    /// The public half of this device's keys.
    pub fn device_public_keys(&self) -> Result<PublicKeys, VaultError> {
        Ok(self.device()?.public())
    }

    /// The public half of the user key pair.
    pub fn user_public_keys(&self) -> Result<PublicKeys, VaultError> {
        Ok(self.user_pair()?.public())
    }

    /// The device's keys for storage across browser restarts (see docs/security.md).
    pub fn export_device(&self, wrapping: &WrappingKey, device_id: &str) -> Result<Envelope, VaultError> {
        wrapping.wrap_device(self.device()?, &Context::device_keys(device_id))
    }

    /// Opens what [`KeyStore::export_device`] wrote into this store.
    pub fn import_device(
        &mut self,
        wrapping: &WrappingKey,
        envelope: &Envelope,
        device_id: &str,
    ) -> Result<PublicKeys, VaultError> {
        let keys = wrapping.unwrap_device(envelope, &Context::device_keys(device_id))?;
        let public = keys.public();
        self.keep_device(keys)?;
        Ok(public)
    }

    // ---- users ----

    /// First device of a new user: a user key sealed to this device, and a user key pair under it,
    /// both kept (in place of any user keys held before).
    pub fn create_user(&mut self, workspace: &str, user: &str, device_id: &str) -> Result<NewUser, VaultError> {
        let device_public = self.device()?.public();
        let user_key = UserKey::generate();
        let pair = UserKeyPair::generate();
        let user_key_for_device = user_key.seal_to_device(
            &device_public,
            &Context::user_key_for_device(workspace, user, device_id),
        )?;
        let key_pair_envelope = user_key.wrap_key_pair(&pair, &Context::user_key_pair(workspace, user))?;
        let public_keys = pair.public();
        self.user_key = Some(user_key);
        self.user_pair = Some(pair);
        Ok(NewUser {
            public_keys,
            user_key_for_device,
            key_pair_envelope,
        })
    }

    /// Opens the user key sealed to this device ([`Context::user_key_for_device`]).
    pub fn open_user_key(
        &mut self,
        envelope: &Envelope,
        workspace: &str,
        user: &str,
        device_id: &str,
    ) -> Result<(), VaultError> {
        let context = Context::user_key_for_device(workspace, user, device_id);
        let key = UserKey::open_on_device(self.device()?, envelope, &context)?;
        self.user_key = Some(key);
        Ok(())
    }

    /// Seals the user key to a device (e.g. to this device after a recovery, so the server can
    /// give it back next time).
    pub fn seal_user_key(
        &self,
        device: &PublicKeys,
        workspace: &str,
        user: &str,
        device_id: &str,
    ) -> Result<Envelope, VaultError> {
        let context = Context::user_key_for_device(workspace, user, device_id);
        self.user_key()?.seal_to_device(device, &context)
    }

    /// Decrypts the user's key pair with the user key ([`Context::user_key_pair`]).
    pub fn open_user_key_pair(&mut self, envelope: &Envelope, workspace: &str, user: &str) -> Result<(), VaultError> {
        let pair = self
            .user_key()?
            .unwrap_key_pair(envelope, &Context::user_key_pair(workspace, user))?;
        self.user_pair = Some(pair);
        Ok(())
    }

    // ---- accounts ----

    /// A new shared account owned by this user: its key (generation 0) and inbox key pair, kept,
    /// and the key sealed to its owner.
    pub fn create_account(
        &mut self,
        workspace: &str,
        account: &str,
        owner_user_id: &str,
    ) -> Result<NewAccount, VaultError> {
        let owner_public = self.user_pair()?.public();
        let (key, made) = new_generation(
            workspace,
            AccountGeneration::new(account, 0),
            &[(owner_user_id.to_string(), owner_public)],
            &[],
            None,
        )?;
        self.keep_account(made.key.clone(), key);
        Ok(made)
    }

    /// Seals an account key to another member (sharing), at its generation.
    pub fn share_account(
        &self,
        key: &AccountGeneration,
        member: &PublicKeys,
        workspace: &str,
        member_user_id: &str,
    ) -> Result<Envelope, VaultError> {
        let context = Context::account_key_for_member(workspace, &key.account, member_user_id, key.generation);
        self.account_key(key)?.seal_to_member(member, &context)
    }

    /// Opens an account key sealed to this user, at `key`'s generation, in place of any other
    /// generation of that account held before.
    pub fn open_account_key(
        &mut self,
        key: &AccountGeneration,
        envelope: &Envelope,
        workspace: &str,
        user: &str,
    ) -> Result<(), VaultError> {
        let context = Context::account_key_for_member(workspace, &key.account, user, key.generation);
        let opened = AccountKey::open_as_member(self.user_pair()?, envelope, &context)?;
        self.keep_account(key.clone(), opened);
        Ok(())
    }

    /// After a member or device leaves: a new account key at the next generation and a new inbox
    /// key pair, sealed to the remaining `members`, and every item's content key re-wrapped from
    /// the old account key to the new one; the new key replaces the old in the store. Item contents
    /// are not re-encrypted.
    pub fn rotate_account(
        &mut self,
        old: &AccountGeneration,
        workspace: &str,
        members: &[(String, PublicKeys)],
        items: &[SealedItem],
    ) -> Result<NewAccount, VaultError> {
        let (key, made) = new_generation(workspace, old.next()?, members, items, Some(self.account_key(old)?))?;
        self.keep_account(made.key.clone(), key);
        Ok(made)
    }

    /// Encrypts an item version of `key`'s account under a fresh content key wrapped by its key.
    pub fn seal_item(
        &self,
        key: &AccountGeneration,
        workspace: &str,
        item_id: &str,
        version: u64,
        item: &Item,
    ) -> Result<SealedItem, VaultError> {
        SealedItem::seal(self.account_key(key)?, workspace, &key.account, item_id, version, item)
    }

    /// An account's sites record ([`super::sites`]) as `version`, at the account's own record id.
    pub fn seal_sites(
        &self,
        key: &AccountGeneration,
        workspace: &str,
        version: u64,
        name: &str,
        sites: &[&str],
    ) -> Result<SealedItem, VaultError> {
        let item = Item::sites(name, sites)?;
        self.seal_item(key, workspace, &super::sites_item_id(&key.account), version, &item)
    }

    /// The sites an account's codes may be filled on, from its sites record among `items`.
    pub fn account_sites(
        &self,
        key: &AccountGeneration,
        workspace: &str,
        items: &[SealedItem],
    ) -> Result<Option<super::AccountSites>, VaultError> {
        super::account_sites(self.account_key(key)?, workspace, &key.account, items)
    }

    /// The shareable fields of an item ([`ItemSummary`]).
    pub fn item_summary(&self, key: &AccountGeneration, item: &SealedItem) -> Result<ItemSummary, VaultError> {
        item.summary(self.account_key(key)?)
    }

    /// A TOTP item's code at `now_unix`.
    pub fn item_code(&self, key: &AccountGeneration, item: &SealedItem, now_unix: u64) -> Result<Code, VaultError> {
        item.code_at(self.account_key(key)?, now_unix)
    }

    /// The whole item, secrets included. Callers decide what may leave the core.
    pub fn open_item(&self, key: &AccountGeneration, item: &SealedItem) -> Result<Item, VaultError> {
        item.open(self.account_key(key)?)
    }

    /// Decrypts the inbox key pair of `key`'s generation ([`Context::inbox_key_pair`]) and keeps it
    /// with the account key.
    pub fn open_inbox(
        &mut self,
        key: &AccountGeneration,
        envelope: &Envelope,
        workspace: &str,
    ) -> Result<(), VaultError> {
        let context = Context::inbox_key_pair(workspace, &key.account, key.generation);
        let inbox = self.account_key(key)?.unwrap_inbox(envelope, &context)?;
        if let Some(entry) = self.accounts.iter_mut().find(|a| a.id == *key) {
            entry.inbox = Some(inbox);
        }
        Ok(())
    }

    /// Opens an SMS sealed to the account's inbox ([`Context::sms`]).
    pub fn open_sms(
        &self,
        key: &AccountGeneration,
        envelope: &Envelope,
        workspace: &str,
        message_id: &str,
    ) -> Result<Sms, VaultError> {
        Sms::open(
            self.inbox(key)?,
            envelope,
            &Context::sms(workspace, &key.account, message_id),
        )
    }

    /// Opens an e-mail the server sealed to the inbox of account key `key` ([`Context::email`]):
    /// the raw message.
    pub fn open_email(
        &self,
        key: &AccountGeneration,
        envelope: &Envelope,
        workspace: &str,
        message_id: &str,
    ) -> Result<super::Email, VaultError> {
        super::Email::open(
            self.inbox(key)?,
            envelope,
            &Context::email(workspace, &key.account, message_id),
        )
    }

    // ---- surviving a service-worker restart ----

    /// Every key with its name, encrypted under `wrapping` ([`Context::key_store`]).
    pub fn export(&self, wrapping: &WrappingKey, device_id: &str) -> Envelope {
        let mut w = Writer::new(STORE_FORMAT);
        if let Some(k) = &self.device {
            w.bytes(DEVICE, k.0.to_secret_bytes().as_ref());
        }
        if let Some(k) = &self.user_key {
            w.bytes(USER_KEY, k.bytes());
        }
        if let Some(k) = &self.user_pair {
            w.bytes(USER_KEY_PAIR, k.0.to_secret_bytes().as_ref());
        }
        for a in &self.accounts {
            // generation (8 bytes), key (32 bytes), account id (the rest)
            let record = |secret: &[u8]| {
                let mut r = Zeroizing::new(Vec::with_capacity(40 + a.id.account.len()));
                r.extend_from_slice(&a.id.generation.to_be_bytes());
                r.extend_from_slice(secret);
                r.extend_from_slice(a.id.account.as_bytes());
                r
            };
            w.bytes(ACCOUNT, &record(a.key.bytes()));
            if let Some(inbox) = &a.inbox {
                w.bytes(INBOX, &record(inbox.0.to_bytes().as_ref()));
            }
        }
        let plaintext = Zeroizing::new(std::mem::take(&mut w.out));
        wrapping.encrypt(&Context::key_store(device_id), &plaintext)
    }

    /// Restores what [`KeyStore::export`] saved: the same keys under the same names.
    ///
    /// A store saved by a Latchkey that named keys by handle numbers (format 1) comes back with its
    /// device and user keys; its account and inbox keys, which no number says the account of, are
    /// dropped, and the next vault sync opens them again from the server's envelopes.
    pub fn import(wrapping: &WrappingKey, envelope: &Envelope, device_id: &str) -> Result<KeyStore, VaultError> {
        let plaintext = wrapping.decrypt(envelope, &Context::key_store(device_id))?;
        if plaintext.first() == Some(&HANDLES_FORMAT) {
            return import_handles(&plaintext);
        }
        let mut r = Reader::new(&plaintext, STORE_FORMAT, "saved key store")?;
        let mut store = KeyStore::new();
        while let Some((tag, value)) = r.next_field()? {
            match tag {
                DEVICE if store.device.is_none() => {
                    store.device = Some(DeviceKeys(KeyPair::from_secret_bytes(value)?));
                }
                USER_KEY if store.user_key.is_none() => store.user_key = Some(UserKey::from_bytes(r.array(value)?)),
                USER_KEY_PAIR if store.user_pair.is_none() => {
                    store.user_pair = Some(UserKeyPair(KeyPair::from_secret_bytes(value)?));
                }
                ACCOUNT | INBOX if value.len() > 40 => {
                    let id = AccountGeneration::new(r.str(&value[40..])?, r.u64(&value[..8])?);
                    let secret: [u8; 32] = r.array(&value[8..40])?;
                    if tag == ACCOUNT {
                        if store.generation(&id.account).is_some() {
                            return Err(r.malformed());
                        }
                        store.keep_account(id, AccountKey::from_bytes(secret));
                    } else {
                        // An inbox follows its own account's key, once.
                        match store.accounts.last_mut() {
                            Some(a) if a.id == id && a.inbox.is_none() => {
                                a.inbox = Some(InboxKeyPair(X25519Secret::from_bytes(secret)));
                            }
                            _ => return Err(r.malformed()),
                        }
                    }
                }
                DEVICE | USER_KEY | USER_KEY_PAIR | ACCOUNT | INBOX => return Err(r.malformed()),
                _ => {}
            }
        }
        Ok(store)
    }
}

/// Format 1: a `next handle` field, then (handle, kind tag, secret) records.
fn import_handles(plaintext: &[u8]) -> Result<KeyStore, VaultError> {
    const ENTRY: u8 = 2;
    let mut r = Reader::new(plaintext, HANDLES_FORMAT, "saved key store")?;
    let mut store = KeyStore::new();
    while let Some((tag, value)) = r.next_field()? {
        if tag != ENTRY {
            continue;
        }
        let (kind, secret) = match value.get(4..) {
            Some([kind, secret @ ..]) => (*kind, secret),
            _ => return Err(r.malformed()),
        };
        match kind {
            1 if store.device.is_none() => store.device = Some(DeviceKeys(KeyPair::from_secret_bytes(secret)?)),
            2 if store.user_key.is_none() => store.user_key = Some(UserKey::from_bytes(r.array(secret)?)),
            3 if store.user_pair.is_none() => store.user_pair = Some(UserKeyPair(KeyPair::from_secret_bytes(secret)?)),
            4 | 5 => {}
            _ => return Err(r.malformed()),
        }
    }
    Ok(store)
}

/// A new account key at `id` with its inbox key pair, sealed to `members`; with `old`, `items`
/// re-wrapped from it.
fn new_generation(
    workspace: &str,
    id: AccountGeneration,
    members: &[(String, PublicKeys)],
    items: &[SealedItem],
    old: Option<&AccountKey>,
) -> Result<(AccountKey, NewAccount), VaultError> {
    let key = AccountKey::generate();
    let inbox = InboxKeyPair::generate();
    let inbox_envelope = key.wrap_inbox(&inbox, &Context::inbox_key_pair(workspace, &id.account, id.generation))?;
    let member_envelopes = members
        .iter()
        .map(|(user, public)| {
            let context = Context::account_key_for_member(workspace, &id.account, user, id.generation);
            Ok((user.clone(), key.seal_to_member(public, &context)?))
        })
        .collect::<Result<Vec<_>, VaultError>>()?;
    let items = match old {
        Some(old) => items
            .iter()
            .map(|i| i.rewrap(old, &key))
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    let made = NewAccount {
        key: id,
        inbox_public_key: inbox.public(),
        inbox_envelope,
        member_envelopes,
        items,
    };
    Ok((key, made))
}

/// Format 1 named keys by handle numbers; format 2 by what they are.
const HANDLES_FORMAT: u8 = 1;
const STORE_FORMAT: u8 = 2;
const DEVICE: u8 = 3;
const USER_KEY: u8 = 4;
const USER_KEY_PAIR: u8 = 5;
const ACCOUNT: u8 = 6;
const INBOX: u8 = 7;

impl std::fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.slots()).finish()
    }
}
