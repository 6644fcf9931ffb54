//! The app catalog a new server starts with: which apps take a managed phone number for their
//! verification texts, and whether a VoIP number will do. Admins change it through the API
//! (`PUT /api/v1/apps/{id}`); this list is written only into an empty catalog.
//!
//! VoIP is marked acceptable only where we know it is: many apps refuse VoIP numbers for
//! verification, and a refused number is worse than none. AWS root MFA has no SMS option at all.

use latchkey::db::{App, Db, DbError};

/// (id, name, site, accepts a managed number, VoIP accepted)
pub const DEFAULT_APPS: &[(&str, &str, &str, bool, bool)] = &[
    ("northwind", "Northwind Cloud (demo)", "demo.localhost", true, true),
    ("aws", "Amazon Web Services", "aws.amazon.com", false, false),
    ("facebook", "Facebook", "facebook.com", true, false),
    ("github", "GitHub", "github.com", true, false),
    ("google", "Google", "google.com", true, false),
    ("instagram", "Instagram", "instagram.com", true, false),
    ("linkedin", "LinkedIn", "linkedin.com", true, false),
    ("microsoft", "Microsoft", "live.com", true, false),
    ("shopify", "Shopify", "shopify.com", true, false),
    ("tiktok", "TikTok", "tiktok.com", true, false),
    ("x", "X (Twitter)", "x.com", true, false),
];

/// Fills an empty catalog; leaves one that has entries alone.
pub async fn ensure_default_apps(db: &Db) -> Result<(), DbError> {
    if !db.apps().await?.is_empty() {
        return Ok(());
    }
    for (id, name, site, managed, voip) in DEFAULT_APPS {
        db.put_app(&App {
            id: id.to_string(),
            name: name.to_string(),
            site: site.to_string(),
            accepts_managed_number: *managed,
            voip_ok: *voip,
        })
        .await?;
    }
    Ok(())
}
