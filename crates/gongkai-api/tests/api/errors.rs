//! Errors are problem+json everywhere: unknown routes, wrong methods, malformed bodies,
//! wrong content types, oversized bodies, bad parameters, a database that is down.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::json;

use crate::support::*;

#[actix_web::test]
async fn unknown_routes_and_wrong_methods() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    let r = send(&svc, get("/api/v1/nothing-here", &t)).await;
    r.assert_problem(404, "not_found");
    let r = send(&svc, TestRequest::get().uri("/no/such/page")).await;
    r.assert_problem(404, "not_found");
    let r = send(&svc, authed(TestRequest::delete().uri("/api/v1/units/1"), &t)).await;
    r.assert_problem(405, "method_not_allowed");
    let allow = r.header("allow").unwrap();
    assert!(
        allow.contains("GET") && allow.contains("PATCH") && !allow.contains("DELETE"),
        "{allow}"
    );
    let r = send(&svc, authed(TestRequest::put().uri("/api/v1/plans"), &t)).await;
    r.assert_problem(405, "method_not_allowed");
}

#[actix_web::test]
async fn malformed_bodies_change_nothing() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    let units_before = app.count("SELECT count(*) AS n FROM units");
    let audit_before = app.count("SELECT count(*) AS n FROM audit_events");

    let r = send(
        &svc,
        authed(TestRequest::post().uri("/api/v1/units"), &t)
            .insert_header(("content-type", "application/json"))
            .set_payload("{\"name\": "),
    )
    .await;
    r.assert_problem(400, "malformed_json");

    let r = send(
        &svc,
        authed(TestRequest::post().uri("/api/v1/units"), &t)
            .insert_header(("content-type", "text/plain"))
            .set_payload("name=x"),
    )
    .await;
    r.assert_problem(415, "unsupported_media_type");

    let r = send(
        &svc,
        post_json(
            "/api/v1/units",
            &t,
            &json!({"name": "卫健局", "kind": "ministry", "parent_id": 1}),
        ),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), vec!["kind"]);

    let r =
        send(&svc, post_json("/api/v1/units", &t, &json!({"kind": "department", "parent_id": 1})))
            .await;
    r.assert_problem(422, "validation_failed");

    let r = send(
        &svc,
        post_json(
            "/api/v1/units",
            &t,
            &json!({"name": "卫健局", "kind": "department", "parent_id": 1, "colour": "red"}),
        ),
    )
    .await;
    r.assert_problem(422, "validation_failed");

    let big = "x".repeat(3 * 1024 * 1024);
    let r = send(
        &svc,
        authed(TestRequest::post().uri("/api/v1/units"), &t)
            .insert_header(("content-type", "application/json"))
            .set_payload(big),
    )
    .await;
    r.assert_problem(413, "payload_too_large");

    assert_eq!(app.count("SELECT count(*) AS n FROM units"), units_before);
    assert_eq!(app.count("SELECT count(*) AS n FROM audit_events"), audit_before);
}

#[actix_web::test]
async fn bad_path_and_query_parameters() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    send(&svc, get("/api/v1/units/abc", &t)).await.assert_problem(422, "validation_failed");
    send(&svc, get("/api/v1/units?limit=501", &t)).await.assert_problem(422, "validation_failed");
    send(&svc, get("/api/v1/units?limit=0", &t)).await.assert_problem(422, "validation_failed");
    send(&svc, get("/api/v1/units?limit=ten", &t)).await.assert_problem(422, "validation_failed");
    let r = send(&svc, get("/api/v1/units?cursor=forged", &t)).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), vec!["cursor"]);
    send(&svc, get("/api/v1/units?kind=city", &t)).await.assert_problem(422, "validation_failed");
    send(&svc, get("/api/v1/units/999999", &t)).await.assert_problem(404, "not_found");
}

