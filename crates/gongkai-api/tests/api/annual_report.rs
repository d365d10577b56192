//! The annual report over HTTP: table 二 figures entered, summed and checked against last
//! year; the whole report of the seeded 2021 plan with applications, a fee, an appeal,
//! evidence, progress, a look-back and rectifications, carrying the same numbers in JSON,
//! HTML (parsed) and DOCX (unzipped and read); a published report frozen against later
//! writes; the checks before publishing; 406 for a type it cannot answer.

use std::io::Read;

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::disclosure_support::*;
use crate::support::*;

fn put_json(uri: &str, token: &str, if_match: Option<&str>, body: &Value) -> TestRequest {
    let req = authed(TestRequest::put().uri(uri), token).set_json(body);
    match if_match {
        Some(tag) => req.insert_header(("If-Match", tag)),
        None => req,
    }
}

fn figures(rules: [u64; 3], documents: [u64; 3], fees: f64) -> Value {
    json!({
        "rules_issued": rules[0], "rules_repealed": rules[1], "rules_in_force": rules[2],
        "normative_documents_issued": documents[0],
        "normative_documents_repealed": documents[1],
        "normative_documents_in_force": documents[2],
        "licensing_decisions": 120, "penalty_decisions": 7, "enforcement_decisions": 2,
        "fees_wan_yuan": fees
    })
}

#[actix_web::test]
async fn table_two_sums_the_units_and_flags_figures_contradicting_last_year() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let (dzb, czj) = (unit_id(&app, "党政办"), unit_id(&app, "财政局"));
    let office = app.token(Role::Unit, Some(dzb));
    let finance = app.token(Role::Unit, Some(czj));
    let coord = app.token(Role::Coordinator, Some(gov));
    let uri = |unit: i64, year: i32| format!("/api/v1/annual-reports/{year}/figures/{unit}");

    // Last year: 5 rules and 10 documents in force.
    let r =
        send(&svc, put_json(&uri(dzb, 2020), &office, None, &figures([0, 0, 5], [1, 0, 10], 0.0)))
            .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // This year: 5 + 2 − 1 = 6 rules (consistent); 10 + 3 − 1 = 12 documents, 13 entered.
    let r =
        send(&svc, put_json(&uri(dzb, 2021), &office, None, &figures([2, 1, 6], [3, 1, 13], 1.5)))
            .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let flags = r.body["continuity"].as_array().unwrap();
    assert_eq!(flags.len(), 1, "{}", r.text);
    assert_eq!(flags[0]["kind"], "normative_documents");
    assert_eq!(
        (flags[0]["expected_in_force"].as_i64(), flags[0]["reported_in_force"].as_i64()),
        (Some(12), Some(13))
    );
    let etag = r.header("etag").unwrap();

    // Replacing needs If-Match: 428 without, 412 stale; nothing changes.
    let fixed = figures([2, 1, 6], [3, 1, 12], 1.5);
    send(&svc, put_json(&uri(dzb, 2021), &office, None, &fixed))
        .await
        .assert_problem(428, "precondition_required");
    send(&svc, put_json(&uri(dzb, 2021), &office, Some("\"stale\""), &fixed))
        .await
        .assert_problem(412, "precondition_failed");
    // Another unit, a viewer: refused; three decimals: refused, naming the field.
    send(&svc, put_json(&uri(dzb, 2021), &finance, Some(&etag), &fixed))
        .await
        .assert_problem(403, "forbidden");
    send(&svc, put_json(&uri(dzb, 2021), &app.token(Role::Viewer, None), Some(&etag), &fixed))
        .await
        .assert_problem(403, "forbidden");
    let r = send(
        &svc,
        put_json(&uri(dzb, 2021), &office, Some(&etag), &figures([2, 1, 6], [3, 1, 12], 1.234)),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    let r = send(&svc, put_json(&uri(dzb, 2021), &office, Some(&etag), &fixed)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["continuity"], json!([]));
    let r = send(&svc, get(&uri(dzb, 2021), &coord)).await;
    assert_eq!(r.body["normative_documents_in_force"], 12);
    assert_eq!(r.header("etag"), send(&svc, get(&uri(dzb, 2021), &office)).await.header("etag"));
    send(&svc, get(&uri(czj, 2021), &coord)).await.assert_problem(404, "not_found");
    // 财政局 enters its own; last year it entered none, so nothing to contradict.
    let r = send(
        &svc,
        put_json(&uri(czj, 2021), &finance, None, &figures([0, 0, 1], [4, 2, 30], 0.25)),
    )
    .await;
    assert_eq!((r.status, r.body["continuity"].clone()), (200, json!([])), "{}", r.text);

    // The government's table 二 sums its units: 2 + 0 issued, 6 + 1 in force, 1.50 +
    // 0.25 万元, 120 + 120 licences.
    let r =
        send(&svc, get(&format!("/api/v1/annual-reports/2021/proactive?issuer_id={gov}"), &coord))
            .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let f = &r.body["figures"];
    assert_eq!((f["rules_issued"].as_u64(), f["rules_in_force"].as_u64()), (Some(2), Some(7)));
    assert_eq!(f["normative_documents_in_force"], 42);
    assert_eq!(f["licensing_decisions"], 240);
    assert_eq!(f["fees_wan_yuan"], 1.75);
    let blocks = r.body["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["article"], "第二十条第（一）项");
    assert_eq!(blocks[0]["rows"][0]["cells"], json!(["2", "1", "7"]));
    assert_eq!(blocks[3]["rows"][0]["cells"], json!(["1.75"]));
    let missing = r.body["units_missing"].as_array().unwrap();
    assert!(!missing.contains(&json!(dzb)) && !missing.contains(&json!(czj)));
    assert!(missing.contains(&json!(gov)));
    // Each write audited: 2020 and 2021 created, 2021 updated, 财政局's created.
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_events WHERE entity_type = 'report_figures'"),
        4
    );
}

