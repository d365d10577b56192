//! Issue 12 over HTTP: pauses that end at the consulted party's or the applicant's
//! limit and leave a decision due on the overdue and due-soon lists, the receipt dates
//! and good reasons of the action body, and the refusals `fee_rules_not_in_force`,
//! `fee_notice_too_late` and `extension_too_late`. The day counts behind the dates are
//! in the core's tests (disclosure_consultation_pauses.rs, disclosure_fee_pauses.rs,
//! disclosure_refusals.rs).

use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::disclosure_support::*;
use crate::support::*;

fn ids(r: &Resp) -> Vec<i64> {
    r.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

fn steps_of(app: &TestApp, id: i64) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM disclosure_request_events WHERE request_id = {id}"
    ))
}

#[actix_web::test]
async fn an_unanswered_consultation_stops_pausing_and_is_listed_for_a_decision() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "党政办");
    let t = app.token(Role::Unit, Some(unit));
    // Received Wed 2023-03-01: due Mar 29 without pauses.
    let plain = register_id(&svc, &t, &application(unit, "2023-03-01")).await;
    // Consulted Mar 2, receipt not recorded: the party's 15 days end Mar 23, reply due
    // Apr 20 once they have passed.
    let unrecorded = register_id(&svc, &t, &application(unit, "2023-03-01")).await;
    let r = act_ok(
        &svc,
        &t,
        unrecorded,
        json!({"action": "consult", "on": "2023-03-02", "party": "third_party"}),
    )
    .await;
    let pause = &r.body["clock"]["pauses"][0];
    assert_eq!(pause["received_on"], "2023-03-02");
    assert_eq!(pause["received_on_recorded"], false);
    assert_eq!(pause["limit"], "2023-03-23");
    assert_eq!(pause["limit_explanation"]["workdays"], 15);
    // Read today, years later: the pause ended at the limit, the reply is long overdue.
    assert_eq!(pause["end"], "limit_reached");
    assert_eq!(pause["paused_until"], "2023-03-23");
    assert_eq!(r.body["reply_due"], "2023-04-20");
    assert_eq!(r.body["overdue"], true);
    assert_eq!(r.body["clock"]["state"], "running");
    let decision = &r.body["clock"]["decision_due"];
    assert_eq!(decision["code"], "consultation_lapsed");
    assert_eq!(decision["period_ended_on"], "2023-03-23");
    assert_eq!(decision["action"], "receive_consultation_reply");
    let text = r.body["clock"]["reply_due_explanation"]["text"].as_str().unwrap();
    assert!(text.contains(pause["text"].as_str().unwrap()), "{text}");
    assert!(text.contains("期满未答复"), "{text}");
    // The party received its letter on Mon Mar 6: its days end Mar 27.
    let recorded = register_id(&svc, &t, &application(unit, "2023-03-01")).await;
    let r = act_ok(
        &svc,
        &t,
        recorded,
        json!({"action": "consult", "on": "2023-03-02", "party": "agency", "received_on": "2023-03-06"}),
    )
    .await;
    assert_eq!(r.body["clock"]["pauses"][0]["limit"], "2023-03-27");
    assert_eq!(r.body["clock"]["consultation_reply_due"], "2023-03-27");
    assert_eq!(r.body["history"][0]["details"]["received_on"], "2023-03-06");
    assert_eq!(r.body["reply_due"], "2023-04-23");

    let list = |q: &str| send(&svc, get(&format!("/api/v1/disclosure-requests?{q}"), &t));
    // Mar 24: the first consultation has lapsed (a decision is due, though the reply is
    // not overdue), the second has not, the plain one is not due yet.
    let r = list("as_of=2023-03-24&overdue=true").await;
    assert_eq!(ids(&r), [unrecorded]);
    assert_eq!(r.body["items"][0]["overdue"], false);
    assert_eq!(r.body["items"][0]["decision_due"]["code"], "consultation_lapsed");
    assert_eq!(ids(&list("as_of=2023-03-24&overdue=false").await), [plain, recorded]);
    // Due within 1 working day (Mar 27): only the decision.
    assert_eq!(ids(&list("as_of=2023-03-24&due_within_workdays=1").await), [unrecorded]);
    assert_eq!(ids(&list("as_of=2023-03-28&overdue=true").await), [unrecorded, recorded]);
    assert_eq!(ids(&list("as_of=2023-03-30&overdue=true").await), [plain, unrecorded, recorded]);

    // Closing the consultation late does not stretch the pause: still due Apr 20.
    let r = act_ok(
        &svc,
        &t,
        unrecorded,
        json!({"action": "receive_consultation_reply", "on": "2023-04-10"}),
    )
    .await;
    assert_eq!(r.body["status"], "in_progress");
    assert_eq!(r.body["reply_due"], "2023-04-20");
    assert_eq!(r.body["clock"]["pauses"][0]["ended_on"], "2023-04-10");
    assert_eq!(r.body["clock"]["pauses"][0]["end"], "limit_reached");
    assert_eq!(r.body["clock"]["decision_due"], Value::Null);
    assert_eq!(ids(&list("as_of=2023-03-24&overdue=true").await), Vec::<i64>::new());

    // A receipt date before the letter went out is refused, naming the field.
    let other = register_id(&svc, &t, &application(unit, "2023-03-01")).await;
    let r = act(
        &svc,
        &t,
        other,
        json!({"action": "consult", "on": "2023-03-02", "party": "third_party", "received_on": "2023-03-01"}),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["received_on"]);
    assert_eq!(steps_of(&app, other), 0);
}

