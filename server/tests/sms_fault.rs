//! A crash in the middle of heavy SMS intake loses nothing and duplicates nothing: 10,000 signed
//! webhooks are posted 64 at a time, the server is killed with SIGKILL part way, restarted, and
//! every message that was not acknowledged is posted again (as Twilio retries). Every acknowledged
//! message must have been durable at the moment of its 200, and each MessageSid is stored once.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::sync::Semaphore;

use crate::support::sms::*;
use crate::support::TempDir;
use crate::support::{open_db, Server};

const MESSAGES: usize = 10_000;
const IN_FLIGHT: usize = 64;
/// Killed once this many were acknowledged: well inside the run, with requests in flight.
const KILL_AFTER: usize = 3_000;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Posts one signed form; true only for Twilio's "received" (200 with TwiML).
async fn post(client: &HttpClient, base: &str, form: Bytes, signature: &str) -> bool {
    let request = hyper::Request::post(format!("{base}{WEBHOOK_PATH}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", signature)
        .body(Full::new(form))
        .unwrap();
    let Ok(response) = client.request(request).await else {
        return false;
    };
    let status = response.status();
    match response.into_body().collect().await {
        Ok(body) => status == 200 && String::from_utf8_lossy(&body.to_bytes()).contains("<Response/>"),
        Err(_) => false,
    }
}

/// Posts the messages `which`, at most IN_FLIGHT at a time; returns which were acknowledged.
/// `acked` counts acknowledgements as they come, for the caller to decide when to crash the server.
async fn post_all(
    base: &str,
    forms: &Arc<Vec<(Bytes, String)>>,
    which: Vec<usize>,
    acked: Arc<AtomicUsize>,
) -> Vec<usize> {
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(IN_FLIGHT)
        .build_http();
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = tokio::task::JoinSet::new();
    for i in which {
        let permit = Arc::clone(&slots).acquire_owned().await.unwrap();
        let (client, base, forms, acked) = (client.clone(), base.to_string(), Arc::clone(forms), Arc::clone(&acked));
        tasks.spawn(async move {
            let _permit = permit;
            let (form, signature) = &forms[i];
            let ok = post(&client, &base, form.clone(), signature).await;
            if ok {
                acked.fetch_add(1, Ordering::SeqCst);
            }
            (i, ok)
        });
    }
    let mut done = Vec::new();
    while let Some(result) = tasks.join_next().await {
        let (i, ok) = result.unwrap();
        if ok {
            done.push(i);
        }
    }
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_intake_loses_no_acknowledged_sms_and_stores_none_twice() {
    let dir = TempDir::new("sms-fault");
    let mut server = Server::start_with_env(dir.path(), &server_flags(), &server_env());
    let db = open_db(dir.path()).await;
    let f = seed(&db, "+18005550107").await;

    let params: Vec<_> = (0..MESSAGES)
        .map(|i| {
            sms_params(
                &message_sid(0x5000_0000 + i as u128),
                "+14155550100",
                &f.number,
                &format!("Your code is {:06}", i * 7919 % 1_000_000),
            )
        })
        .collect();
    let signatures = sign_all(&params);
    let forms: Arc<Vec<(Bytes, String)>> = Arc::new(
        params
            .iter()
            .zip(signatures)
            .map(|(p, s)| (Bytes::from(encode(p)), s))
            .collect(),
    );
    let sid = |i: usize| message_sid(0x5000_0000 + i as u128);

    // Phase 1: post everything; SIGKILL the server once KILL_AFTER are acknowledged.
    let started = Instant::now();
    let acked = Arc::new(AtomicUsize::new(0));
    let first = {
        let (base, forms, acked) = (server.url.clone(), Arc::clone(&forms), Arc::clone(&acked));
        tokio::spawn(async move { post_all(&base, &forms, (0..MESSAGES).collect(), acked).await })
    };
    while acked.load(Ordering::SeqCst) < KILL_AFTER && !first.is_finished() {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill9();
    let killed_at = acked.load(Ordering::SeqCst);
    let acknowledged: HashSet<usize> = first.await.unwrap().into_iter().collect();
    let phase1 = started.elapsed();
    assert!(
        killed_at >= KILL_AFTER && acknowledged.len() < MESSAGES,
        "the kill came too late to test anything ({} of {MESSAGES} acknowledged)",
        acknowledged.len()
    );

    // Every acknowledged message was durable when it was acknowledged.
    let stored = db.sms_for_account(&f.account_id, 0, 2 * MESSAGES as i64).await.unwrap();
    let stored_sids: HashSet<&str> = stored.iter().map(|m| m.provider_message_id.as_str()).collect();
    let lost: Vec<usize> = acknowledged
        .iter()
        .copied()
        .filter(|&i| !stored_sids.contains(sid(i).as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged messages were lost, e.g. #{}",
        lost.len(),
        lost[0]
    );
    assert_eq!(stored_sids.len(), stored.len(), "a message was stored twice");
    // Some were stored but not acknowledged (in flight at the kill): Twilio retries those too.
    let in_flight_stored = stored.len() - acknowledged.len();

    // Phase 2: restart and retry everything not acknowledged, as Twilio would; all succeed now.
    server.restart();
    let retry: Vec<usize> = (0..MESSAGES).filter(|i| !acknowledged.contains(i)).collect();
    let retried = retry.len();
    let second = post_all(&server.url, &forms, retry, Arc::new(AtomicUsize::new(0))).await;
    assert_eq!(
        second.len(),
        retried,
        "every retry is acknowledged once the server is back"
    );

    // Each MessageSid exactly once, all of them there, and each still opens to its text.
    assert_eq!(
        db.count_sms("twilio").await.unwrap(),
        (MESSAGES as i64, MESSAGES as i64)
    );
    let stored = db.sms_for_account(&f.account_id, 0, 2 * MESSAGES as i64).await.unwrap();
    let sids: HashSet<String> = stored.iter().map(|m| m.provider_message_id.clone()).collect();
    assert!((0..MESSAGES).all(|i| sids.contains(&sid(i))));
    for m in stored.iter().step_by(997) {
        let i = (u128::from_str_radix(&m.provider_message_id[2..], 16).unwrap() - 0x5000_0000) as usize;
        let envelope = latchkey_core::vault::Envelope::from_bytes(m.sealed.clone()).unwrap();
        let context = latchkey_core::vault::Context::sms(&f.workspace_id, &f.account_id, &m.provider_message_id);
        let sms = latchkey_core::vault::Sms::open(&f.inbox, &envelope, &context).unwrap();
        assert_eq!(sms.text, format!("Your code is {:06}", i * 7919 % 1_000_000));
    }
    eprintln!(
        "sms_fault: {} acknowledged before the kill ({:.1}s), {in_flight_stored} stored but unacknowledged, \
         {retried} retried, total {:.1}s",
        acknowledged.len(),
        phase1.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
