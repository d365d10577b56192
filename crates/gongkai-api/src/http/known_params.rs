//! Requests checked against the document before a handler runs: a method the path does
//! not answer is refused (405, also where a template would have caught it by accident),
//! and unknown query parameters are refused (422 naming each), never silently ignored: a
//! misspelt filter (`?updated_sinse=…`) would otherwise answer everything. The names an
//! operation takes are read from the OpenAPI document, the same the server serves, so
//! the check and the documentation cannot drift; one middleware checks every route.

use actix_web::ResponseError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use gongkai_core::validation::FieldError;

use crate::http::error::ApiError;
use crate::http::fallback::method_not_allowed;
use crate::http::state::AppState;

/// The parameters of `query` not among `known`, each once, in the order given.
pub fn unknown(query: &str, known: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (name, _) in form_urlencoded::parse(query.as_bytes()) {
        if !known.iter().any(|k| *k == name) && !out.iter().any(|o| *o == name) {
            out.push(name.into_owned());
        }
    }
    out
}

/// The refusal naming each unknown parameter and what the operation takes.
pub fn refusal(unknown: &[String], known: &[String]) -> ApiError {
    let takes = if known.is_empty() {
        "this operation takes no query parameters".to_string()
    } else {
        format!("this operation takes {}", known.join(", "))
    };
    ApiError::fields(
        unknown
            .iter()
            .map(|name| FieldError::new(name.clone(), format!("unknown query parameter; {takes}")))
            .collect(),
    )
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn refuse_unknown_parameters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    if let Some(allowed) = state.routes.refused(req.method().as_str(), req.path()) {
        let answer =
            method_not_allowed(req.path(), req.method().as_str(), &allowed).error_response();
        return Ok(req.into_response(answer));
    }
    if !req.query_string().is_empty()
        && let Some(known) = state.routes.query_parameters(req.method().as_str(), req.path())
    {
        let unknown = unknown(req.query_string(), known);
        if !unknown.is_empty() {
            let answer = refusal(&unknown, known).error_response();
            return Ok(req.into_response(answer));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_each_unknown_parameter_once() {
        let known = vec!["limit".to_string(), "cursor".to_string()];
        assert_eq!(
            unknown("limit=5&updated_sinse=x&foo=1&foo=2", &known),
            ["updated_sinse", "foo"]
        );
        assert!(unknown("limit=5&cursor=abc", &known).is_empty());
        assert_eq!(unknown("%E5%90%8D=1", &known), ["名"]);
    }
}
