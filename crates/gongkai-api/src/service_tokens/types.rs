//! The JSON shapes of service tokens.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::auth::Role;
use gongkai_store::service_tokens::ServiceToken;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::list::list_type;

/// A service token as listed: what it is for and how it is used, never the token.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceTokenDto {
    pub id: i64,
    /// What the token is for.
    #[schema(example = "门户网站")]
    pub name: String,
    /// `coordinator`, `unit` or `viewer`.
    pub role: Role,
    /// The unit it acts for (role `unit`) or is limited to; null for the whole deployment.
    pub unit_id: Option<i64>,
    /// The last day (Asia/Shanghai) it is accepted.
    pub expires_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// Who minted it (the admin's token subject).
    pub created_by: String,
    /// When it was last used, to the minute; null while never used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// True once revoked: it is then refused (401).
    pub revoked: bool,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<String>,
}

impl From<ServiceToken> for ServiceTokenDto {
    fn from(t: ServiceToken) -> Self {
        ServiceTokenDto {
            role: t.role(),
            id: t.id,
            name: t.name,
            unit_id: t.unit_id,
            expires_on: t.expires_on,
            created_at: t.created_at,
            created_by: t.created_by,
            last_used_at: t.last_used_at,
            revoked: t.revoked_at.is_some(),
            revoked_at: t.revoked_at,
            revoked_by: t.revoked_by,
        }
    }
}

/// A new service token, with the token itself: the only answer that ever shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedServiceTokenDto {
    #[serde(flatten)]
    pub service_token: ServiceTokenDto,
    /// The bearer token (`Authorization: Bearer gks_…`). Shown this once: only its hash
    /// is kept, so keep it now, in the other system's secret store.
    pub token: String,
}

/// A service token to mint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateServiceTokenRequest {
    /// What the token is for (1–100 characters).
    #[schema(example = "门户网站")]
    pub name: String,
    /// `coordinator`, `unit` or `viewer` (an admin token cannot be minted).
    pub role: Role,
    /// The unit the token acts for (required for `unit`), or limits a coordinator or
    /// viewer to (its subtree).
    pub unit_id: Option<i64>,
    /// The last day it is accepted: from today to a year from today (Asia/Shanghai).
    #[schema(example = "2026-12-31")]
    pub expires_on: NaiveDate,
}

list_type!(ServiceTokenList, ServiceTokenDto, "A page of service tokens.");
