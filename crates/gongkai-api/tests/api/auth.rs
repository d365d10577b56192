//! Tokens: every way a token can be wrong is a 401; a valid token without the right a 403.

use actix_web::test::TestRequest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gongkai_core::auth::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

use crate::support::*;

fn sign(claims: &serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn claims(overrides: serde_json::Value) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    let mut c = json!({"iss": "gongkai", "aud": "gongkai-api", "sub": "tester", "role": "admin", "iat": now, "exp": now + 600});
    for (k, v) in overrides.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

#[actix_web::test]
async fn every_bad_token_is_a_401_with_www_authenticate() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let now = chrono::Utc::now().timestamp();
    let none_alg = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims(json!({})).to_string())
    );
    let cases: Vec<(&str, Option<String>)> = vec![
        ("missing", None),
        ("garbage", Some("not-a-jwt".into())),
        ("bad signature", Some(sign(&claims(json!({})), "another-secret-that-is-32-bytes-long!!"))),
        ("alg none", Some(none_alg)),
        ("expired", Some(sign(&claims(json!({"iat": now - 7200, "exp": now - 3600})), SECRET))),
        ("wrong audience", Some(sign(&claims(json!({"aud": "someone-else"})), SECRET))),
        ("wrong issuer", Some(sign(&claims(json!({"iss": "elsewhere"})), SECRET))),
        ("no exp", Some(sign(&claims(json!({"exp": null})), SECRET))),
        ("no sub", Some(sign(&claims(json!({"sub": null})), SECRET))),
        ("unknown role", Some(sign(&claims(json!({"role": "root"})), SECRET))),
        ("unit role without unit", Some(sign(&claims(json!({"role": "unit"})), SECRET))),
        ("unknown unit", Some(sign(&claims(json!({"role": "unit", "unit": 999999})), SECRET))),
        (
            "issued in the future",
            Some(sign(&claims(json!({"iat": now + 3600, "exp": now + 7200})), SECRET)),
        ),
    ];
    for (what, token) in cases {
        let mut req = TestRequest::get().uri("/api/v1/plans");
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        let r = send(&svc, req).await;
        assert_eq!(r.status, 401, "{what}: {}", r.text);
        r.assert_problem(401, "unauthorized");
        assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"), "{what}");
    }
    // A scheme other than Bearer.
    let r = send(
        &svc,
        TestRequest::get().uri("/api/v1/plans").insert_header(("Authorization", "Basic YTpi")),
    )
    .await;
    r.assert_problem(401, "unauthorized");
}

#[actix_web::test]
async fn every_role_with_a_valid_token_reads_plans() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "党政办");
    let gov = unit_id(&app, "开平市人民政府");
    for (role, u) in [
        (Role::Admin, None),
        (Role::Coordinator, Some(gov)),
        (Role::Unit, Some(unit)),
        (Role::Viewer, None),
    ] {
        let r = send(&svc, get("/api/v1/plans", &app.token(role, u))).await;
        assert_eq!(r.status, 200, "{role:?}: {}", r.text);
        assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    }
}

#[actix_web::test]
async fn a_limited_coordinator_sees_only_its_city() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let other = send(
        &svc,
        post_json(
            "/api/v1/units",
            &admin,
            &json!({"name": "台山市人民政府", "kind": "government"}),
        ),
    )
    .await;
    assert_eq!(other.status, 201, "{}", other.text);
    let other_id = other.body["id"].as_i64().unwrap();
    let gov = unit_id(&app, "开平市人民政府");
    let kaiping = app.token(Role::Coordinator, Some(gov));
    // Kaiping's coordinator: sees Kaiping's units, not Taishan.
    let r = send(&svc, get("/api/v1/units?limit=500", &kaiping)).await;
    let names: Vec<&str> =
        r.body["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"党政办") && !names.contains(&"台山市人民政府"), "{names:?}");
    let r = send(&svc, get(&format!("/api/v1/units/{other_id}"), &kaiping)).await;
    r.assert_problem(403, "forbidden");
    // Taishan's coordinator: sees no Kaiping plan, and cannot read it.
    let taishan = app.token(Role::Coordinator, Some(other_id));
    let r = send(&svc, get("/api/v1/plans", &taishan)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0);
    let r = send(&svc, get("/api/v1/plans/1/tasks", &taishan)).await;
    r.assert_problem(403, "forbidden");
    // ...nor add a quota to it, and nothing is stored.
    let task = task_id(&app, 1);
    let before = app.count("SELECT count(*) AS n FROM quotas");
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{task}/quotas"),
            &taishan,
            &json!({"kind": "deadline", "due": "2021-06-30"}),
        ),
    )
    .await;
    r.assert_problem(403, "forbidden");
    assert_eq!(app.count("SELECT count(*) AS n FROM quotas"), before);
}

