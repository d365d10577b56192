//! Webhooks: registration (secret shown once, addresses guarded), signed deliveries in
//! order, retries, each event once with two workers on one database, the deliveries log
//! and redelivery.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::test::{self as atest, TestRequest};
use gongkai_api::CorsOrigins;
use gongkai_api::webhooks::guard::AllowHosts;
use gongkai_api::webhooks::worker::{Worker, WorkerConfig};
use gongkai_core::auth::Role;
use gongkai_core::webhook::RetryPolicy;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::support::*;

/// One post a receiver got.
#[derive(Debug, Clone)]
struct Received {
    event_id: i64,
    signature: String,
    body: Vec<u8>,
    answered: u16,
}

/// A local HTTP receiver answering 500 to its first `failures` posts, then 200.
fn receiver(failures: usize) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/hooks/gongkai", listener.local_addr().unwrap().port());
    let got: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                headers.push(line.trim_end().to_string());
            }
            let header = |name: &str| {
                headers
                    .iter()
                    .find_map(|h| {
                        let (k, v) = h.split_once(':')?;
                        k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
                    })
                    .unwrap_or_default()
            };
            let length: usize = header("content-length").parse().unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let mut log = log.lock().unwrap();
            let answered = if log.len() < failures { 500 } else { 200 };
            log.push(Received {
                event_id: header("gongkai-event-id").parse().unwrap_or(0),
                signature: header("gongkai-signature"),
                body,
                answered,
            });
            drop(log);
            let reason = if answered == 200 { "OK" } else { "Internal Server Error" };
            let _ = write!(
                stream,
                "HTTP/1.1 {answered} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (url, got)
}

/// Checks a signature as a receiver would, with its own HMAC.
fn verifies(secret: &str, signature: &str, body: &[u8]) -> bool {
    let mut t = "";
    let mut v1 = "";
    for part in signature.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = v,
            Some(("v1", v)) => v1 = v,
            _ => {}
        }
    }
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    let expected = hex::encode(mac.finalize().into_bytes());
    !t.is_empty() && expected == v1
}

fn quick_retries() -> WorkerConfig {
    WorkerConfig {
        retry: RetryPolicy {
            first_delay: Duration::from_millis(200),
            max_delay: Duration::from_millis(400),
            give_up_after: Duration::from_secs(3600),
        },
        timeout: Duration::from_secs(5),
        allow: AllowHosts::parse("127.0.0.1"),
        poll: Duration::from_millis(50),
        floor: Duration::from_millis(20),
    }
}

#[actix_web::test]
async fn deliveries_are_signed_retried_in_order_and_posted_once_by_two_instances() {
    let app = TestApp::seeded();
    let state = app.state.clone().with_webhook_allow_hosts(AllowHosts::parse("127.0.0.1"));
    let svc = atest::init_service(gongkai_api::app(state, CorsOrigins(vec![]))).await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let (url, got) = receiver(2);

    // Registered by a coordinator: limited to its unit, the secret shown once.
    let r = send(
        &svc,
        post_json("/api/v1/webhooks", &coord, &json!({"url": url, "types": ["quota.created"]})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    let hook = r.body["id"].as_i64().unwrap();
    let secret = r.body["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    assert_eq!(r.body["unit_id"], gov);
    let read = send(&svc, get(&format!("/api/v1/webhooks/{hook}"), &coord)).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert!(read.body.get("secret").is_none() && !read.text.contains(&secret));
    let stored = app.count(&format!(
        "SELECT count(*) AS n FROM webhooks WHERE position(convert_to('{secret}', 'UTF8') in secret_sealed) > 0"
    ));
    assert_eq!(stored, 0, "the secret is stored sealed");

    // Three quotas: three events for the webhook (evidence is not among its kinds).
    let task = task_id(&app, 23);
    let mut quotas = Vec::new();
    for min in 1..=3 {
        let q = send(
            &svc,
            post_json(
                &format!("/api/v1/tasks/{task}/quotas"),
                &coord,
                &json!({"kind": "count", "min": min, "period": "quarter"}),
            ),
        )
        .await;
        assert_eq!(q.status, 201, "{}", q.text);
        quotas.push(q.body["id"].as_i64().unwrap());
    }
    let ev = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task}/evidence"),
            &coord,
            &json!({"occurred_on": "2021-03-15", "title": "更新", "unit_id": unit_id(&app, "党政办")}),
        ),
    )
    .await;
    assert_eq!(ev.status, 201, "{}", ev.text);
    let feed = send(&svc, get("/api/v1/events?types=quota.created", &admin)).await;
    let event_ids: Vec<i64> =
        feed.body["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(event_ids.len(), 3);
    // The worker sleeps until the next delivery falls due: the head of the queue, due now.
    let next = gongkai_store::webhooks::next_attempt_at(&mut app.conn()).unwrap();
    assert!(next.is_some_and(|at| at <= chrono::Utc::now()), "{next:?}");

    // Two instances' workers, each on a pool of its own, on the one database.
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let w = Worker::new(app.db.pool(), &[7u8; 32], quick_retries()).unwrap();
            let done = got.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                while started.elapsed() < Duration::from_secs(20) {
                    w.run_due().unwrap();
                    if done.lock().unwrap().iter().filter(|r| r.answered == 200).count() >= 3 {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    // A little longer, so that a second delivery of anything would have arrived.
    std::thread::sleep(Duration::from_millis(500));
    let posts = got.lock().unwrap().clone();
    // Failed twice (the first event), then each event once, in commit order.
    let answered: Vec<(i64, u16)> = posts.iter().map(|p| (p.event_id, p.answered)).collect();
    assert_eq!(
        answered,
        [
            (event_ids[0], 500),
            (event_ids[0], 500),
            (event_ids[0], 200),
            (event_ids[1], 200),
            (event_ids[2], 200),
        ]
    );
    for p in &posts {
        assert!(verifies(&secret, &p.signature, &p.body), "{p:?}");
        assert!(!verifies("whsec_wrong", &p.signature, &p.body));
        let body: Value = serde_json::from_slice(&p.body).unwrap();
        assert_eq!(body["id"], p.event_id);
        assert_eq!(body["type"], "quota.created");
    }

    // The deliveries log: every attempt, with the receiver's status.
    let log = send(&svc, get(&format!("/api/v1/webhooks/{hook}/deliveries"), &coord)).await;
    assert_eq!(log.status, 200, "{}", log.text);
    let items = log.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|d| d["status"] == "delivered"));
    let codes: Vec<i64> = items[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [500, 500, 200]);
    assert_eq!(items[1]["attempts"].as_array().unwrap().len(), 1);
    // Nothing pending: nothing to wake for but new events.
    assert_eq!(gongkai_store::webhooks::next_attempt_at(&mut app.conn()).unwrap(), None);

    // Redelivery: a new delivery of the same event, posted again.
    let first = items[0]["id"].as_i64().unwrap();
    let again = send(
        &svc,
        authed(
            TestRequest::post()
                .uri(&format!("/api/v1/webhooks/{hook}/deliveries/{first}/redeliver")),
            &coord,
        ),
    )
    .await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.body["redelivery_of"], first);
    assert_eq!(again.body["status"], "pending");
    Worker::new(app.db.pool(), &[7u8; 32], quick_retries()).unwrap().run_due().unwrap();
    let last = got.lock().unwrap().last().cloned().unwrap();
    assert_eq!((last.event_id, last.answered), (event_ids[0], 200));
}