#[actix_web::test]
async fn an_unpaid_fee_stops_pausing_and_is_due_to_be_deemed_abandoned() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "财政局");
    let t = app.token(Role::Unit, Some(unit));
    let id = register_id(&svc, &t, &application(unit, "2023-03-01")).await;
    // Notice on Mar 6, received by the applicant on Mar 8: 20 working days from Mar 9
    // end on Apr 6 (Apr 5 off).
    let r = act_ok(
        &svc,
        &t,
        id,
        json!({"action": "notify_fee", "on": "2023-03-06", "method": "per_page", "pages": 250, "received_on": "2023-03-08"}),
    )
    .await;
    assert_eq!(r.body["fee"]["received_on"], "2023-03-08");
    assert_eq!(r.body["fee"]["payment_due"], "2023-04-06");
    assert_eq!(r.body["clock"]["payment_due"], "2023-04-06");
    assert_eq!(r.body["clock"]["payment_due_explanation"]["start"], "2023-03-08");
    assert_eq!(r.body["clock"]["pauses"][0]["paused_until"], "2023-04-06");
    assert_eq!(r.body["clock"]["decision_due"]["code"], "payment_lapsed");
    assert_eq!(r.body["clock"]["decision_due"]["action"], "deem_abandoned");
    // Paused Mar 7 … Apr 6 (22 working days): due Apr 28.
    assert_eq!(r.body["reply_due"], "2023-04-28");
    let list = |q: &str| send(&svc, get(&format!("/api/v1/disclosure-requests?{q}"), &t));
    assert_eq!(ids(&list("as_of=2023-04-06&overdue=true").await), Vec::<i64>::new());
    assert_eq!(ids(&list("as_of=2023-04-07&overdue=true").await), [id]);
    let r = act(&svc, &t, id, json!({"action": "record_payment", "on": "2023-04-07"})).await;
    r.assert_problem(409, "payment_deadline_passed");
    let r = act_ok(&svc, &t, id, json!({"action": "deem_abandoned", "on": "2023-04-07"})).await;
    assert_eq!(r.body["outcome"], "other_fee_unpaid");
    // Counted in （六）2 of 2023, under its printed label.
    let coordinator = app.token(Role::Coordinator, None);
    let r = send(
        &svc,
        get(&format!("/api/v1/annual-reports/2023/applications?unit_id={unit}"), &coordinator),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let row = r.body["rows"].as_array().unwrap().iter().find(|r| r["key"] == "other_fee_unpaid");
    let row = row.expect("（六）2");
    assert_eq!(row["values"]["natural_person"], 1);
    assert_eq!(
        row["title"],
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    );
}

