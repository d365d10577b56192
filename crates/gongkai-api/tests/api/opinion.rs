//! The opinion ledger (舆情回应台账) end to end: cases, the response clock, responses with
//! promises, promise moves, evidence on the plan task, due-soon lists, the ledger and the
//! look-back, and who sees the writer's details.

use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::support::*;

fn rectification_findings(app: &TestApp) -> Vec<(i64, String)> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        unit_id: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        finding: String,
    }
    let mut c = app.conn();
    diesel::sql_query("SELECT unit_id, finding FROM rectifications ORDER BY id")
        .load::<R>(&mut c)
        .unwrap()
        .into_iter()
        .map(|r| (r.unit_id, r.finding))
        .collect()
}

/// Who the case tests register a case with: on task 29, led by 党政办 with 综管办 as
/// co-unit, 经发局 outside it at first; with a coordinator's, a viewer's and the two
/// units' tokens.
struct Parties {
    dzb: i64,
    zgb: i64,
    jfj: i64,
    t29: i64,
    /// A coordinator of the city government.
    coord: String,
    viewer: String,
    dzb_tok: String,
    jfj_tok: String,
}

fn parties(app: &TestApp) -> Parties {
    let gov = unit_id(app, "开平市人民政府");
    let dzb = unit_id(app, "党政办");
    let zgb = unit_id(app, "综管办");
    let jfj = unit_id(app, "经发局");
    let t29 = task_id(app, 29);
    let coord = app.token(Role::Coordinator, Some(gov));
    let viewer = app.token(Role::Viewer, None);
    let dzb_tok = app.token(Role::Unit, Some(dzb));
    let jfj_tok = app.token(Role::Unit, Some(jfj));
    Parties { dzb, zgb, jfj, t29, coord, viewer, dzb_tok, jfj_tok }
}

