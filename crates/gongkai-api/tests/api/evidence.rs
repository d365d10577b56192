//! Evidence: who may record it, what is refused (nothing stored), withdrawal, and the
//! audit trail of every write.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::support::*;

/// Rows of evidence and audit events, to show a refused request stored nothing.
fn stored(app: &TestApp) -> (i64, i64) {
    (
        app.count("SELECT count(*) AS n FROM evidence"),
        app.count("SELECT count(*) AS n FROM audit_events"),
    )
}

fn record(occurred_on: &str) -> Value {
    json!({"occurred_on": occurred_on, "title": "疫情防控专栏更新", "url": "https://www.kaiping.gov.cn/yq/1"})
}

#[actix_web::test]
async fn a_unit_records_for_its_own_tasks_only() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let (ggfw, dzb) = (unit_id(&app, "公共服务中心"), unit_id(&app, "党政办"));
    let task15 = format!("/api/v1/tasks/{}/evidence", task_id(&app, 15));
    let before = stored(&app);

    // 党政办 is not responsible for task 15: 403 whatever it sends, nothing stored.
    let other = app.token(Role::Unit, Some(dzb));
    for body in [record("2021-03-01"), json!({"occurred_on": "2021-02-30"}), json!("garbage")] {
        send(&svc, post_json(&task15, &other, &body)).await.assert_problem(403, "forbidden");
    }
    let r = send(
        &svc,
        authed(TestRequest::post().uri(&task15), &other)
            .insert_header(("content-type", "application/json"))
            .set_payload("{not json"),
    )
    .await;
    r.assert_problem(403, "forbidden");
    // A viewer cannot record at all.
    let viewer = app.token(Role::Viewer, None);
    send(&svc, post_json(&task15, &viewer, &record("2021-03-01")))
        .await
        .assert_problem(403, "forbidden");
    // The responsible unit cannot record in another unit's name.
    let own = app.token(Role::Unit, Some(ggfw));
    let r = send(
        &svc,
        post_json(
            &task15,
            &own,
            &json!({"occurred_on": "2021-03-01", "title": "x", "unit_id": dzb}),
        ),
    )
    .await;
    r.assert_problem(403, "forbidden");
    assert_eq!(stored(&app), before, "refused requests store nothing");

    // The responsible unit records for itself; the server sets recorded_at.
    let r = send(&svc, post_json(&task15, &own, &record("2021-03-01"))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["unit_id"], ggfw);
    assert_eq!(r.body["count"], 1);
    assert_eq!(r.body["withdrawn"], false);
    assert_eq!(r.body["recorded_by"], "test-unit");
    assert!(
        r.body["recorded_at"]
            .as_str()
            .unwrap()
            .starts_with(&chrono::Utc::now().format("%Y").to_string())
    );
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.header("location").unwrap(), format!("/api/v1/evidence/{id}"));
    assert!(r.header("etag").is_some());
    assert_eq!(
        audit_of(&app, "evidence", id),
        [("evidence.create".to_string(), "test-unit".to_string())]
    );

    // A coordinator records for any unit.
    let coord = app.token(Role::Coordinator, None);
    let r = send(
        &svc,
        post_json(
            &task15,
            &coord,
            &json!({"occurred_on": "2021-03-02", "title": "代录", "unit_id": dzb}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["unit_id"], dzb);
    // …but must name the unit when its token names none.
    let r = send(&svc, post_json(&task15, &coord, &record("2021-03-02"))).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["unit_id"]);
}

