//! Automation jobs and their steps (issue 20): what the extension's job runner did for an account,
//! kept by the server so the Automation Log survives the browser. Everything stored is an id, a
//! name from a fixed list or a number: never a secret, a code, a selector or page content (the
//! vocabularies below are the only words that reach the database).
//!
//! One job at a time per account: a partial unique index refuses a second queued or running job
//! (the database decides, so two clicks on two instances cannot both start one). A job whose
//! runner went silent (browser closed, worker killed) for [`STALE_SECS`] no longer blocks the
//! account: the next start marks it `needs_attention` with reason `runner_stopped`, and its last
//! step says where it stopped.

use sqlx::any::AnyRow;

use super::audit::{self, detail, Action, NewEvent};
use super::error::is_unique_violation;
use super::{col, new_id, Db, DbError};

/// A running job with no step reported for this long no longer holds the account.
pub const STALE_SECS: i64 = 10 * 60;
/// The most steps one job records (an automation has at most 100; `when` blocks skip some).
pub const MAX_STEPS: i64 = 200;
/// The most jobs one page of the log lists.
pub const MAX_JOBS: i64 = 200;

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }
    };
}

vocabulary!(
    /// Where a job is: queued and running hold the account; the others are ends.
    JobStatus {
        Queued = "queued",
        Running = "running",
        NeedsAttention = "needs_attention",
        Succeeded = "succeeded",
        Failed = "failed",
    }
);

vocabulary!(
    /// A step's kind: the automation format's step words (crate/src/automation).
    StepKind {
        Open = "open",
        Wait = "wait",
        Fill = "fill",
        Click = "click",
        Read = "read",
        ReadList = "read-list",
        Check = "check",
        When = "when",
        End = "end",
    }
);

vocabulary!(
    /// How a step ended.
    StepOutcome {
        Ok = "ok",
        Skipped = "skipped",
        Failed = "failed",
    }
);

vocabulary!(
    /// Why a step or job did not succeed, or what a person must look at (docs/automations.md).
    Reason {
        TimedOut = "timed_out",
        ElementMissing = "element_missing",
        CheckFailed = "check_failed",
        OffSite = "off_site",
        WrongPassword = "wrong_password",
        AppRefusedCode = "app_refused_code",
        NoSavedLogin = "no_saved_login",
        NoManagedNumber = "no_managed_number",
        NoTextedCode = "no_texted_code",
        VaultLocked = "vault_locked",
        SecretUnreadable = "secret_unreadable",
        SecretPending = "secret_pending",
        TabClosed = "tab_closed",
        RunnerStopped = "runner_stopped",
        BrowserRestarted = "browser_restarted",
        AutomationInvalid = "automation_invalid",
        NoAutomation = "no_automation",
        MfaAlreadyOn = "mfa_already_on",
        Cancelled = "cancelled",
    }
);