#[actix_web::test]
async fn cases_responses_promises_ledger_and_look_back() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let Parties { dzb, zgb, jfj, t29, coord, viewer, dzb_tok, jfj_tok } = parties(&app);

    let case = json!({
        "source": "hotline_12345", "topic": "wage_arrears", "received_on": "2021-09-30",
        "summary": "某工地拖欠农民工工资", "task_id": t29, "lead_unit_id": dzb,
        "co_unit_ids": [zgb], "writer": {"name": "李四", "contact": "13800000000"}
    });
    // A viewer may not register; a unit may not register another unit's case.
    send(&svc, post_json("/api/v1/opinion-cases", &viewer, &case))
        .await
        .assert_problem(403, "forbidden");
    send(&svc, post_json("/api/v1/opinion-cases", &jfj_tok, &case))
        .await
        .assert_problem(403, "forbidden");
    let bad = json!({"source": "weibo", "topic": "wage_arrears", "received_on": "2099-01-01",
        "summary": " ", "task_id": t29, "lead_unit_id": dzb});
    let r = send(&svc, post_json("/api/v1/opinion-cases", &coord, &bad)).await;
    assert_eq!(r.status, 422, "{}", r.text);

    let r = send(&svc, post_json("/api/v1/opinion-cases", &coord, &case)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    // 12345 hotline: 5 working days across National Day (10-08, the make-up 10-09, 10-11…10-13).
    assert_eq!(r.body["clock"]["response_due"], "2021-10-13");
    assert_eq!(r.body["clock"]["response_workdays"], 5);
    assert!(r.body.get("writer").is_none(), "the writer is not echoed");
    assert_eq!(r.body["writer_on_file"], true);
    assert!(!r.text.contains("13800000000"));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM events WHERE type = 'opinion_case.registered'"),
        1
    );
    // Nothing of the writer in the database in clear, nor in the audit trail or events.
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_events WHERE after::text LIKE '%13800000000%' OR after::text LIKE '%李四%'"),
        0
    );
    assert_eq!(app.count("SELECT count(*) AS n FROM opinion_cases WHERE position('\\x3133383030303030303030'::bytea in writer_cipher) > 0"), 0);

    // A second case, never answered: online opinion, 1 working day.
    let r = send(&svc, post_json("/api/v1/opinion-cases", &coord, &json!({
        "source": "online_opinion", "topic": "epidemic_control", "received_on": "2021-11-01",
        "summary": "网传某小区封控", "task_id": t29, "lead_unit_id": zgb
    }))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let second = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["clock"]["response_due"], "2021-11-02");

    // Full read by the lead unit: the writer, audited; a viewer: nothing of the writer;
    // another unit: 403.
    let r = send(&svc, get(&format!("/api/v1/opinion-cases/{id}"), &dzb_tok)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["writer"]["contact"], "13800000000");
    let r = send(&svc, get(&format!("/api/v1/opinion-cases/{id}"), &viewer)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body.get("writer").is_none() && r.body.get("writer_on_file").is_none());
    assert!(!r.text.contains("李四"));
    send(&svc, get(&format!("/api/v1/opinion-cases/{id}"), &jfj_tok))
        .await
        .assert_problem(403, "forbidden");
    let reads = audit_of(&app, "opinion_case", id);
    assert_eq!(reads.iter().filter(|(a, _)| a == "opinion_case.read").count(), 2, "{reads:?}");

    // Lists never carry the writer.
    for tok in [&coord, &viewer, &dzb_tok] {
        let r = send(&svc, get("/api/v1/opinion-cases", tok)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(
            !r.text.contains("李四")
                && !r.text.contains("13800000000")
                && !r.text.contains("writer")
        );
    }
    let r = send(&svc, get("/api/v1/opinion-cases", &dzb_tok)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1, "a unit lists its own cases");
    let csv = get("/api/v1/opinion-cases", &coord).insert_header(("Accept", "text/csv"));
    let r = send(&svc, csv).await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("某工地拖欠农民工工资") && r.text.contains("12345热线"), "{}", r.text);
    assert!(!r.text.contains("13800000000") && !r.text.contains("李四"));
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let r = send(&svc, get("/api/v1/opinion-cases", &viewer).insert_header(("Accept", xlsx))).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type").as_deref(), Some(xlsx));

    // The lead unit responds on 2021-10-12 (on time) with a promise due 2021-11-30.
    let evidence_before =
        app.count(&format!("SELECT count(*) AS n FROM evidence WHERE task_id = {t29}"));
    let response = json!({
        "responded_on": "2021-10-12", "channel": "hotline_12345", "text": "已督促企业支付",
        "published": true, "promises": [
            {"text": "11月底前结清全部欠薪", "unit_id": dzb, "due_on": "2021-11-30"},
            {"text": "12月前公布处理结果", "unit_id": jfj, "due_on": "2021-11-15"}
        ]
    });
    send(&svc, post_json(&format!("/api/v1/opinion-cases/{id}/responses"), &jfj_tok, &response))
        .await
        .assert_problem(403, "forbidden");
    let r = send(
        &svc,
        post_json(&format!("/api/v1/opinion-cases/{id}/responses"), &dzb_tok, &response),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["status"], "responded");
    assert_eq!(r.body["clock"]["responded_on_time"], true);
    let promises = r.body["promises"].as_array().unwrap().clone();
    assert_eq!(promises.len(), 2);
    let (p_dzb, p_jfj) = (promises[0]["id"].as_i64().unwrap(), promises[1]["id"].as_i64().unwrap());
    // The response is evidence on task 29, in the same transaction.
    let ev = r.body["responses"][0]["evidence_id"].as_i64().unwrap();
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM evidence WHERE task_id = {t29}")),
        evidence_before + 1
    );
    let r = send(&svc, get(&format!("/api/v1/evidence/{ev}"), &coord)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        (r.body["occurred_on"].as_str(), r.body["event_on"].as_str()),
        (Some("2021-10-12"), Some("2021-09-30"))
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM events WHERE type = 'opinion_case.responded'"),
        1
    );

    // Due-soon as of 2021-11-16: the second case's response and 经发局's promise are
    // overdue, 党政办's promise is due soon.
    let r = send(&svc, get("/api/v1/plans/1/due-soon?as_of=2021-11-16&within_workdays=20", &coord))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let overdue: Vec<(String, i64)> = r.body["opinion_overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap().to_string(), i["case_id"].as_i64().unwrap()))
        .collect();
    assert_eq!(overdue, vec![("response".to_string(), second), ("promise".to_string(), id)]);
    let soon = r.body["opinion_due_soon"].as_array().unwrap();
    assert_eq!(soon.len(), 1);
    assert_eq!(soon[0]["promise_id"], p_dzb);
    // Per unit: only what 经发局 answers for.
    let r = send(
        &svc,
        get(&format!("/api/v1/plans/1/due-soon?as_of=2021-11-16&unit_id={jfj}"), &coord),
    )
    .await;
    assert_eq!(r.body["opinion_overdue"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["opinion_overdue"][0]["promise_id"], p_jfj);

    // Promise moves: kept after the due date must say kept_late (422); kept_late is
    // evidence on the task; then any further move is 409; another unit's promise 403.
    let moves = format!("/api/v1/opinion-cases/{id}/promises/{p_dzb}/transitions");
    let kept = json!({"to": "kept", "on": "2021-12-02", "evidence": "https://www.kaiping.gov.cn/x.html", "published": true});
    send(&svc, post_json(&moves, &jfj_tok, &kept)).await.assert_problem(403, "forbidden");
    let r = send(&svc, post_json(&moves, &dzb_tok, &kept)).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let late = json!({"to": "kept_late", "on": "2021-12-02", "evidence": "https://www.kaiping.gov.cn/x.html", "published": true});
    let r = send(&svc, post_json(&moves, &dzb_tok, &late)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let moved =
        r.body["promises"].as_array().unwrap().iter().find(|p| p["id"] == p_dzb).unwrap().clone();
    assert_eq!(moved["status"], "kept_late");
    assert_eq!(moved["fulfilment_published"], true);
    let ev = moved["evidence_id"].as_i64().unwrap();
    let r = send(&svc, get(&format!("/api/v1/evidence/{ev}"), &coord)).await;
    assert_eq!(r.body["task_id"], t29);
    assert_eq!(r.body["url"], "https://www.kaiping.gov.cn/x.html");
    for to in ["kept", "kept_late", "broken", "pending"] {
        let again =
            json!({"to": to, "on": "2021-12-03", "evidence": "文号2021-1", "published": false});
        send(&svc, post_json(&moves, &coord, &again))
            .await
            .assert_problem(409, "illegal_transition");
    }
    // 经发局 breaks its promise; the case cannot close with… nothing pending now: it can.
    let broke = json!({"to": "broken", "on": "2021-11-20", "evidence": "档案号 KP-2021-77", "published": false});
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/opinion-cases/{id}/promises/{p_jfj}/transitions"),
            &jfj_tok,
            &broke,
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM events WHERE type = 'opinion_promise.moved'"),
        2
    );
    send(&svc, post_json(&format!("/api/v1/opinion-cases/{id}/close"), &dzb_tok, &json!({})))
        .await
        .assert_problem(403, "forbidden");
    send(&svc, post_json(&format!("/api/v1/opinion-cases/{second}/close"), &coord, &json!({})))
        .await
        .assert_problem(409, "illegal_transition");

    // The ledger as of 2021-12-31, per unit: 党政办 leads case 1 (on time) and kept a
    // promise late; 综管办 leads case 2 (overdue); 经发局 broke a promise.
    let r =
        send(&svc, get("/api/v1/opinion-cases/ledger?year=2021&as_of=2021-12-31", &viewer)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let row = |key: i64| -> Value {
        r.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["key"].as_str() == Some(key.to_string().as_str()))
            .unwrap()
            .clone()
    };
    let d = row(dzb);
    assert_eq!(
        (
            d["received"].as_u64(),
            d["responded_on_time"].as_u64(),
            d["promises_kept_late"].as_u64(),
            d["fulfilment_published"].as_u64()
        ),
        (Some(1), Some(1), Some(1), Some(1))
    );
    let z = row(zgb);
    assert_eq!((z["received"].as_u64(), z["response_overdue"].as_u64()), (Some(1), Some(1)));
    let j = row(jfj);
    assert_eq!((j["received"].as_u64(), j["promises_broken"].as_u64()), (Some(0), Some(1)));
    let total = r.body["rows"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (total["key"].as_str(), total["received"].as_u64(), total["promises_made"].as_u64()),
        (Some("total"), Some(2), Some(2))
    );
    // By source, and as CSV and XLSX; 406 for a type the server cannot produce.
    let r = send(
        &svc,
        get("/api/v1/opinion-cases/ledger?year=2021&as_of=2021-12-31&group_by=source", &viewer),
    )
    .await;
    let keys: Vec<&str> =
        r.body["rows"].as_array().unwrap().iter().map(|x| x["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["hotline_12345", "online_opinion", "total"]);
    let r = send(
        &svc,
        get("/api/v1/opinion-cases/ledger?year=2021&as_of=2021-12-31", &viewer)
            .insert_header(("Accept", "text/csv")),
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("按时回应") && r.text.contains("党政办"), "{}", r.text);
    let r = send(
        &svc,
        get("/api/v1/opinion-cases/ledger?year=2021", &viewer).insert_header((
            "Accept",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )),
    )
    .await;
    assert_eq!(r.status, 200);
    let r = send(
        &svc,
        get("/api/v1/opinion-cases/ledger?year=2021", &viewer)
            .insert_header(("Accept", "application/pdf")),
    )
    .await;
    r.assert_problem(406, "not_acceptable");

    // The look-back of 2021 takes up 经发局's broken promise as a rectification item of
    // its own (经发局 answers for task 29 too), and not the kept one.
    let r =
        send(&svc, post_json("/api/v1/plans/1/reviews", &coord, &json!({"as_of": "2022-01-10"})))
            .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let found = rectification_findings(&app);
    let promised: Vec<&(i64, String)> =
        found.iter().filter(|(_, f)| f.contains("舆情回应承诺")).collect();
    assert_eq!(promised.len(), 1, "{promised:?}");
    assert_eq!(promised[0].0, jfj);
    assert!(
        promised[0].1.contains("未兑现") && promised[0].1.contains("12月前公布处理结果"),
        "{}",
        promised[0].1
    );
}

#[actix_web::test]
async fn a_promise_pending_past_due_opens_a_rectification_for_a_unit_outside_the_task() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let dzb = unit_id(&app, "党政办");
    let cz = unit_id(&app, "财政局");
    let t29 = task_id(&app, 29);
    let coord = app.token(Role::Coordinator, Some(gov));
    let r = send(&svc, post_json("/api/v1/opinion-cases", &coord, &json!({
        "source": "governor_mailbox", "topic": "education_health_elderly", "received_on": "2021-06-01",
        "summary": "养老院收费", "task_id": t29, "lead_unit_id": dzb
    }))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    let r = send(&svc, post_json(&format!("/api/v1/opinion-cases/{id}/responses"), &coord, &json!({
        "responded_on": "2021-06-10", "channel": "governor_mailbox", "url": "https://example.gov.cn/r",
        "published": true, "promises": [{"text": "三个月内完成收费核查", "unit_id": cz, "due_on": "2021-09-10"}]
    }))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    // As of 2021-09-10 the promise is not overdue yet: no finding; as of 2021-12-31 it is.
    let r =
        send(&svc, post_json("/api/v1/plans/1/reviews", &coord, &json!({"as_of": "2021-09-10"})))
            .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(rectification_findings(&app).iter().all(|(_, f)| !f.contains("舆情回应承诺")));
    let r =
        send(&svc, post_json("/api/v1/plans/1/reviews", &coord, &json!({"as_of": "2021-12-31"})))
            .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let entry = r.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["unit_id"] == cz && e["task_number"] == 29)
        .cloned();
    let entry = entry.expect("an entry for 财政局 on task 29");
    assert!(entry["shortfall"].as_str().unwrap().contains("逾期未兑现"));
    let found = rectification_findings(&app);
    assert!(found.iter().any(|(u, f)| *u == cz && f.contains("三个月内完成收费核查")), "{found:?}");
}

/// The reminders sweep announces a case's response due date (governor's mailbox, 10
/// working days from 2021-09-30 across National Day: 2021-10-20) and a pending promise,
/// once per threshold, without the writer's details.
#[actix_web::test]
async fn reminders_for_a_response_and_a_promise() {
    use gongkai_api::reminders::job::sweep;
    use gongkai_core::disclosure::ClockSettings;
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let dzb = unit_id(&app, "党政办");
    let t29 = task_id(&app, 29);
    let coord = app.token(Role::Coordinator, Some(gov));
    let r = send(
        &svc,
        post_json(
            "/api/v1/opinion-cases",
            &coord,
            &json!({
                "source": "governor_mailbox", "topic": "work_safety", "received_on": "2021-09-30",
                "summary": "厂房消防隐患", "task_id": t29, "lead_unit_id": dzb,
                "writer": {"name": "王五", "contact": "wangwu@example.com"}
            }),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["clock"]["response_due"], "2021-10-20");
    let mut sent = Vec::new();
    let start = chrono::NaiveDate::from_ymd_opt(2021, 10, 8).unwrap();
    for day in start.iter_days().take(15) {
        let before = app.count("SELECT coalesce(max(id), 0) AS n FROM events");
        sweep(&mut app.conn(), ClockSettings::default(), day).unwrap();
        let new = app.count(&format!(
            "SELECT count(*) AS n FROM events WHERE id > {before} AND path = '/api/v1/opinion-cases/{id}'"
        ));
        if new > 0 {
            sent.push(day.to_string());
        }
    }
    // 7 working days left on 10-11, 3 on 10-15, 1 on 10-19; overdue on 10-21.
    assert_eq!(sent, ["2021-10-11", "2021-10-15", "2021-10-19", "2021-10-21"]);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM events WHERE data->>'kind' = 'opinion_response'"),
        4
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM events WHERE data::text LIKE '%wangwu%' OR data::text LIKE '%王五%'"),
        0
    );

    // A promise due 2021-11-30 gets its own reminders; sweeping the same day twice sends
    // nothing more.
    let r = send(&svc, post_json(&format!("/api/v1/opinion-cases/{id}/responses"), &coord, &json!({
        "responded_on": "2021-10-22", "channel": "letter", "text": "已约谈企业",
        "published": false, "promises": [{"text": "年底前完成整改", "unit_id": dzb, "due_on": "2021-11-30"}]
    }))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 1).unwrap();
    sweep(&mut app.conn(), ClockSettings::default(), day).unwrap();
    assert_eq!(sweep(&mut app.conn(), ClockSettings::default(), day).unwrap().sent, 0);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM events WHERE type = 'deadline.overdue' AND data->>'kind' = 'opinion_promise'"),
        1
    );
}

#[actix_web::test]
async fn a_coordinator_reassigns_a_case_and_verifies_kept_promises_before_closing() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let Parties { dzb, zgb, jfj, t29, coord, viewer, dzb_tok, jfj_tok } = parties(&app);

    let r = send(
        &svc,
        post_json(
            "/api/v1/opinion-cases",
            &coord,
            &json!({
                "source": "governor_mailbox", "topic": "wage_arrears", "received_on": "2021-09-30",
                "summary": "工地欠薪", "task_id": t29, "lead_unit_id": dzb, "co_unit_ids": [zgb],
                "writer": {"name": "王五"}
            }),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    let url = format!("/api/v1/opinion-cases/{id}");
    let read = send(&svc, get(&url, &coord)).await;
    let etag = read.header("etag").unwrap();

    // Reassigning: 428 without If-Match, 403 for a unit (even its lead) and a viewer.
    let change = json!({"lead_unit_id": jfj, "co_unit_ids": [zgb, dzb], "topic": "work_safety",
        "summary": " 两处工地欠薪 "});
    let r = send(
        &svc,
        authed(actix_web::test::TestRequest::patch().uri(&url), &coord).set_json(&change),
    )
    .await;
    assert_eq!(r.status, 428, "{}", r.text);
    send(&svc, patch_json(&url, &dzb_tok, &etag, &change)).await.assert_problem(403, "forbidden");
    send(&svc, patch_json(&url, &viewer, &etag, &change)).await.assert_problem(403, "forbidden");
    // Checked as at registration: nothing to change, a blank summary, the lead as a
    // co-unit, an unknown unit — 422, nothing changed.
    for bad in [
        json!({}),
        json!({"summary": "  "}),
        json!({"lead_unit_id": zgb, "co_unit_ids": [zgb]}),
        json!({"co_unit_ids": [999_999]}),
    ] {
        let r = send(&svc, patch_json(&url, &coord, &etag, &bad)).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
    assert_eq!(send(&svc, get(&url, &coord)).await.header("etag").unwrap(), etag);

    let r = send(&svc, patch_json(&url, &coord, &etag, &change)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["lead_unit"]["id"], jfj);
    let co: Vec<i64> =
        r.body["co_units"].as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect();
    assert_eq!(co, [zgb, dzb]);
    assert_eq!(r.body["topic"], "work_safety");
    assert_eq!(r.body["summary"], "两处工地欠薪");
    let new_etag = r.header("etag").unwrap();
    assert_ne!(new_etag, etag);
    // The answer's ETag is the one a coordinator's read gives.
    assert_eq!(send(&svc, get(&url, &coord)).await.header("etag").unwrap(), new_etag);
    assert!(audit_of(&app, "opinion_case", id).iter().any(|(a, _)| a == "opinion_case.assign"));
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM audit_events WHERE action = 'opinion_case.assign' AND before->>'lead_unit_id' = '{dzb}' AND after->>'lead_unit_id' = '{jfj}'")),
        1
    );
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM events WHERE type = 'opinion_case.assigned' AND resource_id = {id}")),
        1
    );
    // The old ETag is stale now.
    send(&svc, patch_json(&url, &coord, &etag, &json!({"topic": "other"})))
        .await
        .assert_problem(412, "precondition_failed");
    // 经发局 now leads: it answers, promising for itself and for 党政办.
    let r = send(&svc, post_json(&format!("{url}/responses"), &jfj_tok, &json!({
        "responded_on": "2021-10-12", "channel": "governor_mailbox", "text": "已督促", "published": true,
        "promises": [
            {"text": "11月底前结清", "unit_id": jfj, "due_on": "2021-11-30"},
            {"text": "开展排查", "unit_id": dzb, "due_on": "2021-11-30"}
        ]
    })))
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let p_jfj = r.body["promises"][0]["id"].as_i64().unwrap();
    let p_dzb = r.body["promises"][1]["id"].as_i64().unwrap();
    assert!(r.body["promises"][0]["verified_on"].is_null());
    let verify = |p: i64| format!("{url}/promises/{p}/verify");

    // A pending promise is not verified.
    send(&svc, post_json(&verify(p_jfj), &coord, &json!({})))
        .await
        .assert_problem(409, "illegal_transition");
    let kept = json!({"to": "kept", "on": "2021-11-20", "evidence": "https://www.kaiping.gov.cn/k.html", "published": true});
    let r = send(&svc, post_json(&format!("{url}/promises/{p_jfj}/transitions"), &jfj_tok, &kept))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let broke =
        json!({"to": "broken", "on": "2021-12-01", "evidence": "档案号 KP-1", "published": false});
    let r = send(&svc, post_json(&format!("{url}/promises/{p_dzb}/transitions"), &dzb_tok, &broke))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Nothing pending, but the kept promise is not verified: the case does not close.
    let r = send(&svc, post_json(&format!("{url}/close"), &coord, &json!({}))).await;
    r.assert_problem(409, "illegal_transition");
    assert!(r.body["detail"].as_str().unwrap().contains(&format!("promise {p_jfj}")), "{}", r.text);
    // The unit that kept it does not verify it; a broken promise is not verified.
    send(&svc, post_json(&verify(p_jfj), &jfj_tok, &json!({})))
        .await
        .assert_problem(403, "forbidden");
    send(&svc, post_json(&verify(p_dzb), &coord, &json!({})))
        .await
        .assert_problem(409, "illegal_transition");
    let r =
        send(&svc, post_json(&verify(p_jfj), &coord, &json!({"verified_on": "2021-12-02"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let p =
        r.body["promises"].as_array().unwrap().iter().find(|p| p["id"] == p_jfj).unwrap().clone();
    assert_eq!(p["verified_on"], "2021-12-02");
    assert!(p["verified_by"].as_str().is_some_and(|s| !s.is_empty()), "{p}");
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM audit_events WHERE action = 'opinion_promise.verify' AND entity_id = '{p_jfj}'")),
        1
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM events WHERE type = 'opinion_promise.verified'"),
        1
    );
    // Twice: 409.
    send(&svc, post_json(&verify(p_jfj), &coord, &json!({})))
        .await
        .assert_problem(409, "illegal_transition");

    // Now it closes; a closed case is not reassigned.
    let r = send(&svc, post_json(&format!("{url}/close"), &coord, &json!({}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let etag = send(&svc, get(&url, &coord)).await.header("etag").unwrap();
    send(&svc, patch_json(&url, &coord, &etag, &json!({"topic": "other"})))
        .await
        .assert_problem(409, "illegal_transition");
}
