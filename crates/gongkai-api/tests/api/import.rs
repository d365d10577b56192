//! `POST /api/v1/plans/import`: preview, store, conflicts, replacement and bad input.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;

use crate::support::*;

const KAIPING: &str = include_str!("../../../../seeds/kaiping-2021-work-plan.txt");

const SMALL: &str = "工作任务 具体要求 责任单位\n一、加强政策\n解读。\n1.每季度至少开展两次政策解读活动。 发改局、司法局\n2.2022年6月30日前完成专栏改版。\n二、回应关切。\n3.收到留言后5个工作日内答复。 卫健局\n";

fn import(uri: &str, token: &str, text: &str) -> TestRequest {
    authed(TestRequest::post().uri(uri), token)
        .insert_header(("content-type", "text/plain; charset=utf-8"))
        .set_payload(text.as_bytes().to_vec())
}

#[actix_web::test]
async fn a_dry_run_previews_and_stores_nothing() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let coord = app.token(Role::Coordinator, Some(unit_id(&app, "开平市人民政府")));
    let before =
        app.count("SELECT count(*) AS n FROM tasks") + app.count("SELECT count(*) AS n FROM units");
    let r =
        send(&svc, import("/api/v1/plans/import?year=2022&dry_run=true", &coord, KAIPING)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body["plan_id"].is_null());
    assert_eq!(r.body["year"], 2022);
    assert_eq!(r.body["sections"].as_array().unwrap().len(), 16);
    assert_eq!(r.body["sections"][0]["tasks"][0]["units"][0], "经发局");
    assert!(
        r.body["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "unit_inherited" && w["task"] == 8)
    );
    let after =
        app.count("SELECT count(*) AS n FROM tasks") + app.count("SELECT count(*) AS n FROM units");
    assert_eq!(before, after);
}

#[actix_web::test]
async fn an_import_stores_the_plan_with_new_units_and_quotas() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let r = send(
        &svc,
        import(
            &format!(
                "/api/v1/plans/import?year=2022&title={}",
                enc("开平市2022年政务公开工作要点")
            ),
            &coord,
            SMALL,
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let plan_id = r.body["plan_id"].as_i64().unwrap();
    assert_eq!(r.header("location").unwrap(), format!("/api/v1/plans/{plan_id}"));
    assert_eq!(r.body["units"], serde_json::json!(["发改局", "司法局", "卫健局"]));

    let t = app.token(Role::Viewer, None);
    let r = send(&svc, get(&format!("/api/v1/plans/{plan_id}/tasks"), &t)).await;
    let tasks = r.body["items"].as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[0]["requirement"], "每季度至少开展两次政策解读活动。");
    assert_eq!(tasks[0]["quotas"][0]["kind"], "count");
    assert_eq!(tasks[0]["quotas"][0]["period"], "quarter");
    assert_eq!(tasks[0]["quotas"][0]["min"].as_u64(), Some(2));
    assert_eq!(tasks[1]["units_inherited"], true);
    assert_eq!(tasks[1]["quotas"][0]["due"], "2022-06-30");
    assert_eq!(tasks[2]["quotas"][0]["days"], 5);
    // The new units sit under the issuing government.
    let r =
        send(&svc, get(&format!("/api/v1/units?parent_id={gov}&name={}", enc("卫健局")), &t)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    // One audit event for the import, attributed to the caller.
    let events = audit_of(&app, "plan", plan_id);
    assert_eq!(events, vec![("plan.import".to_string(), "test-coordinator".to_string())]);
}

#[actix_web::test]
async fn a_second_import_of_a_year_conflicts_unless_replaced() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let r = send(&svc, import("/api/v1/plans/import?year=2021", &admin, SMALL)).await;
    r.assert_problem(409, "plan_exists");
    assert_eq!(app.count("SELECT count(*) AS n FROM plans"), 1);
    let r = send(&svc, import("/api/v1/plans/import?year=2021&replace=true", &admin, SMALL)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(app.count("SELECT count(*) AS n FROM plans"), 1);
    assert_eq!(app.count("SELECT count(*) AS n FROM tasks"), 3);
    // Once evidence is recorded, the plan is kept safe: replacing is refused.
    app.count(
        "WITH e AS (INSERT INTO evidence (task_id, unit_id, occurred_on, title, recorded_by)
           SELECT t.id, tu.unit_id, '2021-03-01', '解读会', 'test' FROM tasks t JOIN task_units tu ON tu.task_id = t.id LIMIT 1 RETURNING id)
         SELECT count(*) AS n FROM e",
    );
    let r =
        send(&svc, import("/api/v1/plans/import?year=2021&replace=true", &admin, KAIPING)).await;
    r.assert_problem(409, "plan_has_evidence");
    assert_eq!(app.count("SELECT count(*) AS n FROM tasks"), 3);
}

