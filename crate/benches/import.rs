//! Import and QR decoding, natively (the browser runs the same code in the import wasm module).
//! Each time is given with a baseline measured in the same run, so the ratio holds on any machine:
//! - reading a 1 000-entry export (Aegis plain, 2FAS plain, a list of links, Google's export in
//!   10 QR codes' links) against `serde_json` parsing the same JSON (the floor any reader pays);
//! - decoding the QR code on a full-tab capture (1920×1080, one code) against turning the capture's
//!   RGBA into luma, the one pass over the pixels any decoder makes.

use std::hint::black_box;
use std::time::Instant;

use latchkey_core::{import, qr};

const ROUNDS: usize = 9;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Median seconds of `f` over [`ROUNDS`].
fn time<T>(mut f: impl FnMut() -> T) -> f64 {
    median(
        (0..ROUNDS)
            .map(|_| {
                let t = Instant::now();
                black_box(f());
                t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// A base32 key of 20 bytes that differs per entry.
fn key(i: usize) -> String {
    let bytes: Vec<u8> = (0..20).map(|j| (i * 31 + j * 7) as u8).collect();
    latchkey_core::otp::Secret::from_bytes(bytes).to_base32()
}

fn aegis(n: usize) -> String {
    let entries: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"type":"totp","uuid":"u{i}","name":"user{i}@example.com","issuer":"Service {i}","note":"","favorite":false,"icon":null,"info":{{"secret":"{}","algo":"SHA1","digits":6,"period":30}}}}"#,
                key(i)
            )
        })
        .collect();
    format!(
        r#"{{"version":1,"header":{{"slots":null,"params":null}},"db":{{"version":3,"entries":[{}],"groups":[]}}}}"#,
        entries.join(",")
    )
}

fn twofas(n: usize) -> String {
    let services: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name":"Service {i}","secret":"{}","otp":{{"account":"user{i}","issuer":"Service {i}","digits":6,"period":30,"algorithm":"SHA1","tokenType":"TOTP"}},"order":{{"position":{i}}}}}"#,
                key(i)
            )
        })
        .collect();
    format!(r#"{{"services":[{}],"schemaVersion":4}}"#, services.join(","))
}

fn links(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "otpauth://totp/Service%20{i}:user{i}?secret={}&issuer=Service%20{i}\n",
                key(i)
            )
        })
        .collect()
}

/// Google's export: `n` keys in links of 100 each (protobuf written by hand, as in make.mjs).
fn google(n: usize) -> String {
    fn varint(mut v: u64, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }
    fn field(number: u64, body: &[u8], out: &mut Vec<u8>) {
        varint(number << 3 | 2, out);
        varint(body.len() as u64, out);
        out.extend_from_slice(body);
    }
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut text = String::new();
    for batch in 0..n.div_ceil(100) {
        let mut payload = Vec::new();
        for i in batch * 100..((batch + 1) * 100).min(n) {
            let mut p = Vec::new();
            field(1, &(0..20).map(|j| (i * 31 + j * 7) as u8).collect::<Vec<u8>>(), &mut p);
            field(2, format!("Service {i}:user{i}").as_bytes(), &mut p);
            field(3, format!("Service {i}").as_bytes(), &mut p);
            p.extend_from_slice(&[0x20, 1, 0x28, 1, 0x30, 2]);
            field(1, &p, &mut payload);
        }
        let mut b64 = String::new();
        for chunk in payload.chunks(3) {
            let v = chunk
                .iter()
                .enumerate()
                .fold(0u32, |a, (k, b)| a | (*b as u32) << (16 - 8 * k));
            for k in 0..=chunk.len() {
                b64.push(B64[(v >> (18 - 6 * k) & 63) as usize] as char);
            }
        }
        text.push_str(&format!("otpauth-migration://offline?data={b64}\n"));
    }
    text
}

/// A 1920×1080 capture, light grey, with one QR code drawn at 4 pixels a module.
fn capture() -> (Vec<u8>, usize, usize) {
    let (w, h) = (1920, 1080);
    let mut rgba = vec![240u8; w * h * 4];
    let code = qrcode::QrCode::new(b"otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example")
        .expect("encodable");
    let (n, colors, scale, (x0, y0)) = (code.width(), code.to_colors(), 4, (1200, 400));
    for y in 0..(n + 8) * scale {
        for x in 0..(n + 8) * scale {
            let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
            let dark = mx >= 0
                && my >= 0
                && (mx as usize) < n
                && (my as usize) < n
                && colors[my as usize * n + mx as usize] == qrcode::Color::Dark;
            let p = ((y0 + y) * w + x0 + x) * 4;
            rgba[p..p + 3].fill(if dark { 10 } else { 255 });
        }
    }
    (rgba, w, h)
}

fn main() {
    const N: usize = 1000;
    println!("import of {N} entries (median of {ROUNDS}), against serde_json parsing the same file:");
    for (name, text) in [("Aegis", aegis(N)), ("2FAS", twofas(N))] {
        let read = time(|| import::read(text.as_bytes(), None).expect("reads").entries.len());
        let floor = time(|| serde_json::from_str::<serde_json::Value>(&text).expect("json"));
        println!(
            "  {name}: {:.2} ms ({:.1} µs an entry), {:.1}× the JSON parse ({:.2} ms)",
            read * 1e3,
            read * 1e6 / N as f64,
            read / floor,
            floor * 1e3
        );
    }
    for (name, text) in [("otpauth links", links(N)), ("Google export (10 links)", google(N))] {
        let imported = import::read(text.as_bytes(), None).expect("reads");
        assert_eq!(imported.entries.iter().filter(|e| e.otp.is_ok()).count(), N, "{name}");
        let read = time(|| import::read(text.as_bytes(), None).expect("reads").entries.len());
        println!(
            "  {name}: {:.2} ms ({:.1} µs an entry)",
            read * 1e3,
            read * 1e6 / N as f64
        );
    }
    let (rgba, w, h) = capture();
    assert_eq!(qr::scan_rgba(&rgba, w, h).expect("scans").len(), 1);
    let scan = time(|| qr::scan_rgba(&rgba, w, h).expect("scans").len());
    let luma = time(|| qr::luma_from_rgba(&rgba));
    println!(
        "QR decode of a {w}×{h} capture: {:.1} ms, {:.1}× one RGBA→luma pass over it ({:.2} ms)",
        scan * 1e3,
        scan / luma,
        luma * 1e3
    );
}
