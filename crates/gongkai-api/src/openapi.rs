//! The one registration of every route, which serves them and documents them alike, and
//! the OpenAPI document assembled from it.

use actix_web::App;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::health;
use crate::{
    annual_report, audit, calendar, calendar_feeds, compliance, disclosure, events, evidence,
    ledger, opinion, plans, public, quotas, service_tokens, tasks, unit_groups, units, webhooks,
};

/// Registers every route: health and readiness, everything under `/api/v1` (a token
/// needed), and the public API under `/public/v1`.
pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz).service(
        utoipa_actix_web::scope("/api/v1")
            .configure(units::routes)
            .configure(plans::import::routes)
            .configure(plans::handlers::routes)
            .configure(tasks::routes)
            .configure(quotas::routes)
            .configure(unit_groups::routes)
            .configure(evidence::routes)
            .configure(compliance::routes)
            .configure(calendar::routes)
            .configure(ledger::progress::routes)
            .configure(ledger::reviews::routes)
            .configure(ledger::rectifications::routes)
            .configure(plans::copy::routes)
            .configure(disclosure::fees::routes)
            .configure(disclosure::requests::routes)
            .configure(disclosure::actions::routes)
            .configure(disclosure::reports::routes)
            .configure(annual_report::routes)
            .configure(disclosure::appeals::routes)
            .configure(opinion::routes)
            .configure(service_tokens::routes)
            .configure(events::routes)
            .configure(webhooks::routes)
            .configure(calendar_feeds::routes)
            .configure(audit::routes),
    );
    cfg.service(utoipa_actix_web::scope("/public/v1").configure(public::routes));
    cfg.configure(calendar_feeds::handlers::feed_routes);
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Gongkai",
        description = "Gongkai (公开) runs a municipal government's annual government-openness work plan \
(政务公开工作要点): its tasks, responsible units (责任单位), quotas and compliance.\n\n\
Every `/api/v1` call needs `Authorization: Bearer <JWT>` (HS256 with the deployment's secret; \
claims `iss`, `aud` = `gongkai-api`, `sub`, `role`, `unit`, `iat`, `exp`). \
Errors are `application/problem+json` with a stable `code`. \
Lists answer `{\"items\": [...], \"next_cursor\": ...}` and take `limit` (1–500, default 50) and `cursor`. \
Every resource answer carries an `ETag`; `PATCH` and `DELETE` need `If-Match` (428 without it, 412 when stale). \
A `POST` may carry `Idempotency-Key`: the same key with the same request answers the first response again and creates nothing new; \
the same key with another request is refused (422). \
Every GET answering an `ETag` answers `304 Not Modified` to a matching `If-None-Match`; lists of changing resources take \
`updated_since` (RFC 3339) and then come oldest change first; an unknown query parameter is refused (422).\n\n\
Published plans are readable by anyone under `/public/v1`, without a token: no personal data, no notes, \
CORS open to every origin, cached for 60 seconds, and limited per client address (429 with `Retry-After`).",
    ),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "units", description = "责任单位: responsible units and the governments they sit under"),
        (name = "plans", description = "工作要点: plans and their sections"),
        (name = "tasks", description = "工作任务: tasks, their requirement text and responsible units"),
        (name = "quotas", description = "Checkable duties read from a task's requirement"),
        (name = "unit-groups", description = "单位分组: named groups of units a quota can bind one by one"),
        (name = "evidence", description = "证据: dated records of work done for a task; withdrawn, never deleted"),
        (name = "compliance", description = "Findings, scorecards and what is due, judged as of a day"),
        (name = "calendar", description = "工作日: deadlines in Chinese working days and the yearly holiday notices"),
        (name = "ledger", description = "台账: each responsible unit's progress on each task, with dated notes"),
        (name = "reviews", description = "回头看 and 整改: look-backs at a plan and the rectification items they raise"),
        (name = "fees", description = "信息处理费: information-processing fees under 国办函〔2020〕109号, with their bands"),
        (name = "disclosure-requests", description = "依申请公开: applications for disclosure — registration (`POST /disclosure-requests`), the statutory clock with its explanation, handling steps (`POST /disclosure-requests/{id}/actions`: start, request_correction, receive_correction, deem_withdrawn, consult, receive_consultation_reply, extend, notify_fee, record_payment, deem_abandoned, reply, withdraw, archive), fees, overdue and due-soon lists. Identity numbers are stored encrypted and shown only when one application is read by its handling unit or a coordinator; viewers never see personal data."),
        (name = "annual-reports", description = "年度报告: the whole annual report in the six sections of 国办公开办函〔2021〕30号 (JSON, HTML, DOCX): table 二 from each unit's yearly figures (summed, checked against last year's), table 三 (applications received and handled, with the check 一 + 二 = 三（七）+ 四) and table 四 (administrative reviews and lawsuits) computed from the registers, the texts of 一 and 五 drafted from the service's facts, section 六 with fees collected and the plan's implementation; checked and frozen when published"),
        (name = "disclosure-appeals", description = "行政复议 and 行政诉讼 about disclosure: the register table 四 is computed from"),
        (name = "opinion", description = "舆情回应台账: cases of public concern on the topics of the plan (source, topic, lead and co-units, the plan task they serve), the response clock per source in working days, responses, the promises (承诺) responses make and their moves (kept, kept late, broken; each with evidence and whether the fulfilment was made public), and the ledger per unit, topic, source or month. A response and a kept promise are evidence on the case's task. The writer's details are stored encrypted and shown only when one case is read by one of its units or a coordinator; viewers never see them."),
        (name = "service-tokens", description = "Tokens an admin mints for another system (the municipal portal): shown once, revoked at once"),
        (name = "events", description = "What changed, in commit order, for other systems: the event feed (with long polling), ids only"),
        (name = "webhooks", description = "Where events are posted, signed, retried and kept in order; their deliveries and attempts"),
        (name = "calendar-feeds", description = "Secret calendar URLs (`.ics`, RFC 5545) of a plan's deadlines for calendar apps: created, listed and revoked here, read without a token"),
        (name = "audit", description = "Who changed what, when"),
        (name = "public", description = "公开: published plans for everyone, without a token — sections, tasks, units, quotas, ledger statuses, compliance and the latest look-back; no personal data, no notes"),
    ),
    components(schemas(crate::http::error::Problem, crate::http::error::FieldProblem)),
    modifiers(&BearerScheme)
)]
struct ApiDoc;