#[actix_web::test]
async fn bad_text_is_a_422_naming_the_line_and_stores_nothing() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let before = app.count("SELECT count(*) AS n FROM plans");
    let cases: [&[u8]; 4] = [
        b"   \n\n",
        "一、只有标题。\n没有任务。\n".as_bytes(),
        "一、标题。\n5.从第五项开始的任务。 党政办\n".as_bytes(),
        b"\xff\xfe\x00 not utf-8",
    ];
    for text in cases {
        let r = send(
            &svc,
            authed(TestRequest::post().uri("/api/v1/plans/import?year=2023"), &admin)
                .insert_header(("content-type", "text/plain"))
                .set_payload(text.to_vec()),
        )
        .await;
        r.assert_problem(422, "validation_failed");
        assert!(r.fields()[0].starts_with("body"), "{}", r.text);
    }
    let r = send(
        &svc,
        authed(TestRequest::post().uri("/api/v1/plans/import?year=2023"), &admin)
            .set_json(serde_json::json!({"text": "x"})),
    )
    .await;
    // JSON is read as the text it carries, and refused like any bad text.
    r.assert_problem(422, "validation_failed");
    // A right-to-left override hidden in the text, sent as text or as JSON.
    let hidden = SMALL.replace("发改局", "发改\u{202E}局");
    let r = send(&svc, import("/api/v1/plans/import?year=2023", &admin, &hidden)).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["body"]);
    assert!(r.body["errors"][0]["message"].as_str().unwrap().starts_with("line 4:"), "{}", r.text);
    let r = send(
        &svc,
        post_json("/api/v1/plans/import?year=2023", &admin, &serde_json::json!({ "text": hidden })),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["text"]);
    // A byte-order mark at the start and page breaks are fine.
    let r = send(
        &svc,
        import(
            "/api/v1/plans/import?year=2023&dry_run=true",
            &admin,
            &format!("\u{FEFF}{}", SMALL.replace("二、回应", "\u{0C}二、回应")),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = send(&svc, import("/api/v1/plans/import", &admin, SMALL)).await;
    r.assert_problem(422, "validation_failed");
    let r = send(&svc, import("/api/v1/plans/import?year=1850", &admin, SMALL)).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(app.count("SELECT count(*) AS n FROM plans"), before);
}

#[actix_web::test]
async fn only_admins_and_coordinators_import() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let dzb = unit_id(&app, "党政办");
    for (role, unit) in [(Role::Viewer, None), (Role::Unit, Some(dzb))] {
        let r = send(
            &svc,
            import("/api/v1/plans/import?year=2022&dry_run=true", &app.token(role, unit), SMALL),
        )
        .await;
        r.assert_problem(403, "forbidden");
    }
}

/// The same text sent as JSON `{"text": …}` reads the same; other content types are 415.
#[actix_web::test]
async fn the_text_may_come_as_json() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let coord = app.token(Role::Coordinator, Some(unit_id(&app, "开平市人民政府")));
    let uri = "/api/v1/plans/import?year=2022&dry_run=true";
    let as_text = send(&svc, import(uri, &coord, KAIPING)).await;
    let as_json = send(&svc, post_json(uri, &coord, &serde_json::json!({ "text": KAIPING }))).await;
    assert_eq!(as_json.status, 200, "{}", as_json.text);
    assert_eq!(as_json.body, as_text.body);
    let r = send(&svc, post_json(uri, &coord, &serde_json::json!({ "txt": KAIPING }))).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["txt"]);
    let r = send(
        &svc,
        authed(TestRequest::post().uri(uri), &coord)
            .insert_header(("content-type", "application/xml"))
            .set_payload("<plan/>"),
    )
    .await;
    r.assert_problem(415, "unsupported_media_type");
}

/// Issue 12: last year's text imported as this year's plan warns about every date in
/// another year, naming the task and the date, in the dry run and the stored import;
/// the default title names the issuing city.
#[actix_web::test]
async fn dates_outside_the_plan_year_are_warned_about_and_the_title_names_the_city() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let coord = app.token(Role::Coordinator, Some(unit_id(&app, "开平市人民政府")));
    let dated_outside = |r: &Resp| -> Vec<(i64, String)> {
        r.body["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["code"] == "date_outside_plan_year")
            .map(|w| (w["task"].as_i64().unwrap(), w["message"].as_str().unwrap().to_string()))
            .collect()
    };
    let r =
        send(&svc, import("/api/v1/plans/import?year=2022&dry_run=true", &coord, KAIPING)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["title"], "开平市2022年政务公开工作要点");
    let warned = dated_outside(&r);
    assert_eq!(warned.iter().map(|(t, _)| *t).collect::<Vec<_>>(), [32, 40]);
    assert!(warned[0].1.contains("2021-12-31") && warned[1].1.contains("2021-12-01"));
    // In its own year the text names no date outside it.
    let r =
        send(&svc, import("/api/v1/plans/import?year=2021&dry_run=true", &coord, KAIPING)).await;
    assert!(dated_outside(&r).is_empty());
    // Stored, the warnings come back as well and the plan keeps the title.
    let r = send(&svc, import("/api/v1/plans/import?year=2022", &coord, KAIPING)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["title"], "开平市2022年政务公开工作要点");
    assert_eq!(dated_outside(&r).iter().map(|(t, _)| *t).collect::<Vec<_>>(), [32, 40]);
    let plan = r.body["plan_id"].as_i64().unwrap();
    let stored = send(&svc, get(&format!("/api/v1/plans/{plan}"), &coord)).await;
    assert_eq!(stored.body["title"], "开平市2022年政务公开工作要点");
}
