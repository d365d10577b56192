//! `/api/v1/webhooks`: admins and coordinators register where events are posted, and
//! read and repeat the deliveries.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use gongkai_core::auth::{Action, Role};
use gongkai_core::events::EventType;
use gongkai_core::validation::FieldError;
use gongkai_store::units;
use gongkai_store::webhooks::{self, Webhook, WebhookSpec};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Paging, Query};
use crate::http::idempotency;
use crate::http::params::Id;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db};
use crate::webhooks::guard::{check_resolved, check_url};
use crate::webhooks::signature::new_secret;
use crate::webhooks::types::{
    CreateWebhookRequest, CreatedWebhookDto, DeliveryDto, DeliveryList, UpdateWebhookRequest,
    WebhookDto, WebhookList,
};

/// Registers the webhook routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_webhook)
        .service(list_webhooks)
        .service(get_webhook)
        .service(update_webhook)
        .service(delete_webhook)
        .service(list_deliveries)
        .service(redeliver);
}

/// The most kinds one webhook names.
const MAX_TYPES: usize = 64;

/// Checks the kinds named (each a known kind, none twice), keeping their order.
fn checked_types(types: &[String], errors: &mut Vec<FieldError>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if types.len() > MAX_TYPES {
        errors.push(FieldError::new("types", format!("at most {MAX_TYPES} kinds")));
        return out;
    }
    for t in types {
        match EventType::parse(t.trim()) {
            Some(k) if !out.iter().any(|o| o == k.as_str()) => out.push(k.as_str().to_string()),
            Some(_) => {}
            None => errors.push(FieldError::new("types", format!("`{t}` is not a kind of event"))),
        }
    }
    out
}

/// Checks a URL where it may point, resolving its host (422 naming `url` otherwise).
async fn checked_url(state: &AppState, raw: String) -> Result<String, ApiError> {
    let allow = state.webhook_allow_hosts.clone();
    let checked = web::block(move || {
        let url = check_url(&raw, &allow)?;
        check_resolved(&url, &allow)?;
        Ok::<_, String>(url.to_string())
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?;
    checked.map_err(|m| ApiError::field("url", m))
}

/// Refuses (403) unless the caller may manage webhooks reaching `unit_id` (None: every
/// event, for admins and coordinators not limited to a unit).
async fn require_reach(
    state: &AppState,
    who: &Principal,
    unit_id: Option<i64>,
) -> Result<(), ApiError> {
    match unit_id {
        Some(u) => who.require(state, Action::ManageWebhooks, Some(u)).await,
        None if who.role != Role::Admin && who.unit_id.is_some() => Err(ApiError::Forbidden(
            "a webhook for every event needs an admin or a coordinator not limited to a unit"
                .into(),
        )),
        None => who.require_global(Action::ManageWebhooks),
    }
}

/// Loads a webhook the caller may manage (404, 403 otherwise).
async fn reachable(state: &AppState, who: &Principal, id: i64) -> Result<Webhook, ApiError> {
    let w = db(state, move |c| webhooks::get(c, id)).await?;
    require_reach(state, who, w.unit_id).await?;
    Ok(w)
}

/// Register a webhook
///
/// Events (`types`: the kinds wanted, all when empty; `unit_id`: only those within that
/// unit's subtree) are posted to `url` as JSON, one at a time and in commit order, each
/// with `Gongkai-Event-Id` and `Gongkai-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
/// of "<t>.<body>" under the secret>`. A failed post (no 2xx answer) is retried with
/// exponential backoff for more than a day. The answer's `secret` is shown this once, so
/// the request takes no `Idempotency-Key`. Admins and coordinators; audited without the
/// secret.
#[utoipa::path(
    operation_id = "createWebhook",
    tag = "webhooks",
    request_body = CreateWebhookRequest,
    responses(
        (status = 201, description = "The webhook, with `secret` shown this once", body = CreatedWebhookDto,
            headers(("Location" = String, description = "The webhook's URL"))),
        (status = 403, description = "Not an admin or coordinator, or a unit out of reach"),
        (status = 422, description = "Invalid fields (a URL that is not http(s) or points inside, an unknown kind of event …), each named; or an `Idempotency-Key`"),
    ),
    security(("bearer" = []))
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageWebhooks)?;
    if req.headers().contains_key(idempotency::HEADER) {
        return Err(ApiError::field(
            "Idempotency-Key",
            "a webhook's secret is shown once and its answer is never stored, so registering one takes no Idempotency-Key; if the answer was lost, delete the webhook and register another",
        ));
    }
    let input: CreateWebhookRequest = body.json()?;
    let mut errors = Vec::new();
    let types = checked_types(&input.types, &mut errors);
    if input.unit_id.is_some_and(|u| u < 1) {
        errors.push(FieldError::new("unit_id", crate::http::params::ID_RULE));
    }
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    let unit_id = match (input.unit_id, who.role, who.unit_id) {
        (Some(u), _, _) => Some(u),
        (None, Role::Admin, _) => None,
        (None, _, own) => own,
    };
    if let Some(u) = unit_id
        && !db(&state, move |c| units::exists(c, u)).await?
    {
        return Err(ApiError::field("unit_id", format!("unit {u} does not exist")));
    }
    require_reach(&state, &who, unit_id).await?;
    let url = checked_url(&state, input.url).await?;
    let secret = new_secret();
    let sealed = webhooks::secret_sealer(&state.data_key)?.seal(&secret)?;
    let spec = WebhookSpec { url, types, unit_id, active: true };
    let actor = who.actor();
    let stored = db(&state, move |c| webhooks::create(c, &actor, &spec, &sealed)).await?;
    let location = format!("/api/v1/webhooks/{}", stored.id);
    let answer = CreatedWebhookDto { webhook: WebhookDto::from(stored), secret };
    let mut res = created(&answer, location);
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}

