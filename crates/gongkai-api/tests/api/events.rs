//! The event feed: an outbox written with each write, in commit order, within each
//! reader's reach, with long polling.

use std::time::{Duration, Instant};

use diesel::Connection;
use gongkai_core::auth::Role;
use gongkai_core::events::EventType;
use gongkai_core::quota::{QuotaPeriod, QuotaRule, Scope};
use gongkai_store::events::{self, NewEvent};
use gongkai_store::quotas::{self, QuotaSpec};
use gongkai_store::{Actor, StoreError};
use serde_json::{Value, json};

use crate::disclosure_support::{application, register_id};
use crate::support::*;

fn types(body: &Value) -> Vec<String> {
    body["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().into()).collect()
}

fn ids(body: &Value) -> Vec<i64> {
    body["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect()
}

fn spec() -> QuotaSpec {
    QuotaSpec {
        rule: QuotaRule::Count { min: 1, period: QuotaPeriod::Quarter },
        scope: Scope::Task,
        source: String::new(),
    }
}

#[actix_web::test]
async fn writes_become_events_in_commit_order_and_rolled_back_ones_none() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let dzb = unit_id(&app, "党政办");
    let admin = app.token(Role::Admin, None);
    let coord = app.token(Role::Coordinator, Some(gov));
    let task = task_id(&app, 23);

    // The seed's import is the first event.
    let r = send(&svc, get("/api/v1/events", &admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(types(&r.body), ["plan.imported"]);
    let start = r.body["next_cursor"].as_str().unwrap().to_string();
    assert_eq!(start, r.body["items"][0]["id"].to_string());

    // A quota, evidence, a progress move: three events, in that order.
    let q = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task}/quotas"),
            &coord,
            &json!({"kind": "count", "min": 1, "period": "quarter"}),
        ),
    )
    .await;
    assert_eq!(q.status, 201, "{}", q.text);
    let quota = q.body["id"].as_i64().unwrap();
    let e = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task}/evidence"),
            &app.token(Role::Unit, Some(dzb)),
            &json!({"occurred_on": "2021-03-15", "title": "更新", "unit_id": dzb}),
        ),
    )
    .await;
    assert_eq!(e.status, 201, "{}", e.text);
    // A write refused (422) leaves no event.
    let bad = send(
        &svc,
        post_json(&format!("/api/v1/tasks/{task}/quotas"), &coord, &json!({"kind": "count"})),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    // A write whose transaction rolls back after its event was appended leaves none.
    let mut conn = app.conn();
    let rolled: Result<(), StoreError> = conn.transaction(|c| {
        quotas::create(c, &Actor::system("test"), task, &spec())?;
        Err(StoreError::Internal("rolled back on purpose".into()))
    });
    assert!(rolled.is_err());

    let r = send(&svc, get(&format!("/api/v1/events?after={start}"), &admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(types(&r.body), ["quota.created", "evidence.recorded"]);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items[0]["path"], format!("/api/v1/quotas/{quota}"));
    assert_eq!(items[0]["resource_id"], quota);
    assert_eq!(items[0]["plan_id"], 1);
    assert_eq!(items[0]["unit_id"], Value::Null);
    assert_eq!(items[0]["data"]["task_id"], task);
    assert_eq!(items[1]["unit_id"], dzb);
    assert_eq!(items[1]["path"], format!("/api/v1/evidence/{}", e.body["id"]));
    let ids = ids(&r.body);
    assert!(ids[0] < ids[1]);
    // The cursor goes on from the last event; paging by `limit` sees the same.
    let next = r.body["next_cursor"].as_str().unwrap();
    assert_eq!(next, ids[1].to_string());
    let r = send(&svc, get(&format!("/api/v1/events?after={next}"), &admin)).await;
    assert!(r.body["items"].as_array().unwrap().is_empty());
    assert_eq!(r.body["next_cursor"], next);
    let p = send(&svc, get(&format!("/api/v1/events?after={start}&limit=1"), &admin)).await;
    assert_eq!(ids_of(&p.body), [ids[0]]);
    let r =
        send(&svc, get(&format!("/api/v1/events?after={start}&types=evidence.recorded"), &admin))
            .await;
    assert_eq!(types(&r.body), ["evidence.recorded"]);
}

fn ids_of(body: &Value) -> Vec<i64> {
    ids(body)
}

/// An event appended by a transaction still open holds back every later append until it
/// commits: ids become visible in increasing order, so a cursor never skips one.
#[actix_web::test]
async fn a_later_append_waits_for_the_open_one_to_commit() {
    let app = TestApp::seeded();
    let url = app.db.url.clone();
    let (appended_tx, appended_rx) = std::sync::mpsc::channel();
    let first = std::thread::spawn(move || {
        let mut c = diesel::PgConnection::establish(&url).unwrap();
        c.transaction(|c| {
            let e = NewEvent::new(
                EventType::PlanPublished,
                "/api/v1/plans/1".into(),
                Some(1),
                json!({}),
            );
            let id = events::emit(c, e.plan(1))?;
            appended_tx.send(id).unwrap();
            std::thread::sleep(Duration::from_millis(600));
            Ok::<_, StoreError>((id, Instant::now()))
        })
        .unwrap()
    });
    let first_id = appended_rx.recv().unwrap();
    // While the first is open, a reader sees nothing after the seed's event.
    let mut reader = app.conn();
    let everything = |c: &mut diesel::PgConnection| {
        events::list(
            c,
            &events::EventQuery {
                after: 0,
                types: vec![],
                reach: events::Reach::Everything,
                limit: 100,
            },
        )
        .unwrap()
    };
    assert_eq!(everything(&mut reader).len(), 1);
    let mut c = app.conn();
    let second = c
        .transaction(|c| {
            let e = NewEvent::new(
                EventType::PlanPublished,
                "/api/v1/plans/1".into(),
                Some(1),
                json!({}),
            );
            events::emit(c, e.plan(1))
        })
        .unwrap();
    let second_done = Instant::now();
    let (first_committed_id, first_done) = first.join().unwrap();
    assert_eq!(first_committed_id, first_id);
    assert!(second_done >= first_done, "the second append waited for the first commit");
    assert!(second > first_id);
    let all: Vec<i64> = everything(&mut reader).iter().map(|e| e.id).collect();
    assert_eq!(&all[1..], [first_id, second]);
}

#[actix_web::test]
async fn each_reader_sees_the_events_within_its_reach_and_no_personal_data() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let (dzb, jfj) = (unit_id(&app, "党政办"), unit_id(&app, "经发局"));
    let coord = app.token(Role::Coordinator, Some(gov));
    let task = task_id(&app, 23); // 党政办 leads, 经发局 cooperates
    for unit in [dzb, jfj] {
        let r = send(
            &svc,
            post_json(
                &format!("/api/v1/tasks/{task}/evidence"),
                &coord,
                &json!({"occurred_on": "2021-03-15", "title": "更新", "unit_id": unit}),
            ),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let request = register_id(&svc, &coord, &application(dzb, "2021-03-01")).await;

    let seen = |token: String| {
        let svc = &svc;
        async move {
            let r = send(svc, get("/api/v1/events?types=plan.imported,evidence.recorded,disclosure_request.registered", &token)).await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| (e["type"].as_str().unwrap().to_string(), e["unit_id"].as_i64()))
                .collect::<Vec<_>>()
        }
    };
    let all = vec![
        ("plan.imported".to_string(), None),
        ("evidence.recorded".to_string(), Some(dzb)),
        ("evidence.recorded".to_string(), Some(jfj)),
        ("disclosure_request.registered".to_string(), Some(dzb)),
    ];
    assert_eq!(seen(app.token(Role::Admin, None)).await, all);
    assert_eq!(seen(coord.clone()).await, all);
    assert_eq!(seen(app.token(Role::Viewer, None)).await, all);
    // A unit: its own events and its city's plan-wide ones.
    assert_eq!(
        seen(app.token(Role::Unit, Some(dzb))).await,
        [all[0].clone(), all[1].clone(), all[3].clone()]
    );
    assert_eq!(seen(app.token(Role::Unit, Some(jfj))).await, [all[0].clone(), all[2].clone()]);
    // A coordinator limited to 经发局: its subtree only (the plan is the city's).
    assert_eq!(seen(app.token(Role::Coordinator, Some(jfj))).await, [all[2].clone()]);

    // Ids only: nothing of the applicant.
    let r = send(&svc, get("/api/v1/events", &app.token(Role::Admin, None))).await;
    for secret in ["张三", "440781199001011234", "13800138000", "长沙街道", "财政预算"] {
        assert!(!r.text.contains(secret), "{secret} leaked into the feed: {}", r.text);
    }
    assert!(r.text.contains(&format!("/api/v1/disclosure-requests/{request}")));
}

#[actix_web::test]
async fn a_long_poll_answers_when_an_event_commits() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let _follower =
        gongkai_api::events::signal::follow(app.db.url.clone(), app.state.events.clone()).unwrap();
    let admin = app.token(Role::Admin, None);
    let after = send(&svc, get("/api/v1/events", &admin)).await.body["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();

    // Nothing comes: the answer is empty once the wait is over.
    let t = Instant::now();
    let r = send(&svc, get(&format!("/api/v1/events?after={after}&wait=1"), &admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body["items"].as_array().unwrap().is_empty());
    assert!(t.elapsed() >= Duration::from_millis(900), "{:?}", t.elapsed());

    // A write on another connection, as another instance would make it, ends the wait.
    let task = task_id(&app, 23);
    let mut conn = app.conn();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        quotas::create(&mut conn, &Actor::system("test"), task, &spec()).unwrap()
    });
    let t = Instant::now();
    let r = send(&svc, get(&format!("/api/v1/events?after={after}&wait=20"), &admin)).await;
    let waited = t.elapsed();
    writer.join().unwrap();
    assert_eq!(types(&r.body), ["quota.created"], "{}", r.text);
    assert!(waited >= Duration::from_millis(400), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "woken by the event, not the timeout: {waited:?}");
}

#[actix_web::test]
async fn bad_cursors_kinds_limits_and_waits_are_named() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    for (query, field) in [
        ("after=abc", "after"),
        ("after=-1", "after"),
        ("types=plan.deleted", "types"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("wait=31", "wait"),
    ] {
        let r = send(&svc, get(&format!("/api/v1/events?{query}"), &admin)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), [field], "{query}");
    }
    send(&svc, actix_web::test::TestRequest::get().uri("/api/v1/events"))
        .await
        .assert_problem(401, "unauthorized");
}
