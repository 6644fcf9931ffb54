//! Automation jobs over real HTTP (SQLite): an owner queues a job, the runner reports its steps
//! and its end, the Automation Log lists jobs by account and status with each step's outcome,
//! and the audit log records `automation.*` events.

use serde_json::{json, Value};

use crate::support::world::NewAccount;
use crate::support::TempDir;
use crate::support::{member, now, open_db, Server};
use latchkey::domain::Role;

fn start_path(account: &str) -> String {
    format!("/accounts/{account}/automations")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_runs_its_steps_and_the_log_shows_them() {
    let dir = TempDir::new("automations-log");
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    let bob = member(&server, &db, &ws, "bob@acme.test", Role::User).await;
    let northwind = alice
        .create_account(NewAccount {
            name: "Northwind",
            site: "demo.localhost",
            app: None,
        })
        .await;
    let other = alice.create_account(NewAccount::default()).await;
    alice.share(&northwind, &bob, "member", 0).await;

    let job = alice
        .post(&start_path(&northwind), json!({"task": "turn-on-totp"}))
        .await
        .expect(201)
        .clone();
    assert_eq!(
        (job["status"].as_str(), job["task"].as_str()),
        (Some("queued"), Some("turn-on-totp"))
    );
    assert_eq!(job["startedBy"], alice.user.id.as_str());
    let id = job["id"].as_str().unwrap().to_string();

    for (line, kind, outcome, reason) in [
        (7, "open", "ok", None::<&str>),
        (9, "when", "skipped", None),
        (16, "when", "ok", None),
        (17, "fill", "ok", None),
        (21, "read", "ok", None),
    ] {
        let body = json!({"line": line, "kind": kind, "outcome": outcome, "reason": reason});
        let job = alice
            .post(&format!("/automations/{id}/steps"), body)
            .await
            .expect(200)
            .clone();
        assert_eq!(job["status"], "running");
    }
    let done = alice
        .post(&format!("/automations/{id}/finish"), json!({"status": "succeeded"}))
        .await
        .expect(200)
        .clone();
    assert_eq!(done["status"], "succeeded");
    assert!(done["finishedAt"].as_i64().is_some());

    // A failed job on another account, for the filters.
    let failed = alice
        .post(&start_path(&other), json!({"task": "add-number"}))
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    alice
        .post(
            &format!("/automations/{failed}/steps"),
            json!({"line": 12, "kind": "fill", "outcome": "failed", "reason": "element_missing"}),
        )
        .await
        .expect(200);
    alice
        .post(
            &format!("/automations/{failed}/finish"),
            json!({"status": "failed", "reason": "element_missing"}),
        )
        .await
        .expect(200);

    let all = alice.get("/automations").await.expect(200)["jobs"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(all.len(), 2);
    let ids: Vec<&str> = all.iter().filter_map(|j| j["id"].as_str()).collect();
    assert!(ids.contains(&id.as_str()) && ids.contains(&failed.as_str()), "{ids:?}");
    let by_status = alice.get("/automations?status=failed").await.expect(200)["jobs"].clone();
    assert_eq!(by_status.as_array().unwrap().len(), 1);
    assert_eq!(by_status[0]["reason"], "element_missing");
    let by_account = alice
        .get(&format!("/automations?account={northwind}"))
        .await
        .expect(200)["jobs"]
        .clone();
    assert_eq!(by_account.as_array().unwrap().len(), 1);
    assert_eq!(by_account[0]["id"], id.as_str());

    // Bob, a member of Northwind only, sees its job and its steps, not the other account's.
    let bobs = bob.get("/automations").await.expect(200)["jobs"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(bobs.iter().map(|j| j["id"].clone()).collect::<Vec<_>>(), [json!(id)]);
    let shown = bob.get(&format!("/automations/{id}")).await.expect(200).clone();
    let steps = shown["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 5);
    assert_eq!(
        (steps[1]["line"].as_i64(), steps[1]["outcome"].as_str()),
        (Some(9), Some("skipped"))
    );
    bob.get(&format!("/automations/{failed}"))
        .await
        .expect_error(404, "not_found");

    // The audit log has the job's events, with no more than ids, kinds and reasons.
    let events = alice.audit_events("", 100).await;
    let actions: Vec<&str> = events
        .iter()
        .filter_map(|e| e["action"].as_str())
        .filter(|a| a.starts_with("automation."))
        .collect();
    assert_eq!(actions.iter().filter(|a| **a == "automation.queued").count(), 2);
    assert_eq!(actions.iter().filter(|a| **a == "automation.step").count(), 6);
    assert_eq!(actions.iter().filter(|a| **a == "automation.finished").count(), 2);
    let finished: Vec<&Value> = events.iter().filter(|e| e["action"] == "automation.finished").collect();
    assert!(finished.iter().any(|e| e["outcome"] == "failed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_take_only_known_words() {
    let dir = TempDir::new("automations-words");
    let server = Server::start(dir.path(), &[]);
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap().id;
    let alice = member(&server, &db, &ws, "alice@acme.test", Role::Admin).await;
    let account = alice.create_account(NewAccount::default()).await;
    alice
        .post(&start_path(&account), json!({"task": "delete-account"}))
        .await
        .expect_error(422, "invalid");
    let id = alice
        .post(&start_path(&account), json!({"task": "turn-on-sms"}))
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let steps = format!("/automations/{id}/steps");
    for bad in [
        json!({"line": 1, "kind": "type", "outcome": "ok"}),
        json!({"line": 1, "kind": "open", "outcome": "great"}),
        json!({"line": 0, "kind": "open", "outcome": "ok"}),
        json!({"line": 1, "kind": "open", "outcome": "ok", "reason": "the page said: JBSWY3DPEHPK3PXP"}),
        json!({"line": 1, "kind": "open", "outcome": "ok", "selector": "#secret"}),
    ] {
        let reply = alice.post(&steps, bad.clone()).await;
        assert!(matches!(reply.status, 400 | 422), "{bad}: {}", reply.text);
    }
    alice
        .post(&format!("/automations/{id}/finish"), json!({"status": "running"}))
        .await
        .expect_error(422, "invalid");
    alice
        .post(
            &format!("/automations/{id}/finish"),
            json!({"status": "needs_attention", "reason": "tab_closed"}),
        )
        .await
        .expect(200);
    // An ended job takes no more reports.
    alice
        .post(&steps, json!({"line": 1, "kind": "open", "outcome": "ok"}))
        .await
        .expect_error(409, "conflict");
    alice.get("/automations?status=done").await.expect_error(422, "invalid");
    alice.get("/automations/not-a-job").await.expect_error(404, "not_found");
}

/// The words of one table of `extension/pages/automation-words.js`: its keys (a key starts a line
/// at two spaces' indent; a sentence that wraps continues at four).
fn words_of_table(js: &str, table: &str) -> Vec<String> {
    let start = js
        .find(&format!("export const {table} = {{"))
        .unwrap_or_else(|| panic!("automation-words.js lacks {table}"));
    let body = &js[start..start + js[start..].find("\n};").unwrap()];
    let mut words: Vec<String> = body
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .map(|l| l.trim().split(':').next().unwrap().trim_matches('\'').to_string())
        .collect();
    words.sort_unstable();
    words
}

fn sorted(words: impl IntoIterator<Item = &'static str>) -> Vec<String> {
    let mut v: Vec<String> = words.into_iter().map(str::to_string).collect();
    v.sort_unstable();
    v
}

/// The extension keeps its own table of the jobs' words (what each says to a person, and the
/// only words its worker accepts from the server): it names every word the server records, and
/// nothing else, so that the two cannot drift apart.
#[test]
fn the_extensions_word_table_names_every_job_word() {
    use latchkey::db::{JobStatus, Reason, StepKind, StepOutcome};
    use latchkey_core::automation::Task;
    let js = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../extension/pages/automation-words.js"
    ))
    .unwrap();
    // Written out with a match, so that a new task fails to compile here until it is listed.
    let tasks = [Task::TurnOnTotp, Task::AddNumber, Task::TurnOnSms].map(|t| match t {
        Task::TurnOnTotp | Task::AddNumber | Task::TurnOnSms => t.name(),
    });
    assert_eq!(words_of_table(&js, "TASKS"), sorted(tasks));
    assert_eq!(
        words_of_table(&js, "STATUSES"),
        sorted(JobStatus::ALL.iter().map(|s| s.as_str()))
    );
    assert_eq!(
        words_of_table(&js, "STEP_KINDS"),
        sorted(StepKind::ALL.iter().map(|s| s.as_str()))
    );
    assert_eq!(
        words_of_table(&js, "OUTCOMES"),
        sorted(StepOutcome::ALL.iter().map(|s| s.as_str()))
    );
    assert_eq!(
        words_of_table(&js, "REASONS"),
        sorted(Reason::ALL.iter().map(|s| s.as_str()))
    );
}