#[actix_web::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_stored() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let ggfw = unit_id(&app, "公共服务中心");
    let own = app.token(Role::Unit, Some(ggfw));
    let task15 = format!("/api/v1/tasks/{}/evidence", task_id(&app, 15));
    let other_quota =
        app.count(&format!("SELECT id AS n FROM quotas WHERE task_id = {}", task_id(&app, 40)));
    let tomorrow = (gongkai_api::http::clock::today() + chrono::Days::new(1)).to_string();
    let before = stored(&app);
    let cases = [
        (json!({"occurred_on": "2021-02-30", "title": "x"}), "occurred_on"),
        (json!({"occurred_on": "2020-12-31", "title": "x"}), "occurred_on"),
        (json!({"occurred_on": tomorrow, "title": "x"}), "occurred_on"),
        (json!({"occurred_on": "2021-03-01", "title": "x", "count": -1}), "count"),
        (json!({"occurred_on": "2021-03-01", "title": "x", "quota_id": other_quota}), "quota_id"),
        (json!({"occurred_on": "2021-03-01", "title": "x", "quota_id": 999999}), "quota_id"),
        (json!({"occurred_on": "2021-03-01", "title": "  "}), "title"),
        (json!({"occurred_on": "2021-03-01", "title": "x", "value": 140}), "value"),
        (json!({"occurred_on": "2021-03-01", "title": "x", "event_on": "2021-03-02"}), "event_on"),
        (json!({"occurred_on": "2021-03-01", "title": "x", "url": "javascript:alert(1)"}), "url"),
        (json!({"occurred_on": "2021-03-01", "title": "x", "colour": "red"}), "colour"),
    ];
    for (body, field) in cases {
        let r = send(&svc, post_json(&task15, &own, &body)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.fields().contains(&field.to_string()), "{body}: {:?}", r.fields());
    }
    send(&svc, post_json("/api/v1/tasks/999999/evidence", &own, &record("2021-03-01")))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(stored(&app), before);

    // A completion dated after the plan year is legitimate: it is how met_late happens.
    let r = send(
        &svc,
        post_json(&task15, &own, &json!({"occurred_on": "2022-01-10", "title": "补录"})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
}

#[actix_web::test]
async fn withdrawal_keeps_the_record_and_stops_it_counting() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let ggfw = unit_id(&app, "公共服务中心");
    let own = app.token(Role::Unit, Some(ggfw));
    let task15 = task_id(&app, 15);
    let uri = format!("/api/v1/tasks/{task15}/evidence");
    let mut ids = Vec::new();
    for day in ["2021-01-05", "2021-01-20"] {
        let r = send(&svc, post_json(&uri, &own, &record(day))).await;
        ids.push(r.body["id"].as_i64().unwrap());
    }
    let january = |body: &Value| body["findings"][0]["status"].as_str().unwrap().to_string();
    let compliance = "/api/v1/plans/1/compliance?as_of=2021-02-01&task_number=15";
    assert_eq!(january(&send(&svc, get(compliance, &own)).await.body), "met");

    let withdraw = format!("/api/v1/evidence/{}/withdraw", ids[1]);
    // A reason is required; another unit may not withdraw; a viewer may not either.
    for body in [json!({}), json!({"reason": "  "})] {
        let r = send(&svc, post_json(&withdraw, &own, &body)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), ["reason"]);
    }
    let dzb = app.token(Role::Unit, Some(unit_id(&app, "党政办")));
    send(&svc, post_json(&withdraw, &dzb, &json!({"reason": "x"})))
        .await
        .assert_problem(403, "forbidden");
    send(&svc, post_json(&withdraw, &app.token(Role::Viewer, None), &json!({"reason": "x"})))
        .await
        .assert_problem(403, "forbidden");
    // A stale If-Match is refused.
    let r = send(
        &svc,
        post_json(&withdraw, &own, &json!({"reason": "重复录入"}))
            .insert_header(("If-Match", "\"stale\"")),
    )
    .await;
    r.assert_problem(412, "precondition_failed");

    let etag = send(&svc, get(&format!("/api/v1/evidence/{}", ids[1]), &own))
        .await
        .header("etag")
        .unwrap();
    let r = send(
        &svc,
        post_json(&withdraw, &own, &json!({"reason": "重复录入"}))
            .insert_header(("If-Match", etag.as_str())),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["withdrawn"], true);
    assert_eq!(r.body["withdraw_reason"], "重复录入");
    assert_eq!(r.body["withdrawn_by"], "test-unit");
    send(&svc, post_json(&withdraw, &own, &json!({"reason": "again"})))
        .await
        .assert_problem(409, "evidence_withdrawn");

    // Still stored and listed; no longer counted.
    assert_eq!(app.count("SELECT count(*) AS n FROM evidence"), 2);
    let list = send(&svc, get(&uri, &own)).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
    let live = send(&svc, get(&format!("{uri}?withdrawn=false"), &own)).await;
    assert_eq!(live.body["items"].as_array().unwrap().len(), 1);
    let r = send(&svc, get(compliance, &own)).await;
    assert_eq!(january(&r.body), "missed");
    assert_eq!(r.body["findings"][0]["explanation"]["evidence_ids"], json!([ids[0]]));
    let actions: Vec<String> =
        audit_of(&app, "evidence", ids[1]).into_iter().map(|e| e.0).collect();
    assert_eq!(actions, ["evidence.create", "evidence.withdraw"]);
}

#[actix_web::test]
async fn evidence_lists_filter_and_page() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let (ggfw, dzb) = (unit_id(&app, "公共服务中心"), unit_id(&app, "党政办"));
    let coord = app.token(Role::Coordinator, None);
    let uri = format!("/api/v1/tasks/{}/evidence", task_id(&app, 15));
    for (day, unit) in [("2021-01-05", ggfw), ("2021-02-05", dzb), ("2021-03-05", ggfw)] {
        let r = send(
            &svc,
            post_json(&uri, &coord, &json!({"occurred_on": day, "title": "x", "unit_id": unit})),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let viewer = app.token(Role::Viewer, None);
    let days = |r: &Resp| -> Vec<String> {
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["occurred_on"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        days(&send(&svc, get(&format!("{uri}?unit_id={ggfw}"), &viewer)).await),
        ["2021-01-05", "2021-03-05"]
    );
    assert_eq!(
        days(&send(&svc, get(&format!("{uri}?from=2021-02-01&to=2021-02-28"), &viewer)).await),
        ["2021-02-05"]
    );
    let r = send(&svc, get(&format!("{uri}?limit=2"), &viewer)).await;
    let cursor = r.body["next_cursor"].as_str().unwrap().to_string();
    assert_eq!(
        days(&send(&svc, get(&format!("{uri}?limit=2&cursor={cursor}"), &viewer)).await),
        ["2021-03-05"]
    );
    let r = send(&svc, get(&format!("{uri}?from=2021-02-30"), &viewer)).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["from"]);
    send(&svc, get("/api/v1/evidence/999999", &viewer)).await.assert_problem(404, "not_found");
}
