//! Deadline reminders sent: one row per item, threshold and due date, written in the
//! same transaction as the reminder's event, so a reminder goes out once whatever the
//! number of instances or restarts.

use chrono::NaiveDate;
use diesel::prelude::*;
use gongkai_core::reminders::Threshold;

use crate::StoreError;
use crate::events::{self, NewEvent};
use crate::schema::reminders_sent;

/// One reminder: the item it is about (`quota/5/unit/3`, `rectification/8`, …), its
/// threshold and the due date it counts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub item: String,
    pub threshold: Threshold,
    pub due: NaiveDate,
}

/// Whether a reminder was already sent.
pub fn was_sent(conn: &mut PgConnection, r: &Reminder) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        reminders_sent::table
            .filter(reminders_sent::item.eq(&r.item))
            .filter(reminders_sent::threshold.eq(r.threshold.as_str()))
            .filter(reminders_sent::due.eq(r.due)),
    ))
    .get_result(conn)?)
}

/// Why a transaction sending a reminder was rolled back.
enum NotSent {
    /// Another run sent it first.
    AlreadySent,
    Store(StoreError),
}

impl From<diesel::result::Error> for NotSent {
    fn from(e: diesel::result::Error) -> Self {
        NotSent::Store(e.into())
    }
}

impl From<StoreError> for NotSent {
    fn from(e: StoreError) -> Self {
        NotSent::Store(e)
    }
}

/// Sends a reminder: appends `event` and records the reminder, in one transaction. When
/// it was sent before (by this run, an earlier one, or another instance at the same
/// time) nothing is written and the answer is None; otherwise the event's id.
///
/// The record is `INSERT … ON CONFLICT DO NOTHING` on the table's primary key (item,
/// threshold, due): a second sender's insert waits for the first's commit, then inserts
/// nothing, and its event is rolled back with it.
pub fn send(
    conn: &mut PgConnection,
    reminder: &Reminder,
    event: NewEvent,
) -> Result<Option<i64>, StoreError> {
    if was_sent(conn, reminder)? {
        return Ok(None);
    }
    let sent = conn.transaction::<i64, NotSent, _>(|conn| {
        let event_id = events::emit(conn, event)?;
        let inserted = diesel::insert_into(reminders_sent::table)
            .values((
                reminders_sent::item.eq(&reminder.item),
                reminders_sent::threshold.eq(reminder.threshold.as_str()),
                reminders_sent::due.eq(reminder.due),
                reminders_sent::event_id.eq(event_id),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
        if inserted == 0 {
            return Err(NotSent::AlreadySent);
        }
        Ok(event_id)
    });
    match sent {
        Ok(id) => Ok(Some(id)),
        Err(NotSent::AlreadySent) => Ok(None),
        Err(NotSent::Store(e)) => Err(e),
    }
}
