//! `updated_since` on the lists of changing resources (exactly what changed after the
//! instant, oldest change first, paged stably), and unknown query parameters refused.

use std::collections::BTreeSet;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::TestRequest;
use chrono::{DateTime, SecondsFormat, Utc};
use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::disclosure_support::{act_ok, application, register_id};
use crate::publishing::set_published;
use crate::support::*;

/// The database's clock now: every write that starts afterwards is later.
fn instant(app: &TestApp) -> DateTime<Utc> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Now {
        #[diesel(sql_type = diesel::sql_types::Timestamptz)]
        at: DateTime<Utc>,
    }
    let now: Now =
        diesel::sql_query("SELECT clock_timestamp() AS at").get_result(&mut app.conn()).unwrap();
    now.at
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn items(r: &Resp) -> Vec<Value> {
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"].as_array().unwrap().clone()
}

fn ids(items: &[Value]) -> BTreeSet<i64> {
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

/// Every item changed after `since`, in the order they changed.
fn assert_changed_after(items: &[Value], since: DateTime<Utc>) {
    let times: Vec<DateTime<Utc>> =
        items.iter().map(|i| i["updated_at"].as_str().unwrap().parse().unwrap()).collect();
    assert!(times.iter().all(|t| *t > since), "{times:?} after {since}");
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest change first: {times:?}");
}

async fn patch_task<S, B>(svc: &S, token: &str, task: i64, requirement: &str)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let uri = format!("/api/v1/tasks/{task}");
    let etag = send(svc, get(&uri, token)).await.header("etag").unwrap();
    let r = send(svc, patch_json(&uri, token, &etag, &json!({"requirement": requirement}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[actix_web::test]
async fn updated_since_returns_exactly_what_changed_after_the_instant() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let ggfw = unit_id(&app, "公共服务中心");
    let unit = app.token(Role::Unit, Some(ggfw));
    let (t15, t23, t31) = (task_id(&app, 15), task_id(&app, 23), task_id(&app, 31));
    let evidence_uri = format!("/api/v1/tasks/{t15}/evidence");

    // Before the instant: records, applications, a look-back with its items.
    let mut before = Vec::new();
    for day in ["2021-01-05", "2021-01-20"] {
        let body = json!({"occurred_on": day, "title": "专栏更新", "count": 1});
        let r = send(&svc, post_json(&evidence_uri, &unit, &body)).await;
        before.push(r.body["id"].as_i64().unwrap());
    }
    let d1 = register_id(&svc, &unit, &application(ggfw, "2021-03-01")).await;
    let _d2 = register_id(&svc, &unit, &application(ggfw, "2021-03-02")).await;
    let r =
        send(&svc, post_json("/api/v1/plans/1/reviews", &coord, &json!({"as_of": "2021-06-30"})))
            .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let review = r.body["id"].as_i64().unwrap();
    let owned = send(
        &svc,
        get(&format!("/api/v1/rectifications?review_id={review}&unit_id={ggfw}"), &coord),
    )
    .await;
    let item = items(&owned)[0]["id"].as_i64().unwrap();

    let since = instant(&app);
    let q = format!("updated_since={}", rfc3339(since));

    // After it: two tasks (one through its quota), records, ledger rows, an item, two
    // applications, the plan.
    patch_task(&svc, &coord, t15, "更正后的要求。").await;
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{t31}/quotas"),
            &coord,
            &json!({"kind": "count", "min": 1, "period": "quarter", "source": "每季度至少更新1次"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let body = json!({"occurred_on": "2021-02-05", "title": "专栏更新", "count": 1});
    let r = send(&svc, post_json(&evidence_uri, &unit, &body)).await;
    let new_record = r.body["id"].as_i64().unwrap();
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/evidence/{}/withdraw", before[0]),
            &unit,
            &json!({"reason": "重复录入"}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let dzb = unit_id(&app, "党政办");
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{t23}/progress/{dzb}/notes"),
            &coord,
            &json!({"text": "请加快"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/rectifications/{item}/submit"),
            &unit,
            &json!({"note": "已整改"}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let d3 = register_id(&svc, &unit, &application(ggfw, "2021-03-03")).await;
    act_ok(&svc, &unit, d1, json!({"action": "start", "on": "2021-03-02"})).await;
    set_published(&svc, &coord, 1, true).await;

    let tasks = items(&send(&svc, get(&format!("/api/v1/plans/1/tasks?{q}"), &coord)).await);
    assert_eq!(ids(&tasks), BTreeSet::from([t15, t31]));
    assert_changed_after(&tasks, since);

    let records = items(&send(&svc, get(&format!("{evidence_uri}?{q}"), &unit)).await);
    assert_eq!(ids(&records), BTreeSet::from([before[0], new_record]));
    assert_changed_after(&records, since);
    assert_eq!(records.iter().find(|r| r["id"] == before[0]).unwrap()["withdrawn"], true);

    // Ledger rows: those of the two changed tasks, and the row that got a note.
    let all = items(&send(&svc, get("/api/v1/plans/1/progress?limit=500", &coord)).await);
    let mut expected: BTreeSet<(i64, i64)> = all
        .iter()
        .filter(|r| r["task_id"] == t15 || r["task_id"] == t31)
        .map(|r| (r["task_id"].as_i64().unwrap(), r["unit_id"].as_i64().unwrap()))
        .collect();
    expected.insert((t23, dzb));
    let rows =
        items(&send(&svc, get(&format!("/api/v1/plans/1/progress?{q}&limit=500"), &coord)).await);
    let got: BTreeSet<(i64, i64)> = rows
        .iter()
        .map(|r| (r["task_id"].as_i64().unwrap(), r["unit_id"].as_i64().unwrap()))
        .collect();
    assert_eq!(got, expected);
    assert_changed_after(&rows, since);

    let changed_items =
        items(&send(&svc, get(&format!("/api/v1/rectifications?{q}"), &coord)).await);
    assert_eq!(ids(&changed_items), BTreeSet::from([item]));

    let applications =
        items(&send(&svc, get(&format!("/api/v1/disclosure-requests?{q}"), &unit)).await);
    assert_eq!(ids(&applications), BTreeSet::from([d1, d3]));
    assert_changed_after(&applications, since);
    let overdue = items(
        &send(&svc, get(&format!("/api/v1/disclosure-requests?{q}&overdue=true"), &unit)).await,
    );
    assert!(ids(&overdue).is_subset(&BTreeSet::from([d1, d3])));

    let plans = items(&send(&svc, get(&format!("/api/v1/plans?{q}"), &coord)).await);
    assert_eq!(ids(&plans), BTreeSet::from([1]));
    let public = send(&svc, TestRequest::get().uri(&format!("/public/v1/plans?{q}"))).await;
    assert_eq!(ids(&items(&public)), BTreeSet::from([1]));

    // Nothing changed after now.
    let later = format!("updated_since={}", rfc3339(instant(&app)));
    for uri in [
        format!("/api/v1/plans/1/tasks?{later}"),
        format!("{evidence_uri}?{later}"),
        format!("/api/v1/plans/1/progress?{later}"),
        format!("/api/v1/rectifications?{later}"),
        format!("/api/v1/plans?{later}"),
    ] {
        assert!(items(&send(&svc, get(&uri, &coord)).await).is_empty(), "{uri}");
    }
    assert!(
        items(&send(&svc, get(&format!("/api/v1/disclosure-requests?{later}"), &unit)).await)
            .is_empty()
    );
}

#[actix_web::test]
async fn a_read_of_changes_pages_stably_while_writes_go_on() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let coord = app.token(Role::Coordinator, None);
    let (t15, t31) = (task_id(&app, 15), task_id(&app, 31));
    let since = instant(&app);
    patch_task(&svc, &coord, t15, "第一次更正。").await;
    patch_task(&svc, &coord, t31, "另一项更正。").await;

    let base = format!("/api/v1/plans/1/tasks?updated_since={}&limit=1", rfc3339(since));
    let first = send(&svc, get(&base, &coord)).await;
    assert_eq!(ids(&items(&first)), BTreeSet::from([t15]));
    let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
    // Task 15 changes again meanwhile: it moves to the end, where the next pages find it.
    patch_task(&svc, &coord, t15, "第二次更正。").await;
    let second = send(&svc, get(&format!("{base}&cursor={cursor}"), &coord)).await;
    assert_eq!(ids(&items(&second)), BTreeSet::from([t31]));
    let cursor = second.body["next_cursor"].as_str().unwrap().to_string();
    let third = send(&svc, get(&format!("{base}&cursor={cursor}"), &coord)).await;
    let last = items(&third);
    assert_eq!(ids(&last), BTreeSet::from([t15]));
    assert_eq!(last[0]["requirement"], "第二次更正。");
    assert!(third.body["next_cursor"].is_null());

    // A cursor belongs to its kind of read.
    let r = send(&svc, get(&format!("/api/v1/plans/1/tasks?cursor={cursor}"), &coord)).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["cursor"]);
    let plain = send(&svc, get("/api/v1/plans/1/tasks?limit=1", &coord)).await;
    let key_cursor = plain.body["next_cursor"].as_str().unwrap();
    let r = send(&svc, get(&format!("{base}&cursor={key_cursor}"), &coord)).await;
    assert_eq!(r.fields(), ["cursor"]);

    // An offset's `+` decoded as a space still reads as the instant; nonsense is named.
    let shanghai = since.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    let raw = shanghai.to_rfc3339_opts(SecondsFormat::Micros, false);
    assert!(raw.ends_with("+08:00"));
    let r = send(&svc, get(&format!("/api/v1/plans/1/tasks?updated_since={raw}"), &coord)).await;
    assert_eq!(ids(&items(&r)), BTreeSet::from([t15, t31]));
    for bad in ["2021-03-15", "yesterday", "2021-13-01T00:00:00Z"] {
        let r =
            send(&svc, get(&format!("/api/v1/plans/1/tasks?updated_since={bad}"), &coord)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), ["updated_since"], "{bad}");
    }
}

#[actix_web::test]
async fn unknown_query_parameters_are_refused_naming_each() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let coord = app.token(Role::Coordinator, None);
    let cases: &[(&str, &[&str])] = &[
        ("/api/v1/plans?foo=1", &["foo"]),
        (
            "/api/v1/plans?year=2021&updated_sinse=2021-01-01T00:00:00Z&zz=1&zz=2",
            &["updated_sinse", "zz"],
        ),
        ("/api/v1/plans/1?limit=5", &["limit"]),
        ("/api/v1/plans/1/tasks?section=5&unit=3", &["unit"]),
        ("/api/v1/calendar/years?x=", &["x"]),
    ];
    for (uri, named) in cases {
        let r = send(&svc, get(uri, &coord)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), *named, "{uri}");
        assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("unknown"), "{}", r.text);
    }
    let r = send(&svc, TestRequest::get().uri("/public/v1/plans?issuer=3")).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["issuer"]);

    // A write with an unknown parameter changes nothing.
    let t15 = task_id(&app, 15);
    let ggfw = unit_id(&app, "公共服务中心");
    let unit = app.token(Role::Unit, Some(ggfw));
    let before = app.count("SELECT count(*) AS n FROM evidence");
    let body = json!({"occurred_on": "2021-01-05", "title": "专栏更新", "count": 1});
    let r =
        send(&svc, post_json(&format!("/api/v1/tasks/{t15}/evidence?dry_run=true"), &unit, &body))
            .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["dry_run"]);
    assert_eq!(app.count("SELECT count(*) AS n FROM evidence"), before);
    let plans = app.count("SELECT count(*) AS n FROM plans");
    let r = send(
        &svc,
        authed(TestRequest::post().uri("/api/v1/plans/import?year=2022&dryrun=true"), &coord)
            .insert_header(("Content-Type", "text/plain; charset=utf-8"))
            .set_payload("一、做好规划公开\n1. 主动公开规划。 经发局"),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["dryrun"]);
    assert_eq!(app.count("SELECT count(*) AS n FROM plans"), plans);

    // The parameters an operation takes are accepted.
    for uri in ["/api/v1/plans?year=2021&limit=5", "/api/v1/plans/1/tasks?section=5&limit=2"] {
        assert_eq!(send(&svc, get(uri, &coord)).await.status, 200, "{uri}");
    }
}