#[actix_web::test]
async fn webhooks_are_guarded_managed_with_if_match_and_refused_to_others() {
    let app = TestApp::seeded();
    let svc = app.service().await; // no allowed hosts
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let jfj = unit_id(&app, "经发局");
    let hooks = "/api/v1/webhooks";

    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.0.0.8/hook",
        "http://169.254.169.254/latest",
        "ftp://example.com/x",
    ] {
        let r = send(&svc, post_json(hooks, &admin, &json!({"url": url}))).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), ["url"], "{url}");
    }
    let r = send(
        &svc,
        post_json(hooks, &admin, &json!({"url": "http://93.184.216.34/hook", "types": ["nope"]})),
    )
    .await;
    assert_eq!(r.fields(), ["types"]);
    // Units and viewers may not; a limited coordinator not for every event or elsewhere.
    for token in [app.token(Role::Unit, Some(jfj)), app.token(Role::Viewer, None)] {
        send(&svc, post_json(hooks, &token, &json!({"url": "http://93.184.216.34/h"})))
            .await
            .assert_problem(403, "forbidden");
    }
    let limited = app.token(Role::Coordinator, Some(jfj));
    send(
        &svc,
        post_json(hooks, &limited, &json!({"url": "http://93.184.216.34/h", "unit_id": gov})),
    )
    .await
    .assert_problem(403, "forbidden");
    // With an Idempotency-Key: refused, the secret's answer is never stored.
    let keyed = post_json(hooks, &admin, &json!({"url": "http://93.184.216.34/h"}))
        .insert_header(("Idempotency-Key", "k1"));
    let r = send(&svc, keyed).await;
    assert_eq!(r.status, 422, "{}", r.text);

    let r = send(&svc, post_json(hooks, &admin, &json!({"url": "http://93.184.216.34/h"}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["unit_id"], Value::Null);
    assert_eq!(audit_of(&app, "webhook", id), [("webhook.create".into(), "test-admin".into())]);
    let leaked = "SELECT count(*) AS n FROM audit_events WHERE after::text LIKE '%whsec_%'";
    assert_eq!(app.count(leaked), 0, "no secret in the audit trail");
    // The global webhook is out of a limited coordinator's reach.
    send(&svc, get(&format!("{hooks}/{id}"), &limited)).await.assert_problem(403, "forbidden");
    let listed = send(&svc, get(hooks, &limited)).await;
    assert!(listed.body["items"].as_array().unwrap().is_empty());
    assert_eq!(send(&svc, get(hooks, &admin)).await.body["items"].as_array().unwrap().len(), 1);

    let uri = format!("{hooks}/{id}");
    let etag = send(&svc, get(&uri, &admin)).await.header("etag").unwrap();
    send(&svc, authed(TestRequest::patch().uri(&uri), &admin).set_json(json!({"active": false})))
        .await
        .assert_problem(428, "precondition_required");
    let r = send(
        &svc,
        patch_json(&uri, &admin, &etag, &json!({"active": false, "types": ["deadline.overdue"]})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["active"], false);
    assert_eq!(r.body["types"], json!(["deadline.overdue"]));
    send(&svc, patch_json(&uri, &admin, &etag, &json!({"active": true})))
        .await
        .assert_problem(412, "precondition_failed");
    let etag = r.header("etag").unwrap();
    send(&svc, authed(TestRequest::delete().uri(&uri), &admin))
        .await
        .assert_problem(428, "precondition_required");
    let r = send(
        &svc,
        authed(TestRequest::delete().uri(&uri), &admin).insert_header(("If-Match", etag.as_str())),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text);
    send(&svc, get(&uri, &admin)).await.assert_problem(404, "not_found");
}
