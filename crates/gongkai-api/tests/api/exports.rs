//! Office exports of the lists staff work in: the ledger, the compliance findings, the
//! scorecard, what is due soon, the rectification items and the register of
//! applications, as CSV (UTF-8 after a byte-order mark) and XLSX (read back with
//! calamine), chosen by `Accept`; text a spreadsheet would run as a formula stays text.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::disclosure_support::{application, register_id};
use crate::support::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The rows of a CSV answer (header first), after checking its type and its BOM.
fn csv_rows(r: &Resp) -> Vec<Vec<String>> {
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
    let body = r.text.strip_prefix('\u{feff}').expect("a CSV starts with the UTF-8 BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

/// The only worksheet of an XLSX answer, after checking its type and that it holds no
/// formula.
async fn xlsx_sheet<S, B>(svc: &S, req: actix_web::test::TestRequest) -> Range<Data>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res =
        actix_web::test::call_service(svc, req.insert_header(("Accept", XLSX)).to_request()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get("content-type").unwrap(), XLSX);
    let bytes = actix_web::test::read_body(res).await;
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let formulas = book.worksheet_formula(&name).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula cells");
    book.worksheet_range(&name).unwrap()
}

/// The header row of a worksheet.
fn header(range: &Range<Data>) -> Vec<String> {
    range.rows().next().unwrap().iter().map(|c| c.to_string()).collect()
}

/// The column of `name` in a header row.
fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}: {header:?}"))
}

/// The data row holding `text` in column `column`.
fn row_with<'a>(range: &'a Range<Data>, column: usize, text: &str) -> &'a [Data] {
    range
        .rows()
        .skip(1)
        .find(|r| r[column] == Data::String(text.into()))
        .unwrap_or_else(|| panic!("no row with {text}"))
}

fn is_date(d: &Data) -> bool {
    matches!(d, Data::DateTime(_))
}

/// A date cell's serial day.
fn serial(d: &Data) -> Option<f64> {
    match d {
        Data::DateTime(d) => Some(d.as_f64()),
        _ => None,
    }
}

/// Asks for CSV.
fn as_csv(req: actix_web::test::TestRequest) -> actix_web::test::TestRequest {
    req.insert_header(("Accept", "text/csv"))
}

