//! Published versions of an annual report: the whole report frozen as JSON.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::events::{self, NewEvent};
use crate::schema::{annual_report_drafts as ard, annual_report_versions as arv};
use crate::{Actor, StoreError, audit};
use gongkai_core::events::EventType;

/// A published version.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = arv)]
pub struct Version {
    pub issuer_id: i64,
    pub year: i32,
    pub version: i32,
    pub snapshot: Value,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

/// The number of the latest published version, if any.
pub fn latest_number(
    conn: &mut PgConnection,
    issuer_id: i64,
    year: i32,
) -> Result<Option<i32>, StoreError> {
    Ok(arv::table
        .filter(arv::issuer_id.eq(issuer_id))
        .filter(arv::year.eq(year))
        .select(diesel::dsl::max(arv::version))
        .first(conn)?)
}

/// Every published version, oldest first.
pub fn list(
    conn: &mut PgConnection,
    issuer_id: i64,
    year: i32,
) -> Result<Vec<Version>, StoreError> {
    Ok(arv::table
        .filter(arv::issuer_id.eq(issuer_id))
        .filter(arv::year.eq(year))
        .order(arv::version)
        .select(Version::as_select())
        .load(conn)?)
}

/// One published version.
pub fn get(
    conn: &mut PgConnection,
    issuer_id: i64,
    year: i32,
    version: i32,
) -> Result<Version, StoreError> {
    arv::table
        .find((issuer_id, year, version))
        .select(Version::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("version {version} of the {year} report")))
}

/// Publishes at `at`: `build` makes the snapshot (given the new version number) inside
/// the transaction, after the report's lock, so two publications cannot interleave; the
/// version is stored with its audit record and its event (`annual_report.published`),
/// and the report answers it from now on.
pub fn publish(
    conn: &mut PgConnection,
    actor: &Actor,
    issuer_id: i64,
    year: i32,
    at: DateTime<Utc>,
    build: impl FnOnce(i32) -> Result<Value, StoreError>,
) -> Result<Version, StoreError> {
    conn.transaction(|conn| {
        super::texts::lock_report(conn, issuer_id, year)?;
        let number = latest_number(conn, issuer_id, year)?.unwrap_or(0) + 1;
        let snapshot = build(number)?;
        let version: Version = diesel::insert_into(arv::table)
            .values((
                arv::issuer_id.eq(issuer_id),
                arv::year.eq(year),
                arv::version.eq(number),
                arv::snapshot.eq(&snapshot),
                arv::published_at.eq(at),
                arv::published_by.eq(&actor.sub),
            ))
            .returning(Version::as_returning())
            .get_result(conn)?;
        diesel::delete(ard::table.filter(ard::issuer_id.eq(issuer_id)).filter(ard::year.eq(year)))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            "annual_report.published",
            "annual_report",
            format!("{issuer_id}/{year}"),
            None,
            Some(serde_json::json!({ "issuer_id": issuer_id, "year": year, "version": number })),
        )?;
        events::emit(
            conn,
            NewEvent {
                kind: EventType::AnnualReportPublished,
                plan_id: None,
                task_id: None,
                unit_id: Some(issuer_id),
                path: format!("/api/v1/annual-reports/{year}/versions/{number}?issuer_id={issuer_id}"),
                resource_id: None,
                data: serde_json::json!({ "issuer_id": issuer_id, "year": year, "version": number }),
            },
        )?;
        Ok(version)
    })
}
