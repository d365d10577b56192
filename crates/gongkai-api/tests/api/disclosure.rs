//! Applications for disclosure over HTTP: registration, the statutory clock across the
//! holidays, the handling steps, the lists by due date, and who may do what.

use actix_web::test;
use actix_web::web;
use gongkai_api::disclosure::settings::DisclosureSettings;
use gongkai_core::auth::Role;
use gongkai_core::calendar::StartDayRule;
use gongkai_core::disclosure::ClockSettings;
use serde_json::{Value, json};

use crate::disclosure_support::*;
use crate::support::*;

#[actix_web::test]
async fn registering_answers_the_reply_due_date_and_how_it_was_counted() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let coordinator = app.token(Role::Coordinator, None);
    let unit = unit_id(&app, "党政办");
    let r = register(&svc, &coordinator, &application(unit, "2021-09-30")).await;
    assert_eq!(r.body["status"], "received");
    // Oct 1–7 holidays, Oct 9 a make-up Saturday: 20 working days end on Nov 3.
    assert_eq!(r.body["reply_due"], "2021-11-03");
    let clock = &r.body["clock"];
    assert_eq!(clock["state"], "running");
    assert_eq!(clock["settings"]["receipt_day"], "not_counted");
    assert_eq!(clock["settings"]["fee_wait_pauses_clock"], true);
    let explanation = &clock["reply_due_explanation"];
    assert_eq!(explanation["due"], "2021-11-03");
    assert_eq!(explanation["makeup_workdays_used"], json!(["2021-10-09"]));
    assert_eq!(explanation["holidays_skipped"].as_array().unwrap().len(), 7);
    assert!(explanation["text"].as_str().unwrap().contains("2021-10-01至2021-10-07"));
    // Oct 8(1) 9W(2) 11–15(3–7).
    assert_eq!(clock["correction_notice_due"], "2021-10-15");
    assert_eq!(clock["correction_notice_due_explanation"]["workdays"], 7);
    assert_eq!(r.body["applicant"]["name"], "张三");
    assert_eq!(r.body["applicant"]["id_number_on_file"], true);
    assert!(r.body["applicant"].get("id_number").is_none(), "not echoed: {}", r.text);
    assert_eq!(r.body["next_actions"][0], "start");
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.header("location"), Some(format!("/api/v1/disclosure-requests/{id}")));
    assert!(r.header("etag").is_some());

    // The handling unit reads the whole application, identity number included.
    let own = app.token(Role::Unit, Some(unit));
    let r = send(&svc, get(&format!("/api/v1/disclosure-requests/{id}"), &own)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["applicant"]["id_number"], "440781199001011234");
    assert_eq!(r.body["applicant"]["contact"]["phone"], "13800138000");
    assert_eq!(r.body["reply_due"], "2021-11-03");
    let actions: Vec<String> =
        audit_of(&app, "disclosure_request", id).into_iter().map(|e| e.0).collect();
    assert_eq!(actions, ["disclosure_request.create", "disclosure_request.read"]);
}

#[actix_web::test]
async fn deadlines_across_the_spring_festivals() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Coordinator, None);
    let unit = unit_id(&app, "财政局");
    // (received, due): 2024: Feb 4 and 18 make-up Sundays, Feb 10–17 off; 2026: Feb 14
    // and 28 make-up Saturdays, Feb 15–23 off.
    for (received, due) in
        [("2024-02-02", "2024-03-06"), ("2024-02-09", "2024-03-14"), ("2026-02-12", "2026-03-18")]
    {
        let r = register(&svc, &t, &application(unit, received)).await;
        assert_eq!(r.body["reply_due"], due, "received {received}");
    }
}

