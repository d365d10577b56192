//! Safe writes: `Idempotency-Key` on POST, `If-Match` races on PATCH.

use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::json;

use crate::support::*;

#[actix_web::test]
async fn a_retried_post_creates_exactly_one_record() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let body = json!({"name": "融媒体中心", "kind": "department", "parent_id": gov});
    let post = |key: &str, body: &serde_json::Value| {
        post_json("/api/v1/units", &admin, body).insert_header(("Idempotency-Key", key.to_string()))
    };
    let before = app.count("SELECT count(*) AS n FROM units");

    let first = send(&svc, post("create-rmt-1", &body)).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert!(first.header("idempotent-replayed").is_none());
    // The client never saw that answer (a dropped connection) and retries.
    let again = send(&svc, post("create-rmt-1", &body)).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), before + 1);
    assert_eq!(app.count("SELECT count(*) AS n FROM audit_events WHERE action = 'unit.create' AND actor_sub = 'test-admin'"), 1);

    // The same key with another body → 422, nothing created.
    let other = send(
        &svc,
        post("create-rmt-1", &json!({"name": "司法局", "kind": "department", "parent_id": gov})),
    )
    .await;
    other.assert_problem(422, "validation_failed");
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), before + 1);

    // A failed first request is remembered too: the retry gets the same 409.
    let dup = send(
        &svc,
        post("dup-1", &json!({"name": "党政办", "kind": "department", "parent_id": gov})),
    )
    .await;
    dup.assert_problem(409, "duplicate");
    let dup2 = send(
        &svc,
        post("dup-1", &json!({"name": "党政办", "kind": "department", "parent_id": gov})),
    )
    .await;
    dup2.assert_problem(409, "duplicate");
    assert_eq!(dup2.header("idempotent-replayed").as_deref(), Some("true"));

    // Keys belong to their subject: another caller's same key is a new request.
    let coord = app.token(Role::Coordinator, None);
    let r = send(
        &svc,
        post_json(
            "/api/v1/units",
            &coord,
            &json!({"name": "档案局", "kind": "department", "parent_id": gov}),
        )
        .insert_header(("Idempotency-Key", "create-rmt-1")),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);

    // A malformed key is refused.
    let r = send(&svc, post("", &body)).await;
    r.assert_problem(422, "validation_failed");
    let r = send(
        &svc,
        post_json("/api/v1/units", &admin, &body)
            .insert_header(("Idempotency-Key", "x".repeat(300))),
    )
    .await;
    r.assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn of_two_concurrent_updates_exactly_one_wins() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let id = unit_id(&app, "党政办");
    let uri = format!("/api/v1/units/{id}");
    let etag = send(&svc, get(&uri, &admin)).await.header("etag").unwrap();
    for round in 0..5 {
        let etag = if round == 0 {
            etag.clone()
        } else {
            send(&svc, get(&uri, &admin)).await.header("etag").unwrap()
        };
        let a = send(
            &svc,
            patch_json(&uri, &admin, &etag, &json!({"name": format!("党政办A{round}")})),
        );
        let b = send(
            &svc,
            patch_json(&uri, &admin, &etag, &json!({"name": format!("党政办B{round}")})),
        );
        let (a, b) = futures_util::future::join(a, b).await;
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "round {round}: {} / {}", a.text, b.text);
        let winner = if a.status == 200 { &a } else { &b };
        let now = send(&svc, get(&uri, &admin)).await;
        assert_eq!(now.body["name"], winner.body["name"]);
    }
}

#[actix_web::test]
async fn a_key_on_a_get_is_ignored() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let t = app.token(Role::Viewer, None);
    let r = send(&svc, get("/api/v1/plans", &t).insert_header(("Idempotency-Key", "k"))).await;
    assert_eq!(r.status, 200);
    let r = send(
        &svc,
        TestRequest::post()
            .uri("/api/v1/units")
            .insert_header(("Idempotency-Key", "k"))
            .set_json(json!({})),
    )
    .await;
    r.assert_problem(401, "unauthorized");
}

