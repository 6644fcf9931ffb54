//! The BIP-39 English word list (2048 words, 11 bits each): short common words whose first four
//! letters are unique, chosen for being read aloud and compared by people.
//!
//! Source: `bip39_english.txt` is the list from BIP-39 as shipped in the `mnemonic` reference
//! implementation (Trezor, © 2013-2016 Pavol Rusnak, MIT licence; see `bip39_english.LICENSE`).
//! SHA-256 2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda.

const LIST: &str = include_str!("bip39_english.txt");

pub const WORD_COUNT: usize = 2048;

/// The word for an 11-bit index (taken modulo 2048).
pub fn word(index: usize) -> &'static str {
    LIST.lines().nth(index % WORD_COUNT).expect("the list has 2048 lines")
}