#[actix_web::test]
async fn a_correction_restarts_the_clock_and_a_late_one_is_flagged() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Unit, Some(unit_id(&app, "党政办")));
    let unit = unit_id(&app, "党政办");
    let id = register_id(&svc, &t, &application(unit, "2021-09-27")).await;
    let r = act_ok(
        &svc,
        &t,
        id,
        json!({"action": "request_correction", "on": "2021-09-29", "correction_due": "2021-10-20", "note": "请明确年份"}),
    )
    .await;
    assert_eq!(r.body["status"], "correction_requested");
    assert_eq!(r.body["reply_due"], Value::Null);
    assert_eq!(r.body["clock"]["state"], "awaiting_correction");
    assert_eq!(r.body["clock"]["correction_notice_late"], false);
    assert_eq!(r.body["clock"]["correction_due"], "2021-10-20");
    let r = act_ok(&svc, &t, id, json!({"action": "receive_correction", "on": "2021-10-15"})).await;
    assert_eq!(r.body["status"], "received");
    assert_eq!(r.body["clock"]["runs_from"], "2021-10-15");
    assert_eq!(r.body["reply_due"], "2021-11-12");
    // Only once.
    let r = act(
        &svc,
        &t,
        id,
        json!({"action": "request_correction", "on": "2021-10-18", "correction_due": "2021-10-25"}),
    )
    .await;
    r.assert_problem(409, "correction_already_requested");

    // Requested on the 8th working day (Feb 19, the 7th was the make-up Sunday Feb 18).
    let late = register_id(&svc, &t, &application(unit, "2024-02-02")).await;
    let r = act_ok(
        &svc,
        &t,
        late,
        json!({"action": "request_correction", "on": "2024-02-19", "correction_due": "2024-03-01"}),
    )
    .await;
    assert_eq!(r.body["clock"]["correction_notice_due"], "2024-02-18");
    assert_eq!(r.body["clock"]["correction_notice_late"], true);
    // No correction by Mar 1: deemed withdrawn, counted in （六）1.
    let r = act(&svc, &t, late, json!({"action": "deem_withdrawn", "on": "2024-03-01"})).await;
    r.assert_problem(409, "correction_deadline_not_passed");
    let r = act_ok(&svc, &t, late, json!({"action": "deem_withdrawn", "on": "2024-03-04"})).await;
    assert_eq!(r.body["status"], "withdrawn");
    assert_eq!(r.body["outcome"], "other_no_correction");
    assert_eq!(r.body["concluded_on"], "2024-03-04");
}

