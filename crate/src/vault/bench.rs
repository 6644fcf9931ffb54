//! The benchmark workload shared by `benches/vault.rs` (native) and `wasm::vault::VaultBench`
//! (the browser bench), so both measure the same thing. Not an API.

use super::{AccountGeneration, Context, Envelope, InboxPublicKey, Item, KeyStore, SealedItem, Sms, VaultError};

pub const WORKSPACE: &str = "bench-workspace";
pub const ACCOUNT: &str = "bench-account";

pub struct Workload {
    pub store: KeyStore,
    pub account: AccountGeneration,
    pub inbox_public: InboxPublicKey,
    pub items: Vec<SealedItem>,
}

impl Workload {
    /// One user with one account holding `items` items (alternately logins and TOTP keys).
    pub fn new(items: usize, _sms: usize) -> Result<Workload, VaultError> {
        let mut store = KeyStore::new();
        store.create_device()?;
        store.create_user(WORKSPACE, "bench-user", "bench-device")?;
        let account = store.create_account(WORKSPACE, ACCOUNT, "bench-user")?;
        store.open_inbox(&account.key, &account.inbox_envelope, WORKSPACE)?;
        let items = (0..items)
            .map(|i| {
                let item = if i % 2 == 0 {
                    Item::login(
                        &format!("Login {i}"),
                        &format!("user{i}@example.com"),
                        &format!("correct horse battery staple {i}"),
                        &["https://example.com/login"],
                    )
                } else {
                    Item::totp(
                        &format!("TOTP {i}"),
                        "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME",
                    )?
                };
                store.seal_item(&account.key, WORKSPACE, &format!("item-{i}"), 1, &item)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Workload {
            store,
            account: account.key,
            inbox_public: account.inbox_public_key,
            items,
        })
    }
}

/// Decrypts every item to its summary; returns the total length of the names (a checksum).
pub fn decrypt_items(store: &KeyStore, account: &AccountGeneration, items: &[SealedItem]) -> Result<usize, VaultError> {
    items
        .iter()
        .try_fold(0, |n, item| Ok(n + store.item_summary(account, item)?.name.len()))
}

fn sms_context(i: usize) -> Context {
    Context::sms(WORKSPACE, ACCOUNT, &format!("sms-{i}"))
}

/// Seals `n` typical SMS to the inbox, as the server does on arrival.
pub fn seal_sms(inbox: &InboxPublicKey, n: usize) -> Result<Vec<Envelope>, VaultError> {
    (0..n)
        .map(|i| {
            let sms = Sms {
                from: "+15551234567".to_string(),
                text: format!(
                    "Your ACME verification code is {:06}. Do not share it with anyone.",
                    i * 7919 % 1_000_000
                ),
            };
            sms.seal(inbox, &sms_context(i))
        })
        .collect()
}

/// Opens what [`seal_sms`] sealed; returns the total length of the texts.
pub fn open_sms(store: &KeyStore, account: &AccountGeneration, sealed: &[Envelope]) -> Result<usize, VaultError> {
    sealed.iter().enumerate().try_fold(0, |n, (i, e)| {
        Ok(n + store.open_sms(account, e, WORKSPACE, &format!("sms-{i}"))?.text.len())
    })
}