#[actix_web::test]
async fn keys_are_not_shared_between_callers_with_the_same_subject() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    // Two tokens with the same `sub`, different roles and units.
    let issuer = gongkai_api::http::auth::TokenIssuer::new(SECRET.as_bytes(), "gongkai");
    let admin = issuer.issue("cli-shared", Role::Admin, None, 600).unwrap();
    let unit = issuer.issue("cli-shared", Role::Unit, Some(unit_id(&app, "党政办")), 600).unwrap();
    let body = json!({"name": "档案馆", "kind": "other", "parent_id": gov});
    let first = send(
        &svc,
        post_json("/api/v1/units", &admin, &body).insert_header(("Idempotency-Key", "same")),
    )
    .await;
    assert_eq!(first.status, 201);
    // The unit's request with the same key is its own request: refused, not replayed.
    let r = send(
        &svc,
        post_json("/api/v1/units", &unit, &body).insert_header(("Idempotency-Key", "same")),
    )
    .await;
    r.assert_problem(403, "forbidden");
    assert!(r.header("idempotent-replayed").is_none());
}

/// `If-Match` as RFC 9110 reads it: `*` or a list of quoted tags, compared strongly.
#[actix_web::test]
async fn if_match_lists_stars_weak_and_malformed_tags() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let unit = unit_id(&app, "党政办");
    let uri = format!("/api/v1/units/{unit}");
    let etag = send(&svc, get(&uri, &admin)).await.header("etag").unwrap();
    let patch = |if_match: &str, name: &str| {
        authed(TestRequest::patch().uri(&uri), &admin)
            .insert_header(("If-Match", if_match.to_string()))
            .set_json(json!({ "name": name }))
    };
    // (If-Match, expected status)
    let cases = [
        ("W/".to_string() + &etag, 412),
        ("\"0000\"".to_string(), 412),
        // Not an ETag list: no precondition was given, so one is asked for.
        ("not-a-tag".to_string(), 428),
        (format!("\"0000\", {etag}"), 200),
    ];
    for (i, (if_match, status)) in cases.into_iter().enumerate() {
        let r = send(&svc, patch(&if_match, &format!("党政办{i}"))).await;
        assert_eq!(r.status, status, "{if_match}: {}", r.text);
    }
    let r = send(&svc, patch("*", "党政办")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "党政办");
}

/// The key the app derives for the tests' admin token (subject, role, unit).
const ADMIN_SUBJECT: &str = "test-admin|admin|-";

#[actix_web::test]
async fn a_key_is_in_progress_only_while_a_live_request_holds_it() {
    use diesel::RunQueryDsl;
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let body = json!({"name": "信访局", "kind": "department", "parent_id": gov});
    let post =
        || post_json("/api/v1/units", &admin, &body).insert_header(("Idempotency-Key", "held-1"));
    let before = app.count("SELECT count(*) AS n FROM units");

    // Another request (here: another connection) holds the key in its open transaction.
    let mut holder = app.conn();
    let begun = gongkai_store::idempotency::begin(&mut holder, ADMIN_SUBJECT, "held-1").unwrap();
    assert_eq!(begun, gongkai_store::idempotency::Begun::Open);
    let r = send(&svc, post()).await;
    r.assert_problem(409, "idempotency_key_in_progress");
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), before);

    // Its backend is killed (as by a crash of its server or of PostgreSQL's backend): it
    // leaves nothing behind, and the retry performs the write once.
    #[derive(diesel::QueryableByName)]
    struct Pid {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }
    let holder_pid: Pid =
        diesel::sql_query("SELECT pg_backend_pid() AS pid").get_result(&mut holder).unwrap();
    app.count(&format!(
        "SELECT count(*) AS n FROM (SELECT pg_terminate_backend({})) t",
        holder_pid.pid
    ));
    // The killed backend lets go of its locks once it has exited.
    let mut retried = send(&svc, post()).await;
    for _ in 0..50 {
        if retried.status != 409 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        retried = send(&svc, post()).await;
    }
    assert_eq!(retried.status, 201, "{}", retried.text);
    assert!(retried.header("idempotent-replayed").is_none());
    let again = send(&svc, post()).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(again.body, retried.body);
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), before + 1);
    drop(holder);
}

