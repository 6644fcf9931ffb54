//! QR codes in a picture (a capture of the person's tab, or an image file): every code found is
//! decoded (by `rqrr`) and classified. Only `otpauth://` links with a valid key (read by the
//! core's one URI parser) and Google's `otpauth-migration://` exports are accepted; anything
//! else (a web address, text, a Wi-Fi code) is named and refused, without repeating its content.

use thiserror::Error;

use crate::import::{self, ImportError, Imported};
use crate::otp::{Otp, OtpError};

/// The largest picture decoded: a 4K screen at twice its pixel density, and then some.
pub const MAX_PIXELS: usize = 40_000_000;

/// Why a picture, or one QR code in it, was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QrError {
    #[error("the picture's size {width}×{height} does not match its {len} bytes of pixels")]
    SizeMismatch { width: usize, height: usize, len: usize },
    #[error("the picture is {0} pixels, more than the 40 million Latchkey scans: zoom out or crop it")]
    TooLarge(usize),
    #[error("the picture is empty")]
    Empty,
    #[error("a QR code was found but could not be read: zoom in on it or use a sharper picture")]
    Unreadable,
    #[error("this QR code is {0}, not an authenticator key (otpauth://)")]
    NotAnAuthenticatorCode(String),
    #[error("this QR code's otpauth:// link is not valid: {0}")]
    BadOtpUri(OtpError),
    #[error("this Google Authenticator export code is not valid: {0}")]
    BadMigration(ImportError),
}

/// One QR code found in the picture.
#[derive(Debug, Clone)]
pub struct Found {
    /// Where it is, as the corners' pixel positions (for the person to pick among several).
    pub corners: [(i32, i32); 4],
    pub payload: Result<Payload, QrError>,
}

/// What an accepted QR code holds.
#[derive(Debug, Clone)]
pub enum Payload {
    /// One key, as sites show it when MFA is turned on.
    Otp(Otp),
    /// Google Authenticator's export: several keys (and which batch of the export this is).
    Migration(Imported),
}

/// Greyscale from RGBA (a canvas's or a captured tab's pixels), Rec. 601 luma, alpha ignored.
pub fn luma_from_rgba(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8)
        .collect()
}

/// Every QR code in a `width`×`height` greyscale picture (`luma`, row by row), each classified.
pub fn scan_luma(luma: &[u8], width: usize, height: usize) -> Result<Vec<Found>, QrError> {
    let pixels = width.checked_mul(height).ok_or(QrError::TooLarge(usize::MAX))?;
    if pixels > MAX_PIXELS {
        return Err(QrError::TooLarge(pixels));
    }
    if pixels != luma.len() {
        return Err(QrError::SizeMismatch {
            width,
            height,
            len: luma.len(),
        });
    }
    if pixels == 0 {
        return Err(QrError::Empty);
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| luma[y * width + x]);
    let grids = image.detect_grids();
    Ok(grids
        .iter()
        .map(|grid| {
            let b = &grid.bounds;
            let mut bytes = Vec::new();
            let payload = match grid.decode_to(&mut bytes) {
                Ok(_) => classify(&bytes),
                Err(_) => Err(QrError::Unreadable),
            };
            Found {
                corners: [(b[0].x, b[0].y), (b[1].x, b[1].y), (b[2].x, b[2].y), (b[3].x, b[3].y)],
                payload,
            }
        })
        .collect())
}

/// Every QR code in an RGBA picture.
pub fn scan_rgba(rgba: &[u8], width: usize, height: usize) -> Result<Vec<Found>, QrError> {
    let expected = width.saturating_mul(height).saturating_mul(4);
    if expected != rgba.len() {
        return Err(QrError::SizeMismatch {
            width,
            height,
            len: rgba.len(),
        });
    }
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(QrError::TooLarge(width.saturating_mul(height)));
    }
    scan_luma(&luma_from_rgba(rgba), width, height)
}

/// What a decoded QR code's bytes are to Latchkey.
pub fn classify(bytes: &[u8]) -> Result<Payload, QrError> {
    let text = std::str::from_utf8(bytes).map_err(|_| QrError::NotAnAuthenticatorCode("binary data".into()))?;
    let text = text.trim();
    if import::google::is_migration(text) {
        return import::google::read_uri(text)
            .map(Payload::Migration)
            .map_err(QrError::BadMigration);
    }
    let lower = text.get(..10).unwrap_or("").to_ascii_lowercase();
    if lower == "otpauth://" {
        return Otp::parse(text).map(Payload::Otp).map_err(QrError::BadOtpUri);
    }
    Err(QrError::NotAnAuthenticatorCode(describe(text)))
}

/// Names what a refused code holds without quoting it (it may be anything).
fn describe(text: &str) -> String {
    let scheme = text.split_once(':').map(|(s, _)| s.to_ascii_lowercase()).filter(|s| {
        !s.is_empty() && s.len() <= 24 && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    match scheme.as_deref() {
        Some("http" | "https") => "a web address".into(),
        Some("wifi") => "a Wi-Fi network".into(),
        Some("mailto") => "an e-mail address".into(),
        Some("tel") => "a phone number".into(),
        Some("steam") => "a steam:// link (add Steam keys by pasting them)".into(),
        Some(s) => format!("a {s}: link"),
        None => "text".into(),
    }
}
