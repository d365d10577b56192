//! Deadline reminders: the daily sweep, run for chosen days, announces quota deadlines,
//! within-N-working-days duties, rectification items and application replies once per
//! item and threshold — across restarts and concurrent runners — as events of the feed.
//!
//! The expected days are the hand-counted table of gongkai-core's tests/reminders.rs
//! (2021 National Day and Labour Day, the 2022 Spring Festival; seeds/cn-holidays.json).

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

use chrono::NaiveDate;
use gongkai_api::reminders::job::{Sweep, run, sweep};
use gongkai_core::auth::Role;
use gongkai_core::disclosure::ClockSettings;
use gongkai_core::events::EventType;
use gongkai_store::events::{self, Event, EventQuery, Reach};
use serde_json::json;

use crate::disclosure_support::{application, register_id};
use crate::support::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Every day from `from` to `to`, inclusive.
fn days(from: &str, to: &str) -> Vec<NaiveDate> {
    d(from).iter_days().take_while(|day| *day <= d(to)).collect()
}

fn sweep_on(app: &TestApp, day: NaiveDate) -> Sweep {
    sweep(&mut app.conn(), ClockSettings::default(), day).unwrap()
}

/// The reminder events stored, oldest first.
fn reminders(app: &TestApp) -> Vec<Event> {
    let q = EventQuery {
        after: 0,
        types: vec![EventType::DeadlineDueSoon, EventType::DeadlineOverdue],
        reach: Reach::Everything,
        limit: 100_000,
    };
    events::list(&mut app.conn(), &q).unwrap()
}

/// Sweeps each day in turn and answers, for the events about `path`, the day each was
/// sent with its threshold.
fn sent_days(app: &TestApp, sweep_days: &[NaiveDate], path: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for &day in sweep_days {
        let before = reminders(app).last().map_or(0, |e| e.id);
        sweep_on(app, day);
        for e in reminders(app).into_iter().filter(|e| e.id > before && e.path == path) {
            let threshold = e.data["threshold"].as_str().unwrap().to_string();
            let kind =
                if threshold == "overdue" { "deadline.overdue" } else { "deadline.due_soon" };
            assert_eq!(e.kind, kind);
            out.push((day.to_string(), threshold));
        }
    }
    out
}

