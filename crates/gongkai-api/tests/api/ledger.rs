//! 台账, 回头看, 整改 and next year's plan, through the API.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::support::*;

fn row<'a>(rows: &'a Value, task_number: i64, unit: &str) -> &'a Value {
    rows["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["task_number"] == task_number && r["unit"] == unit)
        .unwrap_or_else(|| panic!("no row for task {task_number} and {unit}"))
}

#[actix_web::test]
async fn units_move_their_own_rows_and_the_coordinator_comments() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let (dzb, jfj) = (unit_id(&app, "党政办"), unit_id(&app, "经发局"));
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let mine = app.token(Role::Unit, Some(dzb));
    let task = task_id(&app, 23); // 党政办 leads, 经发局 cooperates
    let uri = format!("/api/v1/tasks/{task}/progress/{dzb}");

    let rows = send(&svc, get("/api/v1/plans/1/progress", &coord)).await;
    assert_eq!(rows.status, 200, "{}", rows.text);
    assert_eq!(row(&rows.body, 23, "党政办")["status"], "not_started");
    assert_eq!(row(&rows.body, 23, "经发局")["role"], "co");

    // The unit starts and completes its row; each move needs the current ETag.
    let current = |r: &Resp| r.header("etag").unwrap();
    let one = send(&svc, get(&uri, &mine)).await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.body["status"], "not_started");
    let first_etag = current(&one);
    let r = send(
        &svc,
        authed(TestRequest::patch().uri(&uri), &mine).set_json(json!({"status": "in_progress"})),
    )
    .await;
    r.assert_problem(428, "precondition_required");
    let r = send(
        &svc,
        patch_json(
            &uri,
            &mine,
            &first_etag,
            &json!({"status": "in_progress", "note": "已启动指南修订"}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "in_progress");
    let r2 =
        send(&svc, patch_json(&uri, &mine, &first_etag, &json!({"status": "completed"}))).await;
    r2.assert_problem(412, "precondition_failed");
    let r =
        send(&svc, patch_json(&uri, &mine, &current(&r), &json!({"status": "completed"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // An illegal move → 409, unchanged.
    let r = send(&svc, patch_json(&uri, &mine, &current(&r), &json!({"status": "blocked"}))).await;
    r.assert_problem(409, "illegal_transition");
    // Another unit's row, the coordinator, a viewer: 403.
    let other = format!("/api/v1/tasks/{task}/progress/{jfj}");
    for t in [&mine, &coord, &app.token(Role::Viewer, None)] {
        send(&svc, patch_json(&other, t, "*", &json!({"status": "in_progress"})))
            .await
            .assert_problem(403, "forbidden");
    }
    // A unit not responsible for the task: 404.
    let czj = unit_id(&app, "财政局");
    send(
        &svc,
        patch_json(
            &format!("/api/v1/tasks/{task}/progress/{czj}"),
            &app.token(Role::Unit, Some(czj)),
            "*",
            &json!({"status": "in_progress"}),
        ),
    )
    .await
    .assert_problem(404, "not_found");

    // Notes: the unit updates, the coordinator comments, a viewer cannot.
    let notes = format!("{uri}/notes");
    let r = send(
        &svc,
        post_json(
            &notes,
            &mine,
            &json!({"text": "指南已发布", "links": ["https://www.kaiping.gov.cn/zwgk/znz"]}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["kind"], "update");
    let r = send(&svc, post_json(&notes, &coord, &json!({"text": "请补充发布链接截图"}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["kind"], "comment");
    send(&svc, post_json(&notes, &app.token(Role::Viewer, None), &json!({"text": "x"})))
        .await
        .assert_problem(403, "forbidden");
    send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task}/progress/{jfj}/notes"),
            &mine,
            &json!({"text": "x"}),
        ),
    )
    .await
    .assert_problem(403, "forbidden");
    send(&svc, post_json(&notes, &mine, &json!({"text": "  "})))
        .await
        .assert_problem(422, "validation_failed");
    send(&svc, post_json(&notes, &mine, &json!({"text": "x", "links": ["ftp://x"]})))
        .await
        .assert_problem(422, "validation_failed");

    let detail = send(&svc, get(&format!("/api/v1/tasks/{task}/progress"), &coord)).await;
    let lead = &detail.body["items"][0];
    assert_eq!(lead["status"], "completed");
    let kinds: Vec<&str> =
        lead["notes"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["update", "update", "update", "comment"],
        "two moves, one update, one comment"
    );
    assert_eq!(lead["notes"][0]["status_to"], "in_progress");
    let actions: Vec<String> = audit_of_sql(&app, "progress.status");
    assert_eq!(actions.len(), 2);

    // The ledger pages like every list: page by page it is the whole list.
    send(&svc, get("/api/v1/plans/1/progress?limit=501", &coord))
        .await
        .assert_problem(422, "validation_failed");
    let whole = send(&svc, get("/api/v1/plans/1/progress?limit=500", &coord)).await;
    let mut paged = Vec::new();
    let mut uri = "/api/v1/plans/1/progress?limit=10".to_string();
    loop {
        let p = send(&svc, get(&uri, &coord)).await;
        paged.extend(p.body["items"].as_array().unwrap().iter().cloned());
        match p.body["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/plans/1/progress?limit=10&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(&paged, whole.body["items"].as_array().unwrap());

    // Filters: by status and unit; stale rows (nothing for 5 working days).
    let r = send(
        &svc,
        get(&format!("/api/v1/plans/1/progress?status=completed&unit_id={dzb}"), &coord),
    )
    .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    let r = send(&svc, get("/api/v1/plans/1/progress?stale_workdays=5", &coord)).await;
    let stale = r.body["items"].as_array().unwrap();
    assert!(
        !stale.iter().any(|x| x["task_number"] == 23 && x["unit"] == "党政办"),
        "a row touched today is not stale"
    );
    assert!(
        stale.iter().any(|x| x["task_number"] == 23 && x["unit"] == "经发局"),
        "a row never touched is stale"
    );
    send(&svc, get("/api/v1/plans/1/progress?stale_workdays=5&as_of=2031-01-05", &coord))
        .await
        .assert_problem(422, "calendar_unpublished");
}

fn audit_of_sql(app: &TestApp, action: &str) -> Vec<String> {
    let n = app.count(&format!("SELECT count(*) AS n FROM audit_events WHERE action = '{action}'"));
    (0..n).map(|_| action.to_string()).collect()
}

#[actix_web::test]
async fn a_look_back_is_a_snapshot_and_raises_rectification_items() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let ggfw = unit_id(&app, "公共服务中心");
    let owner = app.token(Role::Unit, Some(ggfw));
    let t15 = task_id(&app, 15);

    let r = send(
        &svc,
        post_json(
            "/api/v1/plans/1/reviews",
            &coord,
            &json!({"as_of": "2022-01-10", "note": "2021年度回头看"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let review = r.body["id"].as_i64().unwrap();
    // 20 working days after 2022-01-10: Jan 11–28 (14), the make-up weekend Jan 29–30 (16),
    // the Spring Festival Jan 31–Feb 6 skipped, Feb 7–10 (20).
    assert_eq!(r.body["rectification_due"], "2022-02-10");
    let entries = r.body["entries"].as_array().unwrap().clone();
    assert_eq!(entries.len() as i64, app.count("SELECT count(*) AS n FROM task_units"));
    let e15 = entries.iter().find(|e| e["task_number"] == 15).unwrap();
    assert_eq!(e15["done"], false);
    let findings = e15["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 12, "one finding a month for 2021");
    assert!(findings.iter().all(|f| f["status"] == "missed"));
    assert!(e15["shortfall"].as_str().unwrap().contains("未完成"));

    // Evidence recorded afterwards does not change the snapshot.
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{t15}/evidence"),
            &owner,
            &json!({"occurred_on": "2021-01-20", "title": "专栏发布2条", "count": 2}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let again = send(&svc, get(&format!("/api/v1/reviews/{review}"), &coord)).await;
    assert_eq!(again.body["entries"].as_array().unwrap(), &entries);

    // Every shortfall became an item owned by its unit.
    let r = send(
        &svc,
        get(&format!("/api/v1/rectifications?review_id={review}&unit_id={ggfw}&limit=500"), &coord),
    )
    .await;
    let items = r.body["items"].as_array().unwrap();
    assert!(items.iter().all(|i| i["status"] == "open" && i["due"] == "2022-02-10"));
    let item = items.iter().find(|i| i["task_id"] == t15).unwrap()["id"].as_i64().unwrap();

    // open → submitted (owner) → rejected (coordinator) → submitted → verified.
    let act = |a: &str| format!("/api/v1/rectifications/{item}/{a}");
    send(&svc, post_json(&act("verify"), &coord, &json!({})))
        .await
        .assert_problem(409, "illegal_transition");
    send(&svc, post_json(&act("submit"), &owner, &json!({})))
        .await
        .assert_problem(422, "validation_failed");
    let dzb = app.token(Role::Unit, Some(unit_id(&app, "党政办")));
    send(&svc, post_json(&act("submit"), &dzb, &json!({"note": "x"})))
        .await
        .assert_problem(403, "forbidden");
    send(&svc, post_json(&act("submit"), &coord, &json!({"note": "x"})))
        .await
        .assert_problem(403, "forbidden");
    let r = send(
        &svc,
        post_json(
            &act("submit"),
            &owner,
            &json!({"note": "已补发信息", "url": "https://www.kaiping.gov.cn/yq"}),
        ),
    )
    .await;
    assert_eq!(r.body["status"], "submitted", "{}", r.text);
    send(&svc, post_json(&act("submit"), &owner, &json!({"note": "again"})))
        .await
        .assert_problem(409, "illegal_transition");
    send(&svc, post_json(&act("verify"), &owner, &json!({})))
        .await
        .assert_problem(403, "forbidden");
    send(&svc, post_json(&act("reject"), &coord, &json!({})))
        .await
        .assert_problem(422, "validation_failed");
    let r = send(&svc, post_json(&act("reject"), &coord, &json!({"note": "缺少2021年3月的更新"})))
        .await;
    assert_eq!(r.body["status"], "open");
    let r = send(&svc, post_json(&act("submit"), &owner, &json!({"note": "已补充"}))).await;
    assert_eq!(r.body["status"], "submitted");
    let r = send(&svc, authed(TestRequest::post().uri(&act("verify")), &coord)).await;
    assert_eq!(r.body["status"], "verified", "{}", r.text);
    send(&svc, post_json(&act("reject"), &coord, &json!({"note": "x"})))
        .await
        .assert_problem(409, "illegal_transition");
    send(&svc, post_json(&act("archive"), &coord, &json!({})))
        .await
        .assert_problem(404, "not_found");
    let detail = send(&svc, get(&format!("/api/v1/rectifications/{item}"), &owner)).await;
    let history: Vec<&str> = detail.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["submit", "reject", "submit", "verify"]);

    // Overdue: the open items past their due date; the verified one is not among them.
    let r = send(&svc, get(&format!("/api/v1/rectifications?review_id={review}&unit_id={ggfw}&overdue=true&as_of=2022-03-01&limit=500"), &coord)).await;
    let overdue = r.body["items"].as_array().unwrap();
    assert_eq!(overdue.len(), items.len() - 1);
    assert!(!overdue.iter().any(|i| i["id"] == item));
    let r = send(
        &svc,
        get(
            &format!("/api/v1/rectifications?review_id={review}&overdue=true&as_of=2022-02-10"),
            &coord,
        ),
    )
    .await;
    assert!(r.body["items"].as_array().unwrap().is_empty(), "due on the day is not overdue yet");

    // Only coordinators take look-backs; not in the future.
    send(&svc, post_json("/api/v1/plans/1/reviews", &owner, &json!({"as_of": "2022-01-10"})))
        .await
        .assert_problem(403, "forbidden");
    send(&svc, post_json("/api/v1/plans/1/reviews", &coord, &json!({"as_of": "2099-01-10"})))
        .await
        .assert_problem(422, "validation_failed");
    send(
        &svc,
        post_json(
            "/api/v1/plans/1/reviews",
            &coord,
            &json!({"as_of": "2022-01-10", "rectification_due": "2021-12-01"}),
        ),
    )
    .await
    .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn next_years_plan_is_copied_and_carries_the_look_back() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let r =
        send(&svc, post_json("/api/v1/plans/1/reviews", &coord, &json!({"as_of": "2022-01-10"})))
            .await;
    let review = r.body["id"].as_i64().unwrap();

    let r = send(&svc, post_json("/api/v1/plans/1/copy", &coord, &json!({"year": 2022}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let plan = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["title"], "开平市2022年政务公开工作要点", "titled by the issuing city");
    assert_eq!(r.body["previous_plan_id"], 1);
    assert_eq!(r.body["carryover_review_id"], review);

    let t = app.token(Role::Viewer, None);
    let tasks = send(&svc, get(&format!("/api/v1/plans/{plan}/tasks?limit=500"), &t)).await;
    let tasks = tasks.body["items"].as_array().unwrap();
    assert_eq!(tasks.len(), 54);
    assert_eq!(tasks[26]["units"].as_array().unwrap().len(), 4);
    assert_eq!(tasks[31]["quotas"][0]["due"], "2022-12-31");
    assert_eq!(tasks[39]["quotas"][0]["due"], "2022-12-01");
    assert_eq!(tasks[14]["quotas"][0]["period"], "month");
    let sections = send(&svc, get(&format!("/api/v1/plans/{plan}/sections"), &t)).await;
    assert_eq!(sections.body["items"].as_array().unwrap().len(), 16);
    // The unfinished work of 2021, visible from 2022.
    let carried = send(
        &svc,
        get(&format!("/api/v1/rectifications?review_id={review}&status=open&limit=500"), &t),
    )
    .await;
    assert!(!carried.body["items"].as_array().unwrap().is_empty());
    assert_eq!(audit_of(&app, "plan", plan)[0].0, "plan.copy");

    send(&svc, post_json("/api/v1/plans/1/copy", &coord, &json!({"year": 2022})))
        .await
        .assert_problem(409, "plan_exists");
    send(&svc, post_json("/api/v1/plans/1/copy", &coord, &json!({"year": 2021})))
        .await
        .assert_problem(422, "validation_failed");
    send(
        &svc,
        post_json(
            "/api/v1/plans/1/copy",
            &app.token(Role::Unit, Some(gov)),
            &json!({"year": 2023}),
        ),
    )
    .await
    .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn correcting_a_tasks_units_keeps_the_progress_of_those_that_stay() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let (dzb, jfj, czj) =
        (unit_id(&app, "党政办"), unit_id(&app, "经发局"), unit_id(&app, "财政局"));
    let admin = app.token(Role::Admin, None);
    let task = task_id(&app, 23); // 党政办 leads, 经发局 cooperates
    let row_uri = format!("/api/v1/tasks/{task}/progress/{jfj}");
    let etag = send(&svc, get(&row_uri, &admin)).await.header("etag").unwrap();
    let r = send(
        &svc,
        patch_json(
            &row_uri,
            &app.token(Role::Unit, Some(jfj)),
            &etag,
            &json!({"status": "in_progress"}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // The same units again, then reordered with a new one: 经发局's progress stays.
    let uri = format!("/api/v1/tasks/{task}");
    for units in [json!([dzb, jfj]), json!([jfj, czj, dzb])] {
        let etag = send(&svc, get(&uri, &admin)).await.header("etag").unwrap();
        let r = send(&svc, patch_json(&uri, &admin, &etag, &json!({"unit_ids": units}))).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let row = send(&svc, get(&row_uri, &admin)).await;
        assert_eq!(row.body["status"], "in_progress", "{}", row.text);
    }
    let row = send(&svc, get(&row_uri, &admin)).await;
    assert_eq!(row.body["role"], "lead");
    let t = send(&svc, get(&uri, &admin)).await;
    let names: Vec<&str> =
        t.body["units"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["经发局", "财政局", "党政办"]);
    // A unit taken off the task loses its row.
    let etag = t.header("etag").unwrap();
    send(&svc, patch_json(&uri, &admin, &etag, &json!({"unit_ids": [czj, dzb]}))).await;
    send(&svc, get(&row_uri, &admin)).await.assert_problem(404, "not_found");
}
