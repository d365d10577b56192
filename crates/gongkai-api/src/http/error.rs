//! `ApiError`: every failure as RFC 9457 problem+json with a stable `code`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use gongkai_core::validation::FieldError;
use gongkai_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// Every `code` a problem can carry, for programs to switch on (the OpenAPI document
/// lists them as the enum of `Problem.code`). A test scans the sources of every crate
/// for codes and fails when one is missing here.
pub const PROBLEM_CODES: &[&str] = &[
    "already_extended",
    "bad_cors_request",
    "bad_request",
    "calendar_conflicting_date",
    "calendar_date_outside_year",
    "calendar_invalid_json",
    "calendar_invalid_pause",
    "calendar_invalid_year",
    "calendar_no_holidays",
    "calendar_out_of_range",
    "calendar_unpublished",
    "calendar_workday_not_weekend",
    "concurrent_update",
    "constraint_violation",
    "correction_already_requested",
    "correction_deadline_not_passed",
    "correction_deadline_passed",
    "duplicate",
    "evidence_withdrawn",
    "extension_too_late",
    "fee_already_notified",
    "fee_notice_too_late",
    "fee_rules_not_in_force",
    "fee_too_many_items",
    "forbidden",
    "group_in_use",
    "headers_too_large",
    "idempotency_key_in_progress",
    "illegal_transition",
    "internal_error",
    "malformed_json",
    "malformed_request",
    "method_not_allowed",
    "no_fee_notice",
    "not_acceptable",
    "not_found",
    "payload_too_large",
    "payment_deadline_not_passed",
    "payment_deadline_passed",
    "plan_exists",
    "plan_has_evidence",
    "plan_in_use",
    "plan_year_invalid",
    "precondition_failed",
    "precondition_required",
    "quota_invalid",
    "rate_limited",
    "reference_conflict",
    "request_timeout",
    "service_unavailable",
    "unauthorized",
    "unreadable_body",
    "unsupported_media_type",
    "uri_too_long",
    "validation_failed",
];

/// The problem+json body (RFC 9457) every error answers with.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[schema(example = "https://gongkai.invalid/problems/validation_failed")]
    pub r#type: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request, in plain words.
    pub detail: String,
    /// A stable snake_case code for programs.
    #[schema(example = "validation_failed")]
    pub code: String,
    /// For validation problems: each field and what is wrong with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldProblem>>,
}

