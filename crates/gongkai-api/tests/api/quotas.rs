//! Quotas of a task: read, create, update, delete — by admins and coordinators only.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::json;

use crate::support::*;

#[actix_web::test]
async fn the_seeded_quotas_keep_their_source_phrase() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Viewer, None);
    let r = send(&svc, get(&format!("/api/v1/tasks/{}/quotas", task_id(&app, 49)), &t)).await;
    assert_eq!(r.status, 200);
    let q = &r.body["items"][0];
    assert_eq!(q["kind"], "threshold");
    assert_eq!(q["min"], 4.0);
    assert_eq!(q["unit"], "percent");
    assert!(q["source"].as_str().unwrap().contains("4%"));
    let r = send(&svc, get(&format!("/api/v1/tasks/{}/quotas", task_id(&app, 40)), &t)).await;
    assert_eq!(r.body["items"][0]["due"], "2021-12-01");
}

#[actix_web::test]
async fn create_update_delete_a_quota() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let task = task_id(&app, 31);
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task}/quotas"),
            &admin,
            &json!({"kind": "count", "min": 1, "period": "quarter", "source": "每季度至少更新1次"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["period"], "quarter");
    let uri = format!("/api/v1/quotas/{id}");
    let etag = r.header("etag").unwrap();

    // Change the minimum only: the period stays.
    let r = send(&svc, patch_json(&uri, &admin, &etag, &json!({"min": 3}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["min"].as_u64(), Some(3));
    assert_eq!(r.body["period"], "quarter");
    let etag = r.header("etag").unwrap();
    // Changing the kind needs the new kind's parameters.
    let r = send(&svc, patch_json(&uri, &admin, &etag, &json!({"kind": "deadline"}))).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), vec!["due"]);
    let r = send(
        &svc,
        patch_json(&uri, &admin, &etag, &json!({"kind": "deadline", "due": "2021-09-30"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body.get("period").is_none());
    let etag = r.header("etag").unwrap();

    let r = send(&svc, authed(TestRequest::delete().uri(&uri), &admin)).await;
    r.assert_problem(428, "precondition_required");
    let r = send(
        &svc,
        authed(TestRequest::delete().uri(&uri), &admin).insert_header(("If-Match", "\"old\"")),
    )
    .await;
    r.assert_problem(412, "precondition_failed");
    let r = send(
        &svc,
        authed(TestRequest::delete().uri(&uri), &admin).insert_header(("If-Match", etag.as_str())),
    )
    .await;
    assert_eq!(r.status, 204);
    send(&svc, get(&uri, &admin)).await.assert_problem(404, "not_found");
    let actions: Vec<String> = audit_of(&app, "quota", id).into_iter().map(|e| e.0).collect();
    assert_eq!(actions, ["quota.create", "quota.update", "quota.update", "quota.delete"]);
}

#[actix_web::test]
async fn nonsense_quotas_are_refused_and_nothing_is_stored() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let uri = format!("/api/v1/tasks/{}/quotas", task_id(&app, 31));
    let before = app.count("SELECT count(*) AS n FROM quotas");
    let cases = [
        (json!({"kind": "count", "min": 0, "period": "month"}), "min"),
        (json!({"kind": "count", "min": 1.5, "period": "month"}), "min"),
        (json!({"kind": "count", "min": 2, "period": "fortnight"}), "period"),
        (json!({"kind": "count", "min": 2}), "period"),
        (json!({"kind": "deadline", "due": "2021-02-30"}), "due"),
        (json!({"kind": "deadline", "due": "2021-12-01", "days": 3}), "days"),
        (json!({"kind": "threshold", "min": 140}), "min"),
        (json!({"kind": "threshold", "min": 4, "unit": "yuan"}), "unit"),
        (json!({"kind": "within_workdays", "days": -2}), "days"),
        (json!({"kind": "weekly"}), "kind"),
        (json!({"min": 2}), "kind"),
    ];
    for (body, field) in cases {
        let r = send(&svc, post_json(&uri, &admin, &body)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.fields().contains(&field.to_string()), "{body}: {:?}", r.fields());
    }
    send(
        &svc,
        post_json(
            "/api/v1/tasks/999999/quotas",
            &admin,
            &json!({"kind": "deadline", "due": "2021-12-01"}),
        ),
    )
    .await
    .assert_problem(404, "not_found");
    let dzb = unit_id(&app, "党政办");
    for (role, unit) in [(Role::Unit, Some(dzb)), (Role::Viewer, None)] {
        let r = send(
            &svc,
            post_json(
                &uri,
                &app.token(role, unit),
                &json!({"kind": "deadline", "due": "2021-12-01"}),
            ),
        )
        .await;
        r.assert_problem(403, "forbidden");
    }
    assert_eq!(app.count("SELECT count(*) AS n FROM quotas"), before);
}
