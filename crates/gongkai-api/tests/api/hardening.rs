//! Hardening: security headers on every answer, caching rules for personal data, CORS
//! refusals as problem+json, and text that cannot hide what it says.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::json;

use crate::disclosure_support::*;
use crate::support::*;

fn assert_security_headers(r: &Resp, what: &str) {
    assert_eq!(r.header("x-content-type-options").as_deref(), Some("nosniff"), "{what}");
    assert_eq!(r.header("referrer-policy").as_deref(), Some("no-referrer"), "{what}");
    let csp = r.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
}

#[actix_web::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let viewer = app.token(Role::Viewer, None);
    for (what, req) in [
        ("health", TestRequest::get().uri("/healthz")),
        ("document", TestRequest::get().uri("/openapi.json")),
        ("a list", get("/api/v1/plans", &viewer)),
        ("a 401", TestRequest::get().uri("/api/v1/plans")),
        ("a 404", TestRequest::get().uri("/no/such/thing")),
        ("a 405", TestRequest::delete().uri("/api/v1/plans")),
        ("a 422", get("/api/v1/plans?limit=0", &viewer)),
    ] {
        let r = send(&svc, req).await;
        assert_security_headers(&r, what);
        assert_eq!(
            r.header("content-security-policy").as_deref(),
            Some(gongkai_api::http::security_headers::API_CSP),
            "{what}: the API loads nothing"
        );
    }
    // An authenticated answer is private; the documentation needs no token and is not.
    let r = send(&svc, get("/api/v1/plans", &viewer)).await;
    assert_eq!(r.header("cache-control").as_deref(), Some("private, no-cache"));
    assert!(send(&svc, TestRequest::get().uri("/healthz")).await.header("cache-control").is_none());
}

#[actix_web::test]
async fn the_documentation_loads_only_the_services_own_assets() {
    let app = TestApp::empty();
    let svc = app.service().await;
    let page = send(&svc, TestRequest::get().uri("/docs/")).await;
    assert_eq!(page.status, 200);
    assert_security_headers(&page, "docs");
    let csp = page.header("content-security-policy").unwrap();
    assert_eq!(csp, gongkai_api::http::security_headers::DOCS_CSP);
    for directive in csp.split(';').map(str::trim) {
        // Every source is the service itself (or an inline style / a data: image):
        // no host, no scheme-wide wildcard.
        for source in directive.split_whitespace().skip(1) {
            assert!(
                ["'self'", "'none'", "'unsafe-inline'", "data:"].contains(&source),
                "{directive}"
            );
        }
        if directive.starts_with("script-src") {
            assert_eq!(directive, "script-src 'self'", "no inline or foreign script");
        }
    }
    // The page's scripts and styles are relative: served by the binary itself, and they
    // are all there.
    for asset in [
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-initializer.js",
        "swagger-ui.css",
    ] {
        assert!(page.text.contains(asset), "the page loads {asset}");
        let r = send(&svc, TestRequest::get().uri(&format!("/docs/{asset}"))).await;
        assert_eq!(r.status, 200, "{asset}");
        assert_security_headers(&r, asset);
    }
    assert!(!page.text.contains("http://") && !page.text.contains("https://"), "{}", page.text);
    assert!(!page.text.contains("<script>"), "no inline script: {}", page.text);
    let init = send(&svc, TestRequest::get().uri("/docs/swagger-initializer.js")).await;
    assert!(init.text.contains("/openapi.json"), "{}", init.text);
    assert!(!init.text.contains("http://") && !init.text.contains("https://"), "{}", init.text);
    assert!(
        init.text.contains("\"validatorUrl\": \"none\"")
            || init.text.contains("\"validatorUrl\":\"none\""),
        "no call to the online validator: {}",
        init.text
    );
}