#[actix_web::test]
async fn the_effect_and_the_stored_answer_commit_together_or_not_at_all() {
    use diesel::RunQueryDsl;
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let body = json!({"name": "统计局", "kind": "department", "parent_id": gov});
    let post =
        || post_json("/api/v1/units", &admin, &body).insert_header(("Idempotency-Key", "atomic-1"));
    let units = "SELECT count(*) AS n FROM units";
    let audits = "SELECT count(*) AS n FROM audit_events WHERE action = 'unit.create'";
    let (units_before, audits_before) = (app.count(units), app.count(audits));

    // Storing the answer fails after the unit and its audit event were written: neither
    // the unit nor its audit event remains, and no answer is kept.
    let mut c = app.conn();
    diesel::sql_query(
        "CREATE FUNCTION refuse_answer() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'no answers today'; END $$",
    )
    .execute(&mut c)
    .unwrap();
    diesel::sql_query(
        "CREATE TRIGGER refuse_answer BEFORE INSERT ON idempotency_keys \
         FOR EACH ROW EXECUTE FUNCTION refuse_answer()",
    )
    .execute(&mut c)
    .unwrap();
    let r = send(&svc, post()).await;
    r.assert_problem(500, "internal_error");
    assert_eq!(app.count(units), units_before);
    assert_eq!(app.count(audits), audits_before);
    assert_eq!(app.count("SELECT count(*) AS n FROM idempotency_keys"), 0);

    // The retry with the same key performs the write, once.
    diesel::sql_query("DROP TRIGGER refuse_answer ON idempotency_keys").execute(&mut c).unwrap();
    let r = send(&svc, post()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(r.header("idempotent-replayed").is_none());
    let r = send(&svc, post()).await;
    assert_eq!(r.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(app.count(units), units_before + 1);
    assert_eq!(app.count(audits), audits_before + 1);
}

#[actix_web::test]
async fn a_server_error_keeps_nothing_and_the_retry_runs_again() {
    use diesel::RunQueryDsl;
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let body = json!({"name": "审计局", "kind": "department", "parent_id": gov});
    let post =
        || post_json("/api/v1/units", &admin, &body).insert_header(("Idempotency-Key", "fails-1"));
    // The audit log refuses writes for a moment: the unit cannot be created (500).
    let mut c = app.conn();
    diesel::sql_query(
        "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'audit log full'; END $$",
    )
    .execute(&mut c)
    .unwrap();
    diesel::sql_query(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events \
         FOR EACH ROW EXECUTE FUNCTION refuse_audit()",
    )
    .execute(&mut c)
    .unwrap();
    let before = app.count("SELECT count(*) AS n FROM units");
    let r = send(&svc, post()).await;
    r.assert_problem(500, "internal_error");
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), before);
    assert_eq!(app.count("SELECT count(*) AS n FROM idempotency_keys"), 0);

    diesel::sql_query("DROP TRIGGER refuse_audit ON audit_events").execute(&mut c).unwrap();
    let r = send(&svc, post()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(r.header("idempotent-replayed").is_none());
    assert_eq!(app.count("SELECT count(*) AS n FROM units"), before + 1);
}

#[actix_web::test]
async fn a_concurrent_update_is_not_kept_as_the_answer() {
    use diesel::RunQueryDsl;
    let app = TestApp::seeded();
    let svc = app.service().await;
    let admin = app.token(Role::Admin, None);
    let gov = unit_id(&app, "开平市人民政府");
    let body = json!({"name": "档案局", "kind": "department", "parent_id": gov});
    let post =
        || post_json("/api/v1/units", &admin, &body).insert_header(("Idempotency-Key", "race-1"));
    // The write loses a race (PostgreSQL reports a serialization failure): 409 "try again".
    let mut c = app.conn();
    diesel::sql_query(
        "CREATE FUNCTION lose_race() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'lost a race' USING ERRCODE = 'serialization_failure'; END $$",
    )
    .execute(&mut c)
    .unwrap();
    diesel::sql_query(
        "CREATE TRIGGER lose_race BEFORE INSERT ON units FOR EACH ROW EXECUTE FUNCTION lose_race()",
    )
    .execute(&mut c)
    .unwrap();
    let r = send(&svc, post()).await;
    r.assert_problem(409, "concurrent_update");
    assert_eq!(app.count("SELECT count(*) AS n FROM idempotency_keys"), 0);
    // The retry with the same key gets its chance.
    diesel::sql_query("DROP TRIGGER lose_race ON units").execute(&mut c).unwrap();
    let r = send(&svc, post()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(r.header("idempotent-replayed").is_none());
}
