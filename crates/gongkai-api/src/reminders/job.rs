//! The daily sweep: reads what falls due from the compliance engine's due-soon list, the
//! rectification items, the disclosure clock and the opinion ledger (responses and
//! promises), and sends each reminder called for
//! that was not sent before (see `gongkai_core::reminders` for the rules and
//! `gongkai_store::reminders` for the once-only record).
//!
//! Nothing here counts working days itself: the due-soon list, the disclosure clock and
//! the calendar's `workdays_between` do. A date in a year whose holiday notice is not
//! loaded makes the calendar answer an error; the item (or the plan's quotas, when the
//! evaluation itself needs that year) is skipped, logged, and tried again the next day.

use chrono::NaiveDate;
use diesel::PgConnection;
use gongkai_core::calendar::{CalendarError, StartDayRule, WorkCalendar};
use gongkai_core::compliance::{Finding, Required, Status, due_soon, evaluate};
use gongkai_core::disclosure::{ClockSettings, ClockState};
use gongkai_core::events::EventType;
use gongkai_core::reminders::{DUE_SOON_WORKDAYS, Standing, Threshold, reminder_for};
use gongkai_store::compliance::load_plan;
use gongkai_store::disclosure::requests::{self, RequestFilter};
use gongkai_store::events::NewEvent;
use gongkai_store::plans::{self, Plan, PlanFilter};
use gongkai_store::reminders::{Reminder, send};
use gongkai_store::{PageRequest, StoreError, calendar, reviews};
use serde_json::{Value, json};

use gongkai_store::opinion::{CaseFilter, cases as opinion_cases};

use crate::compliance::view::accountable;
use crate::opinion::dues::all_dues;
use crate::opinion::types::OpinionDueKind;

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sweep {
    /// Reminders sent (events appended).
    pub sent: usize,
    /// Items or plans skipped because the calendar could not count them.
    pub skipped: usize,
}

/// An item with a due date, where it stands, and the event that would announce it.
struct Due {
    item: String,
    due: NaiveDate,
    standing: Standing,
    event: NewEvent,
}

/// Sends the reminders called for on `today` that were not sent before. Safe to run any
/// number of times, from any number of instances at once.
pub fn sweep(
    conn: &mut PgConnection,
    clock: ClockSettings,
    today: NaiveDate,
) -> Result<Sweep, StoreError> {
    let calendar = calendar::work_calendar(conn)?;
    let mut out = Sweep::default();
    let mut dues = Vec::new();
    let mut page = PageRequest::first(100);
    loop {
        let plans = plans::list(conn, &PlanFilter::default(), page)?;
        for plan in &plans.items {
            dues.extend(quota_dues(conn, plan, &calendar, today, &mut out)?);
            dues.extend(rectification_dues(conn, plan, &calendar, today, &mut out)?);
        }
        match plans.next_after {
            Some(after) => page.after = Some(after),
            None => break,
        }
    }
    dues.extend(disclosure_dues(conn, &calendar, clock, today, &mut out)?);
    dues.extend(opinion_dues(conn, &calendar, today)?);
    for due in dues {
        let Some(threshold) = reminder_for(due.standing) else { continue };
        let reminder = Reminder { item: due.item, threshold, due: due.due };
        let event = announce(due.event, threshold, due.due, due.standing);
        if send(conn, &reminder, event)?.is_some() {
            out.sent += 1;
        }
    }
    Ok(out)
}

/// The reminder's event: `deadline.due_soon` or `deadline.overdue`, its data extended
/// with the threshold, the due date and the working days left.
fn announce(mut event: NewEvent, threshold: Threshold, due: NaiveDate, s: Standing) -> NewEvent {
    event.kind = if threshold.is_overdue() {
        EventType::DeadlineOverdue
    } else {
        EventType::DeadlineDueSoon
    };
    if let Value::Object(data) = &mut event.data {
        data.insert("threshold".into(), json!(threshold.as_str()));
        data.insert("due".into(), json!(due));
        data.insert("workdays_left".into(), json!(s.workdays_left()));
    }
    event
}

fn skip(out: &mut Sweep, what: &str, e: &dyn std::fmt::Display) {
    tracing::warn!("reminders: skipped {what}: {e}");
    out.skipped += 1;
}

