//! What each imported entry becomes, shown in the preview before anything is stored: a new
//! account, the MFA of an existing account (matched by site and name), a duplicate of an entry
//! above it, or nothing (unreadable). Matching is a suggestion the person sees and can change; it
//! never decides alone to overwrite an account's MFA (`ReplacesMfa` asks).

use super::Entry;

/// An account already in the workspace vault, as the dashboard lists it (no secrets).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Existing {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub sites: Vec<String>,
    #[serde(default)]
    pub has_totp: bool,
}

/// What the import would do with one entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "camelCase")]
pub enum Verdict {
    /// A new shared account holding this key.
    New,
    /// The key becomes the MFA of this account, which has none yet.
    MfaOf { id: String },
    /// This account already has a key: importing replaces it, so the person must tick it.
    ReplacesMfa { id: String },
    /// The same key as entry `of` above: skipped.
    Duplicate { of: usize },
    /// Unreadable: skipped, with the entry's reason.
    Unreadable,
}

/// One entry's verdict, by index into the entries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Planned {
    pub index: usize,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// Whether the extension can use this key: it fills time-based codes (TOTP, Steam) only, so a
/// counter-based one is named and left out rather than stored to give wrong codes.
pub fn importable(otp: &crate::otp::Otp) -> Result<(), super::ImportError> {
    match otp.kind {
        crate::otp::Kind::Hotp { .. } => Err(super::ImportError::CounterBased),
        _ => Ok(()),
    }
}

/// The verdict for every entry, in order.
pub fn plan(entries: &[Entry], existing: &[Existing]) -> Vec<Planned> {
    let mut planned: Vec<Planned> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let verdict = match &entry.otp {
            Err(_) => Verdict::Unreadable,
            Ok(otp) if importable(otp).is_err() => Verdict::Unreadable,
            Ok(otp) => {
                let same_key = entries[..index].iter().position(|e| {
                    e.otp.as_ref().is_ok_and(|o| {
                        o.secret == otp.secret && std::mem::discriminant(&o.kind) == std::mem::discriminant(&otp.kind)
                    })
                });
                match same_key {
                    Some(of) => Verdict::Duplicate { of },
                    None => match matching(entry, otp.issuer.as_deref(), otp.account.as_deref(), existing) {
                        Some(e) if e.has_totp => Verdict::ReplacesMfa { id: e.id.clone() },
                        Some(e) => Verdict::MfaOf { id: e.id.clone() },
                        None => Verdict::New,
                    },
                }
            }
        };
        planned.push(Planned { index, verdict });
    }
    // Two entries for one account: only the first takes it, the others become new accounts.
    let mut taken = std::collections::HashSet::new();
    for p in &mut planned {
        if let Verdict::MfaOf { id } | Verdict::ReplacesMfa { id } = &p.verdict {
            if !taken.insert(id.clone()) {
                p.verdict = Verdict::New;
            }
        }
    }
    planned
}

/// The one existing account this entry belongs to: same site (the entry's web address, or its
/// issuer naming the site) and the same user name (or none on either side). Ambiguous: none.
fn matching<'a>(
    entry: &Entry,
    issuer: Option<&str>,
    account: Option<&str>,
    existing: &'a [Existing],
) -> Option<&'a Existing> {
    let host = entry.url.as_deref().and_then(|u| crate::site::host_from_input(u).ok());
    let issuer = issuer.map(squash).filter(|i| !i.is_empty());
    let account = account.map(|a| a.trim().to_lowercase()).filter(|a| !a.is_empty());
    let mut found = existing.iter().filter(|e| {
        let site = e.sites.iter().any(|s| {
            let s = s.trim().to_lowercase();
            host.as_deref().is_some_and(|h| h == s || h.ends_with(&format!(".{s}")))
                || issuer
                    .as_deref()
                    .is_some_and(|i| squash(s.split('.').next().unwrap_or("")) == i || squash(&s) == i)
        }) || issuer.as_deref().is_some_and(|i| squash(&e.name) == i);
        let user = e.username.trim().to_lowercase();
        let same_user = match &account {
            Some(a) => user.is_empty() || user == *a,
            None => true,
        };
        site && same_user
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// Letters and digits only, lower case: "Git Hub" and "github" are one issuer.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