#[actix_web::test]
async fn a_consultation_pauses_and_an_extension_extends() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "党政办");
    let t = app.token(Role::Unit, Some(unit));
    let id = register_id(&svc, &t, &application(unit, "2021-09-30")).await;
    act_ok(&svc, &t, id, json!({"action": "start", "on": "2021-10-08"})).await;
    let r = act_ok(
        &svc,
        &t,
        id,
        json!({"action": "consult", "on": "2021-10-08", "party": "third_party", "party_name": "某公司"}),
    )
    .await;
    assert_eq!(r.body["status"], "consulting");
    assert_eq!(r.body["clock"]["consultation_reply_due"], "2021-10-28");
    assert_eq!(r.body["clock"]["consultation_reply_due_explanation"]["workdays"], 15);
    // Replying while consulting is not a step the law allows.
    let r = act(
        &svc,
        &t,
        id,
        json!({"action": "reply", "on": "2021-10-12", "reply_type": "disclosed"}),
    )
    .await;
    r.assert_problem(409, "illegal_transition");
    let r =
        act_ok(&svc, &t, id, json!({"action": "receive_consultation_reply", "on": "2021-10-15"}))
            .await;
    // Oct 9 (make-up), 11–15 not counted: Nov 3 + 6 working days.
    assert_eq!(r.body["reply_due"], "2021-11-11");
    assert_eq!(r.body["clock"]["pauses"][0]["workdays_not_counted"], 6);
    assert_eq!(r.body["clock"]["paused_workdays"].as_array().unwrap().len(), 6);
    let bad = act(
        &svc,
        &t,
        id,
        json!({"action": "extend", "on": "2021-11-01", "workdays": 25, "approved_by": "主任"}),
    )
    .await;
    bad.assert_problem(422, "validation_failed");
    assert_eq!(bad.fields(), ["applicant_notified_on"]);
    let bad = act(
        &svc,
        &t,
        id,
        json!({"action": "extend", "on": "2021-11-01", "workdays": 25, "approved_by": "主任", "applicant_notified_on": "2021-11-02"}),
    )
    .await;
    assert_eq!(bad.fields(), ["workdays"]);
    let r = act_ok(
        &svc,
        &t,
        id,
        json!({"action": "extend", "on": "2021-11-01", "workdays": 20, "approved_by": "公开办主任", "applicant_notified_on": "2021-11-02"}),
    )
    .await;
    assert_eq!(r.body["clock"]["workdays"], 40);
    assert_eq!(r.body["reply_due"], "2021-12-09");
    let r = act(
        &svc,
        &t,
        id,
        json!({"action": "extend", "on": "2021-11-03", "workdays": 5, "approved_by": "主任", "applicant_notified_on": "2021-11-03"}),
    )
    .await;
    r.assert_problem(409, "already_extended");
    let r = act_ok(
        &svc,
        &t,
        id,
        json!({"action": "reply", "on": "2021-12-01", "reply_type": "partly_disclosed"}),
    )
    .await;
    assert_eq!(r.body["status"], "replied");
    assert_eq!(r.body["outcome"], "partly_granted");
    assert_eq!(r.body["clock"]["replied_late"], false);
    assert_eq!(r.body["next_actions"], json!(["archive"]));
    act_ok(&svc, &t, id, json!({"action": "archive", "on": "2021-12-02"})).await;
    let r = act(&svc, &t, id, json!({"action": "archive", "on": "2021-12-03"})).await;
    r.assert_problem(409, "illegal_transition");
    let steps: Vec<String> =
        audit_of(&app, "disclosure_request", id).into_iter().map(|e| e.0).collect();
    assert_eq!(
        steps,
        [
            "disclosure_request.create",
            "disclosure_request.start",
            "disclosure_request.consult",
            "disclosure_request.receive_consultation_reply",
            "disclosure_request.extend",
            "disclosure_request.reply",
            "disclosure_request.archive",
        ]
    );
    let r = send(&svc, get(&format!("/api/v1/disclosure-requests/{id}"), &t)).await;
    let history: Vec<&str> = r.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(history.len(), 6);
    assert_eq!(r.body["history"][1]["details"]["party_name"], "某公司");
}

#[actix_web::test]
async fn steps_name_their_missing_surplus_and_bad_fields() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Coordinator, None);
    let id = register_id(&svc, &t, &application(unit_id(&app, "党政办"), "2024-03-01")).await;
    let cases: &[(Value, &[&str])] = &[
        (json!({"action": "fly", "on": "2024-03-04"}), &["action"]),
        (json!({"action": "start"}), &["on"]),
        (json!({"action": "start", "on": "2024-03-04", "pages": 3}), &["pages"]),
        (json!({"action": "consult", "on": "2024-03-04"}), &["party"]),
        (json!({"action": "consult", "on": "2024-03-04", "party": "neighbour"}), &["party"]),
        (
            json!({"action": "notify_fee", "on": "2024-03-04", "method": "per_page", "pages": -3}),
            &["pages"],
        ),
        (json!({"action": "start", "on": "2099-03-04"}), &["on"]),
        (json!({"action": "start", "on": "2024-02-29"}), &["on"]),
        (
            json!({"action": "reply", "on": "2024-03-04", "reply_type": "not_disclosed"}),
            &["outcome"],
        ),
    ];
    for (step, fields) in cases {
        let r = act(&svc, &t, id, step.clone()).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), *fields, "{step}");
    }
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM disclosure_request_events WHERE request_id = {id}"
        )),
        0
    );
}

