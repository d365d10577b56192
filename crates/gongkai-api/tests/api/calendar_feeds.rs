//! Calendar feeds: a secret `.ics` URL per plan (and unit), read without a token, with
//! the plan's deadlines as all-day events and no personal data; revocable.

use std::collections::BTreeSet;

use actix_web::test;
use gongkai_core::auth::Role;
use serde_json::json;

use crate::disclosure_support::{application, register_id};
use crate::support::*;

/// The path of a feed's URL (`/feeds/gkc_….ics`).
fn feed_path(url: &str) -> String {
    let at = url.find("/feeds/").expect("a feed URL");
    url[at..].to_string()
}

/// The UIDs of a calendar's events.
fn uids(ics: &str) -> BTreeSet<String> {
    ics.lines().filter_map(|l| l.strip_prefix("UID:")).map(String::from).collect()
}

#[actix_web::test]
async fn a_feed_serves_the_plans_deadlines_without_a_token_and_no_personal_data() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let ggfw = unit_id(&app, "公共服务中心");
    let coord = app.token(Role::Coordinator, Some(gov));
    let owner = app.token(Role::Unit, Some(ggfw));
    // A look-back (rectification items due 2022-02-10) and an application (reply due
    // 2021-11-03: 2021-09-30 + 20 working days).
    let r =
        send(&svc, post_json("/api/v1/plans/1/reviews", &coord, &json!({"as_of": "2022-01-10"})))
            .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let request = register_id(&svc, &owner, &application(ggfw, "2021-09-30")).await;

    let r = send(&svc, post_json("/api/v1/calendar-feeds", &coord, &json!({"plan_id": 1}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["plan_id"], 1);
    // A coordinator limited to the city: the city's subtree, which is the whole plan.
    assert_eq!(r.body["unit_id"], gov);
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    let url = r.body["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("http://localhost:8080/feeds/gkc_") && url.ends_with(".ics"), "{url}");
    let feed = r.body["id"].as_i64().unwrap();
    assert_eq!(r.header("location"), Some(format!("/api/v1/calendar-feeds/{feed}")));
    // Only the token's hash is kept.
    let token = feed_path(&url).trim_start_matches("/feeds/").trim_end_matches(".ics").to_string();
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM calendar_feeds WHERE token_hash = sha256('{token}'::bytea)"
        )),
        1
    );

    // Read without any token.
    let res = send(&svc, test::TestRequest::get().uri(&feed_path(&url))).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.header("content-type").as_deref(), Some("text/calendar; charset=utf-8"));
    let ics = res.text.replace("\r\n ", "");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{ics}");
    assert!(ics.contains("\r\nX-WR-TIMEZONE:Asia/Shanghai\r\n"));
    // Task 32 "2021年底前" and task 40 "2021年12月1日前", all-day.
    assert!(ics.contains("\r\nDTSTART;VALUE=DATE:20211231\r\n"));
    assert!(ics.contains("\r\nDTEND;VALUE=DATE:20220101\r\n"), "DTEND is the next day");
    assert!(ics.contains("DTSTART;VALUE=DATE:20211201"));
    assert!(ics.contains("SUMMARY:【截止】任务32"));
    let ids = uids(&ics);
    let items = app.count("SELECT count(*) AS n FROM rectifications");
    let rect_uids = ids.iter().filter(|u| u.starts_with("rectification-")).count();
    assert_eq!(i64::try_from(rect_uids).unwrap(), items);
    assert!(ids.contains(&format!("disclosure-request-{request}@gongkai")));
    assert!(ics.contains("DTSTART;VALUE=DATE:20211103"), "the reply due date");
    assert!(ids.iter().any(|u| u.starts_with("quota-") && u.ends_with("-task@gongkai")));
    for personal in ["张三", "440781199001011234", "13800138000", "长沙街道", "财政预算"]
    {
        assert!(!ics.contains(personal), "{personal} in the feed");
    }
    // UIDs are stable from one read to the next.
    let again = send(&svc, test::TestRequest::get().uri(&feed_path(&url))).await;
    assert_eq!(uids(&again.text.replace("\r\n ", "")), ids);

    // Listed for its owner (without the URL), not for others.
    let r = send(&svc, get("/api/v1/calendar-feeds", &coord)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert!(!r.text.contains("gkc_"));
    let other = app.token(Role::Viewer, None);
    let r = send(&svc, get("/api/v1/calendar-feeds", &other)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0);
    send(&svc, get(&format!("/api/v1/calendar-feeds/{feed}"), &other))
        .await
        .assert_problem(404, "not_found");

    // Revoked (If-Match needed): its URL answers 404 from then on.
    let uri = format!("/api/v1/calendar-feeds/{feed}");
    let r = send(&svc, get(&uri, &coord)).await;
    let etag = r.header("etag").unwrap();
    send(&svc, authed(test::TestRequest::delete().uri(&uri), &coord))
        .await
        .assert_problem(428, "precondition_required");
    send(
        &svc,
        authed(test::TestRequest::delete().uri(&uri), &coord)
            .insert_header(("If-Match", "\"stale\"")),
    )
    .await
    .assert_problem(412, "precondition_failed");
    send(
        &svc,
        authed(test::TestRequest::delete().uri(&uri), &other)
            .insert_header(("If-Match", etag.as_str())),
    )
    .await
    .assert_problem(404, "not_found");
    let r = send(
        &svc,
        authed(test::TestRequest::delete().uri(&uri), &coord)
            .insert_header(("If-Match", etag.as_str())),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text);
    send(&svc, test::TestRequest::get().uri(&feed_path(&url)))
        .await
        .assert_problem(404, "not_found");
    send(&svc, get(&uri, &coord)).await.assert_problem(404, "not_found");
    let r = send(&svc, get("/api/v1/calendar-feeds", &coord)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(audit_of(&app, "calendar_feed", feed).len(), 2);
}

#[actix_web::test]
async fn a_units_feed_holds_its_own_items_only() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let ggfw = unit_id(&app, "公共服务中心");
    let dzb = unit_id(&app, "党政办");
    let owner = app.token(Role::Unit, Some(ggfw));
    let theirs = app.token(Role::Unit, Some(dzb));
    let mine = register_id(&svc, &owner, &application(ggfw, "2021-09-30")).await;
    let other = register_id(&svc, &theirs, &application(dzb, "2021-09-30")).await;

    // A unit's feed covers its unit by default; another unit is refused.
    let r = send(&svc, post_json("/api/v1/calendar-feeds", &owner, &json!({"plan_id": 1}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["unit_id"], ggfw);
    let url = r.body["url"].as_str().unwrap().to_string();
    send(&svc, post_json("/api/v1/calendar-feeds", &owner, &json!({"plan_id": 1, "unit_id": dzb})))
        .await
        .assert_problem(403, "forbidden");
    let ics = send(&svc, test::TestRequest::get().uri(&feed_path(&url))).await.text;
    let ids = uids(&ics);
    assert!(ids.contains(&format!("disclosure-request-{mine}@gongkai")));
    assert!(!ids.contains(&format!("disclosure-request-{other}@gongkai")));
    // Task 32's deadline is 党政办's (its lead), not this unit's.
    assert!(!ics.contains("任务32"));

    // A whole-plan feed of an admin holds both.
    let admin = app.token(Role::Admin, None);
    let r = send(&svc, post_json("/api/v1/calendar-feeds", &admin, &json!({"plan_id": 1}))).await;
    assert_eq!(r.body["unit_id"], serde_json::Value::Null);
    let ics = send(&svc, test::TestRequest::get().uri(&feed_path(r.body["url"].as_str().unwrap())))
        .await
        .text;
    assert!(uids(&ics).contains(&format!("disclosure-request-{other}@gongkai")));
    assert!(ics.contains("任务32"));
}

#[actix_web::test]
async fn refusals_of_feeds() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    send(&svc, post_json("/api/v1/calendar-feeds", &admin, &json!({"plan_id": 999})))
        .await
        .assert_problem(404, "not_found");
    let r = send(
        &svc,
        post_json("/api/v1/calendar-feeds", &admin, &json!({"plan_id": 1, "unit_id": 999_999})),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["unit_id"]);
    let r = send(
        &svc,
        post_json("/api/v1/calendar-feeds", &admin, &json!({"plan_id": 1}))
            .insert_header(("Idempotency-Key", "k1")),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["Idempotency-Key"]);
    send(&svc, post_json("/api/v1/calendar-feeds", &admin, &json!({"plan": 1})))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(app.count("SELECT count(*) AS n FROM calendar_feeds"), 0);
    for path in ["/feeds/gkc_nosuchtoken.ics", "/feeds/other.ics"] {
        send(&svc, test::TestRequest::get().uri(path)).await.assert_problem(404, "not_found");
    }
    send(
        &svc,
        test::TestRequest::post().uri("/api/v1/calendar-feeds").set_json(json!({"plan_id": 1})),
    )
    .await
    .assert_problem(401, "unauthorized");
}