#[actix_web::test]
async fn a_database_that_is_down_is_a_503_and_service_resumes() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    assert_eq!(send(&svc, TestRequest::get().uri("/readyz")).await.status, 200);
    // Take the database away: refuse new connections and end the existing ones.
    let admin_url = app.db.url.rsplit_once('/').unwrap().0.to_string() + "/postgres";
    let name = app.db.name().to_string();
    let run = |sql: String| {
        use diesel::{Connection, RunQueryDsl};
        let mut c = diesel::PgConnection::establish(&admin_url).unwrap();
        diesel::sql_query(sql).execute(&mut c).unwrap();
    };
    run(format!("ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false"));
    run(format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"));
    let r = send(&svc, TestRequest::get().uri("/readyz")).await;
    r.assert_problem(503, "service_unavailable");
    let r = send(&svc, get("/api/v1/plans", &t)).await;
    r.assert_problem(503, "service_unavailable");
    assert!(!r.text.contains("FATAL") && !r.text.to_lowercase().contains("postgres"), "{}", r.text);
    // Back again: the next requests succeed without a restart.
    run(format!("ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS true"));
    assert_eq!(send(&svc, TestRequest::get().uri("/readyz")).await.status, 200);
    assert_eq!(send(&svc, get("/api/v1/plans", &t)).await.status, 200);
}

#[actix_web::test]
async fn health_openapi_and_docs_need_no_token() {
    let app = TestApp::empty();
    let svc = app.service().await;
    assert_eq!(send(&svc, TestRequest::get().uri("/healthz")).await.status, 200);
    let r = send(&svc, TestRequest::get().uri("/openapi.json")).await;
    assert_eq!(r.status, 200);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3."));
    let r = send(&svc, TestRequest::get().uri("/docs/")).await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("swagger"), "docs page: {}", &r.text[..r.text.len().min(200)]);
    let r = send(&svc, TestRequest::get().uri("/docs/swagger-ui-bundle.js")).await;
    assert_eq!(r.status, 200, "the UI's script is served by the binary itself");
}

#[actix_web::test]
async fn the_served_document_is_the_committed_one() {
    let app = TestApp::empty();
    let svc = app.service().await;
    let r = send(&svc, TestRequest::get().uri("/openapi.json")).await;
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json"))
        .expect("openapi/openapi.json is committed; regenerate it with `cargo run -- openapi > openapi/openapi.json`");
    assert!(
        r.text == committed,
        "openapi/openapi.json differs from what the server serves: regenerate it with `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[actix_web::test]
async fn every_operation_is_documented_for_sdk_generators() {
    let doc: serde_json::Value =
        serde_json::from_str(&gongkai_api::openapi::to_json(&gongkai_api::openapi::openapi()))
            .unwrap();
    assert!(doc["info"]["license"]["name"].is_string(), "info.license is set");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(ids.insert(id.to_string()), "operationId {id} is used twice");
            assert!(
                id.chars().next().unwrap().is_ascii_lowercase() && !id.contains('_'),
                "{id} is camelCase"
            );
            assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{id} has a tag");
            assert!(op["summary"].is_string(), "{id} has a summary");
            for (status, resp) in op["responses"].as_object().unwrap() {
                assert!(resp["description"].is_string(), "{id} {status} has a description");
            }
            if path.starts_with("/api/v1") {
                assert!(op["security"].is_array(), "{id} names the bearer scheme");
                assert!(op["responses"]["401"].is_object(), "{id} documents 401");
            }
        }
    }
}

#[actix_web::test]
async fn the_nul_character_is_refused_not_a_500() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    let before = app.count("SELECT count(*) AS n FROM units");
    let r = send(
        &svc,
        post_json(
            "/api/v1/units",
            &t,
            &json!({"name": "a\u{0}b", "kind": "department", "parent_id": 1}),
        ),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    send(&svc, get("/api/v1/units?name=%00", &t)).await.assert_problem(422, "validation_failed");
    send(&svc, get("/api/v1/audit-events?entity_id=%00", &t))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), before);
}

