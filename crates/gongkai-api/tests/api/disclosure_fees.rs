//! Information-processing fees (国办函〔2020〕109号): the quote endpoint, and the fee of
//! real applications counted per applicant and calendar month.

use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::disclosure_support::*;
use crate::support::*;

#[actix_web::test]
async fn quotes_with_their_bands() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Viewer, None);
    let r = send(&svc, get("/api/v1/fees/quote?method=per_item&items=35", &t)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["method"], "per_item");
    assert_eq!(r.body["total_yuan"], 3000);
    let amounts: Vec<i64> = r.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["amount_yuan"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, [0, 2000, 1000]);
    assert!(r.body["explanation"].as_str().unwrap().contains("3000"));
    let r = send(&svc, get("/api/v1/fees/quote?method=per_page&pages=250", &t)).await;
    assert_eq!(r.body["total_yuan"], 4700);
    assert_eq!(r.body["lines"].as_array().unwrap().len(), 4);
    // Items 26–35 of the month: 5 at 100, 5 at 200.
    let r = send(&svc, get("/api/v1/fees/quote?method=per_item&items=10&prior_items=25", &t)).await;
    assert_eq!(r.body["total_yuan"], 1500);
    assert!(r.header("etag").is_some());
}

#[actix_web::test]
async fn nonsense_quotes_name_the_parameter() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Unit, Some(unit_id(&app, "党政办")));
    let cases: &[(&str, &[&str])] = &[
        ("method=per_item&items=-1", &["items"]),
        ("method=per_page&pages=-250", &["pages"]),
        ("method=per_item&items=5&prior_items=-2", &["prior_items"]),
        ("method=per_item", &["items"]),
        ("method=per_page", &["pages"]),
        ("method=per_item&items=5&pages=3", &["pages"]),
        ("method=per_page&pages=3&items=5", &["items"]),
        ("method=by_weight&items=5", &["method"]),
        ("method=per_item&items=10001", &["items"]),
    ];
    for (q, fields) in cases {
        let r = send(&svc, get(&format!("/api/v1/fees/quote?{q}"), &t)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), *fields, "{q}");
    }
    let r = send(
        &svc,
        actix_web::test::TestRequest::get().uri("/api/v1/fees/quote?method=per_item&items=1"),
    )
    .await;
    r.assert_problem(401, "unauthorized");
}

fn by(name: &str, id_number: Option<&str>, unit: i64, received_on: &str, items: i64) -> Value {
    let mut body = application(unit, received_on);
    body["applicant"]["name"] = json!(name);
    body["applicant"]["id_number"] = id_number.map_or(Value::Null, |i| json!(i));
    body["item_count"] = json!(items);
    body
}

