//! What a new unlock PIN or passphrase must be, and the one form it is read in.
//!
//! A PIN is ASCII digits (spaces between them are ignored: "482 913" is "482913"); anything else is
//! a passphrase, read as typed after Unicode NFC and without surrounding whitespace. Refused:
//! - PINs under 6 digits (10^6 is the least space that, with Argon2id, costs an offline guesser
//!   hours rather than seconds) and passphrases under 8 characters;
//! - PINs made of one digit (000000), a run (123456, 987654, 890123), a repeated group (121212,
//!   123123), doubled digits of a run (112233), a run and its mirror (123321), and the keypad
//!   shapes and words-as-digits that top published lists of 6-digit PINs (Wang et al., "Understanding
//!   Human-Chosen PINs", IEEE S&P 2017; DataGenetics' PIN analysis): 147258, 159753, 5201314, …;
//! - passphrases of one character, of a repeated group (abcabcab), or among the most common
//!   passwords of 8 characters and more (password, qwertyuiop, iloveyou, …).
//!
//! Dates (DDMMYY) are common PINs too, but a third of all 6-digit strings read as one: refusing
//! them would shrink the space more than it helps. docs/security.md says to prefer a passphrase.

use zeroize::Zeroizing;

use super::PinError;

pub const MIN_PIN_DIGITS: usize = 6;
pub const MIN_PASSPHRASE_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;

/// Keypad shapes and digit-words among the most chosen 6- to 8-digit PINs that the generic
/// patterns below do not already catch.
const COMMON_PINS: &[&str] = &[
    "147258", "147369", "147852", "159357", "159753", "258369", "258456", "321654", "357159", "369258", "456123",
    "456852", "741852", "753951", "789123", "789456", "789654", "852456", "852963", "951753", "963852", "123654",
    "102030", "5201314", "1314520", "7758521", "14725836", "15935728", "11223344", "12344321",
];

/// The most common passwords of 8 characters or more, lowercase (from public breach corpora's top
/// lists); a passphrase equal to one of them, ignoring case, is refused.
const COMMON_PASSPHRASES: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "passw0rd",
    "p@ssw0rd",
    "qwertyui",
    "qwertyuiop",
    "qwerty123",
    "qwerty12",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "1qaz2wsx",
    "zaq12wsx",
    "asdfghjk",
    "asdfghjkl",
    "zxcvbnm1",
    "iloveyou",
    "iloveyou1",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "welcome1",
    "abc12345",
    "abcd1234",
    "trustno1",
    "letmein1",
    "superman",
    "starwars",
    "whatever",
    "12qwaszx",
    "1234qwer",
    "qwer1234",
    "computer",
    "michelle",
    "jennifer",
    "corvette",
    "mercedes",
    "changeme",
    "latchkey",
    "unlockme",
    "abcdefgh",
];

#[cfg(not(target_arch = "wasm32"))]
fn nfc(s: &str) -> String {
    unicode_normalization::UnicodeNormalization::nfc(s).collect()
}

// In the browser, String.prototype.normalize: its ICU tables are already there (see device::name).
#[cfg(target_arch = "wasm32")]
fn nfc(s: &str) -> String {
    String::from(js_sys::JsString::from(s).normalize("NFC"))
}

/// Whether `s` is a PIN: ASCII digits, maybe with spaces between them.
fn is_pin(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit()) && s.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
}

/// The PIN or passphrase as the key derivation reads it (wiped when dropped).
pub(crate) fn normalize(typed: &str) -> Zeroizing<String> {
    let trimmed = typed.trim();
    if is_pin(trimmed) {
        Zeroizing::new(trimmed.chars().filter(char::is_ascii_digit).collect())
    } else {
        Zeroizing::new(nfc(trimmed))
    }
}

/// Checks a new PIN or passphrase against the rules above; the error says what to change.
pub fn check_new_pin(typed: &str) -> Result<(), PinError> {
    let pin = normalize(typed);
    let chars = pin.chars().count();
    if chars == 0 {
        return Err(PinError::Empty);
    }
    if chars > MAX_CHARS {
        return Err(PinError::TooLong(chars));
    }
    if is_pin(&pin) {
        if chars < MIN_PIN_DIGITS {
            return Err(PinError::PinTooShort(chars));
        }
        return match weak_pin(pin.as_bytes()) {
            Some(why) => Err(PinError::WeakPin(why)),
            None => Ok(()),
        };
    }
    if chars < MIN_PASSPHRASE_CHARS {
        return Err(PinError::PassphraseTooShort(chars));
    }
    // ASCII case only: the common passwords are ASCII, and Unicode case tables cost wasm size.
    let lower = Zeroizing::new(pin.to_ascii_lowercase());
    let symbols: Zeroizing<Vec<char>> = Zeroizing::new(lower.chars().collect());
    if symbols.iter().all(|c| *c == symbols[0]) {
        return Err(PinError::WeakPassphrase("it is one character repeated"));
    }
    if repeats_a_group(&symbols) {
        return Err(PinError::WeakPassphrase("it repeats a short group"));
    }
    if COMMON_PASSPHRASES.contains(&lower.as_str()) {
        return Err(PinError::WeakPassphrase("it is one of the most common passwords"));
    }
    Ok(())
}

/// Why a PIN of 6 or more digits is too easy, if it is.
fn weak_pin(d: &[u8]) -> Option<&'static str> {
    let digits: Vec<i8> = d.iter().map(|b| (b - b'0') as i8).collect();
    if digits.iter().all(|x| *x == digits[0]) {
        return Some("it is one digit repeated");
    }
    if is_run(&digits) {
        return Some("it is a run of digits");
    }
    if repeats_a_group(&digits) {
        return Some("it repeats a short group");
    }
    let half = digits.len() / 2;
    if digits.len().is_multiple_of(2) {
        let pairs: Vec<i8> = digits.chunks(2).filter(|p| p[0] == p[1]).map(|p| p[0]).collect();
        if pairs.len() == half && is_run(&pairs) {
            return Some("it doubles each digit of a run");
        }
        let (a, b) = digits.split_at(half);
        if is_run(a) && a.iter().rev().eq(b.iter()) {
            return Some("it is a run and its mirror");
        }
    }
    let text = std::str::from_utf8(d).unwrap_or("");
    if COMMON_PINS.contains(&text) {
        return Some("it is one of the most common PINs");
    }
    None
}

/// Each digit one more (or one less) than the one before, wrapping 9 to 0 (890123).
fn is_run(digits: &[i8]) -> bool {
    if digits.len() < 3 {
        return false;
    }
    [1i8, 9]
        .iter()
        .any(|step| digits.windows(2).all(|w| (w[0] + step) % 10 == w[1]))
}

/// The whole is a group of at most half its length, repeated (a last partial copy allowed).
fn repeats_a_group<T: PartialEq>(s: &[T]) -> bool {
    (1..=s.len() / 2).any(|period| (period..s.len()).all(|i| s[i] == s[i - period]))
}
