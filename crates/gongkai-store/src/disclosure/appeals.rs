//! The register of administrative reviews and lawsuits about disclosure (table 四).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use gongkai_core::disclosure::appeals::{AppealKind, AppealResult};
use serde::Serialize;

use crate::schema::{disclosure_appeals as da, disclosure_requests as dr, units};
use crate::units::to_json;
use crate::{Actor, Page, PageRequest, StoreError, audit};

/// A stored review or lawsuit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appeal {
    pub id: i64,
    /// The unit whose decision is challenged.
    pub unit_id: i64,
    /// The application it is about, if recorded.
    pub request_id: Option<i64>,
    pub kind: AppealKind,
    pub filed_on: NaiveDate,
    pub result: AppealResult,
    pub decided_on: Option<NaiveDate>,
    pub case_number: Option<String>,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = da)]
struct AppealRow {
    id: i64,
    unit_id: i64,
    request_id: Option<i64>,
    kind: String,
    filed_on: NaiveDate,
    result: String,
    decided_on: Option<NaiveDate>,
    case_number: Option<String>,
    note: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<AppealRow> for Appeal {
    type Error = StoreError;

    fn try_from(r: AppealRow) -> Result<Self, StoreError> {
        Ok(Appeal {
            id: r.id,
            unit_id: r.unit_id,
            request_id: r.request_id,
            kind: AppealKind::parse(&r.kind)
                .ok_or_else(|| StoreError::Internal(format!("stored appeal kind `{}`", r.kind)))?,
            filed_on: r.filed_on,
            result: AppealResult::parse(&r.result).ok_or_else(|| {
                StoreError::Internal(format!("stored appeal result `{}`", r.result))
            })?,
            decided_on: r.decided_on,
            case_number: r.case_number,
            note: r.note,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// A review or lawsuit to record; the decision fields as in [`AppealChanges`].
#[derive(Debug, Clone)]
pub struct NewAppeal {
    pub unit_id: i64,
    pub request_id: Option<i64>,
    pub kind: AppealKind,
    pub filed_on: NaiveDate,
    pub result: AppealResult,
    pub decided_on: Option<NaiveDate>,
    pub case_number: Option<String>,
    pub note: String,
}

/// Changes to an appeal; None leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AppealChanges {
    pub result: Option<AppealResult>,
    /// Some(None) clears the decision date (with result `pending`).
    pub decided_on: Option<Option<NaiveDate>>,
    pub case_number: Option<Option<String>>,
    pub note: Option<String>,
}

/// Checks that result and decision date agree and the decision follows the filing.
fn check_decision(
    filed_on: NaiveDate,
    result: AppealResult,
    decided_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), StoreError> {
    match (result, decided_on) {
        (AppealResult::Pending, Some(_)) => {
            Err(StoreError::invalid("decided_on", "a pending case has no decision date"))
        }
        (AppealResult::Pending, None) => Ok(()),
        (_, None) => {
            Err(StoreError::invalid("decided_on", "a decided case needs its decision date"))
        }
        (_, Some(d)) if d < filed_on => {
            Err(StoreError::invalid("decided_on", "a case cannot be decided before it was filed"))
        }
        (_, Some(d)) if d > today => {
            Err(StoreError::invalid("decided_on", format!("{d} is in the future")))
        }
        _ => Ok(()),
    }
}

/// Records a review or lawsuit, audited. An application it names must belong to the
/// same unit.
pub fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    new: &NewAppeal,
    today: NaiveDate,
) -> Result<Appeal, StoreError> {
    if new.filed_on > today {
        return Err(StoreError::invalid("filed_on", format!("{} is in the future", new.filed_on)));
    }
    check_decision(new.filed_on, new.result, new.decided_on, today)?;
    conn.transaction(|conn| {
        let unit_exists: bool =
            diesel::select(diesel::dsl::exists(units::table.find(new.unit_id))).get_result(conn)?;
        if !unit_exists {
            return Err(StoreError::invalid(
                "unit_id",
                format!("unit {} does not exist", new.unit_id),
            ));
        }
        if let Some(rid) = new.request_id {
            let unit: Option<i64> =
                dr::table.find(rid).select(dr::unit_id).first(conn).optional()?;
            match unit {
                None => {
                    return Err(StoreError::invalid(
                        "request_id",
                        format!("application {rid} does not exist"),
                    ));
                }
                Some(u) if u != new.unit_id => {
                    return Err(StoreError::invalid(
                        "request_id",
                        format!("application {rid} was handled by unit {u}, not {}", new.unit_id),
                    ));
                }
                Some(_) => {}
            }
        }
        let row: AppealRow = diesel::insert_into(da::table)
            .values((
                da::unit_id.eq(new.unit_id),
                da::request_id.eq(new.request_id),
                da::kind.eq(new.kind.as_str()),
                da::filed_on.eq(new.filed_on),
                da::result.eq(new.result.as_str()),
                da::decided_on.eq(new.decided_on),
                da::case_number.eq(new.case_number.as_deref()),
                da::note.eq(&new.note),
            ))
            .returning(AppealRow::as_returning())
            .get_result(conn)?;
        let appeal = Appeal::try_from(row)?;
        audit::record(
            conn,
            actor,
            "disclosure_appeal.create",
            "disclosure_appeal",
            appeal.id,
            None,
            Some(to_json(&appeal)),
        )?;
        Ok(appeal)
    })
}

/// One appeal.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<Appeal, StoreError> {
    da::table
        .find(id)
        .select(AppealRow::as_select())
        .first(conn)
        .optional()?
        .map(Appeal::try_from)
        .transpose()?
        .ok_or_else(|| StoreError::NotFound(format!("appeal {id}")))
}

/// Appeals in id order, of these units (`None`: all).
pub fn list(
    conn: &mut PgConnection,
    units: Option<&[i64]>,
    page: PageRequest,
) -> Result<Page<Appeal>, StoreError> {
    let mut q = da::table.select(AppealRow::as_select()).into_boxed();
    if let Some(units) = units {
        q = q.filter(da::unit_id.eq_any(units));
    }
    if let Some(after) = page.after {
        q = q.filter(da::id.gt(after));
    }
    let rows: Vec<AppealRow> = q.order(da::id.asc()).limit(page.limit + 1).load(conn)?;
    let page = Page::from_rows(rows, page.limit, |r| r.id);
    Ok(Page {
        items: page.items.into_iter().map(Appeal::try_from).collect::<Result<_, _>>()?,
        next_after: page.next_after,
    })
}

/// Records a decision or corrects an appeal. `precondition` sees the locked current
/// state (the caller's `If-Match`).
pub fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    changes: &AppealChanges,
    today: NaiveDate,
    precondition: impl FnOnce(&Appeal) -> Result<(), StoreError>,
) -> Result<Appeal, StoreError> {
    conn.transaction(|conn| {
        let before: Appeal = da::table
            .find(id)
            .select(AppealRow::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .map(Appeal::try_from)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("appeal {id}")))?;
        precondition(&before)?;
        let result = changes.result.unwrap_or(before.result);
        let decided_on = changes.decided_on.unwrap_or(before.decided_on);
        check_decision(before.filed_on, result, decided_on, today)?;
        let case_number = changes.case_number.clone().unwrap_or(before.case_number.clone());
        let note = changes.note.clone().unwrap_or(before.note.clone());
        let row: AppealRow = diesel::update(da::table.find(id))
            .set((
                da::result.eq(result.as_str()),
                da::decided_on.eq(decided_on),
                da::case_number.eq(case_number),
                da::note.eq(note),
                da::updated_at.eq(diesel::dsl::now),
            ))
            .returning(AppealRow::as_returning())
            .get_result(conn)?;
        let after = Appeal::try_from(row)?;
        audit::record(
            conn,
            actor,
            "disclosure_appeal.update",
            "disclosure_appeal",
            id,
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        Ok(after)
    })
}
