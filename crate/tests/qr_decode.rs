#![cfg(not(target_arch = "wasm32"))]
//! QR decoding from pixels: codes drawn by an independent encoder (`qrcode`) at several sizes,
//! rotated, with noise, several on one picture, a Google export QR with several accounts, and
//! every code that is not an authenticator key named and refused.

use latchkey_core::import::Format;
use latchkey_core::otp::{Kind, Otp};
use latchkey_core::qr::{self, Payload, QrError};
use proptest::prelude::*;

/// A white `width`×`height` canvas.
struct Canvas {
    width: usize,
    height: usize,
    luma: Vec<u8>,
}

impl Canvas {
    fn new(width: usize, height: usize) -> Self {
        Canvas {
            width,
            height,
            luma: vec![255; width * height],
        }
    }

    /// Draws `text` as a QR code with `scale` pixels a module, top-left corner at (x, y), turned
    /// by `degrees` about its centre (nearest-pixel sampling, as a screenshot of a rotated image).
    fn draw(&mut self, text: &str, x: usize, y: usize, scale: usize, degrees: f64) {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let modules = code.width();
        let colors = code.to_colors();
        // Four modules of quiet zone each side; room for the corners of a turned code.
        let code_side = (modules + 8) * scale;
        let side = if degrees % 90.0 == 0.0 {
            code_side
        } else {
            code_side * 3 / 2
        };
        let pad = (side - code_side) as f64 / 2.0;
        let (c, s) = (degrees.to_radians().cos(), degrees.to_radians().sin());
        let mid = side as f64 / 2.0;
        for py in 0..side {
            for px in 0..side {
                // Where this output pixel comes from in the unrotated code.
                let (dx, dy) = (px as f64 - mid, py as f64 - mid);
                let (sx, sy) = (c * dx + s * dy + mid, -s * dx + c * dy + mid);
                let (mx, my) = ((sx - pad) / scale as f64 - 4.0, (sy - pad) / scale as f64 - 4.0);
                let dark = mx >= 0.0
                    && my >= 0.0
                    && (mx as usize) < modules
                    && (my as usize) < modules
                    && colors[my as usize * modules + mx as usize] == qrcode::Color::Dark;
                let (ox, oy) = (x + px, y + py);
                if ox < self.width && oy < self.height {
                    self.luma[oy * self.width + ox] = if dark { 20 } else { 235 };
                }
            }
        }
    }

    /// Adds deterministic noise: each pixel moved by up to ±`amount`.
    fn noise(&mut self, amount: i32, seed: u64) {
        let mut state = seed | 1;
        for p in &mut self.luma {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let delta = (state % (2 * amount as u64 + 1)) as i32 - amount;
            *p = (*p as i32 + delta).clamp(0, 255) as u8;
        }
    }

    fn scan(&self) -> Vec<qr::Found> {
        qr::scan_luma(&self.luma, self.width, self.height).unwrap()
    }
}

const URI: &str = "otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";

fn otp_of(found: &qr::Found) -> &Otp {
    match &found.payload {
        Ok(Payload::Otp(otp)) => otp,
        other => panic!("expected a key, got {other:?}"),
    }
}

#[test]
fn reads_a_key_at_several_sizes() {
    for scale in [2, 3, 5, 8] {
        let mut canvas = Canvas::new(800, 600);
        canvas.draw(URI, 40, 30, scale, 0.0);
        let found = canvas.scan();
        assert_eq!(found.len(), 1, "scale {scale}");
        assert_eq!(*otp_of(&found[0]), Otp::parse(URI).unwrap());
    }
}

#[test]
fn reads_a_key_turned_by_right_angles_and_by_a_few_degrees() {
    for degrees in [90.0, 180.0, 270.0, 7.0, 33.0] {
        let mut canvas = Canvas::new(700, 700);
        canvas.draw(URI, 60, 60, 5, degrees);
        let found = canvas.scan();
        assert_eq!(found.len(), 1, "{degrees}°");
        assert_eq!(
            otp_of(&found[0]).account.as_deref(),
            Some("alice@example.com"),
            "{degrees}°"
        );
    }
}

/// ±20 grey levels on every pixel (a re-encoded screenshot is far cleaner); far more makes white
/// speckles darker than the decoder's local threshold.
const NOISE: i32 = 20;

#[test]
fn reads_a_key_through_noise() {
    let mut canvas = Canvas::new(640, 480);
    canvas.draw(URI, 100, 60, 4, 0.0);
    canvas.noise(NOISE, 42);
    let found = canvas.scan();
    assert_eq!(found.len(), 1);
    assert_eq!(otp_of(&found[0]).issuer.as_deref(), Some("GitHub"));
}

