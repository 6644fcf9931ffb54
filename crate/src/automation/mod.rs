//! Automations: the chores an app's settings pages ask of a person (turn on MFA, add a phone
//! number, turn on SMS as the method), written as data that the core parses and checks, and the
//! extension runs step by step in a tab of its own.
//!
//! The format is line-based so that every refusal names its line ([`parse`], docs/automations.md):
//! a header (`automation 1`, `app`, `task`, `site`) and then one step per line. Security rules live
//! here, not in the runner:
//! - every page an automation opens is on its own `site` (the core's site rules, HTTPS or loopback);
//!   before each step the runner asks [`Automation::may_act_on`] about the tab's *current* URL, so a
//!   redirect to another site stops the job before a vault value is filled there;
//! - vault values are named, never written: an automation fills `password`, it cannot say where
//!   else the password goes, and only the values its task needs are allowed;
//! - a secret is read only into the vault (`read … secret`, `read-list … backup-codes`), and the
//!   new code is filled only after the secret it derives from was read.

mod parse;
mod plan;
mod step;

pub use parse::parse;
pub use plan::{may_act_on_site, Plan, PlanStep};
pub use step::{Condition, Fill, Read, Step, StepKind, Task};

use thiserror::Error;

use crate::site::{check_fillable, host_from_input, PublicSuffixList};

/// The longest automation accepted, in bytes: a few dozen steps fit many times over.
pub const MAX_BYTES: usize = 16 * 1024;
/// The most steps one automation may have.
pub const MAX_STEPS: usize = 100;
/// The longest a step may wait, in seconds, and the wait when a step names none.
pub const MAX_TIMEOUT_S: u32 = 120;
pub const DEFAULT_TIMEOUT_S: u32 = 15;

/// A checked automation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Automation {
    /// The app's name as people know it ("Northwind Cloud").
    pub app: String,
    pub task: Task,
    /// The host the automation acts on, normalised; every page it opens or acts on is on its site.
    pub site: String,
    pub steps: Vec<Step>,
}

/// Why an automation was refused, or why a page may not be acted on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AutomationError {
    #[error("the automation is longer than {MAX_BYTES} bytes")]
    TooLong,
    #[error("line {line}: start the file with `automation 1` (the format's version)")]
    NoVersion { line: usize },
    #[error("line {line}: format version {found:?} is not known here: this Latchkey reads `automation 1`")]
    UnknownVersion { line: usize, found: String },
    #[error("line {line}: `{word}` is given twice")]
    Repeated { line: usize, word: &'static str },
    #[error("line {line}: the header needs `{word}` before the first step")]
    MissingHeader { line: usize, word: &'static str },
    #[error("line {line}: `{word}` belongs in the header, before the first step")]
    HeaderAfterSteps { line: usize, word: String },
    #[error("line {line}: unknown step `{word}`: use open, wait, fill, click, read, read-list, check, when or end")]
    UnknownStep { line: usize, word: String },
    #[error("line {line}: unknown task {found:?}: use turn-on-totp, add-number or turn-on-sms")]
    UnknownTask { line: usize, found: String },
    #[error("line {line}: `{step}` needs {what}")]
    Missing {
        line: usize,
        step: &'static str,
        what: &'static str,
    },
    #[error("line {line}: unexpected {found:?} after `{step}`")]
    Extra {
        line: usize,
        step: &'static str,
        found: String,
    },
    #[error("line {line}: a quoted text is not closed")]
    UnclosedQuote { line: usize },
    #[error("line {line}: {found:?} is not a site: {reason}")]
    BadSite { line: usize, found: String, reason: String },
    #[error("line {line}: {url:?} is not on {site}: an automation opens pages of its own site only")]
    OffSite { line: usize, url: String, site: String },
    #[error(
        "line {line}: {url:?} is not a page address: use a path such as /settings or an https:// address on the site"
    )]
    BadUrl { line: usize, url: String },
    #[error("line {line}: the selector {found:?} is not usable: {reason}")]
    BadSelector {
        line: usize,
        found: String,
        reason: &'static str,
    },
    #[error("line {line}: unknown value {found:?}: fill username, password, new-code, managed-number or sms-code")]
    UnknownValue { line: usize, found: String },
    #[error("line {line}: a {task} automation may not fill {value}")]
    ValueNotForTask {
        line: usize,
        value: &'static str,
        task: &'static str,
    },
    #[error("line {line}: {found:?} is not something to read: read a `secret`, read-list `backup-codes`")]
    UnknownRead { line: usize, found: String },
    #[error("line {line}: the new code is filled before any secret was read: read the secret first")]
    CodeBeforeSecret { line: usize },
    #[error("line {line}: the secret is read twice")]
    SecretTwice { line: usize },
    #[error("line {line}: unknown condition {found:?}: use present, absent or text \"…\"")]
    UnknownCondition { line: usize, found: String },
    #[error("line {line}: a timeout is `within` followed by 1s to {MAX_TIMEOUT_S}s, not {found:?}")]
    BadTimeout { line: usize, found: String },
    #[error("line {line}: `when` blocks do not nest: close the open one with `end` first")]
    NestedWhen { line: usize },
    #[error("line {line}: `end` closes nothing")]
    EndWithoutWhen { line: usize },
    #[error("line {line}: the `when` block opened here is never closed with `end`")]
    UnclosedWhen { line: usize },
    #[error("line {line}: the first step must open a page")]
    FirstNotOpen { line: usize },
    #[error("line {line}: more than {MAX_STEPS} steps")]
    TooManySteps { line: usize },
    #[error("line {line}: the automation has no steps")]
    NoSteps { line: usize },
    #[error("line {line}: a {task} automation must {what}")]
    TaskIncomplete {
        line: usize,
        task: &'static str,
        what: &'static str,
    },
    #[error("this tab is on {url:?}, not on {site}: the job stops before acting on another site")]
    PageOffSite { url: String, site: String },
    #[error("this tab has no web address the job may act on ({0})")]
    PageRefused(String),
}