/// Replaces a resource's fields through PATCH with its current ETag, as `token`.
async fn patch<S, B>(svc: &S, uri: &str, token: &str, body: &Value)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let etag = send(svc, get(uri, token)).await.header("etag").unwrap();
    let r = send(svc, patch_json(uri, token, &etag, body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[actix_web::test]
async fn the_ledger_exports_every_row_with_its_last_activity_and_staleness() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let ggfw = unit_id(&app, "公共服务中心");
    let t15 = task_id(&app, 15);
    let title = "=1+1 政府信息公开专栏";
    patch(&svc, &format!("/api/v1/tasks/{t15}"), &admin, &json!({"requirement": title})).await;
    let own = app.token(Role::Unit, Some(ggfw));
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{t15}/progress/{ggfw}/notes"),
            &own,
            &json!({"text": "已更新专栏"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let rows_in_plan = app.count(
        "SELECT count(*) AS n FROM task_units tu JOIN tasks t ON t.id = tu.task_id WHERE t.plan_id = 1",
    );

    // CSV: every row whatever `limit` says, under Chinese headers; the formula kept as
    // text with a leading apostrophe.
    let uri = "/api/v1/plans/1/progress?limit=1";
    let rows = csv_rows(&send(&svc, as_csv(get(uri, &admin))).await);
    assert_eq!(
        rows[0],
        [
            "任务序号",
            "章节",
            "任务",
            "单位",
            "分工",
            "状态",
            "状态更新日期",
            "最近进展日期",
            "停滞工作日"
        ]
    );
    assert_eq!(rows.len() as i64 - 1, rows_in_plan);
    let noted = rows.iter().find(|r| r[0] == "15" && r[3] == "公共服务中心").unwrap();
    assert_eq!(noted[2], format!("'{title}"));
    assert_eq!(noted[5], "未启动");
    assert!(noted[7].len() == 10 && noted[7].starts_with("20"), "a day: {noted:?}");
    assert_eq!(noted[8], "0", "noted today: idle for no working day");
    let untouched = rows.iter().skip(1).find(|r| r[0] != "15").unwrap();
    assert_eq!((untouched[7].as_str(), untouched[8].as_str()), ("", ""), "never touched");

    // XLSX: the same rows, typed.
    let sheet = xlsx_sheet(&svc, get(uri, &admin)).await;
    let head = header(&sheet);
    assert_eq!(head, rows[0]);
    assert_eq!(sheet.height() as i64 - 1, rows_in_plan);
    let row = row_with(&sheet, col(&head, "任务"), title);
    assert_eq!(row[col(&head, "任务序号")], Data::Float(15.0));
    assert_eq!(row[col(&head, "单位")], Data::String("公共服务中心".into()));
    assert!(is_date(&row[col(&head, "最近进展日期")]), "{row:?}");
    assert_eq!(row[col(&head, "停滞工作日")], Data::Float(0.0));
    // The same rows give the same workbook: its ETag holds for If-None-Match.
    let first = send(&svc, get(uri, &admin).insert_header(("Accept", XLSX))).await;
    let etag = first.header("etag").unwrap();
    let again =
        get(uri, &admin).insert_header(("Accept", XLSX)).insert_header(("If-None-Match", etag));
    assert_eq!(send(&svc, again).await.status, 304);

    // The filters still apply; JSON keeps its pages.
    let rows = csv_rows(
        &send(&svc, as_csv(get(&format!("/api/v1/plans/1/progress?unit_id={ggfw}"), &admin))).await,
    );
    assert!(rows.iter().skip(1).all(|r| r[3] == "公共服务中心"));
    let r = send(&svc, get(uri, &admin)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert!(r.body["next_cursor"].is_string());
}

#[actix_web::test]
async fn compliance_scorecard_and_due_soon_export_typed_rows() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let ggfw = unit_id(&app, "公共服务中心");
    let name = "=1+1公共服务中心";
    patch(&svc, &format!("/api/v1/units/{ggfw}"), &admin, &json!({"name": name})).await;
    let own = app.token(Role::Unit, Some(ggfw));
    let uri = format!("/api/v1/tasks/{}/evidence", task_id(&app, 15));
    for day in ["2021-01-05", "2021-01-20"] {
        let r =
            send(&svc, post_json(&uri, &own, &json!({"occurred_on": day, "title": "专栏更新"})))
                .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let viewer = app.token(Role::Viewer, None);

    // The findings.
    let uri = "/api/v1/plans/1/compliance?as_of=2021-02-15";
    let rows = csv_rows(&send(&svc, as_csv(get(uri, &viewer))).await);
    assert_eq!(rows[0][..4], ["判断日期", "任务序号", "指标编号", "指标类型"]);
    let json = send(&svc, get(uri, &viewer)).await;
    assert_eq!(rows.len() - 1, json.body["findings"].as_array().unwrap().len());
    assert!(rows.iter().any(|r| r.contains(&format!("'{name}"))));
    let sheet = xlsx_sheet(&svc, get(uri, &viewer)).await;
    let head = header(&sheet);
    assert_eq!(head, rows[0]);
    let jan = sheet
        .rows()
        .skip(1)
        .find(|r| {
            r[col(&head, "责任单位")] == Data::String(name.into())
                // Excel's serial day 44197 is 2021-01-01.
                && serial(&r[col(&head, "统计期起")]) == Some(44197.0)
        })
        .expect("task 15's January finding");
    assert!(is_date(&jan[col(&head, "判断日期")]) && is_date(&jan[col(&head, "截止日期")]));
    assert_eq!(jan[col(&head, "任务序号")], Data::Float(15.0));
    assert_eq!(jan[col(&head, "实际")], Data::Float(2.0), "the count found, as a number");
    assert_eq!(jan[col(&head, "状态")], Data::String("已达标".into()));
    // The documented `.csv` route answers the same CSV.
    let exported =
        send(&svc, get("/api/v1/plans/1/compliance.csv?as_of=2021-02-15", &viewer)).await;
    assert_eq!(csv_rows(&exported), rows);

    // The scorecard: numbers as numbers, the plan's row last.
    let uri = "/api/v1/plans/1/scorecard?as_of=2021-02-15";
    let rows = csv_rows(&send(&svc, as_csv(get(uri, &viewer))).await);
    assert_eq!(rows[0][..3], ["行", "单位编号", "单位"]);
    assert_eq!(rows.last().unwrap()[0], "合计");
    let sheet = xlsx_sheet(&svc, get(uri, &viewer)).await;
    let head = header(&sheet);
    assert_eq!(head, rows[0]);
    let unit = row_with(&sheet, col(&head, "单位"), name);
    assert_eq!(unit[col(&head, "单位编号")], Data::Float(ggfw as f64));
    assert_eq!(unit[col(&head, "已达标")], Data::Float(1.0));
    assert_eq!(unit[col(&head, "达标率")], Data::Float(1.0));
    let exported = send(&svc, get("/api/v1/plans/1/scorecard.csv?as_of=2021-02-15", &viewer)).await;
    assert_eq!(csv_rows(&exported), rows);

    // What is due soon (the README promised CSV): task 40's deadline 4 working days on.
    let uri = "/api/v1/plans/1/due-soon?as_of=2021-11-25&within_workdays=5";
    let rows = csv_rows(&send(&svc, as_csv(get(uri, &viewer))).await);
    assert_eq!(rows[0][..3], ["类别", "剩余工作日", "任务序号"]);
    let json = send(&svc, get(uri, &viewer)).await;
    let listed = ["due_soon", "overdue", "rectifications_due_soon", "rectifications_overdue"]
        .iter()
        .map(|k| json.body[k].as_array().unwrap().len())
        .sum::<usize>();
    assert_eq!(rows.len() - 1, listed);
    let sheet = xlsx_sheet(&svc, get(uri, &viewer)).await;
    let head = header(&sheet);
    let t40 = sheet
        .rows()
        .skip(1)
        .find(|r| r[col(&head, "任务序号")] == Data::Float(40.0))
        .expect("task 40");
    assert_eq!(t40[col(&head, "类别")], Data::String("即将到期".into()));
    assert_eq!(t40[col(&head, "剩余工作日")], Data::Float(4.0));
    assert!(is_date(&t40[col(&head, "截止日期")]));
    assert!(sheet.rows().skip(1).any(|r| r[col(&head, "责任单位")] == Data::String(name.into())));
}

#[actix_web::test]
async fn rectification_items_export_with_their_task_unit_and_latest_note() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let ggfw = unit_id(&app, "公共服务中心");
    let owner = app.token(Role::Unit, Some(ggfw));
    let r =
        send(&svc, post_json("/api/v1/plans/1/reviews", &coord, &json!({"as_of": "2022-01-10"})))
            .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let review = r.body["id"].as_i64().unwrap();
    let t15 = task_id(&app, 15);
    let list = format!("/api/v1/rectifications?review_id={review}&limit=500");
    let all = send(&svc, get(&list, &coord)).await.body["items"].as_array().unwrap().clone();
    let item = all.iter().find(|i| i["task_id"] == t15 && i["unit_id"] == ggfw).unwrap()["id"]
        .as_i64()
        .unwrap();
    let note = "=1+1 已补发信息";
    let r = send(
        &svc,
        post_json(&format!("/api/v1/rectifications/{item}/submit"), &owner, &json!({"note": note})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Every item, though the page asked for is one.
    let uri = format!("/api/v1/rectifications?review_id={review}&limit=1");
    let rows = csv_rows(&send(&svc, as_csv(get(&uri, &coord))).await);
    assert_eq!(
        rows[0],
        [
            "编号",
            "回头看编号",
            "回头看日期",
            "任务序号",
            "责任单位",
            "整改事项",
            "整改期限",
            "状态",
            "最近说明"
        ]
    );
    assert_eq!(rows.len() - 1, all.len());
    let submitted = rows.iter().find(|r| r[0] == item.to_string()).unwrap();
    assert_eq!(submitted[3..5], ["15", "公共服务中心"]);
    assert_eq!(submitted[7..], ["已提交", &format!("'{note}")]);

    let sheet = xlsx_sheet(&svc, get(&uri, &coord)).await;
    let head = header(&sheet);
    assert_eq!(head, rows[0]);
    assert_eq!(sheet.height() - 1, all.len());
    let row = row_with(&sheet, col(&head, "最近说明"), note);
    assert_eq!(row[col(&head, "编号")], Data::Float(item as f64));
    assert_eq!(row[col(&head, "任务序号")], Data::Float(15.0));
    assert!(is_date(&row[col(&head, "整改期限")]) && is_date(&row[col(&head, "回头看日期")]));

    // A unit exports its own items only.
    let rows = csv_rows(&send(&svc, as_csv(get(&uri, &owner))).await);
    assert!(rows.len() > 1 && rows.iter().skip(1).all(|r| r[4] == "公共服务中心"));
}

#[actix_web::test]
async fn the_register_shows_personal_data_only_to_those_who_may_read_it() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "公共服务中心");
    let own = app.token(Role::Unit, Some(unit));
    let subject = "=1+1 2020年度财政预算执行情况";
    let mut body = application(unit, "2021-09-30");
    body["subject"] = json!(subject);
    body["applicant"]["name"] = json!("@李四");
    let id = register_id(&svc, &own, &body).await;
    register_id(&svc, &own, &application(unit, "2021-10-08")).await;

    let admin = app.token(Role::Admin, None);
    let uri = "/api/v1/disclosure-requests?limit=1&as_of=2021-10-15";
    let rows = csv_rows(&send(&svc, as_csv(get(uri, &admin))).await);
    assert_eq!(
        rows[0][..7],
        ["编号", "承办单位", "申请方式", "收到日期", "申请人类型", "申请人", "申请内容"]
    );
    assert_eq!(rows.len(), 3, "both applications, whatever limit says");
    let first = rows.iter().find(|r| r[0] == id.to_string()).unwrap();
    assert_eq!(first[5..7], ["'@李四", &format!("'{subject}")]);
    assert!(!rows.concat().iter().any(|c| c.contains("13800138000") || c.contains("440781")));

    let sheet = xlsx_sheet(&svc, get(uri, &admin)).await;
    let head = header(&sheet);
    assert_eq!(head, rows[0]);
    let row = row_with(&sheet, col(&head, "申请内容"), subject);
    assert_eq!(row[col(&head, "申请人")], Data::String("@李四".into()));
    assert_eq!(row[col(&head, "编号")], Data::Float(id as f64));
    assert_eq!(row[col(&head, "件数")], Data::Float(1.0));
    assert!(is_date(&row[col(&head, "收到日期")]) && is_date(&row[col(&head, "答复期限")]));
    assert_eq!(row[col(&head, "是否逾期")], Data::String("否".into()));

    // A viewer's export has neither the applicant nor the subject: not even the columns.
    let viewer = app.token(Role::Viewer, None);
    let rows = csv_rows(&send(&svc, as_csv(get(uri, &viewer))).await);
    assert_eq!(rows.len(), 3);
    assert!(!rows[0].iter().any(|h| h == "申请人" || h == "申请内容"), "{:?}", rows[0]);
    let text = rows.concat().join(",");
    assert!(
        !text.contains("李四") && !text.contains("财政预算") && !text.contains("张三"),
        "{text}"
    );
    let sheet = xlsx_sheet(&svc, get(uri, &viewer)).await;
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(!cells.iter().any(|c| c.contains("李四") || c.contains("财政预算")), "{cells:?}");
    assert_eq!(header(&sheet), rows[0]);
}

#[actix_web::test]
async fn every_exportable_list_refuses_a_type_it_cannot_produce() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    for uri in [
        "/api/v1/plans/1/progress",
        "/api/v1/plans/1/compliance",
        "/api/v1/plans/1/scorecard",
        "/api/v1/plans/1/due-soon",
        "/api/v1/rectifications",
        "/api/v1/disclosure-requests",
    ] {
        let r = send(&svc, get(uri, &t).insert_header(("Accept", "text/calendar"))).await;
        r.assert_problem(406, "not_acceptable");
        let detail = r.body["detail"].as_str().unwrap();
        assert!(detail.contains("text/csv") && detail.contains(XLSX), "{uri}: {detail}");
        // No Accept and */* still get JSON.
        for accept in [None, Some("*/*")] {
            let mut req = get(uri, &t);
            if let Some(a) = accept {
                req = req.insert_header(("Accept", a));
            }
            let r = send(&svc, req).await;
            assert_eq!(r.status, 200, "{uri}: {}", r.text);
            assert_eq!(r.header("content-type").as_deref(), Some("application/json"), "{uri}");
        }
    }
}
