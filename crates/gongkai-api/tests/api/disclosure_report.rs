//! Tables 三 and 四 of the annual report over HTTP: computed from a generated year of
//! applications, checked by 一 + 二 = 三（七）+ 四, and the appeals register.

use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::disclosure_support::*;
use crate::support::*;

const KINDS: [&str; 6] =
    ["natural_person", "business", "research", "public_interest_org", "legal_service", "other"];

fn row<'a>(table: &'a Value, key: &str) -> &'a Value {
    table["rows"].as_array().unwrap().iter().find(|r| r["key"] == key).expect("row")
}

fn cell(table: &Value, key: &str, column: &str) -> i64 {
    row(table, key)["values"][column].as_i64().unwrap()
}

/// One generated application: receipt date, applicant kind, and its conclusion
/// (date, replied rather than withdrawn), if any.
struct Generated {
    received: String,
    kind: usize,
    concluded: Option<(String, bool)>,
}

/// 48 applications over 2023–2025: a quarter left open, some concluded in the year
/// after their receipt, a fifth withdrawn, the rest answered.
fn generated() -> Vec<Generated> {
    (0..48)
        .map(|n| {
            let year = 2023 + (n / 16) as i32;
            let month = [3, 6, 11][n % 3];
            let received = format!("{year}-{month:02}-{:02}", 1 + (n * 7) % 27);
            let concluded = (n % 4 != 0).then(|| {
                let on = if month == 11 && n % 2 == 0 {
                    format!("{}-01-{:02}", year + 1, 5 + n % 20)
                } else {
                    format!("{year}-12-{:02}", 1 + n % 28)
                };
                (on, n % 5 != 0)
            });
            Generated { received, kind: n % 6, concluded }
        })
        .collect()
}

fn year_of(date: &str) -> i32 {
    date[..4].parse().unwrap()
}

