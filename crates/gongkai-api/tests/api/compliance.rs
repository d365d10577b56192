//! Compliance reads of the seeded Kaiping 2021 plan: task 15's monthly quota going met,
//! missed and pending; statuses following `occurred_on`; deadlines met late; the
//! scorecard, what is due soon, and the CSV forms.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::support::*;

fn statuses(body: &Value) -> Vec<(String, String)> {
    body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["period_start"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// Records `count` items for task 15 on each day, as its responsible unit.
async fn record_task15<S, B>(app: &TestApp, svc: &S, days: &[&str])
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let own = app.token(Role::Unit, Some(unit_id(app, "公共服务中心")));
    let uri = format!("/api/v1/tasks/{}/evidence", task_id(app, 15));
    for day in days {
        let r = send(
            svc,
            post_json(&uri, &own, &json!({"occurred_on": day, "title": format!("专栏更新 {day}")})),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
}

#[actix_web::test]
async fn task_15_monthly_quota_goes_met_missed_and_pending() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    // Two in January, one in February (recorded today, years after: it still counts by
    // the day it occurred), two in March.
    record_task15(
        &app,
        &svc,
        &["2021-01-05", "2021-01-20", "2021-02-10", "2021-03-01", "2021-03-31"],
    )
    .await;
    let t = app.token(Role::Viewer, None);
    let read =
        |as_of: &str| get(&format!("/api/v1/plans/1/compliance?as_of={as_of}&task_number=15"), &t);

    let r = send(&svc, read("2021-02-15")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["as_of"], "2021-02-15");
    assert_eq!(statuses(&r.body), pairs(&[("2021-01-01", "met"), ("2021-02-01", "pending")]));
    let jan = &r.body["findings"][0];
    assert_eq!(jan["task_number"], 15);
    assert!(
        jan["unit_id"].is_null() && jan["unit"].is_null(),
        "a task-wide quota's finding has no unit"
    );
    assert_eq!(jan["accountable_unit"], "公共服务中心");
    assert_eq!(jan["period_end"], "2021-01-31");
    assert_eq!(jan["required"], json!({"kind": "count", "min": 2, "period": "month"}));
    assert_eq!(jan["actual"], json!({"kind": "count", "count": 2}));
    assert_eq!(jan["explanation"]["due"], "2021-01-31");
    assert_eq!(jan["explanation"]["due_basis"], "period_end");
    assert_eq!(jan["explanation"]["evidence_ids"].as_array().unwrap().len(), 2);
    assert!(jan["explanation"]["text"].as_str().unwrap().contains("2021年1月"));
    assert_eq!(
        r.body["summary"],
        json!({"met": 1, "met_late": 0, "missed": 0, "overdue": 0, "pending": 1})
    );

    // Only records that occurred by as_of count: by 2021-03-15 March has one of two.
    let r = send(&svc, read("2021-03-15")).await;
    assert_eq!(
        statuses(&r.body),
        pairs(&[("2021-01-01", "met"), ("2021-02-01", "missed"), ("2021-03-01", "pending")])
    );
    assert_eq!(r.body["findings"][2]["actual"]["count"], 1);
    let r = send(&svc, read("2021-04-01")).await;
    assert_eq!(
        statuses(&r.body),
        pairs(&[
            ("2021-01-01", "met"),
            ("2021-02-01", "missed"),
            ("2021-03-01", "met"),
            ("2021-04-01", "pending")
        ])
    );
    // At the end of the year: nine months missed.
    let r = send(&svc, read("2022-01-01")).await;
    assert_eq!(
        r.body["summary"],
        json!({"met": 2, "met_late": 0, "missed": 10, "overdue": 0, "pending": 0})
    );
    // Filters: by status.
    let r = send(
        &svc,
        get("/api/v1/plans/1/compliance?as_of=2022-01-01&task_number=15&status=met", &t),
    )
    .await;
    assert_eq!(r.body["findings"].as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn deadlines_are_met_late_or_overdue_by_occurred_on() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let dzb = unit_id(&app, "党政办");
    let own = app.token(Role::Unit, Some(dzb));
    // Task 40 is due 2021-12-01; completed on 12-05, recorded today.
    let uri = format!("/api/v1/tasks/{}/evidence", task_id(&app, 40));
    let r = send(
        &svc,
        post_json(
            &uri,
            &own,
            &json!({"occurred_on": "2021-12-05", "title": "基层目录发布", "completes": true}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let t = app.token(Role::Viewer, None);
    let finding = |r: &Resp| r.body["findings"][0].clone();
    let r = send(&svc, get("/api/v1/plans/1/compliance?as_of=2021-12-03&task_number=40", &t)).await;
    assert_eq!(finding(&r)["status"], "overdue");
    assert_eq!(finding(&r)["period_start"], "2021-01-01");
    assert_eq!(finding(&r)["period_end"], "2021-12-01");
    let r = send(&svc, get("/api/v1/plans/1/compliance?as_of=2022-01-10&task_number=40", &t)).await;
    let f = finding(&r);
    assert_eq!(f["status"], "met_late");
    assert_eq!(f["actual"], json!({"kind": "deadline", "completed_on": "2021-12-05"}));
    assert_eq!(f["explanation"]["due_basis"], "quota_due");
    let r = send(&svc, get("/api/v1/plans/1/compliance?as_of=2021-11-01&task_number=40", &t)).await;
    assert_eq!(finding(&r)["status"], "pending");

    // Threshold (task 49): a value of 5 % meets "不低于4%".
    let uri = format!("/api/v1/tasks/{}/evidence", task_id(&app, 49));
    let r = send(
        &svc,
        post_json(
            &uri,
            &own,
            &json!({"occurred_on": "2021-06-30", "title": "考核方案", "value": 5, "count": 0}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = send(&svc, get("/api/v1/plans/1/compliance?as_of=2021-07-01&task_number=49", &t)).await;
    assert_eq!(finding(&r)["status"], "met");
    assert_eq!(finding(&r)["actual"]["value"], 5.0);
}

#[actix_web::test]
async fn the_whole_plan_the_unit_filter_and_bad_parameters() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Unit, Some(unit_id(&app, "党政办")));
    let r = send(&svc, get("/api/v1/plans/1/compliance?as_of=2021-03-15", &t)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.header("etag").is_some());
    // Tasks 12, 32, 40, 47, 49 (党政办) and 15's three months so far (公共服务中心).
    let n = r.body["findings"].as_array().unwrap().len();
    assert_eq!(n, 8, "{}", r.text);
    let s = &r.body["summary"];
    assert_eq!(
        s["met"].as_u64().unwrap() + s["missed"].as_u64().unwrap() + s["pending"].as_u64().unwrap(),
        8
    );
    let ggfw = unit_id(&app, "公共服务中心");
    let r =
        send(&svc, get(&format!("/api/v1/plans/1/compliance?as_of=2021-03-15&unit_id={ggfw}"), &t))
            .await;
    let tasks: Vec<i64> = r.body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["task_number"].as_i64().unwrap())
        .collect();
    assert_eq!(tasks, [15, 15, 15]);
    // Without as_of: today in Asia/Shanghai.
    let r = send(&svc, get("/api/v1/plans/1/compliance", &t)).await;
    assert_eq!(r.body["as_of"], gongkai_api::http::clock::today().to_string());
    for (query, field) in [("as_of=2021-02-30", "as_of"), ("status=late", "status")] {
        let r = send(&svc, get(&format!("/api/v1/plans/1/compliance?{query}"), &t)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), [field]);
    }
    send(&svc, get("/api/v1/plans/999/compliance", &t)).await.assert_problem(404, "not_found");
    send(&svc, TestRequest::get().uri("/api/v1/plans/1/compliance"))
        .await
        .assert_problem(401, "unauthorized");
}

#[actix_web::test]
async fn scorecard_and_due_soon() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    record_task15(&app, &svc, &["2021-01-05", "2021-01-20", "2021-02-10"]).await;
    let t = app.token(Role::Coordinator, None);
    let r = send(&svc, get("/api/v1/plans/1/scorecard?as_of=2021-03-15", &t)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let units = r.body["units"].as_array().unwrap();
    let ggfw = units.iter().find(|u| u["unit"] == "公共服务中心").unwrap();
    assert_eq!(
        ggfw["counts"],
        json!({"met": 1, "met_late": 0, "missed": 1, "overdue": 0, "pending": 1})
    );
    assert_eq!(ggfw["findings"], 3);
    assert_eq!(ggfw["task_wide_findings"], 3);
    assert_eq!(ggfw["decided"], 2);
    assert_eq!(ggfw["rate"], 0.5);
    assert_eq!(ggfw["on_time_rate"], 0.5);
    let dzb = units.iter().find(|u| u["unit"] == "党政办").unwrap();
    assert_eq!(dzb["decided"], 0);
    assert!(dzb["rate"].is_null(), "nothing decided yet: no rate");
    assert_eq!(r.body["overall"]["findings"], 8);

    // Due within 5 working days of 2021-11-25: task 40's deadline of 2021-12-01.
    let r =
        send(&svc, get("/api/v1/plans/1/due-soon?as_of=2021-11-25&within_workdays=5", &t)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["horizon"], "2021-12-02");
    let soon: Vec<i64> = r.body["due_soon"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["finding"]["task_number"].as_i64().unwrap())
        .collect();
    assert!(soon.contains(&40) && soon.contains(&15), "{soon:?}");
    let t40 = r.body["due_soon"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["finding"]["task_number"] == 40)
        .unwrap();
    assert_eq!(t40["workdays_left"], 4);
    assert!(r.body["overdue"].as_array().unwrap().is_empty());
    let r = send(&svc, get("/api/v1/plans/1/due-soon?as_of=2021-12-10", &t)).await;
    let overdue: Vec<i64> = r.body["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["task_number"].as_i64().unwrap())
        .collect();
    assert_eq!(overdue, [40]);
    let r = send(&svc, get("/api/v1/plans/1/due-soon?within_workdays=999", &t)).await;
    assert_eq!(r.fields(), ["within_workdays"]);
    // Late in 2026 a long horizon reaches 2027, which has no notice yet.
    let r =
        send(&svc, get("/api/v1/plans/1/due-soon?as_of=2026-12-20&within_workdays=20", &t)).await;
    r.assert_problem(422, "calendar_unpublished");
}

#[actix_web::test]
async fn compliance_and_scorecard_as_csv() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    record_task15(&app, &svc, &["2021-01-05", "2021-01-20"]).await;
    let t = app.token(Role::Viewer, None);
    let r = send(
        &svc,
        get("/api/v1/plans/1/compliance?as_of=2021-02-15", &t)
            .insert_header(("Accept", "text/csv")),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
    assert!(r.header("etag").is_some());
    let text = r.text.strip_prefix('\u{feff}').expect("a CSV starts with the UTF-8 BOM");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("as_of,task_number,quota_id,kind,unit_id,unit,accountable_unit,period_start,period_end,required,actual,status"));
    let json = send(&svc, get("/api/v1/plans/1/compliance?as_of=2021-02-15", &t)).await;
    assert_eq!(lines.len() - 1, json.body["findings"].as_array().unwrap().len());
    let jan = lines.iter().find(|l| l.contains(",15,") && l.contains("2021-01-01")).unwrap();
    assert!(
        jan.contains(",count,") && jan.contains(",公共服务中心,") && jan.contains(",met,"),
        "{jan}"
    );

    let r = send(
        &svc,
        get("/api/v1/plans/1/scorecard?as_of=2021-02-15", &t).insert_header(("Accept", "text/csv")),
    )
    .await;
    assert_eq!(r.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = r.text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "\u{feff}row,unit_id,unit,findings,task_wide_findings,met,met_late,missed,overdue,pending,decided,rate,on_time_rate"
    );
    assert!(lines.last().unwrap().starts_with("plan,,"));
    assert!(
        lines.iter().any(|l| l.contains(",公共服务中心,2,2,1,0,0,0,1,1,1.0000,1.0000")),
        "{}",
        r.text
    );
    // JSON stays the default, also for */*.
    let r = send(
        &svc,
        get("/api/v1/plans/1/scorecard?as_of=2021-02-15", &t).insert_header(("Accept", "*/*")),
    )
    .await;
    assert_eq!(r.header("content-type").as_deref(), Some("application/json"));

    // The documented exports: the same CSV at `….csv`, whatever Accept says.
    for (json_path, csv_path) in [
        (
            "/api/v1/plans/1/compliance?as_of=2021-02-15",
            "/api/v1/plans/1/compliance.csv?as_of=2021-02-15",
        ),
        (
            "/api/v1/plans/1/scorecard?as_of=2021-02-15",
            "/api/v1/plans/1/scorecard.csv?as_of=2021-02-15",
        ),
    ] {
        let negotiated = send(&svc, get(json_path, &t).insert_header(("Accept", "text/csv"))).await;
        let exported = send(&svc, get(csv_path, &t)).await;
        assert_eq!(exported.status, 200, "{csv_path}");
        assert_eq!(exported.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
        assert_eq!(exported.text, negotiated.text, "{csv_path}");
    }
    // A type the read cannot produce is refused, not answered with JSON.
    for accept in ["text/calendar", "application/json;q=0, text/html", "image/png"] {
        let r = send(
            &svc,
            get("/api/v1/plans/1/compliance?as_of=2021-02-15", &t)
                .insert_header(("Accept", accept)),
        )
        .await;
        r.assert_problem(406, "not_acceptable");
        assert!(r.body["detail"].as_str().unwrap().contains("text/csv"), "{}", r.text);
    }
    let r = send(&svc, get("/api/v1/plans/1/compliance.csv?status=late", &t)).await;
    r.assert_problem(422, "validation_failed");
}