#[actix_web::test]
async fn fee_and_extension_notices_outside_the_rules_are_refused_with_their_codes() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "党政办");
    let t = app.token(Role::Unit, Some(unit));
    let audit_steps = |id: i64| {
        audit_of(&app, "disclosure_request", id)
            .into_iter()
            .filter(|(action, _)| action != "disclosure_request.create")
            .count()
    };
    // Received 2020-12-14, before 国办函〔2020〕109号 applied.
    let mut body = application(unit, "2020-12-14");
    body["item_count"] = json!(40);
    let early = register_id(&svc, &t, &body).await;
    let r = act(
        &svc,
        &t,
        early,
        json!({"action": "notify_fee", "on": "2020-12-16", "method": "per_item"}),
    )
    .await;
    r.assert_problem(409, "fee_rules_not_in_force");
    assert!(r.body["detail"].as_str().unwrap().contains("2021-01-01"), "{}", r.text);
    // Received 2023-03-01, reply due Mar 29.
    let late_fee = register_id(&svc, &t, &application(unit, "2023-03-01")).await;
    let r = act(
        &svc,
        &t,
        late_fee,
        json!({"action": "notify_fee", "on": "2023-03-30", "method": "per_page", "pages": 250}),
    )
    .await;
    r.assert_problem(409, "fee_notice_too_late");
    assert!(r.body["detail"].as_str().unwrap().contains("2023-03-29"), "{}", r.text);
    // Decided on the last day but told on Apr 20 about a period that ended Mar 29.
    let late_extension = register_id(&svc, &t, &application(unit, "2023-03-01")).await;
    let r = act(
        &svc,
        &t,
        late_extension,
        json!({"action": "extend", "on": "2023-03-29", "workdays": 10, "approved_by": "公开办主任", "applicant_notified_on": "2023-04-20"}),
    )
    .await;
    r.assert_problem(409, "extension_too_late");
    let detail = r.body["detail"].as_str().unwrap();
    assert!(detail.contains("2023-03-29") && detail.contains("2023-04-20"), "{detail}");
    for id in [early, late_fee, late_extension] {
        assert_eq!(steps_of(&app, id), 0, "a refused step records nothing");
        assert_eq!(audit_steps(id), 0, "and audits nothing");
    }
    // Told on the last day, it is accepted.
    act_ok(
        &svc,
        &t,
        late_extension,
        json!({"action": "extend", "on": "2023-03-29", "workdays": 10, "approved_by": "公开办主任", "applicant_notified_on": "2023-03-29"}),
    )
    .await;
}

#[actix_web::test]
async fn a_late_correction_needs_a_good_reason_which_is_audited() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "党政办");
    let t = app.token(Role::Unit, Some(unit));
    let id = register_id(&svc, &t, &application(unit, "2024-03-01")).await;
    act_ok(
        &svc,
        &t,
        id,
        json!({"action": "request_correction", "on": "2024-03-04", "correction_due": "2024-03-15"}),
    )
    .await;
    // Read today, the applicant's deadline has long passed: a decision is due.
    let r = send(&svc, get(&format!("/api/v1/disclosure-requests/{id}"), &t)).await;
    assert_eq!(r.body["clock"]["decision_due"]["code"], "correction_lapsed");
    let r = act(&svc, &t, id, json!({"action": "receive_correction", "on": "2024-03-18"})).await;
    r.assert_problem(409, "correction_deadline_passed");
    assert!(r.body["detail"].as_str().unwrap().contains("good_reason"), "{}", r.text);
    // A reason on another step, or a blank one, changes nothing.
    let r = act(
        &svc,
        &t,
        id,
        json!({"action": "deem_withdrawn", "on": "2024-03-18", "good_reason": "路途遥远"}),
    )
    .await;
    assert_eq!(r.fields(), ["good_reason"]);
    let r = act(
        &svc,
        &t,
        id,
        json!({"action": "receive_correction", "on": "2024-03-18", "good_reason": "  "}),
    )
    .await;
    r.assert_problem(409, "correction_deadline_passed");
    assert_eq!(steps_of(&app, id), 1);
    let reason = "申请人住院，补正材料由家属代为寄出，附医院证明";
    let r = act_ok(
        &svc,
        &t,
        id,
        json!({"action": "receive_correction", "on": "2024-03-18", "good_reason": reason}),
    )
    .await;
    assert_eq!(r.body["status"], "received");
    assert_eq!(r.body["clock"]["runs_from"], "2024-03-18");
    assert_eq!(r.body["reply_due"], "2024-04-16");
    assert_eq!(r.body["history"][1]["details"]["good_reason"], reason);
    let audited = app.count(&format!(
        "SELECT count(*) AS n FROM audit_events WHERE entity_type = 'disclosure_request' \
         AND entity_id = '{id}' AND action = 'disclosure_request.receive_correction' \
         AND after ->> 'good_reason' = '{reason}'"
    ));
    assert_eq!(audited, 1);
    // A viewer sees the step but not the handler's words.
    let viewer = app.token(Role::Viewer, None);
    let r = send(&svc, get(&format!("/api/v1/disclosure-requests/{id}"), &viewer)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["history"][1]["action"], "receive_correction");
    assert!(r.body["history"][1]["details"].get("good_reason").is_none(), "{}", r.text);
}
