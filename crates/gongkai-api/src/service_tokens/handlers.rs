//! `/api/v1/service-tokens`: admins mint, list and revoke the tokens other systems use.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::Months;
use gongkai_core::auth::{Action, Role};
use gongkai_core::validation::FieldError;
use gongkai_store::service_tokens::{self, NewServiceToken};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::auth::{Principal, mint_service_token, service_token_hash};
use crate::http::clock;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Paging, Query};
use crate::http::idempotency;
use crate::http::params::Id;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db};
use crate::service_tokens::types::{
    CreateServiceTokenRequest, CreatedServiceTokenDto, ServiceTokenDto, ServiceTokenList,
};

/// Registers the service-token routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_service_token)
        .service(list_service_tokens)
        .service(get_service_token)
        .service(revoke_service_token);
}

/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Checks a request to mint a token against today (Asia/Shanghai): every invalid field
/// named at once.
fn checked(
    req: CreateServiceTokenRequest,
    today: chrono::NaiveDate,
) -> Result<NewServiceToken, ApiError> {
    let mut errors = Vec::new();
    let name = req.name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        errors
            .push(FieldError::new("name", format!("a name has 1 to {MAX_NAME_CHARS} characters")));
    }
    if req.role == Role::Admin {
        errors.push(FieldError::new(
            "role",
            "a service token is coordinator, unit or viewer; admin is only for people",
        ));
    }
    if req.role == Role::Unit && req.unit_id.is_none() {
        errors.push(FieldError::new("unit_id", "a token with role unit names its unit"));
    }
    if req.unit_id.is_some_and(|u| u < 1) {
        errors.push(FieldError::new("unit_id", crate::http::params::ID_RULE));
    }
    let latest = today.checked_add_months(Months::new(12)).unwrap_or(today);
    if req.expires_on < today || req.expires_on > latest {
        errors.push(FieldError::new(
            "expires_on",
            format!(
                "a service token expires between today ({today}) and a year from today ({latest})"
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    Ok(NewServiceToken { name, role: req.role, unit_id: req.unit_id, expires_on: req.expires_on })
}

/// Mint a service token
///
/// For another system (the municipal portal, a dashboard): `name`, `role` (coordinator,
/// unit or viewer — never admin), optional `unit_id` (required for `unit`; limits a
/// coordinator or viewer to the unit's subtree) and `expires_on` (at most a year from
/// today). The answer's `token` is shown this once — only its hash is kept — so the
/// request takes no `Idempotency-Key` (a replay would have to keep the token). Admins
/// only; audited without the token.
#[utoipa::path(
    operation_id = "createServiceToken",
    tag = "service-tokens",
    request_body = CreateServiceTokenRequest,
    responses(
        (status = 201, description = "The token, with `token` shown this once", body = CreatedServiceTokenDto,
            headers(("Location" = String, description = "The token's URL"))),
        (status = 403, description = "Not an admin"),
        (status = 422, description = "Invalid fields (an admin role, a unit role without a unit, an expiry past a year …), each named; or an `Idempotency-Key`"),
    ),
    security(("bearer" = []))
)]
#[post("/service-tokens")]
pub async fn create_service_token(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageServiceTokens)?;
    if req.headers().contains_key(idempotency::HEADER) {
        return Err(ApiError::field(
            "Idempotency-Key",
            "a service token is shown once and its answer is never stored, so minting one takes no Idempotency-Key; if the answer was lost, revoke the token and mint another",
        ));
    }
    let new = checked(body.json()?, clock::today())?;
    let token = mint_service_token();
    let hash = service_token_hash(&token);
    let actor = who.actor();
    let stored = db(&state, move |c| service_tokens::create(c, &actor, &new, &hash)).await?;
    let location = format!("/api/v1/service-tokens/{}", stored.id);
    let answer = CreatedServiceTokenDto { service_token: ServiceTokenDto::from(stored), token };
    let mut res = created(&answer, location);
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}

/// List service tokens
///
/// Every token, revoked ones included, in id order: name, role, unit, when made and by
/// whom, expiry, last use — never the token. Admins only.
#[utoipa::path(
    operation_id = "listServiceTokens",
    tag = "service-tokens",
    params(Paging),
    responses(
        (status = 200, description = "A page of tokens, in id order", body = ServiceTokenList),
        (status = 403, description = "Not an admin"),
    ),
    security(("bearer" = []))
)]
#[get("/service-tokens")]
pub async fn list_service_tokens(
    state: web::Data<AppState>,
    who: Principal,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageServiceTokens)?;
    let page = paging.page()?;
    let page = db(&state, move |c| service_tokens::list(c, page)).await?;
    Ok(ok(&ServiceTokenList::from_page(page)))
}

/// Get a service token
///
/// Its `ETag` is what `revokeServiceToken` needs in `If-Match`. Admins only.
#[utoipa::path(
    operation_id = "getServiceToken",
    tag = "service-tokens",
    params(("token_id" = i64, Path, description = "The token's id")),
    responses(
        (status = 200, description = "The token (without the token itself)", body = ServiceTokenDto,
            headers(("ETag" = String, description = "The token's version"))),
        (status = 403, description = "Not an admin"),
        (status = 404, description = "No such token"),
    ),
    security(("bearer" = []))
)]
#[get("/service-tokens/{token_id}")]
pub async fn get_service_token(
    state: web::Data<AppState>,
    who: Principal,
    token_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageServiceTokens)?;
    let id = token_id.into_inner().0;
    let token = db(&state, move |c| service_tokens::get(c, id)).await?;
    Ok(ok(&ServiceTokenDto::from(token)))
}

/// Revoke a service token
///
/// From the next request on, on every instance of the service, the token is refused
/// (401). The token stays listed, marked revoked. Needs `If-Match` with the token's
/// ETag; revoking a revoked token changes nothing. Admins only; audited.
#[utoipa::path(
    operation_id = "revokeServiceToken",
    tag = "service-tokens",
    params(
        ("token_id" = i64, Path, description = "The token's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "Not an admin"),
        (status = 404, description = "No such token"),
        (status = 412, description = "The token changed since it was read"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[delete("/service-tokens/{token_id}")]
pub async fn revoke_service_token(
    state: web::Data<AppState>,
    who: Principal,
    token_id: web::Path<Id>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageServiceTokens)?;
    let id = token_id.into_inner().0;
    let actor = who.actor();
    db(&state, move |c| {
        service_tokens::revoke(c, &actor, id, |current| {
            if_match.check(&etag_of(&ServiceTokenDto::from(current.clone())))
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
