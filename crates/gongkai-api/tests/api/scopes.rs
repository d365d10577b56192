//! Quota scopes through the API: the task as a whole, each responsible unit, each unit
//! of a named group — with the groups themselves and their audit trail.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::support::*;

fn units_and_statuses(body: &Value, quota_id: i64) -> Vec<(Option<String>, String)> {
    body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["quota_id"] == quota_id)
        .map(|f| (f["unit"].as_str().map(String::from), f["status"].as_str().unwrap().to_string()))
        .collect()
}

fn named(list: &[(Option<&str>, &str)]) -> Vec<(Option<String>, String)> {
    list.iter().map(|(u, s)| (u.map(String::from), s.to_string())).collect()
}

#[actix_web::test]
async fn task_and_each_unit_scopes() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let coord = app.token(Role::Coordinator, None);
    // Task 27: 党政办 leads; 经发局, 综管办, 社事办 cooperate.
    let task27 = task_id(&app, 27);
    let quotas = format!("/api/v1/tasks/{task27}/quotas");
    let r = send(
        &svc,
        post_json(&quotas, &coord, &json!({"kind": "count", "min": 1, "period": "year"})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["scope"], "task", "the default scope is the task as a whole");
    let whole = r.body["id"].as_i64().unwrap();
    let r = send(
        &svc,
        post_json(
            &quotas,
            &coord,
            &json!({"kind": "count", "min": 1, "period": "year", "scope": "each_unit"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["scope"], "each_unit");
    assert!(r.body.get("group_id").is_none());
    let each = r.body["id"].as_i64().unwrap();
    let r = send(
        &svc,
        post_json(
            &quotas,
            &coord,
            &json!({"kind": "count", "min": 1, "period": "year", "scope": "group"}),
        ),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["group_id"]);

    // 社事办, a co-responsible unit, records one item.
    let ssb = app.token(Role::Unit, Some(unit_id(&app, "社事办")));
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task27}/evidence"),
            &ssb,
            &json!({"occurred_on": "2021-05-01", "title": "专项报告"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);

    let r =
        send(&svc, get("/api/v1/plans/1/compliance?as_of=2022-01-01&task_number=27", &coord)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Any responsible unit's evidence meets the task-wide quota.
    assert_eq!(units_and_statuses(&r.body, whole), named(&[(None, "met")]));
    // Each unit is judged on its own records.
    assert_eq!(
        units_and_statuses(&r.body, each),
        named(&[
            (Some("党政办"), "missed"),
            (Some("社事办"), "met"),
            (Some("经发局"), "missed"),
            (Some("综管办"), "missed")
        ])
    );
    // The scorecard credits the task-wide finding to the lead unit.
    let r =
        send(&svc, get("/api/v1/plans/1/scorecard?as_of=2022-01-01&task_number=27", &coord)).await;
    let row = |name: &str| {
        r.body["units"].as_array().unwrap().iter().find(|u| u["unit"] == name).unwrap().clone()
    };
    assert_eq!(row("党政办")["findings"], 2);
    assert_eq!(row("党政办")["task_wide_findings"], 1);
    assert_eq!(row("社事办")["rate"], 1.0);
    assert_eq!(row("经发局")["rate"], 0.0);

    // Rescoping follows at once: the each-unit quota becomes task-wide.
    let uri = format!("/api/v1/quotas/{each}");
    let etag = send(&svc, get(&uri, &coord)).await.header("etag").unwrap();
    let r = send(&svc, patch_json(&uri, &coord, &etag, &json!({"scope": "task"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["scope"], "task");
    let r =
        send(&svc, get("/api/v1/plans/1/compliance?as_of=2022-01-01&task_number=27", &coord)).await;
    assert_eq!(units_and_statuses(&r.body, each), named(&[(None, "met")]));
    let actions: Vec<String> = audit_of(&app, "quota", each).into_iter().map(|e| e.0).collect();
    assert_eq!(actions, ["quota.create", "quota.update"]);
}

#[actix_web::test]
async fn group_scope_binds_each_member_and_lets_members_record() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let mut towns = Vec::new();
    for name in ["赤坎镇", "长沙街道", "月山镇"] {
        let r = send(
            &svc,
            post_json(
                "/api/v1/units",
                &coord,
                &json!({"name": name, "kind": "town", "parent_id": gov}),
            ),
        )
        .await;
        towns.push(r.body["id"].as_i64().unwrap());
    }

    // Groups: managed by coordinators and admins only; authorization before validation.
    let viewer = app.token(Role::Viewer, None);
    let unit = app.token(Role::Unit, Some(towns[0]));
    for t in [&viewer, &unit] {
        send(&svc, post_json("/api/v1/unit-groups", t, &json!({"bogus": true})))
            .await
            .assert_problem(403, "forbidden");
    }
    let r = send(
        &svc,
        post_json(
            "/api/v1/unit-groups",
            &coord,
            &json!({"name": "各镇（街道）", "unit_ids": [towns[0], towns[0]]}),
        ),
    )
    .await;
    assert_eq!(r.fields(), ["unit_ids"]);
    let r = send(&svc, post_json("/api/v1/unit-groups", &coord, &json!({"name": "各镇（街道）", "description": "全市各镇人民政府（街道办事处）", "unit_ids": [towns[0], towns[1]]}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["owner_unit_id"], gov);
    let names: Vec<&str> =
        r.body["units"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["赤坎镇", "长沙街道"]);
    let group = r.body["id"].as_i64().unwrap();
    send(
        &svc,
        post_json("/api/v1/unit-groups", &coord, &json!({"name": "各镇（街道）", "unit_ids": []})),
    )
    .await
    .assert_problem(409, "duplicate");
    let r = send(&svc, get(&format!("/api/v1/unit-groups?unit_id={}", towns[1]), &viewer)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);

    // Task 31's quota binds each town of the group.
    let task31 = task_id(&app, 31);
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task31}/quotas"),
            &coord,
            &json!({"kind": "deadline", "due": "2021-06-30", "scope": "group", "group_id": group}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["group_id"], group);
    let quota = r.body["id"].as_i64().unwrap();

    // A member records for the task although it is not a responsible unit; a town
    // outside the group may not.
    let evidence = format!("/api/v1/tasks/{task31}/evidence");
    let member = app.token(Role::Unit, Some(towns[0]));
    let r = send(&svc, post_json(&evidence, &member, &json!({"occurred_on": "2021-06-15", "title": "完成", "completes": true, "quota_id": quota}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let outsider = app.token(Role::Unit, Some(towns[2]));
    let before = app.count("SELECT count(*) AS n FROM evidence");
    send(
        &svc,
        post_json(
            &evidence,
            &outsider,
            &json!({"occurred_on": "2021-06-15", "title": "完成", "completes": true}),
        ),
    )
    .await
    .assert_problem(403, "forbidden");
    assert_eq!(app.count("SELECT count(*) AS n FROM evidence"), before);

    let read = || get("/api/v1/plans/1/compliance?as_of=2021-07-01&task_number=31", &coord);
    let r = send(&svc, read()).await;
    assert_eq!(
        units_and_statuses(&r.body, quota),
        named(&[(Some("赤坎镇"), "met"), (Some("长沙街道"), "overdue")])
    );

    // Changing the members changes the findings at once.
    let uri = format!("/api/v1/unit-groups/{group}");
    let etag = send(&svc, get(&uri, &coord)).await.header("etag").unwrap();
    let r = send(&svc, patch_json(&uri, &coord, &etag, &json!({"unit_ids": [towns[0], towns[2]]})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = send(&svc, read()).await;
    assert_eq!(
        units_and_statuses(&r.body, quota),
        named(&[(Some("月山镇"), "overdue"), (Some("赤坎镇"), "met")])
    );

    // A group in use cannot be deleted; once the quota is rescoped it can.
    let etag = send(&svc, get(&uri, &coord)).await.header("etag").unwrap();
    let del = |etag: &str| {
        authed(TestRequest::delete().uri(&uri), &coord)
            .insert_header(("If-Match", etag.to_string()))
    };
    send(&svc, del(&etag)).await.assert_problem(409, "group_in_use");
    let q_uri = format!("/api/v1/quotas/{quota}");
    let q_etag = send(&svc, get(&q_uri, &coord)).await.header("etag").unwrap();
    let r = send(&svc, patch_json(&q_uri, &coord, &q_etag, &json!({"scope": "each_unit"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body.get("group_id").is_none());
    assert_eq!(send(&svc, del(&etag)).await.status, 204);
    let actions: Vec<String> =
        audit_of(&app, "unit_group", group).into_iter().map(|e| e.0).collect();
    assert_eq!(actions, ["unit_group.create", "unit_group.update", "unit_group.delete"]);
}
