//! SMS intake against the release server (`target/release/latchkey serve`, as `cargo bench` builds
//! it), over real HTTP on loopback:
//!
//! - intake throughput: N signed Twilio webhooks, 64 in flight, each verified, sealed and durably
//!   stored before its 200, against a same-run baseline of `/healthz` (one database round trip)
//!   with the same client and concurrency;
//! - the wait endpoint's latency: from the start of a POST to the moment a parked
//!   `GET /inbox/wait` has answered with the message, p50 and p99 over 200 samples;
//! - the same two with PostgreSQL and two instances (post to A, waiter on B: the LISTEN/NOTIFY relay).
//!
//! Client and server share the machine, so absolute numbers are a floor; the ratio to `/healthz`
//! is the honest one. `--json` prints one JSON object instead of the table.

// The tests' support crate: the bench starts the server as the tests do (one launcher).
use latchkey_test_support as support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::sync::Semaphore;

use latchkey::db::{Db, Target};
use support::sms::*;
use support::{now, open_db, trusted_device, Server};
use support::{Postgres, TempDir};

const INTAKE: usize = 20_000;
const INTAKE_PG: usize = 5_000;
const BASELINE: usize = 20_000;
const IN_FLIGHT: usize = 64;
const SAMPLES: usize = 200;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(IN_FLIGHT)
        .build_http()
}

struct Forms {
    base: u128,
    number: String,
}

impl Forms {
    fn make(&self, i: usize) -> (Bytes, String) {
        let params = sms_params(
            &message_sid(self.base + i as u128),
            "+14155550100",
            &self.number,
            &format!("Your Northwind code is {:06}. Don't share it.", i * 7919 % 1_000_000),
        );
        let signature = twilio_signature(AUTH_TOKEN, &format!("{PUBLIC_URL}{WEBHOOK_PATH}"), &params);
        (Bytes::from(encode(&params)), signature)
    }
}

async fn send(client: &HttpClient, request: hyper::Request<Full<Bytes>>) -> bool {
    match client.request(request).await {
        Ok(response) => {
            let ok = response.status() == 200;
            ok && response.into_body().collect().await.is_ok()
        }
        Err(_) => false,
    }
}

