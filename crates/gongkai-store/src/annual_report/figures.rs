//! Table 二 figures (本年制发件数, 处理决定数量, 收费金额, …) per unit and year.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use gongkai_core::annual_report::{Figures, WanYuan};
use serde::Serialize;

use crate::schema::{report_figures as rf, units};
use crate::{Actor, StoreError, audit};

/// One unit's stored figures of a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredFigures {
    pub unit_id: i64,
    pub unit: String,
    pub year: i32,
    pub figures: Figures,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = rf)]
struct Row {
    unit_id: i64,
    year: i32,
    rules_issued: i64,
    rules_repealed: i64,
    rules_in_force: i64,
    normative_documents_issued: i64,
    normative_documents_repealed: i64,
    normative_documents_in_force: i64,
    licensing_decisions: i64,
    penalty_decisions: i64,
    enforcement_decisions: i64,
    fees_wan_yuan_hundredths: i64,
    updated_at: DateTime<Utc>,
    updated_by: String,
}

// The columns' checks keep every figure at zero or more.
fn n(x: i64) -> u64 {
    u64::try_from(x).unwrap_or(0)
}

fn db(x: u64) -> Result<i64, StoreError> {
    i64::try_from(x).map_err(|_| StoreError::invalid("figures", "a figure is too large"))
}

impl Row {
    fn into_stored(self, unit: String) -> StoredFigures {
        StoredFigures {
            unit_id: self.unit_id,
            unit,
            year: self.year,
            figures: Figures {
                rules_issued: n(self.rules_issued),
                rules_repealed: n(self.rules_repealed),
                rules_in_force: n(self.rules_in_force),
                normative_documents_issued: n(self.normative_documents_issued),
                normative_documents_repealed: n(self.normative_documents_repealed),
                normative_documents_in_force: n(self.normative_documents_in_force),
                licensing_decisions: n(self.licensing_decisions),
                penalty_decisions: n(self.penalty_decisions),
                enforcement_decisions: n(self.enforcement_decisions),
                fees_wan_yuan: WanYuan(n(self.fees_wan_yuan_hundredths)),
            },
            updated_at: self.updated_at,
            updated_by: self.updated_by,
        }
    }
}

/// The figures of `unit_ids` for `year`, in unit id order (units that entered none are
/// missing).
pub fn of_units(
    conn: &mut PgConnection,
    unit_ids: &[i64],
    year: i32,
) -> Result<Vec<StoredFigures>, StoreError> {
    let rows: Vec<(Row, String)> = rf::table
        .inner_join(units::table)
        .filter(rf::unit_id.eq_any(unit_ids))
        .filter(rf::year.eq(year))
        .select((Row::as_select(), units::name))
        .order(rf::unit_id)
        .load(conn)?;
    Ok(rows.into_iter().map(|(r, name)| r.into_stored(name)).collect())
}

/// One unit's figures of a year, if entered.
pub fn get(
    conn: &mut PgConnection,
    unit_id: i64,
    year: i32,
) -> Result<Option<StoredFigures>, StoreError> {
    Ok(of_units(conn, &[unit_id], year)?.into_iter().next())
}

/// Enters or replaces a unit's figures of a year, with its audit record, in one
/// transaction. `precondition` sees the locked current figures (the caller's `If-Match`;
/// `None` when none were entered yet).
pub fn put(
    conn: &mut PgConnection,
    actor: &Actor,
    unit_id: i64,
    year: i32,
    figures: &Figures,
    precondition: impl FnOnce(Option<&StoredFigures>) -> Result<(), StoreError>,
) -> Result<StoredFigures, StoreError> {
    conn.transaction(|conn| {
        let name: String = units::table
            .find(unit_id)
            .select(units::name)
            .first(conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("unit {unit_id}")))?;
        let before: Option<StoredFigures> = rf::table
            .find((unit_id, year))
            .select(Row::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .map(|r| r.into_stored(name.clone()));
        precondition(before.as_ref())?;
        let f = figures;
        let values = (
            rf::unit_id.eq(unit_id),
            rf::year.eq(year),
            rf::rules_issued.eq(db(f.rules_issued)?),
            rf::rules_repealed.eq(db(f.rules_repealed)?),
            rf::rules_in_force.eq(db(f.rules_in_force)?),
            rf::normative_documents_issued.eq(db(f.normative_documents_issued)?),
            rf::normative_documents_repealed.eq(db(f.normative_documents_repealed)?),
            rf::normative_documents_in_force.eq(db(f.normative_documents_in_force)?),
            rf::licensing_decisions.eq(db(f.licensing_decisions)?),
            rf::penalty_decisions.eq(db(f.penalty_decisions)?),
            rf::enforcement_decisions.eq(db(f.enforcement_decisions)?),
            rf::fees_wan_yuan_hundredths.eq(db(f.fees_wan_yuan.0)?),
            rf::updated_at.eq(diesel::dsl::now),
            rf::updated_by.eq(&actor.sub),
        );
        let row: Row = diesel::insert_into(rf::table)
            .values(values)
            .on_conflict((rf::unit_id, rf::year))
            .do_update()
            .set(values)
            .returning(Row::as_returning())
            .get_result(conn)?;
        let after = row.into_stored(name);
        let json = |s: &StoredFigures| serde_json::to_value(s).ok();
        audit::record(
            conn,
            actor,
            if before.is_some() { "report_figures.update" } else { "report_figures.create" },
            "report_figures",
            format!("{unit_id}/{year}"),
            before.as_ref().and_then(json),
            json(&after),
        )?;
        Ok(after)
    })
}