impl AutomationError {
    /// The line the refusal is about, for an automation's own errors.
    pub fn line(&self) -> Option<usize> {
        use AutomationError::*;
        match self {
            TooLong | PageOffSite { .. } | PageRefused(_) => None,
            NoVersion { line }
            | UnknownVersion { line, .. }
            | Repeated { line, .. }
            | MissingHeader { line, .. }
            | HeaderAfterSteps { line, .. }
            | UnknownStep { line, .. }
            | UnknownTask { line, .. }
            | Missing { line, .. }
            | Extra { line, .. }
            | UnclosedQuote { line }
            | BadSite { line, .. }
            | OffSite { line, .. }
            | BadUrl { line, .. }
            | BadSelector { line, .. }
            | UnknownValue { line, .. }
            | ValueNotForTask { line, .. }
            | UnknownRead { line, .. }
            | CodeBeforeSecret { line }
            | SecretTwice { line }
            | UnknownCondition { line, .. }
            | BadTimeout { line, .. }
            | NestedWhen { line }
            | EndWithoutWhen { line }
            | UnclosedWhen { line }
            | FirstNotOpen { line }
            | TooManySteps { line }
            | NoSteps { line }
            | TaskIncomplete { line, .. } => Some(*line),
        }
    }
}

impl Automation {
    /// The absolute address of an `open` step's page, on the job's `origin` (the account's saved
    /// site, e.g. `https://app.example.com`), which must itself be on the automation's site.
    pub fn page_url(&self, psl: &PublicSuffixList, origin: &str, path_or_url: &str) -> Result<String, AutomationError> {
        let origin = origin.trim_end_matches('/');
        self.may_act_on(psl, origin)?;
        let url = if path_or_url.starts_with('/') {
            format!("{origin}{path_or_url}")
        } else {
            path_or_url.to_string()
        };
        self.may_act_on(psl, &url)?;
        Ok(url)
    }

    /// Whether the job may act (fill, click, read) on a tab now showing `url`: a web page over
    /// HTTPS or on loopback, on the automation's site. The runner asks before every step, with the
    /// URL the browser reports for the tab, never one the page says.
    pub fn may_act_on(&self, psl: &PublicSuffixList, url: &str) -> Result<(), AutomationError> {
        let (scheme, _) = url
            .split_once("://")
            .ok_or_else(|| AutomationError::PageRefused(format!("{url:?} is not a web address")))?;
        let host = host_from_input(url).map_err(|e| AutomationError::PageRefused(e.to_string()))?;
        check_fillable(scheme, &host).map_err(|e| AutomationError::PageRefused(e.to_string()))?;
        if psl.same_site(&self.site, &host) {
            Ok(())
        } else {
            Err(AutomationError::PageOffSite {
                url: url.to_string(),
                site: self.site.clone(),
            })
        }
    }
}