fn pairs(rows: &[(&str, &str)]) -> Vec<(String, String)> {
    rows.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[actix_web::test]
async fn a_quota_deadline_across_the_national_day_holiday() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let task = task_id(&app, 23);
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task}/quotas"),
            &coord,
            &json!({"kind": "deadline", "due": "2021-10-08"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let quota = r.body["id"].as_i64().unwrap();

    // Swept every day from 09-20 to 10-25: each reminder once, on its day (the table).
    let got =
        sent_days(&app, &days("2021-09-20", "2021-10-25"), &format!("/api/v1/quotas/{quota}"));
    assert_eq!(
        got,
        pairs(&[
            ("2021-09-23", "due_soon_7"),
            ("2021-09-28", "due_soon_3"),
            ("2021-09-30", "due_soon_1"),
            ("2021-10-09", "overdue"),
        ])
    );
    let events = reminders(&app);
    let e = events.iter().find(|e| e.data["threshold"] == "due_soon_3").unwrap();
    assert_eq!(e.plan_id, Some(1));
    assert_eq!(e.resource_id, Some(quota));
    assert_eq!(e.data["kind"], "quota_deadline");
    assert_eq!(e.data["due"], "2021-10-08");
    assert_eq!(e.data["workdays_left"], 3);
    assert_eq!(e.data["task_id"], task);
    let overdue = events.iter().find(|e| e.kind == "deadline.overdue").unwrap();
    assert_eq!(overdue.data["workdays_left"], -1);

    // Completed in time: a later deadline of the same kind gets no overdue reminder.
    let owner = app.token(Role::Unit, Some(unit_id(&app, "党政办")));
    let r = send(
        &svc,
        patch_json(
            &format!("/api/v1/quotas/{quota}"),
            &coord,
            &r.header("etag").unwrap(),
            &json!({"kind": "deadline", "due": "2021-11-05"}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task}/evidence"),
            &owner,
            &json!({"occurred_on": "2021-11-05", "title": "完成", "completes": true, "quota_id": quota}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let got =
        sent_days(&app, &days("2021-10-26", "2021-11-12"), &format!("/api/v1/quotas/{quota}"));
    // 11-05 due: 7 left on 10-27 (10-28 … 11-05), 3 on 11-02, 1 on 11-04 — and it was
    // done on the day, so nothing is overdue.
    assert_eq!(
        got,
        pairs(&[
            ("2021-10-27", "due_soon_7"),
            ("2021-11-02", "due_soon_3"),
            ("2021-11-04", "due_soon_1"),
        ])
    );
}

#[actix_web::test]
async fn a_within_workdays_event_across_the_labour_day_holiday() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let ggfw = unit_id(&app, "公共服务中心");
    let coord = app.token(Role::Coordinator, Some(gov));
    let owner = app.token(Role::Unit, Some(ggfw));
    let task = task_id(&app, 15);
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task}/quotas"),
            &coord,
            &json!({"kind": "within_workdays", "days": 3, "scope": "each_unit"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let quota = r.body["id"].as_i64().unwrap();
    // An event on 2021-04-30, not handled: 3 working days → 2021-05-08 (make-up Saturday).
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task}/evidence"),
            &owner,
            &json!({"occurred_on": "2021-04-30", "event_on": "2021-04-30", "count": 0,
                    "title": "收到事项", "quota_id": quota}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);

    let got =
        sent_days(&app, &days("2021-04-26", "2021-05-14"), &format!("/api/v1/quotas/{quota}"));
    assert_eq!(
        got,
        pairs(&[
            ("2021-04-30", "due_soon_3"),
            ("2021-05-07", "due_soon_1"),
            ("2021-05-09", "overdue")
        ])
    );
    let e = &reminders(&app)[0];
    assert_eq!(e.data["kind"], "within_workdays");
    assert_eq!(e.data["event_on"], "2021-04-30");
    assert_eq!(e.data["unit_id"], ggfw);
    assert_eq!(e.unit_id, Some(ggfw));
}

#[actix_web::test]
async fn an_application_reply_due_and_no_personal_data() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let ggfw = unit_id(&app, "公共服务中心");
    let owner = app.token(Role::Unit, Some(ggfw));
    // Received 2021-09-30: the reply is due 2021-11-03 (domain-rules.md §1).
    let id = register_id(&svc, &owner, &application(ggfw, "2021-09-30")).await;
    let got = sent_days(
        &app,
        &days("2021-10-20", "2021-11-08"),
        &format!("/api/v1/disclosure-requests/{id}"),
    );
    assert_eq!(
        got,
        pairs(&[
            ("2021-10-25", "due_soon_7"),
            ("2021-10-29", "due_soon_3"),
            ("2021-11-02", "due_soon_1"),
            ("2021-11-04", "overdue"),
        ])
    );
    let events = reminders(&app);
    assert!(events.iter().all(|e| e.unit_id == Some(ggfw) && e.resource_id == Some(id)));
    assert!(events.iter().all(|e| e.data["kind"] == "disclosure_reply"));
    let text = serde_json::to_string(&events.iter().map(|e| &e.data).collect::<Vec<_>>()).unwrap();
    for personal in ["张三", "440781199001011234", "13800138000", "长沙街道", "财政预算"]
    {
        assert!(!text.contains(personal), "{personal} in {text}");
    }

    // The feed carries them, within reach: the handling unit sees them, another unit not.
    let r =
        send(&svc, get("/api/v1/events?types=deadline.due_soon,deadline.overdue", &owner)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 4, "{}", r.text);
    assert!(!r.text.contains("张三"));
    let other = app.token(Role::Unit, Some(unit_id(&app, "党政办")));
    let r =
        send(&svc, get("/api/v1/events?types=deadline.due_soon,deadline.overdue", &other)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0, "{}", r.text);
}

/// A look-back on 2022-01-10 (rectification items due 2022-02-10, across the Spring
/// Festival) and an application received the same day (reply due 2022-02-10 too).
async fn items_due_2022_02_10(app: &TestApp) -> usize {
    let svc = app.service().await;
    let gov = unit_id(app, "开平市人民政府");
    let ggfw = unit_id(app, "公共服务中心");
    let coord = app.token(Role::Coordinator, Some(gov));
    let r =
        send(&svc, post_json("/api/v1/plans/1/reviews", &coord, &json!({"as_of": "2022-01-10"})))
            .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["rectification_due"], "2022-02-10");
    let owner = app.token(Role::Unit, Some(ggfw));
    let id = register_id(&svc, &owner, &application(ggfw, "2022-01-10")).await;
    let r = send(&svc, get(&format!("/api/v1/disclosure-requests/{id}"), &owner)).await;
    assert_eq!(r.body["reply_due"], "2022-02-10", "{}", r.text);
    let items = app.count("SELECT count(*) AS n FROM rectifications");
    assert!(items > 10, "the look-back raised {items} items");
    usize::try_from(items).unwrap() + 1
}

/// (item path, threshold) of every reminder, asserting none appears twice.
fn once_each(app: &TestApp) -> BTreeSet<(String, String)> {
    let events = reminders(app);
    let set: BTreeSet<(String, String)> = events
        .iter()
        .map(|e| (e.path.clone(), e.data["threshold"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(set.len(), events.len(), "a reminder was sent twice");
    let recorded = app.count("SELECT count(*) AS n FROM reminders_sent");
    assert_eq!(recorded, i64::try_from(events.len()).unwrap());
    set
}

#[actix_web::test]
async fn once_per_threshold_across_restarts_and_concurrent_runners() {
    let app = TestApp::seeded();
    let items = items_due_2022_02_10(&app).await;

    // 2022-01-27: 7 working days left (01-28, the make-up 01-29 and 01-30, 02-07 … 02-10).
    let first = sweep_on(&app, d("2022-01-27"));
    assert_eq!(first, Sweep { sent: items, skipped: 0 });
    // A restart the same day, and the next days (still 7 or fewer, but above 3): nothing.
    for day in ["2022-01-27", "2022-01-28", "2022-01-31", "2022-02-06"] {
        assert_eq!(sweep_on(&app, d(day)).sent, 0, "{day}");
    }
    assert_eq!(once_each(&app).len(), items);

    // Two instances sweeping at the same moment, on the 3-day and the overdue days.
    for (day, threshold) in [("2022-02-07", "due_soon_3"), ("2022-02-11", "overdue")] {
        let barrier = Arc::new(Barrier::new(2));
        let runners: Vec<_> = (0..2)
            .map(|_| {
                let barrier = barrier.clone();
                let mut conn = app.conn();
                std::thread::spawn(move || {
                    barrier.wait();
                    sweep(&mut conn, ClockSettings::default(), d(day)).unwrap().sent
                })
            })
            .collect();
        let sent: usize = runners.into_iter().map(|r| r.join().unwrap()).sum();
        assert_eq!(sent, items, "{day}");
        let set = once_each(&app);
        assert_eq!(set.iter().filter(|(_, t)| t == threshold).count(), items, "{day}");
    }
    // No sweep ran on 02-09 or 02-10 (a server down): the overdue reminder came all the
    // same, and nothing more is owed.
    assert_eq!(sweep_on(&app, d("2022-02-14")).sent, 0);
    assert_eq!(once_each(&app).len(), 3 * items);
}

#[actix_web::test]
async fn a_year_without_a_calendar_is_skipped_not_fatal() {
    let app = TestApp::seeded();
    let items = items_due_2022_02_10(&app).await;
    use diesel::RunQueryDsl;
    diesel::sql_query("DELETE FROM calendar_years WHERE year = 2022")
        .execute(&mut app.conn())
        .unwrap();
    let s = sweep_on(&app, d("2022-01-27"));
    assert_eq!(s.sent, 0);
    assert!(s.skipped >= items, "{s:?}");
    assert!(reminders(&app).is_empty());
}

#[actix_web::test]
async fn the_server_sweeps_at_start_up() {
    let app = TestApp::seeded();
    let items = items_due_2022_02_10(&app).await;
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 1, 27).unwrap()
    }
    let job = actix_web::rt::spawn(run(app.state.pool.clone(), ClockSettings::default(), today));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while reminders(&app).len() < items && std::time::Instant::now() < deadline {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    job.abort();
    assert_eq!(reminders(&app).len(), items);
}
