//! Helpers of the disclosure tests: a valid application body, registering one, and
//! taking a step.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use serde_json::{Value, json};

use crate::support::*;

/// A valid in-person application by a natural person to `unit`, received on `received_on`.
pub fn application(unit: i64, received_on: &str) -> Value {
    json!({
        "channel": "in_person",
        "received_on": received_on,
        "applicant": {
            "kind": "natural_person",
            "name": "张三",
            "id_number": "440781199001011234",
            "contact": {"phone": "13800138000", "address": "开平市长沙街道1号"}
        },
        "subject": "2020年度本机关财政预算执行情况",
        "unit_id": unit
    })
}

/// Registers `body` and returns the answer, asserting 201.
pub async fn register<S, B>(svc: &S, token: &str, body: &Value) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = send(svc, post_json("/api/v1/disclosure-requests", token, body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r
}

/// Registers `body` and returns the new application's id.
pub async fn register_id<S, B>(svc: &S, token: &str, body: &Value) -> i64
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    register(svc, token, body).await.body["id"].as_i64().unwrap()
}

/// Takes a step on application `id`.
pub async fn act<S, B>(svc: &S, token: &str, id: i64, step: Value) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(svc, post_json(&format!("/api/v1/disclosure-requests/{id}/actions"), token, &step)).await
}

/// Takes a step that must succeed.
pub async fn act_ok<S, B>(svc: &S, token: &str, id: i64, step: Value) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = act(svc, token, id, step).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r
}
