//! `/api/v1/units`: list, get, create, update — with scope, ETags and audit events.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::json;

use crate::support::*;

#[actix_web::test]
async fn the_seed_has_a_government_and_seven_units() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let r = send(&svc, get("/api/v1/units", &app.token(Role::Viewer, None))).await;
    assert_eq!(r.status, 200);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 8);
    let gov = &items[0];
    assert_eq!(gov["name"], "开平市人民政府");
    assert_eq!(gov["kind"], "government");
    assert!(gov["parent_id"].is_null());
    for u in &items[1..] {
        assert_eq!(u["parent_id"], gov["id"]);
        assert_eq!(u["kind"], "department");
    }
    let r = send(&svc, get("/api/v1/units?kind=government", &app.token(Role::Viewer, None))).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn pages_follow_the_cursor_without_gaps_or_repeats() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Viewer, None);
    let mut seen = Vec::new();
    let mut uri = "/api/v1/units?limit=3".to_string();
    loop {
        let r = send(&svc, get(&uri, &t)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        for u in r.body["items"].as_array().unwrap() {
            seen.push(u["id"].as_i64().unwrap());
        }
        match r.body["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/units?limit=3&cursor={c}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 8);
}

#[actix_web::test]
async fn create_get_update_with_etags_and_audit() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let r = send(
        &svc,
        post_json(
            "/api/v1/units",
            &coord,
            &json!({"name": " 卫健局 ", "kind": "department", "parent_id": gov}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["name"], "卫健局");
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.header("location").unwrap(), format!("/api/v1/units/{id}"));
    let etag = r.header("etag").unwrap();

    let r = send(&svc, get(&format!("/api/v1/units/{id}"), &coord)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("etag").unwrap(), etag);

    // PATCH without If-Match → 428; with a stale one → 412; nothing changes.
    let uri = format!("/api/v1/units/{id}");
    let r = send(
        &svc,
        authed(TestRequest::patch().uri(&uri), &coord).set_json(json!({"name": "卫生健康局"})),
    )
    .await;
    r.assert_problem(428, "precondition_required");
    let r = send(&svc, patch_json(&uri, &coord, "\"stale\"", &json!({"name": "卫生健康局"}))).await;
    r.assert_problem(412, "precondition_failed");
    let r = send(&svc, patch_json(&uri, &coord, &etag, &json!({"name": "卫生健康局"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "卫生健康局");
    assert_eq!(r.body["kind"], "department");
    assert_ne!(r.header("etag").unwrap(), etag);
    // The old ETag is stale now.
    let r = send(&svc, patch_json(&uri, &coord, &etag, &json!({"kind": "other"}))).await;
    r.assert_problem(412, "precondition_failed");

    let events = audit_of(&app, "unit", id);
    assert_eq!(
        events,
        vec![
            ("unit.create".to_string(), "test-coordinator".to_string()),
            ("unit.update".to_string(), "test-coordinator".to_string())
        ]
    );
}

#[actix_web::test]
async fn the_tree_stays_consistent() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let dzb = unit_id(&app, "党政办");
    // A sibling with the same name → 409.
    let r = send(
        &svc,
        post_json(
            "/api/v1/units",
            &admin,
            &json!({"name": "党政办", "kind": "department", "parent_id": gov}),
        ),
    )
    .await;
    r.assert_problem(409, "duplicate");
    // The same name under another parent is fine.
    let r = send(
        &svc,
        post_json(
            "/api/v1/units",
            &admin,
            &json!({"name": "党政办", "kind": "department", "parent_id": dzb}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let child = r.body["id"].as_i64().unwrap();
    // A department at the top level → 422.
    let r = send(
        &svc,
        post_json("/api/v1/units", &admin, &json!({"name": "孤立局", "kind": "department"})),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), vec!["parent_id"]);
    // An unknown parent → 422.
    let r = send(
        &svc,
        post_json(
            "/api/v1/units",
            &admin,
            &json!({"name": "某局", "kind": "department", "parent_id": 99999}),
        ),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    // Moving a unit under its own descendant → 409, nothing changes.
    let etag =
        send(&svc, get(&format!("/api/v1/units/{dzb}"), &admin)).await.header("etag").unwrap();
    let r = send(
        &svc,
        patch_json(&format!("/api/v1/units/{dzb}"), &admin, &etag, &json!({"parent_id": child})),
    )
    .await;
    r.assert_problem(409, "constraint_violation");
    let r = send(&svc, get(&format!("/api/v1/units/{dzb}"), &admin)).await;
    assert_eq!(r.body["parent_id"], gov);
}

#[actix_web::test]
async fn who_may_write_units() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let dzb = unit_id(&app, "党政办");
    let body = json!({"name": "新局", "kind": "department", "parent_id": gov});
    let before = app.count("SELECT count(*) AS n FROM units");
    for (role, unit) in [(Role::Viewer, None), (Role::Unit, Some(dzb))] {
        let r = send(&svc, post_json("/api/v1/units", &app.token(role, unit), &body)).await;
        r.assert_problem(403, "forbidden");
        // Authorization comes before validation: nonsense gets 403 too.
        let r = send(
            &svc,
            authed(TestRequest::post().uri("/api/v1/units"), &app.token(role, unit))
                .insert_header(("content-type", "application/json"))
                .set_payload("{nonsense"),
        )
        .await;
        r.assert_problem(403, "forbidden");
    }
    // A coordinator limited to 党政办 cannot create a unit under the government.
    let r = send(&svc, post_json("/api/v1/units", &app.token(Role::Coordinator, Some(dzb)), &body))
        .await;
    r.assert_problem(403, "forbidden");
    // ...nor a new top-level government.
    let r = send(
        &svc,
        post_json(
            "/api/v1/units",
            &app.token(Role::Coordinator, Some(gov)),
            &json!({"name": "恩平市人民政府", "kind": "government"}),
        ),
    )
    .await;
    r.assert_problem(403, "forbidden");
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), before);
}
