//! What an automation does: its task and its steps.

/// The chore an automation does; it decides which vault values the steps may fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Turn on an authenticator app (TOTP) as the account's MFA: read the secret, confirm a code.
    TurnOnTotp,
    /// Add the account's managed number to the app's profile and verify it with the texted code.
    AddNumber,
    /// Turn on text messages (to the managed number) as the account's MFA.
    TurnOnSms,
}

impl Task {
    pub fn name(self) -> &'static str {
        match self {
            Task::TurnOnTotp => "turn-on-totp",
            Task::AddNumber => "add-number",
            Task::TurnOnSms => "turn-on-sms",
        }
    }

    pub fn from_name(name: &str) -> Option<Task> {
        [Task::TurnOnTotp, Task::AddNumber, Task::TurnOnSms]
            .into_iter()
            .find(|t| t.name() == name)
    }

    /// Whether a step of this task may fill `value`. Signing in needs the login everywhere; the
    /// new code only where a secret is read; the number and its texted code only where the
    /// managed number is the point.
    pub fn may_fill(self, value: Fill) -> bool {
        match value {
            Fill::Username | Fill::Password => true,
            Fill::NewCode => self == Task::TurnOnTotp,
            Fill::ManagedNumber | Fill::SmsCode => matches!(self, Task::AddNumber | Task::TurnOnSms),
        }
    }
}

/// A vault value a step fills, by name: the runner fetches it, the automation never holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    Username,
    Password,
    /// The current code of the secret this job read.
    NewCode,
    /// The account's managed phone number.
    ManagedNumber,
    /// The newest code texted to the managed number since the job started.
    SmsCode,
}

impl Fill {
    pub fn name(self) -> &'static str {
        match self {
            Fill::Username => "username",
            Fill::Password => "password",
            Fill::NewCode => "new-code",
            Fill::ManagedNumber => "managed-number",
            Fill::SmsCode => "sms-code",
        }
    }

    pub fn from_name(name: &str) -> Option<Fill> {
        [
            Fill::Username,
            Fill::Password,
            Fill::NewCode,
            Fill::ManagedNumber,
            Fill::SmsCode,
        ]
        .into_iter()
        .find(|f| f.name() == name)
    }
}

/// What a read step keeps (into the vault, never into the page or a log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// The authenticator secret shown as text ("Can't scan it?").
    Secret,
    /// The backup or recovery codes, one per element the selector matches.
    BackupCodes,
}

/// A check on the page: present, absent, or its text contains a given text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    Present,
    Absent,
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    /// Open a page: a path on the job's origin, or an address on the automation's site.
    Open(String),
    Wait(String),
    Fill(String, Fill),
    Click(String),
    Read(String, Read),
    Check(String, Condition),
    /// The steps up to the matching `End` run only if the selector is on the page now (signing in
    /// when the app asks for it, re-entering the password when it asks again).
    When(String),
    End,
}

/// One step, with the line it came from (for messages and the log) and how long it may wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub line: usize,
    pub kind: StepKind,
    pub timeout_s: u32,
}

impl Step {
    /// A short description for the job's log: what the step does and on what, never a value.
    pub fn describe(&self) -> String {
        match &self.kind {
            StepKind::Open(url) => format!("open {url}"),
            StepKind::Wait(s) => format!("wait for {s}"),
            StepKind::Fill(s, v) => format!("fill {} into {s}", v.name()),
            StepKind::Click(s) => format!("click {s}"),
            StepKind::Read(s, Read::Secret) => format!("read the secret from {s}"),
            StepKind::Read(s, Read::BackupCodes) => format!("read the backup codes from {s}"),
            StepKind::Check(s, Condition::Present) => format!("check {s} is there"),
            StepKind::Check(s, Condition::Absent) => format!("check {s} is gone"),
            StepKind::Check(s, Condition::Text(t)) => format!("check {s} says {t:?}"),
            StepKind::When(s) => format!("if {s} is there"),
            StepKind::End => "end if".into(),
        }
    }
}