fn post_request(base: &str, form: &(Bytes, String)) -> hyper::Request<Full<Bytes>> {
    hyper::Request::post(format!("{base}{WEBHOOK_PATH}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", &form.1)
        .body(Full::new(form.0.clone()))
        .unwrap()
}

/// Sends `requests` with IN_FLIGHT at a time; returns requests per second. Panics on any failure.
async fn hammer(requests: Vec<hyper::Request<Full<Bytes>>>) -> f64 {
    let n = requests.len();
    let client = client();
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for request in requests {
        let permit = Arc::clone(&slots).acquire_owned().await.unwrap();
        let client = client.clone();
        tasks.spawn(async move {
            let _permit = permit;
            send(&client, request).await
        });
    }
    let mut failed = 0;
    while let Some(ok) = tasks.join_next().await {
        failed += usize::from(!ok.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(failed, 0, "{failed} of {n} requests failed");
    n as f64 / elapsed
}

/// POST → parked waiter answered, SAMPLES times; the waiter asks `wait_base`, the post goes to `post_base`.
async fn wait_latency(
    db: &Db,
    (post_base, wait_base): (&str, &str),
    token: &str,
    forms: &Forms,
    first: usize,
) -> Vec<Duration> {
    let client = client();
    let mut last: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COALESCE(MAX(seq), 0) AS last FROM sms_messages")
            .fetch_one(db.pool())
            .await
            .unwrap(),
        "last",
    );
    let mut samples = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let request = hyper::Request::get(format!("{wait_base}/api/v1/inbox/wait?after={last}&timeout=10"))
            .header("authorization", format!("Bearer {token}"))
            .body(Full::new(Bytes::new()))
            .unwrap();
        let waiter = {
            let client = client.clone();
            tokio::spawn(async move {
                let response = client.request(request).await.unwrap();
                assert_eq!(response.status(), 200);
                let body = response.into_body().collect().await.unwrap().to_bytes();
                (
                    Instant::now(),
                    serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
                )
            })
        };
        // Parked on the notifier before the post.
        tokio::time::sleep(Duration::from_millis(30)).await;
        let posted = Instant::now();
        assert!(send(&client, post_request(post_base, &forms.make(first + i))).await);
        let (answered, body) = waiter.await.unwrap();
        assert_eq!(
            body["messages"].as_array().unwrap().len(),
            1,
            "one new message after {last}"
        );
        last = body["last"].as_i64().unwrap();
        samples.push(answered.saturating_duration_since(posted));
    }
    samples.sort();
    samples
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

struct Row {
    name: &'static str,
    value: f64,
    unit: &'static str,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let mut rows = Vec::new();

    // SQLite, one instance.
    let dir = TempDir::new("bench-intake");
    let server = Server::start_with_env(dir.path(), &server_flags(), &server_env());
    let db = open_db(dir.path()).await;
    let f = seed(&db, "+18005550150").await;
    let forms = Forms {
        base: 0x1000_0000,
        number: f.number.clone(),
    };
    let healthz = |n: usize| -> Vec<_> {
        (0..n)
            .map(|_| {
                hyper::Request::get(format!("{}/healthz", server.url))
                    .body(Full::new(Bytes::new()))
                    .unwrap()
            })
            .collect()
    };
    hammer(healthz(2_000)).await; // warm-up
    let baseline = hammer(healthz(BASELINE)).await;
    let signed: Vec<_> = (0..INTAKE).map(|i| forms.make(i)).collect();
    let intake = hammer(signed.iter().map(|form| post_request(&server.url, form)).collect()).await;
    assert_eq!(db.count_sms("twilio").await.unwrap().0, INTAKE as i64);
    let waits = wait_latency(&db, (&server.url, &server.url), &f.owner_token, &forms, INTAKE).await;
    rows.extend([
        Row {
            name: "sqlite: /healthz baseline",
            value: baseline,
            unit: "req/s",
        },
        Row {
            name: "sqlite: SMS intake",
            value: intake,
            unit: "msg/s",
        },
        Row {
            name: "sqlite: intake / baseline",
            value: intake / baseline,
            unit: "ratio",
        },
        Row {
            name: "sqlite: wait wake-up p50",
            value: percentile(&waits, 0.50),
            unit: "ms",
        },
        Row {
            name: "sqlite: wait wake-up p99",
            value: percentile(&waits, 0.99),
            unit: "ms",
        },
    ]);
    drop(server);

    // PostgreSQL, two instances on one database.
    let pg = Postgres::start();
    let url = pg.fresh_database("bench_intake").await;
    let (dir_a, dir_b) = (TempDir::new("bench-pg-a"), TempDir::new("bench-pg-b"));
    let flags: Vec<&str> = [server_flags(), vec!["--database-url", url.as_str()]].concat();
    let a = Server::start_with_env(dir_a.path(), &flags, &server_env());
    let b = Server::start_with_env(dir_b.path(), &flags, &server_env());
    let pg_db = Db::open(&Target::Postgres(url.clone()), now()).await.unwrap();
    let g = seed(&pg_db, "+18005550151").await;
    let reader = trusted_device(&pg_db, &g.owner, "Bench reader").await;
    let pg_forms = Forms {
        base: 0x2000_0000,
        number: g.number.clone(),
    };
    let signed: Vec<_> = (0..INTAKE_PG).map(|i| pg_forms.make(i)).collect();
    // Half to each instance, as behind a load balancer.
    let pg_intake = hammer(
        signed
            .iter()
            .enumerate()
            .map(|(i, form)| post_request(if i % 2 == 0 { &a.url } else { &b.url }, form))
            .collect(),
    )
    .await;
    assert_eq!(pg_db.count_sms("twilio").await.unwrap().0, INTAKE_PG as i64);
    let cross = wait_latency(&pg_db, (&a.url, &b.url), &reader, &pg_forms, INTAKE_PG).await;
    rows.extend([
        Row {
            name: "postgres: SMS intake (2 instances)",
            value: pg_intake,
            unit: "msg/s",
        },
        Row {
            name: "postgres: wake A→B p50",
            value: percentile(&cross, 0.50),
            unit: "ms",
        },
        Row {
            name: "postgres: wake A→B p99",
            value: percentile(&cross, 0.99),
            unit: "ms",
        },
    ]);

    if json {
        let object: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|r| {
                (
                    format!("{} ({})", r.name, r.unit),
                    serde_json::json!((r.value * 100.0).round() / 100.0),
                )
            })
            .collect();
        println!("{}", serde_json::Value::Object(object));
    } else {
        println!(
            "SMS intake, release build, {IN_FLIGHT} in flight, {INTAKE} messages (SQLite) / {INTAKE_PG} (PostgreSQL), \
             {SAMPLES} wait samples"
        );
        for r in &rows {
            println!("  {:<38} {:>10.2} {}", r.name, r.value, r.unit);
        }
    }
}