/// List webhooks
///
/// The webhooks the caller may manage, in id order (never their secrets): every one for
/// admins and coordinators not limited to a unit, those within its subtree for a
/// limited coordinator.
#[utoipa::path(
    operation_id = "listWebhooks",
    tag = "webhooks",
    params(Paging),
    responses(
        (status = 200, description = "A page of webhooks, in id order", body = WebhookList),
        (status = 403, description = "Not an admin or coordinator"),
    ),
    security(("bearer" = []))
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    who: Principal,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageWebhooks)?;
    let page = paging.page()?;
    let limited = match (who.role, who.unit_id) {
        (Role::Admin, _) | (_, None) => None,
        (_, Some(own)) => Some(own),
    };
    let page = db(&state, move |c| match limited {
        None => webhooks::list(c, None, page),
        Some(own) => {
            let subtree = units::subtree_ids(c, own)?;
            webhooks::list(c, Some(&subtree), page)
        }
    })
    .await?;
    Ok(ok(&WebhookList::from_page(page)))
}

/// Get a webhook
///
/// Its `ETag` is what `updateWebhook` and `deleteWebhook` need in `If-Match`.
#[utoipa::path(
    operation_id = "getWebhook",
    tag = "webhooks",
    params(("webhook_id" = i64, Path, description = "The webhook's id")),
    responses(
        (status = 200, description = "The webhook (without its secret)", body = WebhookDto,
            headers(("ETag" = String, description = "The webhook's version"))),
        (status = 403, description = "Not an admin or coordinator reaching it"),
        (status = 404, description = "No such webhook"),
    ),
    security(("bearer" = []))
)]
#[get("/webhooks/{webhook_id}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    who: Principal,
    webhook_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageWebhooks)?;
    let w = reachable(&state, &who, webhook_id.into_inner().0).await?;
    Ok(ok(&WebhookDto::from(w)))
}

