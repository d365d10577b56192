//! `/api/v1/audit-events`: admins read who changed what; filters by entity, actor, time.

use gongkai_core::auth::Role;
use serde_json::json;

use crate::support::*;

#[actix_web::test]
async fn admins_read_and_filter_the_trail() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    // After the seed (the template may have been built a moment ago), before the write.
    let start = chrono::Utc::now();
    let r = send(
        &svc,
        post_json(
            "/api/v1/units",
            &admin,
            &json!({"name": "档案馆", "kind": "other", "parent_id": gov}),
        ),
    )
    .await;
    let id = r.body["id"].as_i64().unwrap();

    let r =
        send(&svc, get(&format!("/api/v1/audit-events?entity_type=unit&entity_id={id}"), &admin))
            .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let e = &items[0];
    assert_eq!(e["action"], "unit.create");
    assert_eq!(e["actor_sub"], "test-admin");
    assert_eq!(e["actor_role"], "admin");
    assert!(e["before"].is_null());
    assert_eq!(e["after"]["name"], "档案馆");
    assert!(e["occurred_at"].is_string());

    // By actor: the seed's events are the system's, the new one is the admin's.
    let r = send(&svc, get("/api/v1/audit-events?actor=test-admin", &admin)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    let r = send(&svc, get("/api/v1/audit-events?actor=system:seed&limit=500", &admin)).await;
    assert!(r.body["items"].as_array().unwrap().len() > 8);
    // By time: only what happened since `start`.
    let from = enc(&start.to_rfc3339());
    let r = send(&svc, get(&format!("/api/v1/audit-events?from={from}"), &admin)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1, "{}", r.text);
    let r = send(&svc, get(&format!("/api/v1/audit-events?to={from}&limit=500"), &admin)).await;
    assert!(r.body["items"].as_array().unwrap().iter().all(|e| e["actor_sub"] == "system:seed"));
    send(&svc, get("/api/v1/audit-events?from=yesterday", &admin))
        .await
        .assert_problem(422, "validation_failed");
    let later = enc(&(start + chrono::Duration::hours(1)).to_rfc3339());
    send(&svc, get(&format!("/api/v1/audit-events?from={later}&to={from}"), &admin))
        .await
        .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn only_admins_read_the_trail() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let dzb = unit_id(&app, "党政办");
    for (role, unit) in [(Role::Coordinator, None), (Role::Viewer, None), (Role::Unit, Some(dzb))] {
        send(&svc, get("/api/v1/audit-events", &app.token(role, unit)))
            .await
            .assert_problem(403, "forbidden");
    }
}