/// Quota deadlines and within-N-working-days duties of a plan, from the due-soon list
/// (pending within the widest threshold, and overdue).
fn quota_dues(
    conn: &mut PgConnection,
    plan: &Plan,
    calendar: &WorkCalendar,
    today: NaiveDate,
    out: &mut Sweep,
) -> Result<Vec<Due>, StoreError> {
    let inputs = load_plan(conn, plan.id, today, None)?;
    let evaluation =
        match evaluate(plan.year, &inputs.quotas, &inputs.evidence, &inputs.calendar, today) {
            Ok(e) => e,
            Err(e) => {
                skip(out, &format!("the quotas of plan {}", plan.id), &e);
                return Ok(Vec::new());
            }
        };
    let dated: Vec<Finding> = evaluation
        .findings
        .into_iter()
        .filter(|f| {
            matches!(f.required, Required::Deadline { .. } | Required::WithinWorkdays { .. })
        })
        .collect();
    let widest = DUE_SOON_WORKDAYS[0];
    let standings: Vec<(Finding, Result<Standing, CalendarError>)> =
        match due_soon(&dated, today, widest, calendar) {
            Ok(list) => list
                .due_soon
                .into_iter()
                .map(|i| (i.finding, Ok(Standing::DueIn(i.workdays_left))))
                .chain(list.overdue.into_iter().map(|f| {
                    let s = Standing::on(calendar, today, f.period_end);
                    (f, s)
                }))
                .collect(),
            // The horizon reaches a year without a notice: each finding on its own, so
            // those due before that year still get theirs.
            Err(e) => {
                tracing::info!("reminders: plan {}: {e}; counting each deadline alone", plan.id);
                dated
                    .into_iter()
                    .filter(|f| matches!(f.status, Status::Pending | Status::Overdue))
                    .map(|f| {
                        let s = Standing::on(calendar, today, f.period_end);
                        (f, s)
                    })
                    .collect()
            }
        };
    let mut dues = Vec::new();
    for (f, standing) in standings {
        let item = quota_item(&f);
        match standing {
            Ok(standing) => {
                let unit = accountable(&f, &inputs.leads);
                dues.push(Due {
                    standing,
                    due: f.period_end,
                    event: quota_event(plan, &f, unit),
                    item,
                })
            }
            Err(e) => skip(out, &item, &e),
        }
    }
    Ok(dues)
}

/// `quota/5/task` or `quota/5/unit/3`, with `/event/2021-04-30` for an event of a
/// within-N-working-days duty.
fn quota_item(f: &Finding) -> String {
    let whose = f.unit_id.map_or_else(|| "task".to_string(), |u| format!("unit/{u}"));
    match f.required {
        Required::WithinWorkdays { event_on, .. } => {
            format!("quota/{}/{whose}/event/{event_on}", f.quota_id)
        }
        _ => format!("quota/{}/{whose}", f.quota_id),
    }
}

fn quota_event(plan: &Plan, f: &Finding, unit: Option<i64>) -> NewEvent {
    let mut data = json!({
        "kind": "quota_deadline",
        "quota_id": f.quota_id,
        "task_id": f.task_id,
        "unit_id": f.unit_id,
    });
    if let Required::WithinWorkdays { event_on, .. } = f.required {
        data["kind"] = json!("within_workdays");
        data["event_on"] = json!(event_on);
    }
    let event = NewEvent::new(
        EventType::DeadlineDueSoon,
        format!("/api/v1/quotas/{}", f.quota_id),
        Some(f.quota_id),
        data,
    )
    .plan(plan.id);
    match unit {
        Some(u) => event.unit(u),
        None => event,
    }
}

/// The unverified rectification items a plan answers for, due within the widest
/// threshold or already past due (every one of them when the horizon cannot be counted).
fn rectification_dues(
    conn: &mut PgConnection,
    plan: &Plan,
    calendar: &WorkCalendar,
    today: NaiveDate,
    out: &mut Sweep,
) -> Result<Vec<Due>, StoreError> {
    let horizon = calendar
        .add_workdays(today, DUE_SOON_WORKDAYS[0], StartDayRule::NotCounted)
        .map_or(NaiveDate::MAX, |e| e.due);
    let mut dues = Vec::new();
    for r in reviews::unverified_for_plan(conn, plan, None, horizon)? {
        let item = format!("rectification/{}", r.id);
        match Standing::on(calendar, today, r.due) {
            Ok(standing) => {
                let data = json!({
                    "kind": "rectification",
                    "rectification_id": r.id,
                    "review_id": r.review_id,
                    "task_id": r.task_id,
                    "unit_id": r.unit_id,
                    "status": r.status,
                });
                let event = NewEvent::new(
                    EventType::DeadlineDueSoon,
                    format!("/api/v1/rectifications/{}", r.id),
                    Some(r.id),
                    data,
                )
                .task(r.task_id)
                .unit(r.unit_id);
                dues.push(Due { item, due: r.due, standing, event });
            }
            Err(e) => skip(out, &item, &e),
        }
    }
    Ok(dues)
}

