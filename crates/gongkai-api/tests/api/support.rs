//! Test support: the real app on a private database, tokens, and a small request helper.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::test;
use gongkai_api::http::auth::{TokenIssuer, TokenVerifier};
use gongkai_api::{AppState, CorsOrigins};
use gongkai_core::auth::Role;
use gongkai_store::testdb::TestDb;
use serde_json::Value;

pub const SECRET: &str = "test-secret-that-is-at-least-32-bytes-long";

/// A test's database and app state.
pub struct TestApp {
    pub db: TestDb,
    pub state: AppState,
}

impl TestApp {
    /// On a database holding the seed (Kaiping 2021, calendar).
    pub fn seeded() -> Self {
        Self::on(TestDb::seeded())
    }

    /// On a migrated, empty database.
    pub fn empty() -> Self {
        Self::on(TestDb::empty())
    }

    fn on(db: TestDb) -> Self {
        let verifier = TokenVerifier::new(SECRET.as_bytes(), None, "gongkai").unwrap();
        let state = gongkai_api::state(db.pool(), verifier, &[7u8; 32]);
        TestApp { db, state }
    }

    /// The service, built by the real app factory.
    pub async fn service(
        &self,
    ) -> impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    > {
        test::init_service(gongkai_api::app(
            self.state.clone(),
            CorsOrigins(vec!["https://portal.example.gov.cn".into()]),
        ))
        .await
    }

    /// A valid token.
    pub fn token(&self, role: Role, unit: Option<i64>) -> String {
        TokenIssuer::new(SECRET.as_bytes(), "gongkai")
            .issue(&format!("test-{}", role.as_str()), role, unit, 600)
            .unwrap()
    }

    /// A direct database connection, to check what was (not) stored.
    pub fn conn(&self) -> diesel::PgConnection {
        self.db.conn()
    }

    /// Counts rows with a plain SQL query returning one bigint named `n`.
    pub fn count(&self, sql: &str) -> i64 {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let r: N = diesel::sql_query(sql).get_result(&mut self.conn()).unwrap();
        r.n
    }
}

/// An answer, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(String::from)
    }

    /// Asserts a problem+json answer with this status and code.
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        assert_eq!(self.body["code"], code, "{}", self.text);
        assert_eq!(self.body["status"], status);
        assert!(
            self.body["title"].is_string()
                && self.body["detail"].is_string()
                && self.body["type"].is_string()
        );
    }

    /// The fields named by a validation problem.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["field"].as_str().map(String::from)).collect())
            .unwrap_or_default()
    }
}

/// Sends a request and reads the answer.
pub async fn send<S, B>(svc: &S, req: test::TestRequest) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = test::call_service(svc, req.to_request()).await;
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = test::read_body(res).await;
    let text = String::from_utf8_lossy(&bytes).to_string();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp { status, headers, body, text }
}

/// A request with a bearer token.
pub fn authed(req: test::TestRequest, token: &str) -> test::TestRequest {
    req.insert_header(("Authorization", format!("Bearer {token}")))
}

/// A GET with a token.
pub fn get(uri: &str, token: &str) -> test::TestRequest {
    authed(test::TestRequest::get().uri(uri), token)
}

/// A JSON POST with a token.
pub fn post_json(uri: &str, token: &str, body: &Value) -> test::TestRequest {
    authed(test::TestRequest::post().uri(uri), token).set_json(body)
}

/// A JSON PATCH with a token and If-Match.
pub fn patch_json(uri: &str, token: &str, etag: &str, body: &Value) -> test::TestRequest {
    authed(test::TestRequest::patch().uri(uri), token)
        .insert_header(("If-Match", etag))
        .set_json(body)
}

/// The id of the unit with this name (first found).
pub fn unit_id(app: &TestApp, name: &str) -> i64 {
    let mut c = app.conn();
    gongkai_store::units::find_by_name(&mut c, name).unwrap()[0].id
}

/// The id of the seeded plan's task with this number.
pub fn task_id(app: &TestApp, number: i32) -> i64 {
    app.count(&format!("SELECT id AS n FROM tasks WHERE number = {number} ORDER BY id LIMIT 1"))
}

/// The audit events about an entity, oldest first, as (action, actor_sub).
pub fn audit_of(app: &TestApp, entity_type: &str, entity_id: i64) -> Vec<(String, String)> {
    use diesel::prelude::*;
    use gongkai_store::schema::audit_events::dsl as a;
    a::audit_events
        .filter(a::entity_type.eq(entity_type).and(a::entity_id.eq(entity_id.to_string())))
        .order(a::id)
        .select((a::action, a::actor_sub))
        .load(&mut app.conn())
        .unwrap()
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
