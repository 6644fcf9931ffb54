//! E-mail code extraction: accuracy over the corpus (tests/data/mail, target >= 98% with no code
//! invented) with a line per language, and how many messages per second `mail::read` parses and
//! `read_and_extract` gets through (the corpus repeated; the median of several rounds).

use std::hint::black_box;
use std::time::Instant;

use latchkey_core::mail;

#[path = "../tests/mail/mod.rs"]
mod corpus;

const ROUNDS: usize = 9;
const PER_ROUND: usize = 3_000;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Messages per second of `f` over `raws`, the median of [`ROUNDS`].
fn throughput<T>(raws: &[&[u8]], f: impl Fn(&[u8]) -> T) -> f64 {
    let secs = median(
        (0..ROUNDS)
            .map(|_| {
                let t = Instant::now();
                for raw in raws.iter().cycle().take(PER_ROUND) {
                    black_box(f(black_box(raw)));
                }
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    PER_ROUND as f64 / secs
}

fn main() {
    let cases = corpus::cases();
    let r = corpus::evaluate(&cases);
    println!(
        "e-mail corpus: {}/{} exact ({:.1}%; target >= 98%), {} of {} negatives given a code",
        r.exact,
        r.total,
        100.0 * r.accuracy(),
        r.invented,
        r.negatives
    );
    for miss in &r.misses {
        println!("  miss: {miss}");
    }
    let mut langs: Vec<&str> = cases.iter().map(|c| c.lang.as_str()).collect();
    langs.sort_unstable();
    langs.dedup();
    let per_lang: Vec<String> = langs
        .iter()
        .map(|l| {
            let of: Vec<_> = cases.iter().filter(|c| c.lang == *l).collect();
            let sub: Vec<corpus::Case> = of
                .iter()
                .map(|c| corpus::Case {
                    file: c.file.clone(),
                    raw: c.raw.clone(),
                    code: c.code.clone(),
                    lang: c.lang.clone(),
                    category: c.category.clone(),
                })
                .collect();
            let s = corpus::evaluate(&sub);
            format!("{l} {}/{}", s.exact, s.total)
        })
        .collect();
    println!("per language: {}", per_lang.join(", "));

    let raws: Vec<&[u8]> = cases.iter().map(|c| c.raw.as_slice()).collect();
    let bytes: usize = raws.iter().map(|r| r.len()).sum();
    let read = throughput(&raws, |raw| mail::read(raw).map(|m| m.text.len()));
    let both = throughput(&raws, |raw| {
        mail::read_and_extract(raw)
            .ok()
            .and_then(|(_, found)| found)
            .map(|f| f.code.code.len())
    });
    println!(
        "speed: {:.0} messages/s parsed (mail::read), {:.0} messages/s parsed and searched (read_and_extract); messages average {} bytes",
        read,
        both,
        bytes / raws.len()
    );
}