#[actix_web::test]
async fn nonsense_registrations_are_refused_naming_the_field_and_store_nothing() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Coordinator, None);
    let unit = unit_id(&app, "党政办");
    let audit_before = app.count("SELECT count(*) AS n FROM audit_events");
    let with = |path: &[&str], value: Value| {
        let mut body = application(unit, "2024-03-01");
        let mut at = &mut body;
        for p in &path[..path.len() - 1] {
            at = &mut at[*p];
        }
        at[path[path.len() - 1]] = value;
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (with(&["item_count"], json!(-3)), "item_count"),
        (with(&["item_count"], json!(0)), "item_count"),
        (with(&["received_on"], json!("2099-01-01")), "received_on"),
        (with(&["received_on"], json!("2024-02-30")), "received_on"),
        (with(&["channel"], json!("carrier_pigeon")), "channel"),
        (with(&["applicant", "kind"], json!("alien")), "applicant.kind"),
        (with(&["applicant", "name"], json!("  ")), "applicant.name"),
        (with(&["applicant", "id_number"], json!("44#07")), "applicant.id_number"),
        (with(&["subject"], json!("")), "subject"),
        (with(&["signed_for_on"], json!("2024-03-01")), "signed_for_on"),
        (with(&["sent_on"], json!("2024-02-27")), "sent_on"),
        (with(&["unit_id"], json!(999999)), "unit_id"),
    ];
    for (body, field) in cases {
        let r = send(&svc, post_json("/api/v1/disclosure-requests", &t, &body)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), [field], "{}", r.text);
    }
    let mut post = application(unit, "2024-03-04");
    post["channel"] = json!("registered_post");
    post["signed_for_on"] = json!("2024-03-05");
    let r = send(&svc, post_json("/api/v1/disclosure-requests", &t, &post)).await;
    assert_eq!(r.fields(), ["signed_for_on"]);
    assert_eq!(app.count("SELECT count(*) AS n FROM disclosure_requests"), 0);
    assert_eq!(app.count("SELECT count(*) AS n FROM audit_events"), audit_before);
    // A registered letter signed for on its receipt date is fine.
    post["signed_for_on"] = json!("2024-03-04");
    post["sent_on"] = json!("2024-02-29");
    register(&svc, &t, &post).await;
}

