//! Publication (PATCH /plans/{id}) and the public read API under /public/v1: readable
//! without a token, nothing personal in it, cached, open to every origin, rate-limited.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::TestRequest;
use gongkai_core::auth::Role;
use serde_json::{Value, json};

use crate::disclosure_support::{act_ok, application, register_id};
use crate::support::*;

/// A GET without a token.
pub fn public(uri: &str) -> TestRequest {
    TestRequest::get().uri(uri)
}

/// Publishes (or withdraws) `plan` as `token`, asserting 200.
pub async fn set_published<S, B>(svc: &S, token: &str, plan: i64, published: bool) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let uri = format!("/api/v1/plans/{plan}");
    let etag = send(svc, get(&uri, token)).await.header("etag").unwrap();
    let r = send(svc, patch_json(&uri, token, &etag, &json!({"published": published}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["published"], published);
    r
}

#[actix_web::test]
async fn a_coordinator_publishes_a_plan_that_anyone_then_reads() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));

    // Unpublished: not found, and not listed.
    send(&svc, public("/public/v1/plans/1")).await.assert_problem(404, "not_found");
    send(&svc, public("/public/v1/plans/1/progress")).await.assert_problem(404, "not_found");
    send(&svc, public("/public/v1/plans/1/compliance")).await.assert_problem(404, "not_found");
    let list = send(&svc, public("/public/v1/plans")).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.body["items"], json!([]));

    // Only a coordinator reaching the plan publishes, with If-Match, and it is audited.
    let plan = send(&svc, get("/api/v1/plans/1", &coord)).await;
    assert_eq!(plan.body["published"], false);
    assert!(plan.body["published_at"].is_null());
    let etag = plan.header("etag").unwrap();
    let viewer = app.token(Role::Viewer, None);
    let body = json!({"published": true});
    send(&svc, patch_json("/api/v1/plans/1", &viewer, &etag, &body))
        .await
        .assert_problem(403, "forbidden");
    send(&svc, authed(TestRequest::patch().uri("/api/v1/plans/1"), &coord).set_json(&body))
        .await
        .assert_problem(428, "precondition_required");
    send(&svc, patch_json("/api/v1/plans/1", &coord, "\"stale\"", &body))
        .await
        .assert_problem(412, "precondition_failed");
    send(&svc, patch_json("/api/v1/plans/1", &coord, &etag, &json!({"title": "x"})))
        .await
        .assert_problem(422, "validation_failed");
    assert!(audit_of(&app, "plan", 1).iter().all(|(a, _)| a != "plan.publish"));
    let r = set_published(&svc, &coord, 1, true).await;
    assert!(r.body["published_at"].is_string());
    let audit = audit_of(&app, "plan", 1);
    assert_eq!(audit.last().unwrap(), &("plan.publish".to_string(), "test-coordinator".into()));

    // Readable without a token: the plan whole, its progress and its compliance.
    let r = send(&svc, public("/public/v1/plans")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["issuer"]["name"], "开平市人民政府");
    let r = send(&svc, public(&format!("/public/v1/plans?issuer_id={gov}"))).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    let other = unit_id(&app, "党政办");
    let r = send(&svc, public(&format!("/public/v1/plans?issuer_id={other}"))).await;
    assert_eq!(r.body["items"], json!([]));

    let r = send(&svc, public("/public/v1/plans/1")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("cache-control").as_deref(), Some("public, max-age=60"));
    assert!(r.header("etag").is_some() && r.header("last-modified").is_some());
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    let sections = r.body["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 16);
    let tasks: Vec<&Value> =
        sections.iter().flat_map(|s| s["tasks"].as_array().unwrap().iter()).collect();
    assert_eq!(tasks.len(), 54);
    let t15 = tasks.iter().find(|t| t["number"] == 15).unwrap();
    let stored: String = {
        use diesel::prelude::*;
        use gongkai_store::schema::tasks::dsl as t;
        t::tasks.filter(t::number.eq(15)).select(t::requirement).first(&mut app.conn()).unwrap()
    };
    assert_eq!(t15["requirement"], stored, "the requirement verbatim");
    assert_eq!(t15["units"][0]["role"], "lead");
    assert!(!t15["quotas"].as_array().unwrap().is_empty());

    let r = send(&svc, public("/public/v1/plans/1/progress")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rows: usize = r.body["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["units"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows as i64, app.count("SELECT count(*) AS n FROM task_units"));
    assert_eq!(r.body["summary"]["not_started"].as_i64().unwrap(), rows as i64);
    assert!(r.body["latest_review"].is_null());

    let r = send(&svc, public("/public/v1/plans/1/compliance?as_of=2021-06-30")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["as_of"], "2021-06-30");
    assert!(r.body["summary"]["missed"].as_i64().unwrap() > 0);
    assert!(r.body["tasks"].as_array().unwrap().iter().any(|t| t["task_number"] == 15));
    let r = send(&svc, public("/public/v1/plans/1/compliance")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let tomorrow = gongkai_api::http::clock::today().succ_opt().unwrap();
    send(&svc, public(&format!("/public/v1/plans/1/compliance?as_of={tomorrow}")))
        .await
        .assert_problem(422, "validation_failed");
    send(&svc, public("/public/v1/plans/999")).await.assert_problem(404, "not_found");

    // Withdrawn: not found again, not listed, audited.
    set_published(&svc, &coord, 1, false).await;
    send(&svc, public("/public/v1/plans/1")).await.assert_problem(404, "not_found");
    let r = send(&svc, public("/public/v1/plans")).await;
    assert_eq!(r.body["items"], json!([]));
    assert_eq!(audit_of(&app, "plan", 1).last().unwrap().0, "plan.unpublish");
}

/// Text that must never reach the public: applicants' names, identity numbers and
/// contacts, note texts of every kind, and who wrote what.
const PRIVATE: &[&str] = &[
    "欧阳秘密申请人",
    "440781199001011234",
    "13800138000",
    "开平市长沙街道1号",
    "台账备注机密文字",
    "状态变更说明机密",
    "回头看内部意见机密",
    "整改说明机密文字",
    "内部证据标题机密",
    "test-coordinator",
    "test-unit",
    "test-admin",
];

#[actix_web::test]
async fn no_public_answer_holds_personal_data_or_note_text() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    let admin = app.token(Role::Admin, None);
    let ggfw = unit_id(&app, "公共服务中心");
    let unit = app.token(Role::Unit, Some(ggfw));
    let t15 = task_id(&app, 15);

    // Applications with an applicant's name, identity number and contacts.
    let mut body = application(ggfw, "2021-03-01");
    body["applicant"]["name"] = json!("欧阳秘密申请人");
    let id = register_id(&svc, &unit, &body).await;
    act_ok(&svc, &unit, id, json!({"action": "start", "on": "2021-03-02"})).await;

    // Ledger notes, a status change with its note, evidence, a look-back with a note and
    // a rectification submission with one.
    let row = format!("/api/v1/tasks/{t15}/progress/{ggfw}");
    let r =
        send(&svc, post_json(&format!("{row}/notes"), &unit, &json!({"text": "台账备注机密文字"})))
            .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let etag = send(&svc, get(&row, &unit)).await.header("etag").unwrap();
    let r = send(
        &svc,
        patch_json(
            &row,
            &unit,
            &etag,
            &json!({"status": "in_progress", "note": "状态变更说明机密"}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/tasks/{t15}/evidence"),
            &unit,
            &json!({"occurred_on": "2021-01-20", "title": "内部证据标题机密", "count": 2}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = send(
        &svc,
        post_json(
            "/api/v1/plans/1/reviews",
            &coord,
            &json!({"as_of": "2021-06-30", "note": "回头看内部意见机密"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let review = r.body["id"].as_i64().unwrap();
    let items = send(
        &svc,
        get(&format!("/api/v1/rectifications?review_id={review}&unit_id={ggfw}"), &coord),
    )
    .await;
    let item = items.body["items"][0]["id"].as_i64().unwrap();
    let r = send(
        &svc,
        post_json(
            &format!("/api/v1/rectifications/{item}/submit"),
            &unit,
            &json!({"note": "整改说明机密文字"}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // The authenticated API does hold them (the scan below is not vacuous).
    let ledger = send(&svc, get(&format!("/api/v1/tasks/{t15}/progress"), &admin)).await;
    assert!(ledger.text.contains("台账备注机密文字") && ledger.text.contains("test-unit"));

    set_published(&svc, &coord, 1, true).await;
    let mut answers = Vec::new();
    for uri in [
        "/public/v1/plans".to_string(),
        format!("/public/v1/plans?issuer_id={gov}&year=2021"),
        "/public/v1/plans/1".to_string(),
        "/public/v1/plans/1/progress".to_string(),
        "/public/v1/plans/1/compliance".to_string(),
        "/public/v1/plans/1/compliance?as_of=2021-06-30".to_string(),
        "/public/v1/plans/1/compliance?as_of=2021-01-31".to_string(),
        "/public/v1/plans?updated_since=2000-01-01T00:00:00Z".to_string(),
    ] {
        let r = send(&svc, public(&uri)).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.text);
        answers.push((uri, r.text));
    }
    let progress = &answers[3].1;
    assert!(progress.contains("\"in_progress\""), "the status is public: {progress}");
    assert!(progress.contains("\"latest_review\":{"), "{progress}");
    assert!(progress.contains("\"submitted\":1"), "{progress}");
    for (uri, text) in &answers {
        for secret in PRIVATE {
            assert!(!text.contains(secret), "{uri} shows {secret}: {text}");
        }
        for key in ["\"note", "\"text\"", "\"title\":\"内部", "_by\"", "author", "applicant"] {
            assert!(!text.contains(key), "{uri} has {key}");
        }
    }
}

#[actix_web::test]
async fn a_matching_if_none_match_answers_304_public_and_authenticated() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let gov = unit_id(&app, "开平市人民政府");
    let coord = app.token(Role::Coordinator, Some(gov));
    set_published(&svc, &coord, 1, true).await;

    for uri in ["/public/v1/plans/1", "/public/v1/plans/1/progress", "/public/v1/plans"] {
        let first = send(&svc, public(uri)).await;
        let etag = first.header("etag").unwrap();
        let weak = format!("W/{etag}");
        for given in [etag.clone(), weak, format!("\"other\", {etag}"), "*".to_string()] {
            let r = send(&svc, public(uri).insert_header(("If-None-Match", given.as_str()))).await;
            assert_eq!(r.status, 304, "{uri} with {given}: {}", r.text);
            assert!(r.text.is_empty());
            assert_eq!(r.header("etag").as_deref(), Some(etag.as_str()));
            assert_eq!(r.header("cache-control").as_deref(), Some("public, max-age=60"));
            assert_eq!(r.header("last-modified"), first.header("last-modified"));
        }
        let r = send(&svc, public(uri).insert_header(("If-None-Match", "\"other\""))).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.text, first.text);
    }

    for uri in ["/api/v1/plans/1", "/api/v1/plans/1/tasks?section=5", "/api/v1/plans"] {
        let first = send(&svc, get(uri, &coord)).await;
        let etag = first.header("etag").unwrap();
        let r = send(&svc, get(uri, &coord).insert_header(("If-None-Match", etag.as_str()))).await;
        assert_eq!(r.status, 304, "{uri}: {}", r.text);
        assert!(r.text.is_empty());
        assert_eq!(r.header("etag").as_deref(), Some(etag.as_str()));
        // Without a token the condition does not help: 401 first.
        let r = send(&svc, public(uri).insert_header(("If-None-Match", etag.as_str()))).await;
        r.assert_problem(401, "unauthorized");
    }

    // A change makes the old tag stale: the whole answer again.
    let before = send(&svc, public("/public/v1/plans/1")).await;
    let old = before.header("etag").unwrap();
    let t15 = task_id(&app, 15);
    let task = send(&svc, get(&format!("/api/v1/tasks/{t15}"), &coord)).await;
    let r = send(
        &svc,
        patch_json(
            &format!("/api/v1/tasks/{t15}"),
            &coord,
            &task.header("etag").unwrap(),
            &json!({"requirement": "更正后的要求文字。"}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = send(&svc, public("/public/v1/plans/1").insert_header(("If-None-Match", old.as_str())))
        .await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("更正后的要求文字。"));
    assert_ne!(r.header("etag").unwrap(), old);
}

#[actix_web::test]
async fn the_public_api_is_open_to_every_origin_and_the_token_api_is_not() {
    let app = TestApp::seeded();
    let svc = app.service().await;
    let origin = ("Origin", "https://news.example.org");
    let preflight = TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/public/v1/plans")
        .insert_header(origin)
        .insert_header(("Access-Control-Request-Method", "GET"))
        .insert_header(("Access-Control-Request-Headers", "if-none-match"));
    let r = send(&svc, preflight).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    assert!(r.header("access-control-allow-methods").unwrap().contains("GET"));
    assert!(r.header("access-control-allow-credentials").is_none());

    let r = send(&svc, public("/public/v1/plans").insert_header(origin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    assert!(r.header("access-control-expose-headers").unwrap().contains("ETag"));
    assert!(r.header("access-control-allow-credentials").is_none());

    // The token API answers only the configured origins.
    let coord = app.token(Role::Coordinator, None);
    let r = send(&svc, get("/api/v1/plans", &coord).insert_header(origin)).await;
    assert_ne!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    assert_ne!(
        r.header("access-control-allow-origin").as_deref(),
        Some("https://news.example.org")
    );
    let r = send(
        &svc,
        get("/api/v1/plans", &coord).insert_header(("Origin", "https://portal.example.gov.cn")),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("access-control-allow-origin").as_deref(),
        Some("https://portal.example.gov.cn")
    );
}

#[actix_web::test]
async fn each_address_is_limited_and_told_when_to_retry() {
    let mut app = TestApp::seeded();
    app.state = app.state.clone().with_public_rate_limit(3);
    let svc = app.service().await;
    let from =
        |ip: &str| public("/public/v1/plans").peer_addr(format!("{ip}:40000").parse().unwrap());
    for _ in 0..3 {
        let r = send(&svc, from("192.0.2.10")).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = send(&svc, from("192.0.2.10")).await;
    r.assert_problem(429, "rate_limited");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "a request comes back every 20 s: {wait}");
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    // Another address has its own allowance; the token API is not limited.
    assert_eq!(send(&svc, from("192.0.2.11")).await.status, 200);
    let coord = app.token(Role::Coordinator, None);
    for _ in 0..5 {
        let r =
            send(&svc, get("/api/v1/plans", &coord).peer_addr("192.0.2.10:40000".parse().unwrap()))
                .await;
        assert_eq!(r.status, 200);
    }
}
