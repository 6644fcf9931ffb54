//! A plain list of links, one a line: `otpauth://` (read by the core's one URI parser),
//! `steam://` and Google's `otpauth-migration://`. Blank lines and `#` comments are skipped; any
//! other line is an unreadable entry with its reason.

use super::{google, Entry, Format, ImportError, Imported};
use crate::otp::Otp;

pub fn read(text: &str) -> Result<Imported, ImportError> {
    let (mut entries, mut batches) = (Vec::new(), Vec::new());
    let mut google_only = true;
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if entries.len() > super::MAX_ENTRIES {
            return Err(ImportError::TooManyEntries(entries.len()));
        }
        if google::is_migration(line) {
            match google::read_uri(line) {
                Ok(batch) => {
                    entries.extend(batch.entries);
                    batches.extend(batch.batches);
                }
                Err(e) => entries.push(Entry {
                    label: "otpauth-migration:// link".into(),
                    url: None,
                    otp: Err(e),
                }),
            }
            continue;
        }
        google_only = false;
        let otp = if line.contains("://") {
            Otp::parse(line).map_err(ImportError::from)
        } else {
            Err(crate::otp::OtpError::NotAnOtpUri.into())
        };
        let entry = match &otp {
            Ok(o) => Entry::new(
                o.issuer.as_deref().unwrap_or(""),
                o.account.as_deref().unwrap_or(""),
                otp.clone(),
            ),
            // The line may hold a key: show only its scheme, never the line.
            Err(_) => Entry::new(&scheme_of(line), "", otp),
        };
        entries.push(entry);
    }
    if entries.is_empty() {
        return Err(ImportError::UnknownFormat);
    }
    Ok(Imported {
        format: if google_only { Format::Google } else { Format::UriList },
        entries,
        batches,
    })
}

/// What a refused line looked like, without its content: `https:// link` or `a line of text`.
fn scheme_of(line: &str) -> String {
    match line.split_once("://") {
        Some((scheme, _))
            if scheme.len() <= 24 && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            format!("{}:// link", scheme.to_ascii_lowercase())
        }
        _ => "a line of text".into(),
    }
}