#[actix_web::test]
async fn table_three_of_a_generated_year_keeps_its_invariant() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "党政办");
    let t = app.token(Role::Unit, Some(unit));
    let register_all = generated();
    for (n, g) in register_all.iter().enumerate() {
        let mut body = application(unit, &g.received);
        body["applicant"]["kind"] = json!(KINDS[g.kind]);
        body["applicant"]["name"] = json!(format!("申请人{n}"));
        let id = register_id(&svc, &t, &body).await;
        if let Some((on, replied)) = &g.concluded {
            let step = if *replied {
                json!({"action": "reply", "on": on, "reply_type": "disclosed"})
            } else {
                json!({"action": "withdraw", "on": on})
            };
            act_ok(&svc, &t, id, step).await;
        }
    }
    // What table 三 of 2024 must say, counted here straight from the list.
    let y = 2024;
    let concluded_in =
        |g: &Generated, y: i32| g.concluded.as_ref().is_some_and(|(on, _)| year_of(on) == y);
    let open_at_start = |g: &Generated| g.concluded.as_ref().is_none_or(|(on, _)| year_of(on) >= y);
    let mut new = [0i64; 6];
    for g in register_all.iter().filter(|g| year_of(&g.received) == y) {
        new[g.kind] += 1;
    }
    let carried_in =
        register_all.iter().filter(|g| year_of(&g.received) < y && open_at_start(g)).count() as i64;
    let granted = register_all
        .iter()
        .filter(|g| concluded_in(g, y) && g.concluded.as_ref().is_some_and(|(_, replied)| *replied))
        .count() as i64;
    let withdrawn = register_all
        .iter()
        .filter(|g| concluded_in(g, y) && g.concluded.as_ref().is_some_and(|(_, replied)| !replied))
        .count() as i64;
    assert!(carried_in > 0 && granted > 0 && withdrawn > 0, "the year exercises every row kind");
    let r = send(&svc, get("/api/v1/annual-reports/2024/applications", &t)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let table = &r.body;
    assert_eq!(table["invariant"]["holds"], true, "{}", table["invariant"]);
    assert_eq!(table["invariant"]["rule"], "一 + 二 = 三（七）+ 四");
    assert_eq!(table["unit_ids"], json!([unit]));
    for (i, kind) in KINDS.iter().enumerate() {
        assert_eq!(cell(table, "new", kind), new[i], "{kind}");
    }
    assert_eq!(cell(table, "carried_in", "total"), carried_in);
    assert_eq!(cell(table, "granted", "total"), granted);
    assert_eq!(
        cell(table, "other", "total"),
        withdrawn,
        "（六）3 其他: withdrawn by the applicant"
    );
    assert!(cell(table, "carried_out", "total") > 0);
    for column in KINDS.iter().chain(["total"].iter()) {
        assert_eq!(
            cell(table, "new", column) + cell(table, "carried_in", column),
            cell(table, "results_total", column) + cell(table, "carried_out", column),
            "{column}"
        );
    }
    assert_eq!(row(table, "new")["title"], "一、本年新收政府信息公开申请数量");
    // The printed labels of the 2021 format, verbatim (the full list is tested in the core).
    assert_eq!(
        row(table, "other_no_correction")["title"],
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    );
    assert_eq!(
        row(table, "partly_granted")["title"],
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    );
    assert_eq!(row(table, "refused_three_safeties")["title"], "3.危及“三安全一稳定”");
    assert_eq!(table["title"], "三、收到和处理政府信息公开申请情况");
    assert_eq!(table["heading"], "申请人情况");
    assert_eq!(
        table["note"],
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    );
    assert_eq!(row(table, "results")["values"], Value::Null);
    let columns: Vec<&str> =
        table["columns"].as_array().unwrap().iter().map(|c| c["label"].as_str().unwrap()).collect();
    assert_eq!(
        columns,
        ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    );
    // The 2019 trial format: one row for （六）.
    let r = send(&svc, get("/api/v1/annual-reports/2024/applications?format=2019", &t)).await;
    assert_eq!(r.body["format"], "2019");
    assert!(!r.text.contains("逾期不补正"));
    assert!(r.text.contains("（六）其他处理"));
    let r = send(&svc, get("/api/v1/annual-reports/2024/applications?format=1999", &t)).await;
    assert_eq!(r.fields(), ["format"]);
    let r = send(&svc, get("/api/v1/annual-reports/1990/applications", &t)).await;
    assert_eq!(r.fields(), ["year"]);
}

#[actix_web::test]
async fn a_broken_register_is_reported_not_hidden() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "财政局");
    let t = app.token(Role::Coordinator, None);
    let id = register_id(&svc, &t, &application(unit, "2025-01-06")).await;
    act_ok(&svc, &t, id, json!({"action": "reply", "on": "2025-01-08", "reply_type": "disclosed"}))
        .await;
    // Someone edits the database behind the service's back.
    use diesel::RunQueryDsl;
    let mut c = app.conn();
    diesel::sql_query(
        "ALTER TABLE disclosure_requests DROP CONSTRAINT disclosure_requests_concluded_after_receipt",
    )
    .execute(&mut c)
    .unwrap();
    diesel::sql_query(format!(
        "UPDATE disclosure_requests SET concluded_on = '2024-12-30' WHERE id = {id}"
    ))
    .execute(&mut c)
    .unwrap();
    let r = send(&svc, get("/api/v1/annual-reports/2024/applications", &t)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["invariant"]["holds"], false);
    let cols: Vec<&str> = r.body["invariant"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["column"].as_str().unwrap())
        .collect();
    assert_eq!(cols, ["natural_person", "total"]);
}