/// A bad parameter answers 422 naming the parameter, in words for a person: never a Rust
/// type name, nor a serde or actix phrase.
#[actix_web::test]
async fn bad_parameters_are_named_in_plain_words() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    let cases: &[(&str, &str, &str)] = &[
        // (uri, field, a phrase the message must hold)
        ("/api/v1/plans/1/tasks?section=%E4%BA%94", "section", "whole number"),
        ("/api/v1/plans/abc", "plan_id", "not an id"),
        ("/api/v1/plans/0", "plan_id", "from 1"),
        ("/api/v1/plans/99999999999999999999", "plan_id", "not an id"),
        ("/api/v1/plans/1/compliance?as_of=2021-02-30", "as_of", "YYYY-MM-DD"),
        ("/api/v1/plans/1/compliance?status=late", "status", "met_late"),
        ("/api/v1/plans/1/tasks?unit_id=-3", "unit_id", "from 1"),
        ("/api/v1/plans/1/tasks?limit=0", "limit", "between 1 and 500"),
        ("/api/v1/plans/1/tasks?cursor=forged", "cursor", "cursor"),
        ("/api/v1/calendar/deadline?start=2021-09-30", "workdays", "required"),
        ("/api/v1/calendar/deadline?start=x&workdays=3", "start", "YYYY-MM-DD"),
        ("/api/v1/fees/quote?method=per_box&items=1", "method", "per_item"),
        ("/api/v1/annual-reports/20x1/applications", "year", "year"),
        ("/api/v1/disclosure-requests?status=lost", "status", "not accepted"),
    ];
    for (uri, field, phrase) in cases {
        let r = send(&svc, get(uri, &t)).await;
        assert_eq!(r.status, 422, "{uri}: {}", r.body);
        assert_eq!(r.body["code"], "validation_failed", "{uri}");
        assert_eq!(r.fields(), [field.to_string()], "{uri}: {}", r.body);
        let message = r.body["errors"][0]["message"].as_str().unwrap().to_string();
        assert!(message.contains(phrase), "{uri}: {message}");
        for internal in [
            "i64",
            "i32",
            "u32",
            "NaiveDate",
            "deserialize",
            "can not parse",
            "invalid digit",
            "struct ",
        ] {
            assert!(!message.contains(internal), "{uri}: {message}");
            assert!(!r.body["detail"].as_str().unwrap().contains(internal), "{uri}: {}", r.body);
        }
    }
}

/// JSON bodies too: an unknown enum value or a value of the wrong type names the field.
#[actix_web::test]
async fn bad_body_values_are_named_in_plain_words() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    let task = task_id(&app, 15);
    let cases = [
        (json!({"kind": "weekly", "min": 1}), "kind", "count"),
        (json!({"kind": "count", "min": "two", "period": "month"}), "min", "expected a number"),
        (json!({"min": 1, "period": "month"}), "kind", "required"),
        (json!({"kind": "count", "min": 1, "period": "fortnight"}), "period", "half_year"),
    ];
    for (body, field, phrase) in cases {
        let r = send(&svc, post_json(&format!("/api/v1/tasks/{task}/quotas"), &t, &body)).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(r.fields(), [field.to_string()], "{body}: {}", r.body);
        let message = r.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(phrase), "{body}: {message}");
        assert!(!message.contains("f64") && !message.contains("variant"), "{message}");
    }
}

#[actix_web::test]
async fn a_literal_path_is_not_caught_by_a_template() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    // `/plans/import` takes POST only; `/plans/{plan_id}` must not answer it as a plan.
    for req in [
        get("/api/v1/plans/import", &t),
        patch_json("/api/v1/plans/import", &t, "\"x\"", &json!({"published": true})),
    ] {
        let r = send(&svc, req).await;
        r.assert_problem(405, "method_not_allowed");
        assert_eq!(r.header("allow").as_deref(), Some("POST"));
    }
}

