//! latchkey-core: Latchkey's domain logic as plain Rust.
//!
//! Everything here is natively testable; `wasm` is thin glue for the browser extension.
//! The core never reads the clock or the network: callers pass the time in.

pub(crate) mod crypto;
pub mod device;
pub mod otp;
pub mod site;
pub mod vault;

#[cfg(feature = "wasm")]
pub mod wasm;