/// A test-only key pair standing in for the city's identity provider.
const IDP_PRIVATE: &str = include_str!("../fixtures/idp-es256-pkcs8.key");
const IDP_PUBLIC: &str = include_str!("../fixtures/idp-es256.pub");

#[actix_web::test]
async fn tokens_of_the_identity_provider_are_accepted_when_its_key_is_configured() {
    let mut app = TestApp::seeded();
    let idp_token = jsonwebtoken::encode(
        &Header::new(Algorithm::ES256),
        &claims(json!({"sub": "zhang.san@kaiping", "role": "viewer"})),
        &EncodingKey::from_ec_pem(IDP_PRIVATE.as_bytes()).unwrap(),
    )
    .unwrap();
    // Without the key configured: 401.
    {
        let svc = app.service().await;
        send(&svc, get("/api/v1/plans", &idp_token)).await.assert_problem(401, "unauthorized");
    }
    app.state.verifier =
        gongkai_api::http::auth::TokenVerifier::new(SECRET.as_bytes(), Some(IDP_PUBLIC), "gongkai")
            .unwrap();
    let svc = app.service().await;
    let r = send(&svc, get("/api/v1/plans", &idp_token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // The shared-secret tokens still work, and an HS256 token cannot pose as the IdP's.
    assert_eq!(send(&svc, get("/api/v1/plans", &app.token(Role::Admin, None))).await.status, 200);
    let forged = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims(json!({})),
        &EncodingKey::from_secret(IDP_PUBLIC.as_bytes()),
    )
    .unwrap();
    send(&svc, get("/api/v1/plans", &forged)).await.assert_problem(401, "unauthorized");
    assert!(
        gongkai_api::http::auth::TokenVerifier::new(
            SECRET.as_bytes(),
            Some("not a key"),
            "gongkai"
        )
        .is_err()
    );
    assert!(gongkai_api::http::auth::TokenVerifier::new(b"short", None, "gongkai").is_err());
}

#[actix_web::test]
async fn a_unit_reads_its_own_city_only() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let ts = send(
        &svc,
        post_json(
            "/api/v1/units",
            &admin,
            &json!({"name": "台山市人民政府", "kind": "government"}),
        ),
    )
    .await;
    let ts_id = ts.body["id"].as_i64().unwrap();
    let dept = send(
        &svc,
        post_json(
            "/api/v1/units",
            &admin,
            &json!({"name": "台山经发局", "kind": "department", "parent_id": ts_id}),
        ),
    )
    .await;
    let taishan_unit = app.token(Role::Unit, Some(dept.body["id"].as_i64().unwrap()));
    let kaiping_unit = app.token(Role::Unit, Some(unit_id(&app, "经发局")));
    let task = task_id(&app, 1);
    for uri in [
        "/api/v1/plans/1".to_string(),
        format!("/api/v1/tasks/{task}/progress"),
        format!("/api/v1/tasks/{task}/evidence"),
        "/api/v1/plans/1/compliance?as_of=2021-06-30".to_string(),
    ] {
        send(&svc, get(&uri, &taishan_unit)).await.assert_problem(403, "forbidden");
        let r = send(&svc, get(&uri, &kaiping_unit)).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.text);
    }
    // Lists hold the unit's own city only.
    let r = send(&svc, get("/api/v1/plans", &taishan_unit)).await;
    assert!(r.body["items"].as_array().unwrap().is_empty());
    let r = send(&svc, get("/api/v1/units?limit=500", &taishan_unit)).await;
    let names: Vec<&str> =
        r.body["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["台山市人民政府", "台山经发局"]);
    let r = send(&svc, get("/api/v1/units?limit=500", &kaiping_unit)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 8);
}
