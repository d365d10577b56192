//! The saved texts of sections 一 and 五, and whether a new draft was started after the
//! latest publication.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{annual_report_drafts as ard, annual_report_sections as ars};
use crate::{Actor, StoreError, audit};

/// A saved section text.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = ars)]
pub struct SectionText {
    pub issuer_id: i64,
    pub year: i32,
    pub number: i16,
    pub text: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// The saved texts of an issuer's report of a year.
pub fn of_report(
    conn: &mut PgConnection,
    issuer_id: i64,
    year: i32,
) -> Result<Vec<SectionText>, StoreError> {
    Ok(ars::table
        .filter(ars::issuer_id.eq(issuer_id))
        .filter(ars::year.eq(year))
        .order(ars::number)
        .select(SectionText::as_select())
        .load(conn)?)
}

/// Saves a section's text with its audit record, in one transaction; `precondition`
/// sees the locked current text (the caller's `If-Match`). A report published before
/// gets a new draft, which starts from the frozen texts (they are the saved ones).
pub fn save(
    conn: &mut PgConnection,
    actor: &Actor,
    issuer_id: i64,
    year: i32,
    number: i16,
    text: &str,
    precondition: impl FnOnce(Option<&SectionText>) -> Result<(), StoreError>,
) -> Result<SectionText, StoreError> {
    conn.transaction(|conn| {
        // One writer per report at a time: the versions and the draft flag move together.
        lock_report(conn, issuer_id, year)?;
        let before: Option<SectionText> = ars::table
            .find((issuer_id, year, number))
            .select(SectionText::as_select())
            .for_update()
            .first(conn)
            .optional()?;
        precondition(before.as_ref())?;
        let values = (
            ars::issuer_id.eq(issuer_id),
            ars::year.eq(year),
            ars::number.eq(number),
            ars::text.eq(text),
            ars::updated_at.eq(diesel::dsl::now),
            ars::updated_by.eq(&actor.sub),
        );
        let after: SectionText = diesel::insert_into(ars::table)
            .values(values)
            .on_conflict((ars::issuer_id, ars::year, ars::number))
            .do_update()
            .set(values)
            .returning(SectionText::as_returning())
            .get_result(conn)?;
        if super::versions::latest_number(conn, issuer_id, year)?.is_some() {
            diesel::insert_into(ard::table)
                .values((ard::issuer_id.eq(issuer_id), ard::year.eq(year)))
                .on_conflict_do_nothing()
                .execute(conn)?;
        }
        let json = |s: &SectionText| serde_json::to_value(s).ok();
        audit::record(
            conn,
            actor,
            "annual_report.section_saved",
            "annual_report",
            format!("{issuer_id}/{year}/{number}"),
            before.as_ref().and_then(json),
            json(&after),
        )?;
        Ok(after)
    })
}

/// Serializes writers of one report (a transaction-scoped advisory lock).
pub(crate) fn lock_report(
    conn: &mut PgConnection,
    issuer_id: i64,
    year: i32,
) -> Result<(), StoreError> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind::<diesel::sql_types::Int4, _>(0x5245_5054_i32 ^ year)
        .bind::<diesel::sql_types::Int4, _>(
            i32::try_from(issuer_id % i64::from(i32::MAX)).unwrap_or(0),
        )
        .execute(conn)?;
    Ok(())
}

/// Whether a new draft was started after the latest publication.
pub fn reopened(conn: &mut PgConnection, issuer_id: i64, year: i32) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        ard::table.filter(ard::issuer_id.eq(issuer_id)).filter(ard::year.eq(year)),
    ))
    .get_result(conn)?)
}
