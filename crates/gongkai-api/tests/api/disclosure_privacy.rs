//! Applicants' personal data: identity numbers never rest in clear text and never
//! appear in lists; viewers see no personal data; every read is audited.

use actix_web::test::TestRequest;
use diesel::RunQueryDsl;
use diesel::sql_types::Text;
use gongkai_core::auth::Role;
use serde_json::json;

use crate::disclosure_support::*;
use crate::support::*;

const ID_NUMBER: &str = "440781199001011234";

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Every row of every table of the public schema as text, the way a data dump writes
/// it (bytea as hex).
fn dump(app: &TestApp) -> String {
    let mut conn = app.conn();
    let tables: Vec<Line> = diesel::sql_query(
        "SELECT tablename AS line FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
    .load(&mut conn)
    .unwrap();
    let mut out = String::new();
    for Line { line: table } in tables {
        let rows: Vec<Line> =
            diesel::sql_query(format!("SELECT t::text AS line FROM \"{table}\" t"))
                .load(&mut conn)
                .unwrap();
        for r in rows {
            out.push_str(&r.line);
            out.push('\n');
        }
    }
    out
}

#[actix_web::test]
async fn a_database_dump_does_not_reveal_identity_numbers() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "党政办");
    let t = app.token(Role::Unit, Some(unit));
    // Registered once plainly and once with an idempotency key (whose answer is kept).
    let id = register_id(&svc, &t, &application(unit, "2024-03-01")).await;
    let r = send(
        &svc,
        post_json("/api/v1/disclosure-requests", &t, &application(unit, "2024-03-04"))
            .insert_header(("Idempotency-Key", "privacy-test-1")),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    act_ok(&svc, &t, id, json!({"action": "start", "on": "2024-03-04"})).await;
    let r = send(&svc, get(&format!("/api/v1/disclosure-requests/{id}"), &t)).await;
    assert_eq!(r.body["applicant"]["id_number"], ID_NUMBER, "stored, and readable with the key");

    let text = dump(&app);
    assert!(text.contains("2020年度本机关财政预算执行情况"), "the dump covers the register");
    assert!(!text.contains(ID_NUMBER), "the identity number is in the dump in clear text");
    assert!(
        !text.contains(&hex(ID_NUMBER.as_bytes())),
        "the identity number is in the dump as hex"
    );
    assert!(!text.contains("1990010112"), "a part of the identity number is in the dump");
    // Two applications of the same person share the blind index, not the ciphertext.
    assert_eq!(app.count("SELECT count(DISTINCT applicant_key) AS n FROM disclosure_requests"), 1);
    assert_eq!(
        app.count("SELECT count(DISTINCT applicant_id_cipher) AS n FROM disclosure_requests"),
        2
    );

    // A real pg_dump, where one that speaks to this server is installed.
    if let Ok(out) =
        std::process::Command::new("pg_dump").arg("--data-only").arg(&app.db.url).output()
        && out.status.success()
    {
        let dumped = String::from_utf8_lossy(&out.stdout);
        assert!(dumped.contains("disclosure_requests"));
        assert!(!dumped.contains(ID_NUMBER));
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[actix_web::test]
async fn a_viewer_sees_no_personal_data() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "党政办");
    let coordinator = app.token(Role::Coordinator, None);
    let id = register_id(&svc, &coordinator, &application(unit, "2024-03-01")).await;
    act_ok(
        &svc,
        &coordinator,
        id,
        json!({"action": "consult", "on": "2024-03-04", "party": "third_party", "party_name": "王五"}),
    )
    .await;
    let viewer = app.token(Role::Viewer, None);
    let r = send(&svc, get(&format!("/api/v1/disclosure-requests/{id}"), &viewer)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["applicant"], json!({"kind": "natural_person"}));
    assert_eq!(r.body["subject"], serde_json::Value::Null);
    assert!(r.body["history"][0]["details"].get("party_name").is_none());
    assert!(r.body["reply_due"].as_str().is_some(), "the clock is not personal");
    for secret in [ID_NUMBER, "张三", "13800138000", "长沙街道", "王五", "财政预算"] {
        assert!(!r.text.contains(secret), "{secret} shown to a viewer: {}", r.text);
    }
    let r = send(&svc, get("/api/v1/disclosure-requests", &viewer)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    for secret in [ID_NUMBER, "张三", "13800138000", "财政预算"] {
        assert!(!r.text.contains(secret), "{secret} in a viewer's list: {}", r.text);
    }
    // A viewer handles nothing, whatever it sends.
    let r =
        send(&svc, post_json("/api/v1/disclosure-requests", &viewer, &json!({"garbage": 1}))).await;
    r.assert_problem(403, "forbidden");
    act(&svc, &viewer, id, json!({"action": "withdraw", "on": "2024-03-05"}))
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn lists_never_show_identity_numbers_or_contacts_and_reads_are_audited() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let unit = unit_id(&app, "党政办");
    let t = app.token(Role::Coordinator, None);
    let id = register_id(&svc, &t, &application(unit, "2024-03-01")).await;
    let r = send(&svc, get("/api/v1/disclosure-requests", &t)).await;
    assert_eq!(r.body["items"][0]["applicant_name"], "张三");
    assert!(!r.text.contains(ID_NUMBER) && !r.text.contains("13800138000"), "{}", r.text);
    for _ in 0..2 {
        assert_eq!(
            send(&svc, get(&format!("/api/v1/disclosure-requests/{id}"), &t)).await.status,
            200
        );
    }
    let reads = audit_of(&app, "disclosure_request", id)
        .into_iter()
        .filter(|(a, who)| a == "disclosure_request.read" && who == "test-coordinator")
        .count();
    assert_eq!(reads, 2);
    // The audit trail itself keeps no personal data.
    let admin = app.token(Role::Admin, None);
    let r = send(
        &svc,
        get(&format!("/api/v1/audit-events?entity_type=disclosure_request&entity_id={id}"), &admin),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["items"][2]["after"]["view"], "full");
    for secret in [ID_NUMBER, "张三", "13800138000"] {
        assert!(!r.text.contains(secret), "{secret} in the audit trail");
    }
    let r = send(&svc, TestRequest::get().uri(&format!("/api/v1/disclosure-requests/{id}"))).await;
    r.assert_problem(401, "unauthorized");
}