#[actix_web::test]
async fn items_accumulate_per_applicant_within_a_calendar_month() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "党政办");
    let t = app.token(Role::Unit, Some(unit));
    let id = Some("440781199001011234");
    let first = register_id(&svc, &t, &by("张三", id, unit, "2024-03-01", 10)).await;
    // The same applicant, typed with a space and a full-width digit in the number.
    let second =
        register_id(&svc, &t, &by("张 三", Some("４40781199001011234"), unit, "2024-03-04", 15))
            .await;
    let third = register_id(&svc, &t, &by("张三", id, unit, "2024-03-05", 10)).await;
    let april = register_id(&svc, &t, &by("张三", id, unit, "2024-04-01", 15)).await;
    let someone_else = register_id(&svc, &t, &by("李四", None, unit, "2024-03-05", 10)).await;

    let quote = |id: i64| {
        send(&svc, get(&format!("/api/v1/disclosure-requests/{id}/fee-quote?method=per_item"), &t))
    };
    let r = quote(third).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((r.body["prior_items"].as_i64(), r.body["items"].as_i64()), (Some(25), Some(10)));
    assert_eq!(r.body["month"], "2024-03");
    assert_eq!(r.body["quote"]["total_yuan"], 1500, "items 26–35: 5×100 + 5×200");
    assert_eq!(quote(second).await.body["quote"]["total_yuan"], 1500, "items 11–25: 15×100");
    assert_eq!(quote(first).await.body["quote"]["total_yuan"], 0);
    let r = quote(april).await;
    assert_eq!(
        (r.body["prior_items"].as_i64(), r.body["quote"]["total_yuan"].as_i64()),
        (Some(0), Some(500)),
        "a new month starts at zero"
    );
    assert_eq!(quote(someone_else).await.body["quote"]["total_yuan"], 0);

    // Another agency's applications of the same applicant do not count here.
    let other = unit_id(&app, "财政局");
    let other_t = app.token(Role::Unit, Some(other));
    let elsewhere = register_id(&svc, &other_t, &by("张三", id, other, "2024-03-06", 5)).await;
    let r = send(
        &svc,
        get(
            &format!("/api/v1/disclosure-requests/{elsewhere}/fee-quote?method=per_item"),
            &other_t,
        ),
    )
    .await;
    assert_eq!(
        (r.body["prior_items"].as_i64(), r.body["quote"]["total_yuan"].as_i64()),
        (Some(0), Some(0)),
        "{}",
        r.text
    );
    // A viewer never learns of the applicant's other applications.
    let r = send(
        &svc,
        get(
            &format!("/api/v1/disclosure-requests/{third}/fee-quote?method=per_item"),
            &app.token(Role::Viewer, None),
        ),
    )
    .await;
    r.assert_problem(403, "forbidden");

    // Notifying the fee records the same quote and the payment period.
    let r = act_ok(
        &svc,
        &t,
        third,
        json!({"action": "notify_fee", "on": "2024-03-06", "method": "per_item"}),
    )
    .await;
    assert_eq!(r.body["status"], "fee_notified");
    let fee = &r.body["fee"];
    assert_eq!((fee["total_yuan"].as_i64(), fee["prior_items"].as_i64()), (Some(1500), Some(25)));
    // Mar 6 + 20 working days from the next day: Apr 3 (Apr 4–6 off).
    assert_eq!(fee["payment_due"], "2024-04-03");
    assert_eq!(r.body["clock"]["payment_due"], "2024-04-03");
    let explained = &r.body["clock"]["payment_due_explanation"];
    assert_eq!(
        (explained["start"].as_str(), explained["workdays"].as_i64()),
        (Some("2024-03-06"), Some(20))
    );
    assert!(explained["text"].as_str().unwrap().contains("2024-04-03"));
    // Read today, long after Apr 3, the unpaid wait no longer pauses the clock: the
    // pause ended on the last day to pay and the application awaits being deemed
    // abandoned.
    assert_eq!(r.body["clock"]["state"], "running");
    assert_eq!(r.body["clock"]["pauses"][0]["end"], "limit_reached");
    assert_eq!(r.body["clock"]["pauses"][0]["paused_until"], "2024-04-03");
    assert_eq!(r.body["clock"]["decision_due"]["code"], "payment_lapsed");
    assert_eq!(r.body["clock"]["decision_due"]["action"], "deem_abandoned");
    // Nothing to charge on the first application.
    let r = act(
        &svc,
        &t,
        first,
        json!({"action": "notify_fee", "on": "2024-03-06", "method": "per_item"}),
    )
    .await;
    assert_eq!(r.fields(), ["method"]);
    // Payment after the period is refused; deeming abandoned before it too.
    let r = act(&svc, &t, third, json!({"action": "deem_abandoned", "on": "2024-04-03"})).await;
    r.assert_problem(409, "payment_deadline_not_passed");
    let r = act_ok(&svc, &t, third, json!({"action": "record_payment", "on": "2024-03-08"})).await;
    assert_eq!(r.body["status"], "in_progress");
    assert_eq!(r.body["fee"]["paid_on"], "2024-03-08");
    // Mar 5 + 20 = Apr 2; paused Mar 7–8: two working days later.
    assert_eq!(
        r.body["reply_due"], "2024-04-07",
        "Apr 2 + 2 working days, Apr 4–6 off, Apr 7 a make-up Sunday"
    );
    // One method per application, never both.
    let r = act(
        &svc,
        &t,
        third,
        json!({"action": "notify_fee", "on": "2024-03-11", "method": "per_page", "pages": 250}),
    )
    .await;
    r.assert_problem(409, "fee_already_notified");
}

#[actix_web::test]
async fn a_per_page_fee_and_an_unpaid_one() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "财政局");
    let t = app.token(Role::Coordinator, None);
    let id = register_id(&svc, &t, &application(unit, "2024-05-06")).await;
    let r = send(
        &svc,
        get(&format!("/api/v1/disclosure-requests/{id}/fee-quote?method=per_page&pages=250"), &t),
    )
    .await;
    assert_eq!(r.body["quote"]["total_yuan"], 4700);
    let r = act(
        &svc,
        &t,
        id,
        json!({"action": "notify_fee", "on": "2024-05-07", "method": "per_page"}),
    )
    .await;
    assert_eq!(r.fields(), ["pages"]);
    let r = act_ok(
        &svc,
        &t,
        id,
        json!({"action": "notify_fee", "on": "2024-05-07", "method": "per_page", "pages": 250}),
    )
    .await;
    assert_eq!(r.body["fee"]["total_yuan"], 4700);
    assert_eq!(r.body["fee"]["pages"], 250);
    let due = r.body["fee"]["payment_due"].as_str().unwrap().to_string();
    assert_eq!(due, "2024-06-03");
    let r = act(&svc, &t, id, json!({"action": "record_payment", "on": "2024-06-04"})).await;
    r.assert_problem(409, "payment_deadline_passed");
    let r = act_ok(&svc, &t, id, json!({"action": "deem_abandoned", "on": "2024-06-04"})).await;
    assert_eq!(r.body["status"], "abandoned");
    assert_eq!(r.body["outcome"], "other_fee_unpaid");
    assert_eq!(
        app.count(&format!("SELECT fee_yuan AS n FROM disclosure_requests WHERE id = {id}")),
        4700
    );
}
