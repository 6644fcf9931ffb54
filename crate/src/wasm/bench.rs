//! The benchmark workloads of `./build.sh bench` and tools for tests (feature `wasm-bench`): built
//! into a bench-only module (`target/bench-pkg/latchkey_bench*`), never into the shipped wasm.
//! Workloads are timed by JS, as the core reads no clock; each returns a checksum so the work
//! cannot be skipped.

use wasm_bindgen::prelude::*;

use super::js_err;
use crate::pin::PinLockedKeys;
use crate::vault::{AccountGeneration, Context, Envelope, InboxPublicKey, KeyStore, SealedItem, Sms};

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

/// The vault workload of `tests/bench/run.mjs`, timed by JS (the core reads no clock): build with
/// `new VaultBench(items, sms)`, then time `decryptItems()`, `sealSms()` and `openSms()`; each
/// returns a checksum so the work cannot be skipped.
#[wasm_bindgen]
pub struct VaultBench {
    store: KeyStore,
    account: AccountGeneration,
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
            account: bench.account,
            inbox_public: bench.inbox_public,
            items: bench.items,
            sms_count: sms,
            sealed_sms: Vec::new(),
        })
    }

    /// Decrypts every item's summary; returns the total length of the names.
    #[wasm_bindgen(js_name = decryptItems)]
    pub fn decrypt_items(&self) -> Result<usize, JsError> {
        crate::vault::bench::decrypt_items(&self.store, &self.account, &self.items).map_err(js_err)
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
        crate::vault::bench::open_sms(&self.store, &self.account, &self.sealed_sms).map_err(js_err)
    }
}

/// The unlock workload of `./build.sh bench` (tests/bench/pin-worker.js), timed by JS: device keys
/// locked under a PIN with the default settings; `unlock()` opens them (Argon2id + AES-GCM) into a
/// new store and drops them again, returning how many keys the store held (1).
#[wasm_bindgen]
pub struct PinBench {
    locked: PinLockedKeys,
}

#[wasm_bindgen]
impl PinBench {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<PinBench, JsError> {
        let mut store = KeyStore::new();
        store.create_device().map_err(js_err)?;
        let locked = store.lock_device(BENCH_PIN, BENCH_DEVICE).map_err(js_err)?;
        Ok(PinBench { locked })
    }

    /// Opens the keys into a new store, as an unlock does; the store and its keys go at the end.
    pub fn unlock(&mut self) -> Result<usize, JsError> {
        let mut store = KeyStore::new();
        store
            .unlock_device(BENCH_PIN, &self.locked, BENCH_DEVICE)
            .map_err(js_err)?;
        Ok(store.len())
    }
}

const BENCH_PIN: &str = "482913";
const BENCH_DEVICE: &str = "bench-device";