#[actix_web::test]
async fn table_four_from_the_appeals_register() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let office = unit_id(&app, "党政办");
    let finance = unit_id(&app, "财政局");
    let t = app.token(Role::Unit, Some(office));
    let request = register_id(&svc, &t, &application(office, "2024-01-08")).await;
    let create = |body: Value| send(&svc, post_json("/api/v1/disclosure-appeals", &t, &body));
    let r = create(json!({"unit_id": office, "request_id": request, "kind": "administrative_review",
        "filed_on": "2024-03-01", "result": "upheld", "decided_on": "2024-05-01", "case_number": "开复〔2024〕1号"}))
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = create(json!({"unit_id": office, "kind": "lawsuit_direct", "filed_on": "2024-06-01"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let pending = r.body["id"].as_i64().unwrap();
    let etag = r.header("etag").unwrap();
    // Nonsense: a decision without its date, a date before filing, another unit.
    let r = create(json!({"unit_id": office, "kind": "lawsuit_direct", "filed_on": "2024-06-01", "result": "corrected"})).await;
    assert_eq!(r.fields(), ["decided_on"]);
    let r =
        create(json!({"unit_id": office, "kind": "appeal_to_heaven", "filed_on": "2024-06-01"}))
            .await;
    assert_eq!(r.fields(), ["kind"]);
    create(json!({"unit_id": finance, "kind": "lawsuit_direct", "filed_on": "2024-06-01"}))
        .await
        .assert_problem(403, "forbidden");

    let t4 = send(&svc, get("/api/v1/annual-reports/2024/appeals", &t)).await;
    assert_eq!(t4.status, 200, "{}", t4.text);
    let groups = t4.body["groups"].as_array().unwrap();
    assert_eq!(groups[0]["label"], "行政复议");
    assert_eq!(
        groups[0]["values"],
        json!({"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1})
    );
    assert_eq!(t4.body["title"], "四、政府信息公开行政复议、行政诉讼情况");
    assert_eq!(groups[1]["label"], "未经复议直接起诉");
    assert_eq!(groups[1]["group"], "行政诉讼");
    assert_eq!(groups[1]["values"]["pending"], 1);
    let cols: Vec<&str> = t4.body["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(cols, ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]);

    // The lawsuit is decided in 2025: pending in 2024's table, corrected in 2025's.
    let uri = format!("/api/v1/disclosure-appeals/{pending}");
    let r = send(
        &svc,
        patch_json(&uri, &t, &etag, &json!({"result": "corrected", "decided_on": "2025-02-03"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = send(&svc, patch_json(&uri, &t, &etag, &json!({"note": "stale"}))).await;
    r.assert_problem(412, "precondition_failed");
    let t25 = send(&svc, get("/api/v1/annual-reports/2025/appeals", &t)).await;
    assert_eq!(t25.body["groups"][1]["values"]["corrected"], 1);
    let t24 = send(&svc, get("/api/v1/annual-reports/2024/appeals", &t)).await;
    assert_eq!(t24.body["groups"][1]["values"]["pending"], 1);

    // Numbers hold no personal data: a viewer reads the tables and the register.
    let viewer = app.token(Role::Viewer, None);
    assert_eq!(
        send(&svc, get("/api/v1/annual-reports/2024/applications", &viewer)).await.status,
        200
    );
    let r = send(&svc, get("/api/v1/disclosure-appeals", &viewer)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
    // ...but not the free text, which may name the applicant.
    assert!(
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["case_number"].is_null() && a["note"] == "")
    );
    let own = send(&svc, get("/api/v1/disclosure-appeals", &t)).await;
    assert!(
        own.body["items"].as_array().unwrap().iter().any(|a| a["case_number"] == "开复〔2024〕1号")
    );
    // A unit reads its own tables only.
    let finance_t = app.token(Role::Unit, Some(finance));
    let r = send(
        &svc,
        get(&format!("/api/v1/annual-reports/2024/appeals?unit_id={office}"), &finance_t),
    )
    .await;
    r.assert_problem(403, "forbidden");
    let r = send(&svc, get("/api/v1/annual-reports/2024/appeals", &finance_t)).await;
    assert_eq!(r.body["groups"][0]["values"]["total"], 0);
    send(&svc, get(&uri, &finance_t)).await.assert_problem(403, "forbidden");
}
