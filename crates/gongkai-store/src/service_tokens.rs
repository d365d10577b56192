//! Service tokens: opaque bearer tokens an admin mints for another system (the municipal
//! portal, a dashboard). Only the SHA-256 of a token is stored; revoking one takes
//! effect on the next request, on every instance, since each request looks it up.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use gongkai_core::auth::Role;
use serde::Serialize;

use crate::schema::{service_tokens, units};
use crate::units::to_json;
use crate::{Actor, Page, PageRequest, StoreError, audit};

/// A stored service token, without its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = service_tokens)]
pub struct ServiceToken {
    pub id: i64,
    /// What the token is for ("门户网站").
    pub name: String,
    /// `coordinator`, `unit` or `viewer` (never `admin`).
    pub role: String,
    /// The unit the token acts for or is limited to.
    pub unit_id: Option<i64>,
    /// The last day (Asia/Shanghai) the token is accepted.
    pub expires_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// When it was last used, to the minute; None while never used.
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<String>,
}

impl ServiceToken {
    /// The role, as stored (the table admits only the three non-admin roles).
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Viewer)
    }
}

/// A token to mint; its fields have been checked by the caller (role not admin, a unit
/// for the unit role, expiry within a year).
#[derive(Debug, Clone, PartialEq)]
pub struct NewServiceToken {
    pub name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub expires_on: NaiveDate,
}

/// Stores a new token by its hash, audited (the audit event holds neither the token nor
/// its hash). A unit that does not exist → 422 on `unit_id`.
pub fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    new: &NewServiceToken,
    token_hash: &[u8],
) -> Result<ServiceToken, StoreError> {
    conn.transaction(|conn| {
        if let Some(unit) = new.unit_id {
            let found: Option<i64> =
                units::table.find(unit).select(units::id).first(conn).optional()?;
            if found.is_none() {
                return Err(StoreError::invalid("unit_id", format!("unit {unit} does not exist")));
            }
        }
        let token: ServiceToken = diesel::insert_into(service_tokens::table)
            .values((
                service_tokens::name.eq(new.name.trim()),
                service_tokens::role.eq(new.role.as_str()),
                service_tokens::unit_id.eq(new.unit_id),
                service_tokens::token_hash.eq(token_hash),
                service_tokens::expires_on.eq(new.expires_on),
                service_tokens::created_by.eq(&actor.sub),
            ))
            .returning(ServiceToken::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            "service_token.create",
            "service_token",
            token.id,
            None,
            Some(to_json(&token)),
        )?;
        Ok(token)
    })
}

/// The tokens in id order, revoked ones included.
pub fn list(conn: &mut PgConnection, page: PageRequest) -> Result<Page<ServiceToken>, StoreError> {
    let mut q = service_tokens::table.select(ServiceToken::as_select()).into_boxed();
    if let Some(after) = page.after {
        q = q.filter(service_tokens::id.gt(after));
    }
    let rows = q.order(service_tokens::id).limit(page.limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |t| t.id))
}

/// One token.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<ServiceToken, StoreError> {
    service_tokens::table
        .find(id)
        .select(ServiceToken::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("service token {id}")))
}

/// Revokes a token, audited; `precondition` sees the locked current token (the caller's
/// `If-Match`). Revoking a revoked token changes nothing and records nothing.
pub fn revoke(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    precondition: impl FnOnce(&ServiceToken) -> Result<(), StoreError>,
) -> Result<ServiceToken, StoreError> {
    conn.transaction(|conn| {
        let before: ServiceToken = service_tokens::table
            .find(id)
            .select(ServiceToken::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("service token {id}")))?;
        precondition(&before)?;
        if before.revoked_at.is_some() {
            return Ok(before);
        }
        let after: ServiceToken = diesel::update(service_tokens::table.find(id))
            .set((
                service_tokens::revoked_at.eq(diesel::dsl::sql::<
                    diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
                >("now()")),
                service_tokens::revoked_by.eq(&actor.sub),
            ))
            .returning(ServiceToken::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            "service_token.revoke",
            "service_token",
            id,
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        Ok(after)
    })
}

/// The live token with this hash — not revoked, and `today` (Asia/Shanghai) not after
/// its last day — noting that it was used (at most once a minute, to spare writes).
pub fn authenticate(
    conn: &mut PgConnection,
    token_hash: &[u8],
    today: NaiveDate,
) -> Result<Option<ServiceToken>, StoreError> {
    let token: Option<ServiceToken> = service_tokens::table
        .filter(service_tokens::token_hash.eq(token_hash))
        .filter(service_tokens::revoked_at.is_null())
        .filter(service_tokens::expires_on.ge(today))
        .select(ServiceToken::as_select())
        .first(conn)
        .optional()?;
    if let Some(t) = &token {
        diesel::update(service_tokens::table.find(t.id))
            .filter(diesel::dsl::sql::<Bool>(
                "(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
            ))
            .set(service_tokens::last_used_at.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
            >("now()")))
            .execute(conn)?;
    }
    Ok(token)
}