#[test]
fn finds_every_code_on_a_page_and_says_where_each_is() {
    let mut canvas = Canvas::new(1280, 720);
    canvas.draw(URI, 20, 20, 4, 0.0);
    canvas.draw("otpauth://totp/Other:bob?secret=GEZDGNBVGY3TQOJQ", 700, 300, 4, 0.0);
    let mut found = canvas.scan();
    found.sort_by_key(|f| f.corners[0].0.min(f.corners[2].0));
    assert_eq!(found.len(), 2);
    assert_eq!(otp_of(&found[0]).issuer.as_deref(), Some("GitHub"));
    assert_eq!(otp_of(&found[1]).issuer.as_deref(), Some("Other"));
    assert!(found[1].corners.iter().all(|(x, y)| *x >= 700 && *y >= 300));
}

#[test]
fn reads_a_google_export_qr_with_several_accounts() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/data/import/google-single-batch.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut canvas = Canvas::new(900, 900);
    canvas.draw(text.trim(), 50, 50, 4, 0.0);
    let found = canvas.scan();
    assert_eq!(found.len(), 1);
    let Ok(Payload::Migration(imported)) = &found[0].payload else {
        panic!("{:?}", found[0].payload)
    };
    assert_eq!(imported.format, Format::Google);
    let names: Vec<_> = imported.entries.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(names, ["GitHub: alice@example.com", "Example Corp: bob", "VPN: carol"]);
    assert!(matches!(
        imported.entries[2].otp.as_ref().unwrap().kind,
        Kind::Hotp { counter: 7 }
    ));
}

#[test]
fn refuses_every_other_code_by_naming_it() {
    let cases = [
        (
            "https://example.com/secret-page",
            "this QR code is a web address, not an authenticator key (otpauth://)",
        ),
        (
            "WIFI:T:WPA;S:home;P:hunter2;;",
            "this QR code is a Wi-Fi network, not an authenticator key (otpauth://)",
        ),
        (
            "just some words",
            "this QR code is text, not an authenticator key (otpauth://)",
        ),
        (
            "steam://JBSWY3DPEHPK3PXP",
            "this QR code is a steam:// link (add Steam keys by pasting them), not an authenticator key (otpauth://)",
        ),
    ];
    for (text, sentence) in cases {
        let mut canvas = Canvas::new(500, 500);
        canvas.draw(text, 30, 30, 4, 0.0);
        let found = canvas.scan();
        assert_eq!(found.len(), 1, "{text}");
        let err = found[0].payload.as_ref().unwrap_err();
        assert_eq!(err.to_string(), sentence);
        assert!(!err.to_string().contains("hunter2"));
    }
    // An otpauth link without a usable key is refused with the parser's reason.
    let mut canvas = Canvas::new(500, 500);
    canvas.draw("otpauth://totp/NoKey?issuer=X", 30, 30, 4, 0.0);
    let found = canvas.scan();
    assert!(
        matches!(found[0].payload, Err(QrError::BadOtpUri(_))),
        "{:?}",
        found[0].payload
    );
}

#[test]
fn refuses_pictures_whose_size_lies_or_that_are_too_large() {
    assert!(matches!(
        qr::scan_luma(&[0; 10], 4, 4),
        Err(QrError::SizeMismatch { .. })
    ));
    assert!(matches!(
        qr::scan_rgba(&[0; 10], 4, 4),
        Err(QrError::SizeMismatch { .. })
    ));
    assert!(matches!(qr::scan_luma(&[], usize::MAX, 2), Err(QrError::TooLarge(_))));
    assert!(matches!(qr::scan_luma(&[], 10_000, 10_000), Err(QrError::TooLarge(_))));
    assert_eq!(qr::scan_luma(&[], 0, 0).unwrap_err(), QrError::Empty);
    assert!(qr::scan_luma(&[255; 64 * 64], 64, 64).unwrap().is_empty());
}

#[test]
fn rgba_pixels_read_as_their_luma() {
    let mut canvas = Canvas::new(300, 300);
    canvas.draw(URI, 10, 10, 3, 0.0);
    let rgba: Vec<u8> = canvas.luma.iter().flat_map(|&l| [l, l, l, 255]).collect();
    let found = qr::scan_rgba(&rgba, 300, 300).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(*otp_of(&found[0]), Otp::parse(URI).unwrap());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Random pictures, and a real code with random pixels overwritten, never panic.
    #[test]
    fn random_pictures_never_panic(
        w in 1usize..120,
        h in 1usize..120,
        seed in any::<u64>(),
    ) {
        let mut canvas = Canvas::new(w, h);
        canvas.noise(127, seed);
        let _ = qr::scan_luma(&canvas.luma, w, h);
    }

    #[test]
    fn damaged_codes_never_panic(
        edits in prop::collection::vec((0usize..(260 * 260), any::<u8>()), 0..3000),
        degrees in 0.0f64..360.0,
    ) {
        let mut canvas = Canvas::new(260, 260);
        canvas.draw(URI, 5, 5, 3, degrees);
        for (at, v) in edits {
            canvas.luma[at] = v;
        }
        let _ = canvas.scan();
    }
}
