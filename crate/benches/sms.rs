//! SMS code extraction: accuracy on the shared corpus (tests/data/sms_dev.jsonl), on ours
//! (tests/data/sms_more.jsonl) and on the issue-14 corpus in 49 languages (tests/data/sms_world.jsonl),
//! its held-back part first, with a line per language; and throughput against a same-run baseline,
//! a naive scanner that takes the first run of 4 to 8 digits. `--json` prints one JSON object for
//! build.sh. Misses of the held-back part are shown only with `LATCHKEY_SHOW_HELD=1`.

use std::hint::black_box;
use std::time::Instant;

use latchkey_core::sms::extract;

#[path = "../tests/sms/mod.rs"]
mod sms;

const ROUNDS: usize = 15;
/// Messages per timed round: the two corpora repeated.
const PER_ROUND: usize = 20_000;

/// The baseline: the first run of 4 to 8 ASCII digits, as many simple autofill scripts do.
fn naive(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if (4..=8).contains(&(i - start)) {
                return Some(&text[start..i]);
            }
        } else {
            i += 1;
        }
    }
    None
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Messages per second of `f` over `texts`, the median of [`ROUNDS`].
fn throughput<T>(texts: &[&str], f: impl Fn(&str) -> T) -> f64 {
    let secs = median(
        (0..ROUNDS)
            .map(|_| {
                let t = Instant::now();
                for text in texts.iter().cycle().take(PER_ROUND) {
                    black_box(f(black_box(text)));
                }
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    PER_ROUND as f64 / secs
}

/// The naive scanner's exact matches and invented codes on `cases`.
fn naive_report(cases: &[sms::Case]) -> (usize, usize) {
    let exact = cases.iter().filter(|c| naive(&c.text) == c.code.as_deref()).count();
    let invented = cases
        .iter()
        .filter(|c| c.code.is_none() && naive(&c.text).is_some())
        .count();
    (exact, invented)
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let (world_tuning, world_held) = sms::split(sms::cases(sms::WORLD));
    let corpora = [
        ("world_held_back", world_held),
        ("world_tuning", world_tuning),
        ("dev", sms::cases(sms::DEV)),
        ("more", sms::cases(sms::MORE)),
    ];
    let texts: Vec<&str> = corpora
        .iter()
        .flat_map(|(_, cases)| cases.iter().map(|c| c.text.as_str()))
        .collect();
    let ours = throughput(&texts, extract);
    let baseline = throughput(&texts, |t| naive(t).map(str::len));

    let mut parts = Vec::new();
    for (name, cases) in &corpora {
        let r = sms::evaluate(cases);
        let (naive_exact, naive_invented) = naive_report(cases);
        if json {
            parts.push(format!(
                "\"{name}\":{{\"exact\":{},\"total\":{},\"accuracy\":{:.4},\"negatives\":{},\"invented\":{},\
                 \"naive_exact\":{naive_exact},\"naive_invented\":{naive_invented},\"languages\":{{{}}}}}",
                r.exact,
                r.total,
                r.accuracy(),
                r.negatives,
                r.invented,
                r.per_lang
                    .iter()
                    .map(|(l, exact, total, invented)| format!("\"{l}\":[{exact},{total},{invented}]"))
                    .collect::<Vec<_>>()
                    .join(",")
            ));
        } else {
            println!(
                "{name}: {}/{} exact ({:.1}%), {} of {} negatives given a code; naive first-4-to-8-digits: {naive_exact}/{} exact, {naive_invented} invented",
                r.exact,
                r.total,
                100.0 * r.accuracy(),
                r.invented,
                r.negatives,
                r.total
            );
            if *name != "world_held_back" || sms::show_held() {
                for miss in &r.misses {
                    println!("  miss: {miss}");
                }
            }
            if name.starts_with("world") && (*name != "world_held_back" || sms::show_held()) {
                let langs: Vec<String> = r
                    .per_lang
                    .iter()
                    .map(|(l, exact, total, invented)| {
                        format!(
                            "{l} {exact}/{total}{}",
                            if *invented > 0 {
                                format!(" ({invented} invented)")
                            } else {
                                String::new()
                            }
                        )
                    })
                    .collect();
                println!("  per language: {}", langs.join(", "));
            }
        }
    }
    if json {
        println!(
            "{{{},\"messages_per_s\":{ours:.0},\"naive_messages_per_s\":{baseline:.0}}}",
            parts.join(",")
        );
    } else {
        println!(
            "throughput: {ours:.0} messages/s; naive scanner {baseline:.0} messages/s ({:.1}x slower for the context)",
            baseline / ours
        );
    }
}