/// The reply due dates of open applications whose clock runs (a paused clock's due date
/// moves every day, and one awaiting a correction has none).
fn disclosure_dues(
    conn: &mut PgConnection,
    calendar: &WorkCalendar,
    settings: ClockSettings,
    today: NaiveDate,
    out: &mut Sweep,
) -> Result<Vec<Due>, StoreError> {
    let open = RequestFilter { open_only: true, ..RequestFilter::default() };
    let mut dues = Vec::new();
    for r in requests::list_all(conn, &open, None)? {
        let clock = r.case().clock(calendar, settings, today);
        if clock.state != ClockState::Running {
            continue;
        }
        let item = format!("disclosure_request/{}", r.id);
        let (Some(due), Some(left)) = (clock.reply_due, clock.workdays_left) else {
            let why = clock.warnings.first().map_or("no reply due date", |w| w.message.as_str());
            skip(out, &item, &why);
            continue;
        };
        let data = json!({
            "kind": "disclosure_reply",
            "disclosure_request_id": r.id,
            "unit_id": r.unit_id,
            "status": r.status.as_str(),
        });
        let event = NewEvent::new(
            EventType::DeadlineDueSoon,
            format!("/api/v1/disclosure-requests/{}", r.id),
            Some(r.id),
            data,
        )
        .unit(r.unit_id);
        dues.push(Due { item, due, standing: Standing::from_signed(left, clock.overdue), event });
    }
    Ok(dues)
}

/// The responses of opinion cases not yet answered and the pending promises (each
/// answered for by the case's lead unit or the promise's unit). Items whose dates the
/// calendar cannot count are left out by the due list and tried again the next day.
fn opinion_dues(
    conn: &mut PgConnection,
    calendar: &WorkCalendar,
    today: NaiveDate,
) -> Result<Vec<Due>, StoreError> {
    let open = CaseFilter { open_only: true, ..CaseFilter::default() };
    let cases = opinion_cases::list_all(conn, &open, None)?;
    let mut dues = Vec::new();
    for i in all_dues(&cases, calendar, today, None) {
        let (item, kind, resource) = match (i.kind, i.promise_id) {
            (OpinionDueKind::Promise, Some(p)) => {
                (format!("opinion_promise/{p}"), "opinion_promise", p)
            }
            _ => (format!("opinion_case/{}/response", i.case_id), "opinion_response", i.case_id),
        };
        let data = json!({
            "kind": kind,
            "opinion_case_id": i.case_id,
            "promise_id": i.promise_id,
            "task_id": i.task_id,
            "unit_id": i.unit_id,
        });
        let event = NewEvent::new(
            EventType::DeadlineDueSoon,
            format!("/api/v1/opinion-cases/{}", i.case_id),
            Some(resource),
            data,
        )
        .task(i.task_id)
        .unit(i.unit_id);
        let standing = Standing::from_signed(i.workdays_left, i.due < today);
        dues.push(Due { item, due: i.due, standing, event });
    }
    Ok(dues)
}

/// Runs the sweep at start-up and again whenever the day (`today`, normally
/// [`crate::http::clock::today`]) changes, for as long as the server runs; a sweep that
/// fails (the database unreachable) is tried again a minute later.
pub async fn run(pool: gongkai_store::DbPool, clock: ClockSettings, today: fn() -> NaiveDate) {
    const CHECK: std::time::Duration = std::time::Duration::from_secs(60);
    let mut done: Option<NaiveDate> = None;
    loop {
        let day = today();
        if done != Some(day) {
            let pool = pool.clone();
            let swept = actix_web::web::block(move || {
                let mut conn = pool.get()?;
                sweep(&mut conn, clock, day)
            })
            .await;
            match swept {
                Ok(Ok(s)) => {
                    tracing::info!(day = %day, sent = s.sent, skipped = s.skipped, "reminders swept");
                    done = Some(day);
                }
                Ok(Err(e)) => tracing::warn!("reminders: the sweep of {day} failed: {e}"),
                Err(e) => tracing::error!("reminders: the sweep's task failed: {e}"),
            }
        }
        tokio::time::sleep(CHECK).await;
    }
}
