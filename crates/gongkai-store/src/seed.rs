//! The data a new install starts with: the Kaiping 2021 plan (its issuing government,
//! units, sections, tasks and quotas) and the working-day calendar 2021–2026.
//!
//! The seed files are compiled into the binary from `seeds/`, so a server needs nothing
//! beside it. They are loaded by code, never by a migration, and only into an empty
//! database.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use gongkai_core::import::ParsedPlan;
use gongkai_core::unit::{UnitKind, UnitName};
use serde::Deserialize;

use crate::schema::{calendar_years, plans, units as units_table};
use crate::{Actor, StoreError, calendar, plans as plan_store, units};

/// The seed's description of the issuing government, its units and the plan.
pub const KAIPING_2021: &str = include_str!("../../../seeds/kaiping-2021.json");
/// The Kaiping 2021 plan as structured data (the importer's output for its text).
pub const KAIPING_2021_PLAN: &str = include_str!("../../../seeds/kaiping-2021-plan.json");
/// The plan's text as copied from the PDF.
pub const KAIPING_2021_TEXT: &str = include_str!("../../../seeds/kaiping-2021-work-plan.txt");
/// Official holidays and make-up working days, 2021–2026.
pub const HOLIDAYS: &str = include_str!("../../../seeds/cn-holidays.json");

#[derive(Deserialize)]
struct SeedUnit {
    name: String,
    kind: UnitKind,
}

#[derive(Deserialize)]
struct SeedPlan {
    year: i32,
    title: String,
}

#[derive(Deserialize)]
struct SeedFile {
    government: SeedUnit,
    units: Vec<SeedUnit>,
    plan: SeedPlan,
}

/// One year of the holiday file.
#[derive(Debug, Deserialize)]
pub struct HolidayYear {
    pub holidays: Vec<NaiveDate>,
    pub workdays: Vec<NaiveDate>,
}

/// Parses the holiday file: `{"YEAR": {"holidays": [...], "workdays": [...]}}`.
pub fn holiday_years() -> Result<BTreeMap<i32, HolidayYear>, StoreError> {
    serde_json::from_str(HOLIDAYS)
        .map_err(|e| StoreError::Internal(format!("seeds/cn-holidays.json is malformed: {e}")))
}

/// The structured Kaiping 2021 plan.
pub fn kaiping_plan() -> Result<ParsedPlan, StoreError> {
    serde_json::from_str(KAIPING_2021_PLAN).map_err(|e| {
        StoreError::Internal(format!("seeds/kaiping-2021-plan.json is malformed: {e}"))
    })
}

/// What the seeding did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub plan_loaded: bool,
    pub calendar_years_loaded: usize,
}

/// Loads the seed into an empty database and leaves a non-empty one alone: the plan and
/// units when there are no units yet, the calendar when no year is stored yet. Two
/// servers starting at once take turns on an advisory lock.
pub fn load_if_empty(conn: &mut PgConnection) -> Result<SeedReport, StoreError> {
    conn.transaction(|conn| {
        diesel::sql_query("SELECT pg_advisory_xact_lock(471102021)").execute(conn)?;
        let actor = Actor::system("seed");
        let mut report = SeedReport::default();

        let has_units: bool =
            diesel::select(diesel::dsl::exists(units_table::table.select(units_table::id)))
                .get_result(conn)?;
        let has_plans: bool =
            diesel::select(diesel::dsl::exists(plans::table.select(plans::id))).get_result(conn)?;
        if !has_units && !has_plans {
            let seed: SeedFile = serde_json::from_str(KAIPING_2021).map_err(|e| {
                StoreError::Internal(format!("seeds/kaiping-2021.json is malformed: {e}"))
            })?;
            let name = |s: &str| {
                UnitName::parse(s).map_err(|m| StoreError::Internal(format!("seed unit {s}: {m}")))
            };
            let gov = units::create(
                conn,
                &actor,
                &units::NewUnit {
                    name: name(&seed.government.name)?,
                    kind: seed.government.kind,
                    parent_id: None,
                },
            )?;
            for u in &seed.units {
                units::create(
                    conn,
                    &actor,
                    &units::NewUnit { name: name(&u.name)?, kind: u.kind, parent_id: Some(gov.id) },
                )?;
            }
            plan_store::store_import(
                conn,
                &actor,
                gov.id,
                seed.plan.year,
                &seed.plan.title,
                &kaiping_plan()?,
                plan_store::OnExisting::Refuse,
            )?;
            report.plan_loaded = true;
        }

        let has_calendar: bool =
            diesel::select(diesel::dsl::exists(calendar_years::table.select(calendar_years::year)))
                .get_result(conn)?;
        if !has_calendar {
            for (year, notice) in holiday_years()? {
                calendar::put_year(conn, &actor, year, &notice.holidays, &notice.workdays)?;
                report.calendar_years_loaded += 1;
            }
        }
        Ok(report)
    })
}
