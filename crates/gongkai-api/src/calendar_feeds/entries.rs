//! What a feed shows: the deadline quotas of its plan, the plan's unverified
//! rectification items and the open applications of its units, each as one dated entry
//! with a stable UID. Entries name tasks, units and ids — never an applicant, a subject
//! or a note.

use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::PgConnection;
use gongkai_core::compliance::{QuotaScope, UnitRef};
use gongkai_core::disclosure::{ClockSettings, ClockState};
use gongkai_core::quota::QuotaRule;
use gongkai_store::calendar_feeds::{CalendarFeed, task_numbers, unit_names};
use gongkai_store::compliance::load_plan;
use gongkai_store::disclosure::requests::{self, RequestFilter};
use gongkai_store::{StoreError, calendar, plans, reviews, units};

/// One all-day event of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Stable across reads and feeds: `quota-5-unit-3@gongkai`, `rectification-8@gongkai`,
    /// `disclosure-request-12@gongkai`.
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
}

/// The domain part of every UID.
const UID_DOMAIN: &str = "gongkai";

/// The feed's title: the plan's, with the unit's name when it covers one unit.
pub fn title(conn: &mut PgConnection, feed: &CalendarFeed) -> Result<String, StoreError> {
    let plan = plans::get(conn, feed.plan_id)?;
    Ok(match feed.unit_id {
        Some(u) => {
            let names = unit_names(conn, &[u])?;
            format!("{}（{}）", plan.title, names.get(&u).map_or("", String::as_str))
        }
        None => plan.title,
    })
}

/// Everything `feed` shows as of `today` (the clock of applications runs to it), by date.
pub fn entries(
    conn: &mut PgConnection,
    feed: &CalendarFeed,
    clock: ClockSettings,
    today: NaiveDate,
) -> Result<Vec<Entry>, StoreError> {
    let plan = plans::get(conn, feed.plan_id)?;
    let scope: Option<HashSet<i64>> = match feed.unit_id {
        Some(u) => Some(units::subtree_ids(conn, u)?.into_iter().collect()),
        None => None,
    };
    let within = |unit: i64| scope.as_ref().is_none_or(|s| s.contains(&unit));
    let mut out = Vec::new();

    // Deadline quotas: one entry for the task (answered for by its lead unit), or one per
    // bound unit.
    let inputs = load_plan(conn, plan.id, today, None)?;
    for q in &inputs.quotas {
        let QuotaRule::Deadline { due } = q.rule else { continue };
        let bound: Vec<(Option<&UnitRef>, String)> = match &q.scope {
            QuotaScope::Task => {
                let lead = inputs.leads.get(&q.task_id);
                if lead.is_some_and(|u| !within(u.id)) || (lead.is_none() && scope.is_some()) {
                    continue;
                }
                vec![(lead, format!("quota-{}-task@{UID_DOMAIN}", q.quota_id))]
            }
            QuotaScope::EachUnit { units } => units
                .iter()
                .filter(|u| within(u.id))
                .map(|u| (Some(u), format!("quota-{}-unit-{}@{UID_DOMAIN}", q.quota_id, u.id)))
                .collect(),
        };
        for (unit, uid) in bound {
            let whose = unit.map(|u| format!("（{}）", u.name)).unwrap_or_default();
            out.push(Entry {
                uid,
                date: due,
                summary: format!("【截止】任务{}{whose}", q.task_number),
                description: format!(
                    "任务{}的完成期限（配额#{}）。/api/v1/quotas/{}",
                    q.task_number, q.quota_id, q.quota_id
                ),
            });
        }
    }

    // Rectification items not verified yet, of the plan's look-backs and the one it
    // carries over.
    let items: Vec<reviews::Rectification> =
        reviews::unverified_for_plan(conn, &plan, None, NaiveDate::MAX)?
            .into_iter()
            .filter(|r| within(r.unit_id))
            .collect();
    let unit_ids: Vec<i64> = items.iter().map(|r| r.unit_id).collect();
    let task_ids: Vec<i64> = items.iter().map(|r| r.task_id).collect();
    let names = unit_names(conn, &unit_ids)?;
    let numbers = task_numbers(conn, &task_ids)?;
    for r in items {
        let unit = names.get(&r.unit_id).map_or("", String::as_str);
        let task = numbers.get(&r.task_id).copied().unwrap_or_default();
        out.push(Entry {
            uid: format!("rectification-{}@{UID_DOMAIN}", r.id),
            date: r.due,
            summary: format!("【整改】任务{task}（{unit}）"),
            description: format!("整改事项#{}到期。/api/v1/rectifications/{}", r.id, r.id),
        });
    }

    // Open applications handled by the feed's units (the plan's government's subtree for
    // a whole-plan feed): the reply due date as the clock reads it today.
    let handling = match &scope {
        Some(s) => s.iter().copied().collect(),
        None => units::subtree_ids(conn, plan.issuing_unit_id)?,
    };
    let open = RequestFilter { units: Some(handling), open_only: true, ..RequestFilter::default() };
    let cal = calendar::work_calendar(conn)?;
    for r in requests::list_all(conn, &open, None)? {
        let c = r.case().clock(&cal, clock, today);
        let Some(due) = c.reply_due.filter(|_| c.state != ClockState::Stopped) else { continue };
        out.push(Entry {
            uid: format!("disclosure-request-{}@{UID_DOMAIN}", r.id),
            date: due,
            summary: format!("【依申请公开答复】申请#{}（{}）", r.id, r.unit_name),
            description: format!("申请#{}的答复期限。/api/v1/disclosure-requests/{}", r.id, r.id),
        });
    }
    out.sort_by(|a, b| (a.date, &a.uid).cmp(&(b.date, &b.uid)));
    Ok(out)
}
