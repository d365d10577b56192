//! The working-day calendar: deadlines explained, an unpublished year refused, and an
//! admin loading 2027's notice through the API after which 2027 deadlines work.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::json;

use crate::support::*;

#[actix_web::test]
async fn deadlines_skip_holidays_and_count_make_up_days() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    // Any authenticated role may read the calendar.
    let t = app.token(Role::Unit, Some(unit_id(&app, "党政办")));
    let r = send(&svc, get("/api/v1/calendar/deadline?start=2021-09-30&workdays=20", &t)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["start"], "2021-09-30");
    assert_eq!(r.body["workdays"], 20);
    assert_eq!(r.body["due"], "2021-11-03");
    assert_eq!(r.body["start_day"], "not_counted");
    let skipped: Vec<&str> = r.body["holidays_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(
        skipped,
        [
            "2021-10-01",
            "2021-10-02",
            "2021-10-03",
            "2021-10-04",
            "2021-10-05",
            "2021-10-06",
            "2021-10-07"
        ]
    );
    assert_eq!(r.body["makeup_workdays_used"], json!(["2021-10-09"]));
    assert!(r.body["text"].as_str().unwrap().contains("2021-11-03"));

    let r = send(
        &svc,
        get(
            "/api/v1/calendar/deadline?start=2021-04-30&workdays=3",
            &app.token(Role::Viewer, None),
        ),
    )
    .await;
    assert_eq!(r.body["due"], "2021-05-08");
    assert_eq!(r.body["makeup_workdays_used"], json!(["2021-05-08"]));
    let r = send(
        &svc,
        get("/api/v1/calendar/deadline?start=2021-04-30&workdays=3&start_day=counted", &t),
    )
    .await;
    assert_eq!(r.body["due"], "2021-05-07");

    for (query, field) in [
        ("start=2021-02-30&workdays=3", "start"),
        ("start=2021-04-30&workdays=-1", "workdays"),
        ("start=2021-04-30&workdays=x", "workdays"),
        ("start=2021-04-30&workdays=3&start_day=maybe", "start_day"),
    ] {
        let r = send(&svc, get(&format!("/api/v1/calendar/deadline?{query}"), &t)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), [field], "{query}");
    }
    send(&svc, TestRequest::get().uri("/api/v1/calendar/deadline?start=2021-04-30&workdays=3"))
        .await
        .assert_problem(401, "unauthorized");
}

#[actix_web::test]
async fn an_admin_loads_2027_and_its_deadlines_then_work() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let viewer = app.token(Role::Viewer, None);
    let deadline = "/api/v1/calendar/deadline?start=2027-02-04&workdays=3";
    let r = send(&svc, get(deadline, &viewer)).await;
    r.assert_problem(422, "calendar_unpublished");
    assert!(r.body["detail"].as_str().unwrap().contains("2027"));
    // Counting from late 2026 into 2027 is refused too: no weekends-only guess.
    send(&svc, get("/api/v1/calendar/deadline?start=2026-12-30&workdays=5", &viewer))
        .await
        .assert_problem(422, "calendar_unpublished");
    send(&svc, get("/api/v1/calendar/years/2027", &viewer)).await.assert_problem(404, "not_found");

    let notice = json!({
        "holidays": ["2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"],
        "workdays": ["2027-02-20"],
    });
    let put = |token: &str, body: &serde_json::Value| {
        authed(TestRequest::put().uri("/api/v1/calendar/years/2027"), token).set_json(body)
    };
    // Only an admin loads notices; a coordinator is refused whatever it sends.
    let coord = app.token(Role::Coordinator, None);
    send(&svc, put(&coord, &notice)).await.assert_problem(403, "forbidden");
    send(&svc, put(&coord, &json!({"nonsense": 1}))).await.assert_problem(403, "forbidden");
    let admin = app.token(Role::Admin, None);
    for (body, field) in [
        (json!({"holidays": ["2027-01-01"], "workdays": ["2027-02-19"]}), "workdays"),
        (json!({"holidays": ["2026-12-31"]}), "holidays"),
        (json!({"holidays": []}), "holidays"),
        (json!({"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]}), "workdays"),
    ] {
        let r = send(&svc, put(&admin, &body)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), [field], "{body}");
    }
    let r = send(&svc, put(&admin, &notice)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["year"], 2027);
    assert_eq!(r.body["loaded_by"], "test-admin");
    assert_eq!(r.header("location").as_deref(), Some("/api/v1/calendar/years/2027"));

    let r = send(&svc, get(deadline, &viewer)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["due"], "2027-02-16");
    assert_eq!(r.body["holidays_skipped"].as_array().unwrap().len(), 7);
    assert_eq!(r.body["weekend_days_skipped"], 2);
    let r = send(&svc, get("/api/v1/calendar/deadline?start=2027-02-18&workdays=2", &viewer)).await;
    assert_eq!(r.body["due"], "2027-02-20");
    assert_eq!(r.body["makeup_workdays_used"], json!(["2027-02-20"]));
    let r = send(&svc, get("/api/v1/calendar/deadline?start=2026-12-30&workdays=5", &viewer)).await;
    assert_eq!(r.body["due"], "2027-01-07");

    let r = send(&svc, get("/api/v1/calendar/years", &viewer)).await;
    let years: Vec<i64> =
        r.body["items"].as_array().unwrap().iter().map(|y| y["year"].as_i64().unwrap()).collect();
    assert_eq!(years, [2021, 2022, 2023, 2024, 2025, 2026, 2027]);

    // Replacing: 200, with If-Match checked when given.
    let etag =
        send(&svc, get("/api/v1/calendar/years/2027", &viewer)).await.header("etag").unwrap();
    send(&svc, put(&admin, &notice).insert_header(("If-Match", "\"stale\"")))
        .await
        .assert_problem(412, "precondition_failed");
    let r = send(&svc, put(&admin, &notice).insert_header(("If-Match", etag.as_str()))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let actions: Vec<String> =
        audit_of(&app, "calendar_year", 2027).into_iter().map(|e| e.0).collect();
    assert_eq!(actions, ["calendar.load_year", "calendar.replace_year"]);
}