#[actix_web::test]
async fn bodies_are_read_as_the_document_states() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let units_before = app.count("SELECT count(*) AS n FROM units");

    // A JSON body is an object: an array is not read as the struct's fields in order.
    let r = send(&svc, post_json("/api/v1/units", &t, &json!(["卫健局", "department", gov]))).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["body"]);

    // Ids are 1 … 2^63−1 wherever they appear, as the document says.
    let bad = json!({"name": "卫健局", "kind": "department", "parent_id": 0});
    let r = send(&svc, post_json("/api/v1/units", &t, &bad)).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["parent_id"]);
    assert!(r.text.contains("an id is a whole number from 1"), "{}", r.text);
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), units_before);

    // A bad body is 422 whatever the ETag: the precondition comes after the request
    // is known to be valid.
    let r = send(
        &svc,
        patch_json(&format!("/api/v1/units/{gov}"), &t, "\"stale\"", &json!({"parent_id": -3})),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["parent_id"]);

    // JSON has one kind of number: 1.0 is the whole number 1 (as JSON Schema reads it).
    let whole = json!({"name": "卫健局", "kind": "department", "parent_id": gov as f64});
    assert!(whole["parent_id"].is_f64());
    let r = send(&svc, post_json("/api/v1/units", &t, &whole)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["parent_id"], gov);
    let fraction = json!({"name": "审计局", "kind": "department", "parent_id": 1.5});
    let r = send(&svc, post_json("/api/v1/units", &t, &fraction)).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.fields(), ["parent_id"]);
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), units_before + 1);
}

#[actix_web::test]
async fn an_if_match_that_names_no_etag_is_asked_for_again() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let uri = format!("/api/v1/units/{gov}");
    for given in ["", "  ", "0", "not-an-etag"] {
        let r = send(&svc, patch_json(&uri, &t, given, &json!({"name": "开平市人民政府"}))).await;
        r.assert_problem(428, "precondition_required");
    }
    let r = send(&svc, patch_json(&uri, &t, "\"0\"", &json!({"name": "开平市人民政府"}))).await;
    r.assert_problem(412, "precondition_failed");
}

#[actix_web::test]
async fn a_type_the_server_cannot_produce_is_406_and_a_refused_write_changes_nothing() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Admin, None);
    // A JSON-only read asked for XLSX or a calendar: refused, not answered with JSON.
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    for accept in [xlsx, "text/calendar", "text/csv"] {
        let r = send(&svc, get("/api/v1/units", &t).insert_header(("Accept", accept))).await;
        r.assert_problem(406, "not_acceptable");
        assert_eq!(r.header("content-type").as_deref(), Some("application/problem+json"));
    }
    // What JSON clients send still gets JSON.
    for accept in ["application/json", "*/*", "application/*", "application/problem+json, */*"] {
        let r = send(&svc, get("/api/v1/units", &t).insert_header(("Accept", accept))).await;
        assert_eq!(r.status, 200, "Accept: {accept}: {}", r.text);
    }
    // A write whose caller takes no JSON is refused before it runs.
    let units_before = app.count("SELECT count(*) AS n FROM units");
    let audit_before = app.count("SELECT count(*) AS n FROM audit_events");
    let r = send(
        &svc,
        post_json("/api/v1/units", &t, &json!({"name": "新单位"}))
            .insert_header(("Accept", "text/csv")),
    )
    .await;
    r.assert_problem(406, "not_acceptable");
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), units_before);
    assert_eq!(app.count("SELECT count(*) AS n FROM audit_events"), audit_before);
    // Errors stay problem+json whatever Accept says.
    let r = send(&svc, get("/api/v1/units/999999", &t).insert_header(("Accept", "text/csv"))).await;
    r.assert_problem(404, "not_found");
}