#[actix_web::test]
async fn answers_with_personal_data_are_never_stored_by_caches() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let unit = unit_id(&app, "党政办");
    let created = register(&svc, &admin, &application(unit, "2021-03-01")).await;
    assert_eq!(created.header("cache-control").as_deref(), Some("no-store"));
    let id = created.body["id"].as_i64().unwrap();
    for uri in [
        format!("/api/v1/disclosure-requests/{id}"),
        "/api/v1/disclosure-requests".to_string(),
        "/api/v1/disclosure-appeals".to_string(),
        "/api/v1/audit-events".to_string(),
    ] {
        let r = send(&svc, get(&uri, &admin)).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.text);
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"), "{uri}");
        assert_security_headers(&r, &uri);
    }
}

#[actix_web::test]
async fn a_preflight_from_an_unlisted_origin_is_a_403_problem() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let preflight = |origin: &str| {
        TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/api/v1/plans")
            .insert_header(("Origin", origin.to_string()))
            .insert_header(("Access-Control-Request-Method", "GET"))
    };
    let r = send(&svc, preflight("https://evil.example")).await;
    r.assert_problem(403, "forbidden");
    assert_security_headers(&r, "refused preflight");
    assert!(r.header("access-control-allow-origin").is_none());
    // An actual request from that origin is answered without CORS headers, so that the
    // browser does not let the page read it.
    let viewer = app.token(Role::Viewer, None);
    let r =
        send(&svc, get("/api/v1/plans", &viewer).insert_header(("Origin", "https://evil.example")))
            .await;
    assert!(r.header("access-control-allow-origin").is_none());
    // The portal is let through.
    let r = send(&svc, preflight("https://portal.example.gov.cn")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.header("access-control-allow-origin").as_deref(),
        Some("https://portal.example.gov.cn")
    );
    // A preflight asking for a method the API does not allow is refused too.
    let r = send(
        &svc,
        TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/api/v1/plans")
            .insert_header(("Origin", "https://portal.example.gov.cn"))
            .insert_header(("Access-Control-Request-Method", "TRACE")),
    )
    .await;
    r.assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn names_and_text_refuse_bidirectional_overrides_and_control_characters() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let units = "SELECT count(*) AS n FROM units";
    let before = app.count(units);
    for name in [
        "党政办\u{202E}exe.txt",
        "\u{2066}人社局\u{2069}",
        "财政局\u{7}",
        "两行\n名字",
        "零宽\u{200B}局",
    ] {
        let r = send(
            &svc,
            post_json(
                "/api/v1/units",
                &admin,
                &json!({"name": name, "kind": "department", "parent_id": gov}),
            ),
        )
        .await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.fields(), ["name"], "{name:?}: {}", r.text);
    }
    assert_eq!(app.count(units), before);
    // PATCH too.
    let id = unit_id(&app, "党政办");
    let etag =
        send(&svc, get(&format!("/api/v1/units/{id}"), &admin)).await.header("etag").unwrap();
    let r = send(
        &svc,
        patch_json(
            &format!("/api/v1/units/{id}"),
            &admin,
            &etag,
            &json!({"name": "党政办\u{202E}"}),
        ),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["name"]);

    // An applicant's name, nested in the body, is named by its path.
    let mut body = application(id, "2021-03-01");
    body["applicant"]["name"] = json!("张三\u{202E}");
    let r = send(&svc, post_json("/api/v1/disclosure-requests", &admin, &body)).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["applicant.name"]);
    assert_eq!(app.count("SELECT count(*) AS n FROM disclosure_requests"), 0);

    // Free text keeps its line breaks, but not an override.
    let task = task_id(&app, 15);
    let unit = unit_id(&app, "公共服务中心");
    let evidence = |title: &str| json!({"occurred_on": "2021-03-15", "title": title, "count": 1, "unit_id": unit});
    let uri = format!("/api/v1/tasks/{task}/evidence");
    let r = send(&svc, post_json(&uri, &admin, &evidence("专栏更新\u{202E}2条"))).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["title"]);
    let r = send(&svc, post_json(&uri, &admin, &evidence("专栏更新2条"))).await;
    assert_eq!(r.status, 201, "{}", r.text);
}