#[actix_web::test]
async fn units_see_and_handle_only_their_own_applications() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let office = unit_id(&app, "党政办");
    let finance = unit_id(&app, "财政局");
    let office_t = app.token(Role::Unit, Some(office));
    let finance_t = app.token(Role::Unit, Some(finance));
    let id = register_id(&svc, &office_t, &application(office, "2024-03-01")).await;
    let uri = format!("/api/v1/disclosure-requests/{id}");
    send(&svc, get(&uri, &finance_t)).await.assert_problem(403, "forbidden");
    act(&svc, &finance_t, id, json!({"action": "start", "on": "2024-03-04"}))
        .await
        .assert_problem(403, "forbidden");
    // Authorization comes before the body: nonsense from the wrong unit is still 403.
    act(&svc, &finance_t, id, json!({"nonsense": true})).await.assert_problem(403, "forbidden");
    let r = send(
        &svc,
        post_json("/api/v1/disclosure-requests", &finance_t, &application(office, "2024-03-01")),
    )
    .await;
    r.assert_problem(403, "forbidden");
    let r =
        send(&svc, get(&format!("/api/v1/disclosure-requests?unit_id={office}"), &finance_t)).await;
    r.assert_problem(403, "forbidden");
    let r = send(
        &svc,
        get(&format!("/api/v1/disclosure-requests/{id}/fee-quote?method=per_item"), &finance_t),
    )
    .await;
    r.assert_problem(403, "forbidden");
    let r = send(&svc, get("/api/v1/disclosure-requests", &finance_t)).await;
    assert_eq!(r.body["items"], json!([]), "a unit's list holds its own only");
    let r = send(&svc, get("/api/v1/disclosure-requests", &office_t)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    // The coordinator sees all; a coordinator limited to another city does not.
    let coordinator = app.token(Role::Coordinator, None);
    assert_eq!(send(&svc, get(&uri, &coordinator)).await.status, 200);
    send(&svc, get("/api/v1/disclosure-requests/999999", &coordinator))
        .await
        .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn lists_of_overdue_and_soon_due_applications() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Coordinator, None);
    let office = unit_id(&app, "党政办");
    let finance = unit_id(&app, "财政局");
    let a1 = register_id(&svc, &t, &application(office, "2021-03-01")).await; // due Mar 29
    let a2 = register_id(&svc, &t, &application(office, "2021-03-10")).await; // due Apr 8
    let b1 = register_id(&svc, &t, &application(finance, "2021-03-15")).await; // due Apr 13
    let a3 = register_id(&svc, &t, &application(office, "2021-03-01")).await;
    act_ok(&svc, &t, a3, json!({"action": "reply", "on": "2021-03-05", "reply_type": "disclosed"}))
        .await;
    let ids = |r: &Resp| -> Vec<i64> {
        r.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
    };
    let list = |q: String| {
        send(&svc, get(&format!("/api/v1/disclosure-requests?as_of=2021-04-01{q}"), &t))
    };
    let r = list("&overdue=true".into()).await;
    assert_eq!(ids(&r), [a1]);
    assert_eq!(r.body["items"][0]["workdays_left"], -3);
    assert_eq!(r.body["items"][0]["overdue"], true);
    // Apr 1 + 5 working days (Apr 3–5 Qingming) = Apr 9.
    assert_eq!(ids(&list("&due_within_workdays=5".into()).await), [a1, a2]);
    assert_eq!(ids(&list("&due_within_workdays=5&overdue=false".into()).await), [a2]);
    assert_eq!(ids(&list("&due_within_workdays=10".into()).await), [a1, a2, b1]);
    assert_eq!(ids(&list(format!("&due_within_workdays=10&unit_id={finance}")).await), [b1]);
    assert_eq!(ids(&list(format!("&overdue=true&unit_id={finance}")).await), Vec::<i64>::new());
    // Paging through a clock-selected list.
    let r = list("&due_within_workdays=10&limit=2".into()).await;
    assert_eq!(ids(&r), [a1, a2]);
    let cursor = r.body["next_cursor"].as_str().unwrap().to_string();
    let r = list(format!("&due_within_workdays=10&limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&r), [b1]);
    assert_eq!(r.body["next_cursor"], Value::Null);
    // Plain lists page by id too, and filter by status.
    assert_eq!(ids(&list("&status=replied".into()).await), [a3]);
    let r = list("&due_within_workdays=-1".into()).await;
    assert_eq!(r.fields(), ["due_within_workdays"]);
    let r = list("&status=asleep".into()).await;
    assert_eq!(r.fields(), ["status"]);
}

#[actix_web::test]
async fn the_settings_decide_how_the_clock_counts() {
    let app = TestApp::seeded();
    let counted = DisclosureSettings {
        clock: ClockSettings { receipt_day: StartDayRule::Counted, fee_wait_pauses_clock: false },
    };
    let svc = test::init_service(
        gongkai_api::app(app.state.clone(), gongkai_api::CorsOrigins::default())
            .app_data(web::Data::new(counted)),
    )
    .await;
    let t = app.token(Role::Coordinator, None);
    let mut body = application(unit_id(&app, "党政办"), "2021-09-30");
    body["item_count"] = json!(40);
    let r = register(&svc, &t, &body).await;
    assert_eq!(r.body["reply_due"], "2021-11-02", "the receipt day is day 1");
    assert_eq!(r.body["clock"]["settings"]["receipt_day"], "counted");
    let id = r.body["id"].as_i64().unwrap();
    let r = act_ok(
        &svc,
        &t,
        id,
        json!({"action": "notify_fee", "on": "2021-10-08", "method": "per_item"}),
    )
    .await;
    assert_eq!(r.body["clock"]["state"], "running", "waiting for the fee does not pause");
    assert_eq!(r.body["reply_due"], "2021-11-02");
}
