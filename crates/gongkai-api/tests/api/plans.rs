//! Plans, sections and tasks: the seeded Kaiping 2021 plan, filters, corrections.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::json;

use crate::support::*;

#[actix_web::test]
async fn the_seeded_plan_is_whole() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Viewer, None);
    let r = send(&svc, get("/api/v1/plans", &t)).await;
    let plan = &r.body["items"][0];
    assert_eq!(plan["year"], 2021);
    assert_eq!(plan["title"], "开平市2021年政务公开工作要点");
    let id = plan["id"].as_i64().unwrap();
    let r = send(&svc, get(&format!("/api/v1/plans/{id}"), &t)).await;
    assert_eq!(r.status, 200);
    assert!(r.header("etag").is_some());

    let r = send(&svc, get(&format!("/api/v1/plans/{id}/sections"), &t)).await;
    let sections = r.body["items"].as_array().unwrap();
    assert_eq!(sections.len(), 16);
    assert_eq!(sections[0]["title"], "做好各类规划主动公开");
    assert_eq!(sections[15]["number"], 16);

    let r = send(&svc, get(&format!("/api/v1/plans/{id}/tasks?limit=500"), &t)).await;
    let tasks = r.body["items"].as_array().unwrap();
    assert_eq!(tasks.len(), 54);
    assert!(r.body["next_cursor"].is_null());
    let numbers: Vec<i64> = tasks.iter().map(|t| t["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, (1..=54).collect::<Vec<_>>());
    let quotas: usize = tasks.iter().map(|t| t["quotas"].as_array().unwrap().len()).sum();
    assert_eq!(quotas, 6);
    let t15 = &tasks[14];
    assert_eq!(t15["section_number"], 5);
    assert_eq!(t15["units"][0]["name"], "公共服务中心");
    assert_eq!(t15["units"][0]["role"], "lead");
    assert_eq!(t15["quotas"][0]["kind"], "count");
    assert_eq!(t15["quotas"][0]["min"].as_u64(), Some(2), "a count is a JSON integer");
    assert_eq!(t15["quotas"][0]["period"], "month");
    let t27 = &tasks[26];
    let names: Vec<&str> =
        t27["units"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["党政办", "经发局", "综管办", "社事办"]);
    assert_eq!(t27["units"][1]["role"], "co");
    assert_eq!(tasks[27]["units_inherited"], true);
    let distinct: std::collections::BTreeSet<&str> = tasks
        .iter()
        .flat_map(|t| t["units"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()))
        .collect();
    assert_eq!(distinct.len(), 7, "{distinct:?}");
}

#[actix_web::test]
async fn tasks_filter_by_section_and_unit_and_page() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Viewer, None);
    let r = send(&svc, get("/api/v1/plans/1/tasks?section=3", &t)).await;
    let numbers: Vec<i64> =
        r.body["items"].as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [7, 8, 9, 10]);
    let czj = unit_id(&app, "财政局");
    let r = send(&svc, get(&format!("/api/v1/plans/1/tasks?unit_id={czj}"), &t)).await;
    let numbers: Vec<i64> =
        r.body["items"].as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [7, 8, 9, 10, 43]);
    let r = send(&svc, get("/api/v1/plans/1/tasks?limit=20", &t)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 20);
    let cursor = r.body["next_cursor"].as_str().unwrap().to_string();
    let r = send(&svc, get(&format!("/api/v1/plans/1/tasks?limit=20&cursor={cursor}"), &t)).await;
    assert_eq!(r.body["items"][0]["number"], 21);
    send(&svc, get("/api/v1/plans/999/tasks", &t)).await.assert_problem(404, "not_found");
    send(&svc, get("/api/v1/plans/1/tasks?section=x", &t))
        .await
        .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn a_coordinator_corrects_a_task() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let id = task_id(&app, 8);
    let uri = format!("/api/v1/tasks/{id}");
    let r = send(&svc, get(&uri, &coord)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["units_inherited"], true);
    let etag = r.header("etag").unwrap();
    let (czj, jfj) = (unit_id(&app, "财政局"), unit_id(&app, "经发局"));
    let r = send(
        &svc,
        patch_json(
            &uri,
            &coord,
            &etag,
            &json!({"requirement": "持续深化地方政府债务信息公开。", "unit_ids": [czj, jfj]}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["requirement"], "持续深化地方政府债务信息公开。");
    assert_eq!(r.body["units_inherited"], false);
    assert_eq!(r.body["units"][1]["name"], "经发局");
    assert_eq!(r.body["units"][1]["role"], "co");
    let events = audit_of(&app, "task", id);
    assert_eq!(events.last().unwrap().0, "task.update");

    let etag = r.header("etag").unwrap();
    // Bad corrections: no units, a unit twice, an unknown unit, an empty text — 422, unchanged.
    for body in [
        json!({"unit_ids": []}),
        json!({"unit_ids": [czj, czj]}),
        json!({"unit_ids": [999999]}),
        json!({"requirement": "  "}),
    ] {
        let r = send(&svc, patch_json(&uri, &coord, &etag, &body)).await;
        r.assert_problem(422, "validation_failed");
    }
    let r = send(&svc, get(&uri, &coord)).await;
    assert_eq!(r.header("etag").unwrap(), etag);
    // A unit or a viewer may not correct tasks.
    for (role, unit) in [(Role::Unit, Some(czj)), (Role::Viewer, None)] {
        let r = send(
            &svc,
            patch_json(&uri, &app.token(role, unit), &etag, &json!({"requirement": "x"})),
        )
        .await;
        r.assert_problem(403, "forbidden");
    }
    let r = send(
        &svc,
        authed(TestRequest::patch().uri("/api/v1/tasks/999999"), &coord)
            .insert_header(("If-Match", "*"))
            .set_json(json!({"requirement": "x"})),
    )
    .await;
    r.assert_problem(404, "not_found");
}