/// One invalid field.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct FieldProblem {
    /// The field as the caller named it.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// An error the API answers with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    Unauthorized { detail: String },
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{detail}")]
    MethodNotAllowed { detail: String, allow: String },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("the request is invalid")]
    Validation { detail: String, errors: Vec<FieldError> },
    /// Well-formed input the service cannot act on, with its own code (e.g.
    /// `calendar_unpublished`): 422.
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The request head did not arrive in time (408).
    #[error("{0}")]
    RequestTimeout(String),
    /// The request target is longer than the server reads (414).
    #[error("{0}")]
    UriTooLong(String),
    /// The request's header section is larger than the server reads (431).
    #[error("{0}")]
    HeadersTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The caller's `Accept` names no type the operation can answer with (406).
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    Unavailable(String),
    /// Over the public API's rate limit: 429 with `Retry-After` in seconds.
    #[error("{detail}")]
    TooManyRequests { detail: String, retry_after: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A validation error on one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let f = FieldError::new(field, message);
        ApiError::Validation { detail: format!("{}: {}", f.field, f.message), errors: vec![f] }
    }

    /// A validation error on several fields.
    pub fn fields(errors: Vec<FieldError>) -> Self {
        let detail = errors
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ");
        ApiError::Validation { detail, errors }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::Conflict { code, .. } => code,
            ApiError::Validation { .. } => "validation_failed",
            ApiError::Unprocessable { code, .. } => code,
            ApiError::BadRequest { code, .. } => code,
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::RequestTimeout(_) => "request_timeout",
            ApiError::UriTooLong(_) => "uri_too_long",
            ApiError::HeadersTooLarge(_) => "headers_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::NotAcceptable(_) => "not_acceptable",
            ApiError::PreconditionFailed(_) => "precondition_failed",
            ApiError::PreconditionRequired(_) => "precondition_required",
            ApiError::Unavailable(_) => "service_unavailable",
            ApiError::TooManyRequests { .. } => "rate_limited",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::Unauthorized { .. } => "Authentication required",
            ApiError::Forbidden(_) => "Forbidden",
            ApiError::NotFound(_) => "Not found",
            ApiError::MethodNotAllowed { .. } => "Method not allowed",
            ApiError::Conflict { .. } => "Conflict",
            ApiError::Validation { .. } => "Invalid request",
            ApiError::Unprocessable { .. } => "Unprocessable request",
            ApiError::BadRequest { .. } => "Bad request",
            ApiError::PayloadTooLarge(_) => "Payload too large",
            ApiError::RequestTimeout(_) => "Request timeout",
            ApiError::UriTooLong(_) => "URI too long",
            ApiError::HeadersTooLarge(_) => "Request header fields too large",
            ApiError::UnsupportedMediaType(_) => "Unsupported media type",
            ApiError::NotAcceptable(_) => "Not acceptable",
            ApiError::PreconditionFailed(_) => "Precondition failed",
            ApiError::PreconditionRequired(_) => "Precondition required",
            ApiError::Unavailable(_) => "Service unavailable",
            ApiError::TooManyRequests { .. } => "Too many requests",
            ApiError::Internal(_) => "Internal server error",
        }
    }

    /// The body this error answers with.
    pub fn problem(&self) -> Problem {
        let code = self.code();
        let detail = match self {
            ApiError::Internal(_) => "an unexpected error occurred; it has been logged".to_string(),
            ApiError::Validation { detail, .. } => detail.clone(),
            other => other.to_string(),
        };
        Problem {
            r#type: format!("https://gongkai.invalid/problems/{code}"),
            title: self.title().to_string(),
            status: self.status_code().as_u16(),
            detail,
            code: code.to_string(),
            errors: match self {
                ApiError::Validation { errors, .. } => Some(
                    errors
                        .iter()
                        .map(|e| FieldProblem {
                            field: e.field.clone(),
                            message: e.message.clone(),
                        })
                        .collect(),
                ),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Validation { .. } | ApiError::Unprocessable { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = %cause, "internal error");
        }
        if let ApiError::Unavailable(cause) = self {
            tracing::warn!(error = %cause, "service unavailable");
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            ApiError::Unauthorized { .. } => {
                res.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"gongkai\""),
                ));
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                res.insert_header((header::ALLOW, allow.as_str()));
            }
            ApiError::Unavailable(_) => {
                res.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::TooManyRequests { retry_after, .. } => {
                res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ => {}
        }
        res.body(body)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => ApiError::NotFound(format!("{what} not found")),
            StoreError::Conflict { code, message } => ApiError::Conflict { code, message },
            StoreError::Invalid(errors) => ApiError::fields(errors),
            StoreError::PreconditionFailed(m) => ApiError::PreconditionFailed(m),
            StoreError::PreconditionRequired(m) => ApiError::PreconditionRequired(m),
            StoreError::Unavailable(m) => {
                // The cause goes to the log only: callers never see database messages.
                tracing::warn!(cause = %m, "database unavailable");
                ApiError::Unavailable(
                    "the database is not available at the moment; try again shortly".into(),
                )
            }
            StoreError::Internal(m) => ApiError::Internal(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes written in the sources of core, store and api: `code: "…"`,
    /// `conflict("…", …)` and the arms of every `fn code(&self)`.
    fn codes_in(source: &str) -> Vec<String> {
        let source = source.split("#[cfg(test)]").next().unwrap_or("");
        let mut out = Vec::new();
        let quoted = |rest: &str| -> Option<String> {
            let rest = rest.trim_start().strip_prefix('"')?;
            let word: String = rest.chars().take_while(|c| *c != '"').collect();
            (!word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .then_some(word)
        };
        for marker in ["code: ", "conflict("] {
            for (i, _) in source.match_indices(marker) {
                out.extend(quoted(&source[i + marker.len()..]));
            }
        }
        for (i, _) in source.match_indices("fn code(&self)") {
            let body = &source[i..];
            let body = &body[..body.find("\n    }\n").unwrap_or(body.len())];
            for (j, _) in body.match_indices("=> ") {
                out.extend(quoted(&body[j + 3..]));
            }
        }
        out
    }

    #[test]
    fn every_code_in_the_sources_is_listed() {
        let crates = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut found = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(crates)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if path.is_dir() && !matches!(name, "tests" | "benches" | "target") {
                    stack.push(path);
                } else if name.ends_with(".rs") {
                    found.extend(codes_in(&std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        assert!(found.len() > 30, "{found:?}");
        for code in found {
            assert!(PROBLEM_CODES.contains(&code.as_str()), "`{code}` is not in PROBLEM_CODES");
        }
    }
}