/// Change a webhook
///
/// Replaces the fields given: `url`, `types`, `unit_id`, `active` (false pauses
/// deliveries, which wait queued). The secret stays. Needs `If-Match`; audited.
#[utoipa::path(
    operation_id = "updateWebhook",
    tag = "webhooks",
    params(
        ("webhook_id" = i64, Path, description = "The webhook's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    request_body = UpdateWebhookRequest,
    responses(
        (status = 200, description = "The webhook as changed", body = WebhookDto,
            headers(("ETag" = String, description = "The webhook's new version"))),
        (status = 403, description = "Not an admin or coordinator reaching it"),
        (status = 404, description = "No such webhook"),
        (status = 412, description = "The webhook changed since it was read"),
        (status = 422, description = "Invalid fields, each named"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[patch("/webhooks/{webhook_id}")]
pub async fn update_webhook(
    state: web::Data<AppState>,
    who: Principal,
    webhook_id: web::Path<Id>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageWebhooks)?;
    let id = webhook_id.into_inner().0;
    let current = reachable(&state, &who, id).await?;
    let input: UpdateWebhookRequest = body.json()?;
    let mut errors = Vec::new();
    let types = input.types.as_deref().map(|t| checked_types(t, &mut errors));
    if let Some(Some(u)) = input.unit_id
        && u < 1
    {
        errors.push(FieldError::new("unit_id", crate::http::params::ID_RULE));
    }
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    let unit_id = input.unit_id.unwrap_or(current.unit_id);
    if let Some(u) = unit_id
        && !db(&state, move |c| units::exists(c, u)).await?
    {
        return Err(ApiError::field("unit_id", format!("unit {u} does not exist")));
    }
    require_reach(&state, &who, unit_id).await?;
    let url = match input.url {
        Some(raw) => Some(checked_url(&state, raw).await?),
        None => None,
    };
    let active = input.active;
    let actor = who.actor();
    let after = db(&state, move |c| {
        webhooks::update(c, &actor, id, |before| {
            if_match.check(&etag_of(&WebhookDto::from(before.clone())))?;
            Ok(WebhookSpec {
                url: url.unwrap_or_else(|| before.url.clone()),
                types: types.unwrap_or_else(|| before.types.clone()),
                unit_id,
                active: active.unwrap_or(before.active),
            })
        })
    })
    .await?;
    Ok(ok(&WebhookDto::from(after)))
}

/// Delete a webhook
///
/// Nothing more is posted to it; its deliveries go with it. Needs `If-Match`; audited.
#[utoipa::path(
    operation_id = "deleteWebhook",
    tag = "webhooks",
    params(
        ("webhook_id" = i64, Path, description = "The webhook's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an admin or coordinator reaching it"),
        (status = 404, description = "No such webhook"),
        (status = 412, description = "The webhook changed since it was read"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[delete("/webhooks/{webhook_id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    who: Principal,
    webhook_id: web::Path<Id>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageWebhooks)?;
    let id = webhook_id.into_inner().0;
    reachable(&state, &who, id).await?;
    let actor = who.actor();
    db(&state, move |c| {
        webhooks::delete(c, &actor, id, |current| {
            if_match.check(&etag_of(&WebhookDto::from(current.clone())))
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List a webhook's deliveries
///
/// Every event queued for the webhook, oldest first, with its status (`pending`,
/// `delivered`, `failed`) and every attempt: when, the receiver's HTTP status or the
/// error, and how long it took.
#[utoipa::path(
    operation_id = "listWebhookDeliveries",
    tag = "webhooks",
    params(("webhook_id" = i64, Path, description = "The webhook's id"), Paging),
    responses(
        (status = 200, description = "A page of deliveries, oldest first", body = DeliveryList),
        (status = 403, description = "Not an admin or coordinator reaching it"),
        (status = 404, description = "No such webhook"),
    ),
    security(("bearer" = []))
)]
#[get("/webhooks/{webhook_id}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    who: Principal,
    webhook_id: web::Path<Id>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageWebhooks)?;
    let page = paging.page()?;
    let id = webhook_id.into_inner().0;
    reachable(&state, &who, id).await?;
    let page = db(&state, move |c| webhooks::deliveries(c, id, page)).await?;
    Ok(ok(&DeliveryList::from_page(page)))
}

/// Deliver an event again
///
/// Queues the delivery's event again for the webhook, as a new delivery due at once
/// (after the webhook's earlier pending ones). Audited.
#[utoipa::path(
    operation_id = "redeliverWebhookDelivery",
    tag = "webhooks",
    params(
        ("webhook_id" = i64, Path, description = "The webhook's id"),
        ("delivery_id" = i64, Path, description = "The delivery to repeat"),
    ),
    responses(
        (status = 201, description = "The new delivery", body = DeliveryDto,
            headers(("Location" = String, description = "The webhook's deliveries"))),
        (status = 403, description = "Not an admin or coordinator reaching it"),
        (status = 404, description = "No such webhook or delivery"),
    ),
    security(("bearer" = []))
)]
#[post("/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(Id, Id)>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageWebhooks)?;
    let (webhook_id, delivery_id) = path.into_inner();
    let (webhook_id, delivery_id) = (webhook_id.0, delivery_id.0);
    reachable(&state, &who, webhook_id).await?;
    let actor = who.actor();
    let again = db(&state, move |c| {
        let d = webhooks::redeliver(c, &actor, webhook_id, delivery_id)?;
        let kind = gongkai_store::events::get(c, d.event_id)?.kind;
        Ok((d, kind, Vec::new()))
    })
    .await?;
    let location = format!("/api/v1/webhooks/{webhook_id}/deliveries");
    Ok(created(&DeliveryDto::from(again), location))
}