/// The tasks a job may do: the core's automation tasks.
pub fn task_known(task: &str) -> bool {
    latchkey_core::automation::Task::from_name(task).is_some()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub task: String,
    pub started_by: String,
    pub started_device: Option<String>,
    pub status: String,
    pub reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStep {
    pub seq: i64,
    pub line: i64,
    pub kind: String,
    pub outcome: String,
    pub reason: Option<String>,
    pub at: i64,
}

/// One step's report from the runner.
#[derive(Debug, Clone, Copy)]
pub struct StepReport {
    pub line: i64,
    pub kind: StepKind,
    pub outcome: StepOutcome,
    pub reason: Option<Reason>,
}

/// Which jobs to list.
#[derive(Debug, Clone, Default)]
pub struct JobQuery {
    pub account_id: Option<String>,
    pub status: Option<JobStatus>,
    pub limit: i64,
}

const JOB_COLUMNS: &str = "j.id, j.workspace_id, j.account_id, j.task, j.started_by, j.started_device, j.status, \
                           j.reason, j.created_at, j.updated_at, j.finished_at";

fn job_from(row: &AnyRow) -> Result<Job, DbError> {
    Ok(Job {
        id: col(row, "id")?,
        workspace_id: col(row, "workspace_id")?,
        account_id: col(row, "account_id")?,
        task: col(row, "task")?,
        started_by: col(row, "started_by")?,
        started_device: col(row, "started_device")?,
        status: col(row, "status")?,
        reason: col(row, "reason")?,
        created_at: col(row, "created_at")?,
        updated_at: col(row, "updated_at")?,
        finished_at: col(row, "finished_at")?,
    })
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

async fn job_in(tx: &mut Tx, job_id: &str) -> Result<Job, DbError> {
    let row = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM automation_jobs j WHERE j.id = $1"))
        .bind(job_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(DbError::NotFound("the automation job"))?;
    job_from(&row)
}

/// The job, if `user_id` started it and it is still queued or running.
async fn active_job_of(tx: &mut Tx, job_id: &str, user_id: &str) -> Result<Job, DbError> {
    let job = job_in(tx, job_id).await?;
    if job.started_by != user_id {
        return Err(DbError::NotFound("the automation job"));
    }
    if !matches!(
        JobStatus::parse(&job.status),
        Some(JobStatus::Queued | JobStatus::Running)
    ) {
        return Err(DbError::Conflict(format!(
            "this job has already ended ({}): start a new one",
            job.status
        )));
    }
    Ok(job)
}

impl Db {
    /// Queues a job of `task` for `account_id`, started by `user_id` on `device_id`. Refused with
    /// `Conflict` while another job of the account is queued or running (a silent one older than
    /// [`STALE_SECS`] is first marked `needs_attention`).
    pub async fn start_automation(
        &self,
        account_id: &str,
        task: &str,
        user_id: &str,
        device_id: Option<&str>,
        now: i64,
    ) -> Result<Job, DbError> {
        if !task_known(task) {
            return Err(DbError::Invalid(format!("{task:?} is not an automation task")));
        }
        let mut tx = self.begin_write().await?;
        let workspace = audit::workspace_of_account(&mut tx, account_id).await?;
        let stale: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM automation_jobs WHERE account_id = $1 AND status IN ('queued', 'running') \
             AND updated_at < $2",
        )
        .bind(account_id)
        .bind(now - STALE_SECS)
        .fetch_all(&mut *tx)
        .await?;
        for id in &stale {
            end(&mut tx, id, JobStatus::NeedsAttention, Some(Reason::RunnerStopped), now).await?;
        }
        let id = new_id();
        let inserted = sqlx::query(
            "INSERT INTO automation_jobs (id, workspace_id, account_id, task, started_by, started_device, status, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $7)",
        )
        .bind(&id)
        .bind(&workspace)
        .bind(account_id)
        .bind(task)
        .bind(user_id)
        .bind(device_id)
        .bind(now)
        .execute(&mut *tx)
        .await;
        if let Err(e) = inserted {
            return Err(if is_unique_violation(&e) {
                DbError::Conflict(
                    "an automation is already running for this account: wait for it to end (see the Automation Log)"
                        .into(),
                )
            } else {
                e.into()
            });
        }
        for stale_id in &stale {
            let event = NewEvent::ok(&workspace, Action::AutomationFinished)
                .target("automation", stale_id)
                .account(account_id)
                .detail(detail(&[("reason", Reason::RunnerStopped.as_str())]))
                .outcome(JobStatus::NeedsAttention.as_str());
            audit::append(&mut tx, self.actor(), event, now).await?;
        }
        let event = NewEvent::ok(&workspace, Action::AutomationQueued)
            .target("automation", &id)
            .account(account_id)
            .detail(detail(&[("task", task)]));
        audit::append(&mut tx, self.actor(), event, now).await?;
        let job = job_in(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(job)
    }

    /// Records one step of a job `user_id` started; the job is running from its first step.
    pub async fn record_automation_step(
        &self,
        job_id: &str,
        user_id: &str,
        step: StepReport,
        now: i64,
    ) -> Result<Job, DbError> {
        let mut tx = self.begin_write().await?;
        let job = active_job_of(&mut tx, job_id, user_id).await?;
        let seq: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM automation_steps WHERE job_id = $1")
            .bind(job_id)
            .fetch_one(&mut *tx)
            .await?;
        if seq >= MAX_STEPS {
            return Err(DbError::Conflict(format!("a job records at most {MAX_STEPS} steps")));
        }
        sqlx::query(
            "INSERT INTO automation_steps (job_id, seq, line, kind, outcome, reason, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(job_id)
        .bind(seq + 1)
        .bind(step.line)
        .bind(step.kind.as_str())
        .bind(step.outcome.as_str())
        .bind(step.reason.map(Reason::as_str))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE automation_jobs SET status = 'running', updated_at = $2 WHERE id = $1")
            .bind(job_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let line = step.line.to_string();
        let mut pairs = vec![("line", line.as_str()), ("kind", step.kind.as_str())];
        if let Some(reason) = step.reason {
            pairs.push(("reason", reason.as_str()));
        }
        let event = NewEvent::ok(&job.workspace_id, Action::AutomationStep)
            .target("automation", job_id)
            .account(&job.account_id)
            .detail(detail(&pairs))
            .outcome(step.outcome.as_str());
        audit::append(&mut tx, self.actor(), event, now).await?;
        let job = job_in(&mut tx, job_id).await?;
        tx.commit().await?;
        Ok(job)
    }

    /// Ends a job `user_id` started: succeeded, failed, or needs attention (with why).
    pub async fn finish_automation(
        &self,
        job_id: &str,
        user_id: &str,
        status: JobStatus,
        reason: Option<Reason>,
        now: i64,
    ) -> Result<Job, DbError> {
        if matches!(status, JobStatus::Queued | JobStatus::Running) {
            return Err(DbError::Invalid(
                "a job ends as succeeded, failed or needs_attention".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let job = active_job_of(&mut tx, job_id, user_id).await?;
        end(&mut tx, job_id, status, reason, now).await?;
        let mut event = NewEvent::ok(&job.workspace_id, Action::AutomationFinished)
            .target("automation", job_id)
            .account(&job.account_id)
            .outcome(status.as_str());
        if let Some(reason) = reason {
            event = event.detail(detail(&[("reason", reason.as_str())]));
        }
        audit::append(&mut tx, self.actor(), event, now).await?;
        let job = job_in(&mut tx, job_id).await?;
        tx.commit().await?;
        Ok(job)
    }

    /// The jobs of the accounts `user_id` is a member of, newest first.
    pub async fn automation_jobs(&self, user_id: &str, query: &JobQuery) -> Result<Vec<Job>, DbError> {
        let mut sql = format!(
            "SELECT {JOB_COLUMNS} FROM automation_jobs j JOIN account_members m \
             ON m.account_id = j.account_id AND m.user_id = $1 WHERE 1 = 1"
        );
        let mut next = 2;
        if query.account_id.is_some() {
            sql.push_str(&format!(" AND j.account_id = ${next}"));
            next += 1;
        }
        if query.status.is_some() {
            sql.push_str(&format!(" AND j.status = ${next}"));
            next += 1;
        }
        sql.push_str(&format!(" ORDER BY j.created_at DESC, j.id LIMIT ${next}"));
        let mut q = sqlx::query(&sql).bind(user_id);
        if let Some(account) = &query.account_id {
            q = q.bind(account.clone());
        }
        if let Some(status) = query.status {
            q = q.bind(status.as_str());
        }
        let limit = if query.limit <= 0 {
            MAX_JOBS
        } else {
            query.limit.min(MAX_JOBS)
        };
        let rows = q.bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(job_from).collect()
    }

    /// One job and its steps, if `user_id` is a member of its account.
    pub async fn automation_job(&self, job_id: &str, user_id: &str) -> Result<(Job, Vec<JobStep>), DbError> {
        let row = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS} FROM automation_jobs j JOIN account_members m \
             ON m.account_id = j.account_id AND m.user_id = $2 WHERE j.id = $1"
        ))
        .bind(job_id)
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(DbError::NotFound("the automation job"))?;
        let job = job_from(&row)?;
        let rows = sqlx::query(
            "SELECT seq, line, kind, outcome, reason, at FROM automation_steps WHERE job_id = $1 ORDER BY seq",
        )
        .bind(job_id)
        .fetch_all(self.pool())
        .await?;
        let steps = rows
            .iter()
            .map(|r| {
                Ok(JobStep {
                    seq: col(r, "seq")?,
                    line: col(r, "line")?,
                    kind: col(r, "kind")?,
                    outcome: col(r, "outcome")?,
                    reason: col(r, "reason")?,
                    at: col(r, "at")?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        Ok((job, steps))
    }
}

async fn end(tx: &mut Tx, job_id: &str, status: JobStatus, reason: Option<Reason>, now: i64) -> Result<(), DbError> {
    sqlx::query("UPDATE automation_jobs SET status = $2, reason = $3, updated_at = $4, finished_at = $4 WHERE id = $1")
        .bind(job_id)
        .bind(status.as_str())
        .bind(reason.map(Reason::as_str))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