/// Tables → rows → cell texts of an HTML page.
fn html_tables(page: &str) -> Vec<Vec<Vec<String>>> {
    use scraper::{Html, Selector};
    let doc = Html::parse_document(page);
    let (table, tr, cell) = (
        Selector::parse("table").unwrap(),
        Selector::parse("tr").unwrap(),
        Selector::parse("th, td").unwrap(),
    );
    doc.select(&table)
        .map(|t| {
            t.select(&tr)
                .map(|r| r.select(&cell).map(|c| c.text().collect::<String>()).collect())
                .collect()
        })
        .collect()
}

/// The text of the XML elements named `tag` directly, in order (enough for
/// word/document.xml, whose runs hold plain text).
fn texts_of(xml: &str, open: &str, close: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(open) {
        let after = &rest[start + open.len()..];
        // `<w:t>` or `<w:t xml:space="preserve">`, not `<w:tbl>` / `<w:tc>`.
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let end = after.find(close).unwrap();
        out.push(after[..end].to_string());
        rest = &after[end + close.len()..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Tables → rows → cell texts of a DOCX, read from word/document.xml; a cell continuing
/// a vertical merge reads as empty.
fn docx_tables(bytes: &[u8]) -> (Vec<Vec<Vec<String>>>, String) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let tables = texts_of(&xml, "<w:tbl", "</w:tbl>")
        .iter()
        .map(|t| {
            texts_of(t, "<w:tr", "</w:tr>")
                .iter()
                .map(|r| {
                    texts_of(r, "<w:tc", "</w:tc>")
                        .iter()
                        .map(|c| {
                            let inner = c.split_once('>').map_or("", |(_, b)| b);
                            texts_of(inner, "<w:t", "</w:t>")
                                .iter()
                                .map(|t| unescape(t.split_once('>').map_or("", |(_, b)| b)))
                                .collect::<String>()
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    (tables, xml)
}

/// The last `n` cells of the first row of `table` holding a cell that reads `label`.
fn tail(table: &[Vec<String>], label: &str, n: usize) -> Vec<String> {
    let row = table
        .iter()
        .find(|r| r.iter().any(|c| c == label))
        .unwrap_or_else(|| panic!("no row {label} in {table:?}"));
    row[row.len() - n..].to_vec()
}

const COLUMNS: [&str; 7] = [
    "natural_person",
    "business",
    "research",
    "public_interest_org",
    "legal_service",
    "other",
    "total",
];

/// The seeded 2021 plan with a year's work recorded in it.
async fn a_year_of_work<S, B>(app: &TestApp, svc: &S) -> (i64, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let gov = unit_id(app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let dzb = unit_id(app, "党政办");
    let office = app.token(Role::Unit, Some(dzb));
    // Applications: one answered in time, one charged a fee (15 items: 5 × 100 yuan)
    // and answered, one by a business still open at the year's end.
    let first = register_id(svc, &office, &application(dzb, "2021-03-01")).await;
    act_ok(
        svc,
        &office,
        first,
        json!({"action": "reply", "on": "2021-03-10", "reply_type": "disclosed"}),
    )
    .await;
    let mut charged = application(dzb, "2021-05-10");
    charged["item_count"] = json!(15);
    let second = register_id(svc, &office, &charged).await;
    act_ok(
        svc,
        &office,
        second,
        json!({"action": "notify_fee", "on": "2021-05-12", "method": "per_item"}),
    )
    .await;
    act_ok(svc, &office, second, json!({"action": "record_payment", "on": "2021-05-14"})).await;
    act_ok(
        svc,
        &office,
        second,
        json!({"action": "reply", "on": "2021-05-20", "reply_type": "disclosed"}),
    )
    .await;
    let mut open = application(dzb, "2021-12-20");
    open["applicant"]["kind"] = json!("business");
    register_id(svc, &office, &open).await;
    // An administrative review of the first, corrected.
    let r = send(
        svc,
        post_json(
            "/api/v1/disclosure-appeals",
            &office,
            &json!({"unit_id": dzb,
        "request_id": first, "kind": "administrative_review", "filed_on": "2021-04-01",
        "result": "corrected", "decided_on": "2021-06-01"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    // Work on the plan: evidence for task 15, task 23 completed by 党政办.
    let ggfw = app.token(Role::Unit, Some(unit_id(app, "公共服务中心")));
    let r = send(
        svc,
        post_json(
            &format!("/api/v1/tasks/{}/evidence", task_id(app, 15)),
            &ggfw,
            &json!({"occurred_on": "2021-01-20", "title": "专栏发布2条", "count": 2}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let progress = format!("/api/v1/tasks/{}/progress/{dzb}", task_id(app, 23));
    for status in ["in_progress", "completed"] {
        let r = send(svc, patch_json(&progress, &office, "*", &json!({"status": status}))).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    // Table 二 figures, and the look-back with its rectification items.
    let r = send(
        svc,
        put_json(
            &format!("/api/v1/annual-reports/2021/figures/{dzb}"),
            &office,
            None,
            &figures([1, 0, 3], [4, 1, 20], 0.05),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r =
        send(svc, post_json("/api/v1/plans/1/reviews", &coord, &json!({"as_of": "2022-01-10"})))
            .await;
    assert_eq!(r.status, 201, "{}", r.text);
    (gov, coord)
}

#[actix_web::test]
async fn the_2021_report_carries_the_same_numbers_in_json_html_and_docx() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let (gov, coord) = a_year_of_work(&app, &svc).await;
    let uri = format!("/api/v1/annual-reports/2021?issuer_id={gov}");

    let r = send(&svc, get(&uri, &coord)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let report = r.body.clone();
    assert_eq!(report["status"], "draft");
    assert_eq!(report["title"], "开平市人民政府2021年政府信息公开工作年度报告");
    assert_eq!(report["checks"], json!([]));
    let t3 = &report["applications"];
    let value = |key: &str, col: &str| {
        t3["rows"].as_array().unwrap().iter().find(|r| r["key"] == key).unwrap()["values"][col]
            .as_u64()
            .unwrap()
    };
    // Three received (two natural persons, one business), two answered, one carried over.
    assert_eq!((value("new", "total"), value("new", "business")), (3, 1));
    assert_eq!((value("results_total", "total"), value("carried_out", "total")), (2, 1));
    assert_eq!(report["appeals"]["groups"][0]["values"]["corrected"], 1);
    // Facts and drafts: both replies within 20 working days.
    assert_eq!(
        (report["facts"]["replies"].as_u64(), report["facts"]["replies_on_time"].as_u64()),
        (Some(2), Some(2))
    );
    let overview = report["overview"]["text"].as_str().unwrap();
    assert!(
        overview
            .contains("本年新收政府信息公开申请3件，上年结转0件，办结2件，结转下年度继续办理1件"),
        "{overview}"
    );
    assert!(overview.contains("按时答复率100%"));
    assert_eq!(report["overview"]["edited"], false);
    // Section 六: the fee actually paid, the plan per section, the look-back.
    let fees = &report["other"]["fees"];
    assert_eq!((fees["count"].as_u64(), fees["amount_yuan"].as_u64()), (Some(1), Some(500)));
    assert_eq!(fees["amount_wan_yuan"], "0.05");
    let plan = &report["other"]["plan"];
    let tasks = app.count("SELECT count(*) AS n FROM tasks WHERE plan_id = 1") as u64;
    assert_eq!(plan["tasks"].as_u64(), Some(tasks));
    let per_section: u64 =
        plan["sections"].as_array().unwrap().iter().map(|s| s["tasks"].as_u64().unwrap()).sum();
    assert_eq!(per_section, tasks);
    assert_eq!(
        plan["completed"].as_u64().unwrap()
            + plan["in_progress"].as_u64().unwrap()
            + plan["not_started"].as_u64().unwrap(),
        tasks
    );
    assert!(plan["in_progress"].as_u64().unwrap() >= 1, "task 23: 党政办 done, 经发局 not");
    let q15: Vec<&Value> =
        plan["quotas"].as_array().unwrap().iter().filter(|q| q["task_number"] == 15).collect();
    assert_eq!(q15.len(), 1);
    assert_eq!(q15[0]["outcome"], "missed", "2 items in January, none after: months missed");
    let items = plan["rectifications"].as_array().unwrap();
    assert_eq!(items.len() as i64, app.count("SELECT count(*) AS n FROM rectifications"));
    assert!(!items.is_empty() && items.iter().all(|i| i["label"] == "整改中"));
    assert_eq!(plan["look_back"]["as_of"], "2022-01-10");
    assert!(plan["carried_over"].as_array().unwrap().iter().any(|c| c["kind"] == "rectification"));

    // HTML: the same numbers in its tables (二, 三, 四 first), merged header cells.
    let r = send(&svc, get(&uri, &coord).insert_header(("Accept", "text/html"))).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(
        r.header("content-security-policy").as_deref(),
        Some(gongkai_api::http::security_headers::PAGE_CSP),
        "inline styles, no script"
    );
    let page = r.text.clone();
    assert!(!page.contains("<script"));
    assert!(page.contains("@page { size: A4"));
    assert!(page.contains("rowspan=\"3\"") && page.contains("colspan=\"7\""));
    let html = html_tables(&page);
    // DOCX: a real Word document with the same tables.
    let r = send(
        &svc,
        get(&uri, &coord).insert_header((
            "Accept",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )),
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-disposition").unwrap().contains(".docx"));
    let bytes = {
        let req = get(&uri, &coord)
            .insert_header((
                "Accept",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ))
            .to_request();
        let res = actix_web::test::call_service(&svc, req).await;
        actix_web::test::read_body(res).await.to_vec()
    };
    let (docx, xml) = docx_tables(&bytes);
    assert!(xml.contains("w:vMerge") && xml.contains("w:gridSpan"));
    assert!(xml.contains("开平市人民政府2021年政府信息公开工作年度报告"));

    for (what, tables) in [("html", &html), ("docx", &docx)] {
        // Table 二.
        assert_eq!(tail(&tables[0], "规章", 3), ["1", "0", "3"], "{what}");
        assert_eq!(tail(&tables[0], "行政规范性文件", 3), ["4", "1", "20"], "{what}");
        assert_eq!(tail(&tables[0], "行政事业性收费", 1), ["0.05"], "{what}");
        assert_eq!(tables[0][0][0], "第二十条第（一）项", "{what}");
        // Table 三: every printed row, each of its seven columns, as in the JSON.
        let rows = t3["rows"].as_array().unwrap();
        assert_eq!(tables[1][0][0], t3["note"].as_str().unwrap(), "{what}: the corner note");
        for (i, row) in rows.iter().enumerate() {
            let has_kinds = rows.get(i + 1).is_some_and(|n| n["level"] == 3);
            if row["values"].is_null() || (row["level"] == 2 && has_kinds) {
                continue;
            }
            let title = row["title"].as_str().unwrap();
            let expected: Vec<String> =
                COLUMNS.iter().map(|c| row["values"][c].to_string()).collect();
            assert_eq!(tail(&tables[1], title, 7), expected, "{what}: {title}");
        }
        // Table 四: the fifteen numbers in the last row.
        let last = tables[2].last().unwrap();
        let expected: Vec<String> = report["appeals"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| {
                ["upheld", "corrected", "other", "pending", "total"]
                    .map(|k| g["values"][k].to_string())
            })
            .collect();
        assert_eq!(last, &expected, "{what}");
    }
    assert!(page.contains("收取信息处理费1件，金额0.05万元（500元）"));
    assert!(xml.contains("收取信息处理费1件，金额0.05万元（500元）"));

    // A type the report cannot be: 406, problem+json.
    send(&svc, get(&uri, &coord).insert_header(("Accept", "text/csv")))
        .await
        .assert_problem(406, "not_acceptable");
    // Viewers read it; a unit reads its city's.
    assert_eq!(send(&svc, get(&uri, &app.token(Role::Viewer, None))).await.status, 200);
    let office = app.token(Role::Unit, Some(unit_id(&app, "党政办")));
    assert_eq!(
        send(&svc, get("/api/v1/annual-reports/2021", &office)).await.body["issuer_id"],
        gov
    );
}

#[actix_web::test]
async fn a_published_report_stays_as_published() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let (gov, coord) = a_year_of_work(&app, &svc).await;
    let base = "/api/v1/annual-reports/2021";
    let q = format!("?issuer_id={gov}");
    let office = app.token(Role::Unit, Some(unit_id(&app, "党政办")));

    // Only coordinators edit and publish.
    send(&svc, post_json(&format!("{base}/publish{q}"), &office, &json!({})))
        .await
        .assert_problem(403, "forbidden");
    let section = format!("{base}/sections/1{q}");
    send(&svc, put_json(&section, &office, Some("*"), &json!({"text": "x"})))
        .await
        .assert_problem(403, "forbidden");
    send(
        &svc,
        put_json(&format!("{base}/sections/2{q}"), &coord, Some("*"), &json!({"text": "x"})),
    )
    .await
    .assert_problem(422, "validation_failed");

    let r = send(&svc, post_json(&format!("{base}/publish{q}"), &coord, &json!({}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        (r.body["status"].as_str(), r.body["version"].as_i64()),
        (Some("published"), Some(1))
    );
    let published = r.body.clone();
    assert_eq!(r.header("location").unwrap(), format!("{base}/versions/1{q}"));
    let html_before =
        send(&svc, get(&format!("{base}{q}"), &coord).insert_header(("Accept", "text/html")))
            .await
            .text;

    // Later writes: an application, evidence, figures changed.
    let dzb = unit_id(&app, "党政办");
    register_id(&svc, &office, &application(dzb, "2021-11-02")).await;
    let ggfw = app.token(Role::Unit, Some(unit_id(&app, "公共服务中心")));
    send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{}/evidence", task_id(&app, 15)),
            &ggfw,
            &json!({"occurred_on": "2021-02-20", "title": "专栏发布2条", "count": 2}),
        ),
    )
    .await;
    let fig = format!("{base}/figures/{dzb}");
    let etag = send(&svc, get(&fig, &office)).await.header("etag").unwrap();
    let r = send(&svc, put_json(&fig, &office, Some(&etag), &figures([9, 0, 12], [4, 1, 20], 3.0)))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // The report, the version, and its HTML are as published.
    let now = send(&svc, get(&format!("{base}{q}"), &coord)).await;
    assert_eq!(now.body, published);
    assert_eq!(send(&svc, get(&format!("{base}/versions/1{q}"), &coord)).await.body, published);
    let html_after =
        send(&svc, get(&format!("{base}{q}"), &coord).insert_header(("Accept", "text/html")))
            .await
            .text;
    assert_eq!(html_after, html_before);

    // Saving a text starts a new draft from the frozen texts, with today's numbers.
    let r = send(&svc, put_json(&section, &coord, None, &json!({"text": "新的总体情况。"}))).await;
    r.assert_problem(428, "precondition_required");
    let s = send(&svc, get(&section, &coord)).await;
    assert_eq!(s.body["text"], Value::Null);
    let r = send(
        &svc,
        put_json(
            &section,
            &coord,
            Some(&s.header("etag").unwrap()),
            &json!({"text": "新的总体情况。"}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    send(
        &svc,
        put_json(&section, &coord, Some(&s.header("etag").unwrap()), &json!({"text": "again"})),
    )
    .await
    .assert_problem(412, "precondition_failed");
    let draft = send(&svc, get(&format!("{base}{q}"), &coord)).await;
    assert_eq!(draft.body["status"], "draft");
    assert_eq!(draft.body["overview"]["text"], "新的总体情况。");
    assert_eq!(draft.body["overview"]["edited"], true);
    let new_total = draft.body["applications"]["rows"][0]["values"]["total"].as_u64();
    assert_eq!(new_total, Some(4));
    assert_eq!(draft.body["proactive"]["figures"]["rules_issued"], 9);
    assert_eq!(send(&svc, get(&format!("{base}/versions/1{q}"), &coord)).await.body, published);

    let r = send(&svc, post_json(&format!("{base}/publish{q}"), &coord, &json!({}))).await;
    assert_eq!(r.body["version"], 2, "{}", r.text);
    let list = send(&svc, get(&format!("{base}/versions{q}"), &coord)).await;
    let versions: Vec<i64> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [1, 2]);
    send(&svc, get(&format!("{base}/versions/3{q}"), &coord))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM audit_events WHERE action = 'annual_report.published'"
        ),
        2
    );
    // Each publication is an event of the feed, for the portal to fetch the version.
    let feed = send(&svc, get("/api/v1/events?types=annual_report.published", &coord)).await;
    let items = feed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", feed.text);
    assert_eq!(
        (items[1]["data"]["version"].as_i64(), items[1]["unit_id"].as_i64()),
        (Some(2), Some(gov))
    );
    assert_eq!(items[1]["path"], format!("{base}/versions/2{q}"));
}

#[actix_web::test]
async fn a_report_with_a_broken_cell_is_not_published() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let dzb = unit_id(&app, "党政办");
    let office = app.token(Role::Unit, Some(dzb));
    let id = register_id(&svc, &office, &application(dzb, "2021-12-01")).await;
    act_ok(
        &svc,
        &office,
        id,
        json!({"action": "reply", "on": "2021-12-30", "reply_type": "disclosed"}),
    )
    .await;
    // A register error the database now refuses, as a register loaded before its checks
    // could hold: the receipt after the reply (in 2022). 2021 counts the reply in 三 but
    // the application in neither 一 nor 二.
    {
        use diesel::RunQueryDsl;
        diesel::sql_query("ALTER TABLE disclosure_requests DROP CONSTRAINT disclosure_requests_concluded_after_receipt")
            .execute(&mut app.conn())
            .unwrap();
        diesel::sql_query(format!("UPDATE disclosure_requests SET received_on = '2022-01-05', clock_start_on = '2022-01-05' WHERE id = {id}"))
            .execute(&mut app.conn())
            .unwrap();
    }
    let r = send(&svc, get(&format!("/api/v1/annual-reports/2021?issuer_id={gov}"), &coord)).await;
    let cells: Vec<&str> =
        r.body["checks"].as_array().unwrap().iter().map(|c| c["cell"].as_str().unwrap()).collect();
    assert_eq!(cells, ["表三 自然人列 三（七）总计", "表三 总计列 三（七）总计"]);
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/annual-reports/2021/publish?issuer_id={gov}"),
            &coord,
            &json!({}),
        ),
    )
    .await;
    r.assert_problem(422, "report_invariant_broken");
    assert!(r.body["detail"].as_str().unwrap().contains("表三 自然人列 三（七）总计"));
    assert_eq!(app.count("SELECT count(*) AS n FROM annual_report_versions"), 0);
}
