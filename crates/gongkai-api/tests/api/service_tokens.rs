//! Service tokens: minted by an admin and shown once, stored by hash, listed without the
//! token, revoked at once on every instance; the other kinds of token keep working.

use actix_web::test::TestRequest;
use gongkai_api::http::auth::TokenVerifier;
use gongkai_core::auth::Role;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::support::*;

fn a_year_from_today() -> String {
    let today = gongkai_api::http::clock::today();
    today.checked_add_months(chrono::Months::new(12)).unwrap().to_string()
}

#[actix_web::test]
async fn a_service_token_is_shown_once_works_and_is_refused_once_revoked() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let body = json!({"name": "门户网站", "role": "viewer", "unit_id": gov, "expires_on": a_year_from_today()});
    let r = send(&svc, post_json("/api/v1/service-tokens", &admin, &body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    let token = r.body["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("gks_") && token.len() > 40, "{token}");
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["role"], "viewer");
    assert_eq!(r.body["unit_id"], gov);
    assert!(r.body["last_used_at"].is_null());
    assert_eq!(r.header("location"), Some(format!("/api/v1/service-tokens/{id}")));

    // Stored as its SHA-256 only; the audit event holds neither.
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM service_tokens WHERE id = {id} AND encode(token_hash, 'hex') = '{hash}'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM audit_events WHERE after::text LIKE '%{token}%' OR after::text LIKE '%{hash}%'"
        )),
        0
    );
    assert_eq!(
        audit_of(&app, "service_token", id),
        [("service_token.create".into(), "test-admin".into())]
    );

    // It works as a viewer limited to its government; its use is noted.
    let r = send(&svc, get("/api/v1/plans", &token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    let r = send(&svc, post_json("/api/v1/plans/1/copy", &token, &json!({"year": 2022}))).await;
    r.assert_problem(403, "forbidden");

    // Listed without the token, by admins only.
    let list = send(&svc, get("/api/v1/service-tokens", &admin)).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(!list.text.contains(&token) && !list.text.contains("\"token\""));
    let listed = &list.body["items"][0];
    assert_eq!(listed["name"], "门户网站");
    assert!(listed["last_used_at"].is_string(), "{}", list.text);
    assert_eq!(listed["revoked"], false);
    for who in [app.token(Role::Coordinator, None), token.clone()] {
        send(&svc, get("/api/v1/service-tokens", &who)).await.assert_problem(403, "forbidden");
    }

    // Another instance of the service on the same database.
    let verifier = TokenVerifier::new(SECRET.as_bytes(), None, "gongkai").unwrap();
    let other_state = gongkai_api::state(app.db.pool(), verifier, &[7u8; 32]);
    let other = actix_web::test::init_service(gongkai_api::app(
        other_state,
        gongkai_api::CorsOrigins(Vec::new()),
    ))
    .await;
    assert_eq!(send(&other, get("/api/v1/plans", &token)).await.status, 200);

    // Revoked with If-Match: refused at once here and on the other instance.
    let uri = format!("/api/v1/service-tokens/{id}");
    let one = send(&svc, get(&uri, &admin)).await;
    let etag = one.header("etag").unwrap();
    send(&svc, authed(TestRequest::delete().uri(&uri), &admin))
        .await
        .assert_problem(428, "precondition_required");
    let r = send(
        &svc,
        authed(TestRequest::delete().uri(&uri), &admin).insert_header(("If-Match", etag.as_str())),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text);
    for instance in [
        send(&svc, get("/api/v1/plans", &token)).await,
        send(&other, get("/api/v1/plans", &token)).await,
    ] {
        instance.assert_problem(401, "unauthorized");
        assert!(instance.body["detail"].as_str().unwrap().contains("revoked"));
    }
    let r = send(&svc, get(&uri, &admin)).await;
    assert_eq!(r.body["revoked"], true);
    assert_eq!(r.body["revoked_by"], "test-admin");
    assert_eq!(audit_of(&app, "service_token", id).last().unwrap().0, "service_token.revoke");

    // The other kinds of token keep working.
    assert_eq!(send(&svc, get("/api/v1/plans", &app.token(Role::Viewer, None))).await.status, 200);
    send(&svc, get("/api/v1/plans", "gks_not-a-token-at-all"))
        .await
        .assert_problem(401, "unauthorized");
}

#[actix_web::test]
async fn a_unit_service_token_writes_for_its_unit_only() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let ggfw = unit_id(&app, "公共服务中心");
    let body = json!({"name": "公共服务中心报送系统", "role": "unit", "unit_id": ggfw, "expires_on": a_year_from_today()});
    let r = send(&svc, post_json("/api/v1/service-tokens", &admin, &body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let token = r.body["token"].as_str().unwrap().to_string();
    let id = r.body["id"].as_i64().unwrap();
    let t15 = task_id(&app, 15);
    let record = json!({"occurred_on": "2021-01-05", "title": "专栏更新", "count": 1});
    let uri = format!("/api/v1/tasks/{t15}/evidence");
    // Idempotency-Key works for a service token's writes.
    let keyed = || post_json(&uri, &token, &record).insert_header(("Idempotency-Key", "k-1"));
    let first = send(&svc, keyed()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.body["unit_id"], ggfw);
    assert_eq!(first.body["recorded_by"], format!("service-token:{id}"));
    let again = send(&svc, keyed()).await;
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(again.body["id"], first.body["id"]);
    let other = unit_id(&app, "党政办");
    let r = send(
        &svc,
        post_json(
            &uri,
            &token,
            &json!({"occurred_on": "2021-01-05", "title": "x", "unit_id": other}),
        ),
    )
    .await;
    r.assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn minting_refuses_what_a_service_token_cannot_be() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let today = gongkai_api::http::clock::today();
    let too_late = today.checked_add_months(chrono::Months::new(12)).unwrap().succ_opt().unwrap();
    let cases = [
        (json!({"name": "x", "role": "admin", "expires_on": a_year_from_today()}), vec!["role"]),
        (json!({"name": "x", "role": "unit", "expires_on": a_year_from_today()}), vec!["unit_id"]),
        (
            json!({"name": "x", "role": "viewer", "expires_on": too_late.to_string()}),
            vec!["expires_on"],
        ),
        (
            json!({"name": "x", "role": "viewer", "expires_on": today.pred_opt().unwrap().to_string()}),
            vec!["expires_on"],
        ),
        (json!({"name": " ", "role": "viewer", "expires_on": a_year_from_today()}), vec!["name"]),
        (
            json!({"name": "x", "role": "viewer", "unit_id": 999_999, "expires_on": a_year_from_today()}),
            vec!["unit_id"],
        ),
    ];
    for (body, fields) in cases {
        let r = send(&svc, post_json("/api/v1/service-tokens", &admin, &body)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), fields, "{body}");
    }
    let ok = json!({"name": "门户网站", "role": "viewer", "unit_id": gov, "expires_on": a_year_from_today()});
    send(&svc, post_json("/api/v1/service-tokens", &app.token(Role::Coordinator, None), &ok))
        .await
        .assert_problem(403, "forbidden");
    // Shown once, so never stored for a replay.
    let r = send(
        &svc,
        post_json("/api/v1/service-tokens", &admin, &ok)
            .insert_header(("Idempotency-Key", "mint-1")),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["Idempotency-Key"]);
    assert_eq!(app.count("SELECT count(*) AS n FROM service_tokens"), 0);
}