struct BearerScheme;

/// What the /docs Authorize dialog says: the kinds of token and how to get each.
pub const BEARER_HELP: &str = "Paste a token (without `Bearer `). Three kinds are accepted:\n\n\
1. **Service token** (`gks_…`) for another system, such as the municipal portal: an admin mints it with \
`POST /api/v1/service-tokens` (`name`, `role` coordinator/unit/viewer, optional `unit_id`, `expires_on` at most a year away); \
it is shown once, in the answer's `token`, and revoked with `DELETE /api/v1/service-tokens/{token_id}`.\n\
2. **Operator token** (a JWT signed with the deployment's secret): on the server host, \
`gongkai issue-token --role coordinator --unit 开平市人民政府 --sub me` prints one (valid one hour; `--ttl` seconds).\n\
3. **Identity-provider token**: a JWT from the city's identity provider (RS256 or ES256, when the server has \
`GONGKAI_JWT_PUBLIC_KEY`), with `aud` = `gongkai-api`, `sub`, `role` and, for a unit, `unit`.\n\n\
The public API under `/public/v1` needs no token.";

impl Modify for BearerScheme {
    fn modify(&self, doc: &mut OpenApiDoc) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(BEARER_HELP))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document of every route the server answers, as JSON (with the
/// refinements of [`crate::http::spec`]).
pub fn openapi() -> serde_json::Value {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(register)
        .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    document_idempotency_keys(&mut doc);
    document_unauthorized(&mut doc);
    let mut value = serde_json::to_value(&doc).unwrap_or_default();
    crate::http::spec::refine(&mut value);
    value
}

/// Every operation that needs a token answers 401 the same way (the `Principal`
/// extractor), so that answer is documented here once, for each of them.
fn document_unauthorized(doc: &mut OpenApiDoc) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let response = ResponseBuilder::new()
        .description("No valid token (missing, malformed, expired, wrong issuer or audience, unknown role or unit)")
        .content(
            "application/problem+json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
        )
        .build();
    for item in doc.paths.paths.values_mut() {
        for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete]
            .into_iter()
            .flatten()
        {
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                op.responses
                    .responses
                    .entry("401".to_string())
                    .or_insert(RefOr::T(response.clone()));
            }
        }
    }
}

/// The POSTs whose answer shows a secret once and is never stored: they take no
/// `Idempotency-Key`.
pub const SHOWN_ONCE: [&str; 3] =
    ["/api/v1/service-tokens", "/api/v1/webhooks", "/api/v1/calendar-feeds"];

/// Every POST under `/api/v1` accepts `Idempotency-Key` (the middleware handles it for
/// all of them), so the parameter is added to each in one place — but minting a service
/// token, whose answer is never stored.
fn document_idempotency_keys(doc: &mut OpenApiDoc) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ObjectBuilder, RefOr, Required, ResponseBuilder, Type};
    for (path, item) in doc.paths.paths.iter_mut() {
        // A service token is shown once and its answer never stored: no key there.
        let keyed = path.starts_with("/api/v1") && !SHOWN_ONCE.contains(&path.as_str());
        let Some(op) = item.post.as_mut().filter(|_| keyed) else {
            continue;
        };
        let param = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Makes a retry safe: the same key with the same request answers the first \
                 response again (with `Idempotent-Replayed: true`) and creates nothing new; \
                 the same key with another request is refused (422). Keys are kept 24 hours, \
                 per token subject.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(255)),
            ))
            .build();
        op.parameters.get_or_insert_with(Vec::new).push(RefOr::T(param));
        const IN_PROGRESS: &str = "`idempotency_key_in_progress`: a request with this \
                                   Idempotency-Key is still being handled; retry shortly";
        match op.responses.responses.get_mut("409") {
            Some(RefOr::T(conflict)) => {
                conflict.description = format!("{}; or {IN_PROGRESS}", conflict.description);
            }
            Some(RefOr::Ref(_)) => {}
            None => {
                let conflict = ResponseBuilder::new().description(IN_PROGRESS).build();
                op.responses.responses.insert("409".to_string(), RefOr::T(conflict));
            }
        }
    }
}

/// The document as the committed `openapi/openapi.json` holds it: pretty JSON and a final
/// newline.
pub fn to_json(doc: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
