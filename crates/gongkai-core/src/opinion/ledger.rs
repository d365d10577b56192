//! 舆情回应台账: the ledger's counts per unit, topic, source or month — concerns
//! received, responded (on time, late, overdue), promises made, kept, kept late, broken
//! and overdue — as of a day. A plain function of the cases, so any grouping can be
//! tested without a database.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::opinion::promise::PromiseStatus;
use crate::opinion::words::{Source, Topic};

/// How the ledger groups its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = OpinionLedgerGroupBy))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// Per unit: a case under its lead unit, a promise under the unit that made it.
    Unit,
    /// Per topic (task 27's list).
    Topic,
    /// Per source.
    Source,
    /// Per month of receipt (`2021-03`).
    Month,
}

/// A promise as the ledger counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerPromise {
    pub unit_id: i64,
    pub unit_name: String,
    pub due_on: NaiveDate,
    pub status: PromiseStatus,
    /// When it was kept or found broken.
    pub settled_on: Option<NaiveDate>,
    /// Whether its fulfilment was made public (公开情况).
    pub fulfilment_published: bool,
}

/// A case as the ledger counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerCase {
    pub source: Source,
    pub topic: Topic,
    pub received_on: NaiveDate,
    pub lead_unit_id: i64,
    pub lead_unit_name: String,
    /// The last day to respond; None when the calendar could not count it.
    pub response_due: Option<NaiveDate>,
    /// The day of the first response, if any.
    pub first_response_on: Option<NaiveDate>,
    pub promises: Vec<LedgerPromise>,
}

/// One row of the ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = OpinionLedgerRow))]
pub struct LedgerRow {
    /// The group: a unit id, a topic or source word, a month `YYYY-MM`; `total` for the
    /// last row.
    pub key: String,
    /// The group's name in Chinese (the unit's name, the topic, the source, the month).
    pub label: String,
    /// Concerns received.
    pub received: u32,
    /// Concerns responded to by `as_of`.
    pub responded: u32,
    /// Of those, responded on or before the response due date.
    pub responded_on_time: u32,
    /// Of those, responded after it.
    pub responded_late: u32,
    /// Not responded to by `as_of`, and past the response due date.
    pub response_overdue: u32,
    /// Promises made (承诺).
    pub promises_made: u32,
    /// Kept on time by `as_of`.
    pub promises_kept: u32,
    /// Kept after their due date.
    pub promises_kept_late: u32,
    /// Recorded as broken.
    pub promises_broken: u32,
    /// Pending and past their due date as of `as_of`.
    pub promises_overdue: u32,
    /// Pending and not yet due.
    pub promises_pending: u32,
    /// Kept (on time or late) with their fulfilment made public.
    pub fulfilment_published: u32,
}

impl LedgerRow {
    fn new(key: String, label: String) -> Self {
        LedgerRow { key, label, ..LedgerRow::default() }
    }

    fn add_case(&mut self, c: &LedgerCase, as_of: NaiveDate) {
        self.received += 1;
        match (c.first_response_on.filter(|on| *on <= as_of), c.response_due) {
            (Some(on), Some(due)) => {
                self.responded += 1;
                if on <= due {
                    self.responded_on_time += 1;
                } else {
                    self.responded_late += 1;
                }
            }
            (Some(_), None) => self.responded += 1,
            (None, Some(due)) if as_of > due => self.response_overdue += 1,
            (None, _) => {}
        }
    }

    fn add_promise(&mut self, p: &LedgerPromise, as_of: NaiveDate) {
        self.promises_made += 1;
        // A move recorded after `as_of` is not known yet on that day.
        let status = match p.settled_on {
            Some(on) if on > as_of => PromiseStatus::Pending,
            _ => p.status,
        };
        match status {
            PromiseStatus::Kept => self.promises_kept += 1,
            PromiseStatus::KeptLate => self.promises_kept_late += 1,
            PromiseStatus::Broken => self.promises_broken += 1,
            _ if status.is_overdue(p.due_on, as_of) => self.promises_overdue += 1,
            PromiseStatus::Pending => self.promises_pending += 1,
        }
        if status.is_kept() && p.fulfilment_published {
            self.fulfilment_published += 1;
        }
    }
}

fn case_key(c: &LedgerCase, by: GroupBy) -> (String, String) {
    match by {
        GroupBy::Unit => (c.lead_unit_id.to_string(), c.lead_unit_name.clone()),
        GroupBy::Topic => (c.topic.as_str().to_string(), c.topic.label().to_string()),
        GroupBy::Source => (c.source.as_str().to_string(), c.source.label().to_string()),
        GroupBy::Month => {
            let m = format!("{:04}-{:02}", c.received_on.year(), c.received_on.month());
            (m.clone(), m)
        }
    }
}

/// The ledger of `cases` grouped `by`, as of `as_of`: one row per group in key order
/// (units by id, topics and sources in their list's order, months in order), then a
/// `total` row. Cases received after `as_of` are left out.
pub fn count_ledger(cases: &[LedgerCase], by: GroupBy, as_of: NaiveDate) -> Vec<LedgerRow> {
    let mut rows: BTreeMap<(i64, String), LedgerRow> = BTreeMap::new();
    let mut total = LedgerRow::new("total".into(), "合计".into());
    let order = |key: &str| -> i64 {
        match by {
            GroupBy::Unit => key.parse().unwrap_or(i64::MAX),
            GroupBy::Topic => Topic::ALL.iter().position(|t| t.as_str() == key).unwrap_or(0) as i64,
            GroupBy::Source => {
                Source::ALL.iter().position(|s| s.as_str() == key).unwrap_or(0) as i64
            }
            GroupBy::Month => 0,
        }
    };
    for c in cases.iter().filter(|c| c.received_on <= as_of) {
        let (key, label) = case_key(c, by);
        rows.entry((order(&key), key.clone()))
            .or_insert_with(|| LedgerRow::new(key, label))
            .add_case(c, as_of);
        total.add_case(c, as_of);
        for p in &c.promises {
            let (key, label) = match by {
                GroupBy::Unit => (p.unit_id.to_string(), p.unit_name.clone()),
                _ => case_key(c, by),
            };
            rows.entry((order(&key), key.clone()))
                .or_insert_with(|| LedgerRow::new(key, label))
                .add_promise(p, as_of);
            total.add_promise(p, as_of);
        }
    }
    let mut out: Vec<LedgerRow> = rows.into_values().collect();
    out.push(total);
    out
}
