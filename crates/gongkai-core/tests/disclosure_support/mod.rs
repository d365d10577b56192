//! Shared helpers of the disclosure tests: the seed calendar, dates, and a case built
//! step by step through the state machine.

#![allow(dead_code)]

use chrono::NaiveDate;
use gongkai_core::calendar::WorkCalendar;
use gongkai_core::disclosure::{Action, Case, ClockSettings, Context, Event, RuleError};

/// The published calendar 2021–2026 of `seeds/cn-holidays.json`.
pub fn seeds() -> WorkCalendar {
    let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cn-holidays.json"));
    WorkCalendar::from_json(text).expect("the seed calendar is valid")
}

/// A date from `YYYY-MM-DD`.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// A case received on `received` asking for `items` items, with nothing done yet.
pub fn case(received: &str, items: u32) -> Case {
    Case { received_on: d(received), item_count: items, events: Vec::new() }
}

/// "Today" for the tests: late in the last published year.
pub fn today() -> NaiveDate {
    d("2026-11-27")
}

/// Decides `action` on `case` with the default settings; on success records it.
pub fn step(case: &mut Case, calendar: &WorkCalendar, action: Action) -> Result<Event, RuleError> {
    step_with(case, calendar, ClockSettings::default(), 0, action)
}

/// As [`step`], with settings and the applicant's earlier items of the month.
pub fn step_with(
    case: &mut Case,
    calendar: &WorkCalendar,
    settings: ClockSettings,
    prior_items_this_month: u32,
    action: Action,
) -> Result<Event, RuleError> {
    let ctx = Context { today: today(), calendar, settings, prior_items_this_month };
    let event = case.decide(action, &ctx)?;
    case.push(event.clone());
    Ok(event)
}

/// The code of a refusal (`validation:<fields>` for field errors).
pub fn code(e: RuleError) -> String {
    match e {
        RuleError::Conflict { code, .. } => code.to_string(),
        RuleError::Invalid(fields) => format!(
            "validation:{}",
            fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>().join(",")
        ),
    }
}
