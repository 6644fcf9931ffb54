//! The plan the extension's runner executes: a checked automation with every `open` resolved on
//! the account's saved origin. The runner runs this and nothing else; it never reads the file.

use serde::Serialize;

use super::{Automation, AutomationError, Condition, Read, StepKind};
use crate::site::PublicSuffixList;

/// One step as the runner sees it: its kind in the log's words (`open`, `wait`, `fill`, `click`,
/// `read`, `read-list`, `check`, `when`, `end`) and only the fields that kind uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanStep {
    pub line: usize,
    pub kind: &'static str,
    pub timeout_s: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// What a `fill` puts in: a vault value's name, never the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'static str>,
    /// What a `check` expects: `present`, `absent` or `text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// For the log and the dashboard: what the step does, never a value.
    pub describe: String,
}

/// A checked automation, ready to run on one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub app: String,
    pub task: &'static str,
    pub site: String,
    pub steps: Vec<PlanStep>,
}

impl Automation {
    /// The plan for an account saved at `origin` (`https://app.example.com`): each `open` becomes an
    /// absolute address, checked against the automation's site, as is the origin itself. Without an
    /// origin (listing which automations exist) each `open` keeps its path: such a plan is not run.
    pub fn plan(&self, psl: &PublicSuffixList, origin: Option<&str>) -> Result<Plan, AutomationError> {
        let mut steps = Vec::with_capacity(self.steps.len());
        for step in &self.steps {
            let mut s = PlanStep {
                line: step.line,
                kind: "",
                timeout_s: step.timeout_s,
                url: None,
                selector: None,
                value: None,
                condition: None,
                text: None,
                describe: step.describe(),
            };
            match &step.kind {
                StepKind::Open(target) => {
                    s.kind = "open";
                    s.url = Some(match origin {
                        Some(origin) => self.page_url(psl, origin, target)?,
                        None => target.clone(),
                    });
                }
                StepKind::Wait(sel) => (s.kind, s.selector) = ("wait", Some(sel.clone())),
                StepKind::Fill(sel, v) => {
                    (s.kind, s.selector, s.value) = ("fill", Some(sel.clone()), Some(v.name()));
                }
                StepKind::Click(sel) => (s.kind, s.selector) = ("click", Some(sel.clone())),
                StepKind::Read(sel, Read::Secret) => (s.kind, s.selector) = ("read", Some(sel.clone())),
                StepKind::Read(sel, Read::BackupCodes) => (s.kind, s.selector) = ("read-list", Some(sel.clone())),
                StepKind::Check(sel, c) => {
                    (s.kind, s.selector) = ("check", Some(sel.clone()));
                    match c {
                        Condition::Present => s.condition = Some("present"),
                        Condition::Absent => s.condition = Some("absent"),
                        Condition::Text(t) => (s.condition, s.text) = (Some("text"), Some(t.clone())),
                    }
                }
                StepKind::When(sel) => (s.kind, s.selector) = ("when", Some(sel.clone())),
                StepKind::End => s.kind = "end",
            }
            steps.push(s);
        }
        Ok(Plan {
            app: self.app.clone(),
            task: self.task.name(),
            site: self.site.clone(),
            steps,
        })
    }
}

/// Whether a job for an automation of `site` may act on a tab now showing `url` (the rule of
/// [`Automation::may_act_on`], for a runner that holds the plan rather than the automation).
pub fn may_act_on_site(psl: &PublicSuffixList, site: &str, url: &str) -> Result<(), AutomationError> {
    Automation {
        app: String::new(),
        task: super::Task::TurnOnTotp,
        site: site.to_string(),
        steps: Vec::new(),
    }
    .may_act_on(psl, url)
}
