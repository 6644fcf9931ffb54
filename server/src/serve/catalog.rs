//! The app catalog a new server starts with: which apps take a managed phone number for their
//! verification texts, and whether a VoIP number will do. Admins change it through the API
//! (`PUT /api/v1/apps/{id}`); this list is written only into an empty catalog.
//!
//! VoIP is marked acceptable only where we know it is: many apps refuse VoIP numbers for
//! verification, and a refused number is worse than none. AWS root MFA has no SMS option at all.

use latchkey::db::{Db, DbError};

/// (name, site, accepts a managed number, VoIP accepted)
pub const DEFAULT_APPS: &[(&str, &str, bool, bool)] = &[
    ("Northwind Cloud (demo)", "demo.localhost", true, true),
    ("Amazon Web Services", "aws.amazon.com", false, false),
    ("Facebook", "facebook.com", true, false),
    ("GitHub", "github.com", true, false),
    ("Google", "google.com", true, false),
    ("Instagram", "instagram.com", true, false),
    ("LinkedIn", "linkedin.com", true, false),
    ("Microsoft", "live.com", true, false),
    ("Shopify", "shopify.com", true, false),
    ("TikTok", "tiktok.com", true, false),
    ("X (Twitter)", "x.com", true, false),
];

/// Fills an empty catalog; leaves one that has entries alone.
pub async fn ensure_default_apps(db: &Db) -> Result<(), DbError> {
    if !db.apps().await?.is_empty() {
        return Ok(());
    }
    for (name, site, managed, voip) in DEFAULT_APPS {
        db.upsert_app(name, site, *managed, *voip).await?;
    }
    Ok(())
}
