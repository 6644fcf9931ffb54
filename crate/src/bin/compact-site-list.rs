//! `compact-site-list LIST OUT`: writes the Public Suffix List's parsed tables
//! (`PublicSuffixList::to_compact`) for the service worker, which loads them without parsing text
//! (run by `./build.sh build`).

use latchkey_core::site::PublicSuffixList;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [list, out] = args.as_slice() else {
        return Err("usage: compact-site-list public_suffix_list.dat public_suffix_list.bin".into());
    };
    let text = std::fs::read_to_string(list).map_err(|e| format!("{list}: {e}"))?;
    let parsed = PublicSuffixList::parse(&text);
    if parsed.is_empty() {
        return Err(format!("{list}: no rules"));
    }
    let compact = parsed.to_compact().map_err(|e| format!("{list}: {e}"))?;
    std::fs::write(out, compact).map_err(|e| format!("{out}: {e}"))
}
