//! Automation jobs (issue 20): the extension's job runner queues a job for an account, reports
//! each step's outcome and how the job ended; the dashboard's Automation Log lists them. The
//! server keeps ids, fixed words and line numbers only (`crate::db` refuses anything else), and
//! lets one job at a time run per account.
//!
//! Account owners start jobs (they manage the account's MFA); members of the account read its
//! jobs; only the user who started a job reports on it.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

use super::accounts::{member_access, owner_access};
use super::auth::Trusted;
use super::body::{ok, reply, Json};
use super::error::{ApiError, ApiResult};
use crate::db::{Job, JobQuery, JobStatus, JobStep, Reason, StepKind, StepOutcome, StepReport};
use crate::serve::state::{now_unix, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts/{id}/automations", post(start))
        .route("/automations", get(list))
        .route("/automations/{id}", get(show))
        .route("/automations/{id}/steps", post(step))
        .route("/automations/{id}/finish", post(finish))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JobView {
    id: String,
    account_id: String,
    task: String,
    started_by: String,
    started_device: Option<String>,
    status: String,
    reason: Option<String>,
    created_at: i64,
    updated_at: i64,
    finished_at: Option<i64>,
}

fn job_view(job: Job) -> JobView {
    JobView {
        id: job.id,
        account_id: job.account_id,
        task: job.task,
        started_by: job.started_by,
        started_device: job.started_device,
        status: job.status,
        reason: job.reason,
        created_at: job.created_at,
        updated_at: job.updated_at,
        finished_at: job.finished_at,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StepView {
    seq: i64,
    line: i64,
    kind: String,
    outcome: String,
    reason: Option<String>,
    at: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartBody {
    task: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepBody {
    line: i64,
    kind: String,
    outcome: String,
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FinishBody {
    status: String,
    reason: Option<String>,
}

fn reason_of(reason: Option<&str>) -> ApiResult<Option<Reason>> {
    match reason {
        None => Ok(None),
        Some(text) => Reason::parse(text)
            .map(Some)
            .ok_or_else(|| ApiError::invalid(format!("{text:?} is not a known reason (docs/api.md)"))),
    }
}

fn job_id(id: &str) -> ApiResult<&str> {
    if id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(id)
    } else {
        Err(ApiError::not_found("there is no such automation job"))
    }
}

async fn start(
    State(state): State<AppState>,
    who: Trusted,
    Path(id): Path<String>,
    Json(body): Json<StartBody>,
) -> ApiResult<Response> {
    owner_access(&state, &who, &id).await?;
    if !crate::db::task_known(&body.task) {
        return Err(ApiError::invalid(
            "task must be turn-on-totp, add-number or turn-on-sms",
        ));
    }
    let job = who
        .db(&state)
        .start_automation(&id, &body.task, &who.user.id, Some(&who.device.id), now_unix())
        .await?;
    Ok(reply(StatusCode::CREATED, &job_view(job)))
}

async fn list(
    State(state): State<AppState>,
    who: Trusted,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let mut filter = JobQuery::default();
    if let Some(account) = query.get("account") {
        member_access(&state, &who, account).await?;
        filter.account_id = Some(account.clone());
    }
    if let Some(status) = query.get("status") {
        filter.status = Some(JobStatus::parse(status).ok_or_else(|| {
            ApiError::invalid("status must be queued, running, needs_attention, succeeded or failed")
        })?);
    }
    if let Some(limit) = query.get("limit") {
        filter.limit = limit
            .parse()
            .map_err(|_| ApiError::invalid("limit must be a whole number"))?;
    }
    let jobs = state.db.automation_jobs(&who.user.id, &filter).await?;
    Ok(ok(&serde_json::json!({
        "jobs": jobs.into_iter().map(job_view).collect::<Vec<_>>()
    })))
}

async fn show(State(state): State<AppState>, who: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    let (job, steps) = state.db.automation_job(job_id(&id)?, &who.user.id).await?;
    let steps: Vec<StepView> = steps.into_iter().map(step_view).collect();
    Ok(ok(&serde_json::json!({ "job": job_view(job), "steps": steps })))
}

fn step_view(s: JobStep) -> StepView {
    StepView {
        seq: s.seq,
        line: s.line,
        kind: s.kind,
        outcome: s.outcome,
        reason: s.reason,
        at: s.at,
    }
}

async fn step(
    State(state): State<AppState>,
    who: Trusted,
    Path(id): Path<String>,
    Json(body): Json<StepBody>,
) -> ApiResult<Response> {
    let report = StepReport {
        line: body.line,
        kind: StepKind::parse(&body.kind)
            .ok_or_else(|| ApiError::invalid(format!("{:?} is not a step kind", body.kind)))?,
        outcome: StepOutcome::parse(&body.outcome)
            .ok_or_else(|| ApiError::invalid("outcome must be ok, skipped or failed"))?,
        reason: reason_of(body.reason.as_deref())?,
    };
    if !(1..=100_000).contains(&report.line) {
        return Err(ApiError::invalid("line must be the automation's line number"));
    }
    let job = who
        .db(&state)
        .record_automation_step(job_id(&id)?, &who.user.id, report, now_unix())
        .await?;
    Ok(ok(&job_view(job)))
}

async fn finish(
    State(state): State<AppState>,
    who: Trusted,
    Path(id): Path<String>,
    Json(body): Json<FinishBody>,
) -> ApiResult<Response> {
    let status = match JobStatus::parse(&body.status) {
        Some(s @ (JobStatus::Succeeded | JobStatus::Failed | JobStatus::NeedsAttention)) => s,
        _ => return Err(ApiError::invalid("status must be succeeded, failed or needs_attention")),
    };
    let reason = reason_of(body.reason.as_deref())?;
    let job = who
        .db(&state)
        .finish_automation(job_id(&id)?, &who.user.id, status, reason, now_unix())
        .await?;
    Ok(ok(&job_view(job)))
}
