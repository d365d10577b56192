//! Registering, reading and listing applications.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use gongkai_core::disclosure::applicant::normalize_name;
use gongkai_core::disclosure::registration::Registration;
use gongkai_core::disclosure::{ApplicantKind, Status};
use gongkai_core::events::EventType;
use serde_json::{Value, json};

use super::record::{DisclosureRequest, RequestRow, assemble};
use super::secrets::ApplicantSecrets;
use crate::events::{self, NewEvent};
use crate::schema::{disclosure_requests as dr, units};
use crate::{Actor, Changes, Page, PageRequest, StoreError, audit};

/// Stores a checked registration for `unit_id`, audited. The identity number is
/// sealed; the applicant key is the blind index of name and number.
pub fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    secrets: &ApplicantSecrets,
    unit_id: i64,
    reg: &Registration,
) -> Result<DisclosureRequest, StoreError> {
    let sealed = reg.applicant.id_number.as_deref().map(|id| secrets.seal(id)).transpose()?;
    let key = secrets
        .applicant_key(&normalize_name(&reg.applicant.name), reg.applicant.id_number.as_deref());
    conn.transaction(|conn| {
        let unit_exists: bool =
            diesel::select(diesel::dsl::exists(units::table.find(unit_id))).get_result(conn)?;
        if !unit_exists {
            return Err(StoreError::invalid("unit_id", format!("unit {unit_id} does not exist")));
        }
        let r = &reg.receipt;
        let c = &reg.applicant.contact;
        let id: i64 = diesel::insert_into(dr::table)
            .values((
                dr::unit_id.eq(unit_id),
                dr::channel.eq(r.channel.as_str()),
                dr::received_on.eq(r.received_on),
                dr::sent_on.eq(r.sent_on),
                dr::signed_for_on.eq(r.signed_for_on),
                dr::confirmed_on.eq(r.confirmed_on),
                dr::applicant_kind.eq(reg.applicant_kind.as_str()),
                dr::applicant_name.eq(&reg.applicant.name),
                dr::applicant_id_cipher.eq(sealed.as_deref()),
                dr::applicant_key.eq(&key),
                dr::contact_phone.eq(c.phone.as_deref()),
                dr::contact_email.eq(c.email.as_deref()),
                dr::contact_address.eq(c.address.as_deref()),
                dr::subject.eq(&reg.subject),
                dr::item_count.eq(i32::try_from(reg.item_count).unwrap_or(i32::MAX)),
                dr::status.eq(Status::Received.as_str()),
                dr::clock_start_on.eq(r.received_on),
            ))
            .returning(dr::id)
            .get_result(conn)?;
        let created = load(conn, id, false)?;
        audit::record(
            conn,
            actor,
            "disclosure_request.create",
            "disclosure_request",
            id,
            None,
            Some(created.audit_json()),
        )?;
        events::emit(
            conn,
            request_event(EventType::DisclosureRequestRegistered, &created, json!({})),
        )?;
        Ok(created)
    })
}

/// An event about an application: its id, unit and status, never the applicant.
pub(crate) fn request_event(kind: EventType, r: &DisclosureRequest, extra: Value) -> NewEvent {
    let mut data = json!({"status": r.status.as_str()});
    if let (Some(obj), Value::Object(more)) = (data.as_object_mut(), extra) {
        obj.extend(more);
    }
    NewEvent::new(kind, format!("/api/v1/disclosure-requests/{}", r.id), Some(r.id), data)
        .unit(r.unit_id)
}

/// Loads one application; `lock` takes a row lock for the transaction.
pub(crate) fn load(
    conn: &mut PgConnection,
    id: i64,
    lock: bool,
) -> Result<DisclosureRequest, StoreError> {
    let q = dr::table.find(id).select(RequestRow::as_select());
    let row =
        if lock { q.for_update().first(conn).optional()? } else { q.first(conn).optional()? };
    let row = row.ok_or_else(|| StoreError::NotFound(format!("disclosure request {id}")))?;
    assemble(conn, vec![row])?
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("disclosure request {id}")))
}

/// The handling unit of an application (to authorize before reading it).
pub fn unit_of(conn: &mut PgConnection, id: i64) -> Result<i64, StoreError> {
    dr::table
        .find(id)
        .select(dr::unit_id)
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("disclosure request {id}")))
}

/// One application without its identity number (for answers to writes).
pub fn get(conn: &mut PgConnection, id: i64) -> Result<DisclosureRequest, StoreError> {
    load(conn, id, false)
}

/// Reads one application for a caller and leaves an audit event saying who read it and
/// how much was shown. With `full`, the identity number is decrypted into the record.
pub fn read(
    conn: &mut PgConnection,
    actor: &Actor,
    secrets: &ApplicantSecrets,
    id: i64,
    full: bool,
) -> Result<DisclosureRequest, StoreError> {
    conn.transaction(|conn| {
        let mut record = load(conn, id, false)?;
        if full {
            let sealed: Option<Vec<u8>> =
                dr::table.find(id).select(dr::applicant_id_cipher).first(conn)?;
            record.applicant.id_number = sealed.map(|s| secrets.open(&s)).transpose()?;
        }
        audit::record(
            conn,
            actor,
            "disclosure_request.read",
            "disclosure_request",
            id,
            None,
            Some(json!({ "view": if full { "full" } else { "redacted" } })),
        )?;
        Ok(record)
    })
}

/// Which applications to list.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    /// Only these handling units (the caller's scope); `None`: every unit.
    pub units: Option<Vec<i64>>,
    /// Only this status.
    pub status: Option<Status>,
    /// Only applicants of this kind.
    pub applicant_kind: Option<ApplicantKind>,
    /// Only applications not concluded yet.
    pub open_only: bool,
    /// Received on or after.
    pub received_from: Option<NaiveDate>,
    /// Received on or before.
    pub received_to: Option<NaiveDate>,
    /// Only applications changed after an instant, oldest change first.
    pub changes: Option<Changes>,
}

fn filtered<'a>(filter: &'a RequestFilter) -> dr::BoxedQuery<'a, diesel::pg::Pg> {
    let mut q = dr::table.into_boxed();
    if let Some(units) = &filter.units {
        q = q.filter(dr::unit_id.eq_any(units));
    }
    if let Some(s) = filter.status {
        q = q.filter(dr::status.eq(s.as_str()));
    }
    if let Some(k) = filter.applicant_kind {
        q = q.filter(dr::applicant_kind.eq(k.as_str()));
    }
    if filter.open_only {
        q = q.filter(dr::concluded_on.is_null());
    }
    if let Some(from) = filter.received_from {
        q = q.filter(dr::received_on.ge(from));
    }
    if let Some(to) = filter.received_to {
        q = q.filter(dr::received_on.le(to));
    }
    q
}

/// A page of applications in id order.
pub fn list(
    conn: &mut PgConnection,
    filter: &RequestFilter,
    page: PageRequest,
) -> Result<Page<DisclosureRequest>, StoreError> {
    let q =
        crate::changes_or_keyset!(filtered(filter), filter.changes, page, dr::updated_at, dr::id);
    let rows: Vec<RequestRow> =
        q.select(RequestRow::as_select()).limit(page.limit + 1).load(conn)?;
    let page = Page::from_rows(rows, page.limit, |r| r.id);
    let next_after = page.next_after;
    Ok(Page { items: assemble(conn, page.items)?, next_after })
}

/// Every application matching `filter` after id `after`, in id order (reading changes:
/// in the order they changed, after the change key of `filter`): for lists that select
/// by the clock (overdue, due soon), which only the domain can compute.
pub fn list_all(
    conn: &mut PgConnection,
    filter: &RequestFilter,
    after: Option<i64>,
) -> Result<Vec<DisclosureRequest>, StoreError> {
    let page = PageRequest { after, limit: 0 };
    let q =
        crate::changes_or_keyset!(filtered(filter), filter.changes, page, dr::updated_at, dr::id);
    let rows: Vec<RequestRow> = q.select(RequestRow::as_select()).load(conn)?;
    assemble(conn, rows)
}

/// The items (件) of the same applicant's earlier applications to the same handling unit
/// received in the same calendar month as application `id` (earlier: received before it, or the same day
/// and registered before it). A new month starts again at zero.
pub fn prior_items_this_month(conn: &mut PgConnection, id: i64) -> Result<u32, StoreError> {
    let (key, received_on, unit): (Vec<u8>, NaiveDate, i64) = dr::table
        .find(id)
        .select((dr::applicant_key, dr::received_on, dr::unit_id))
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("disclosure request {id}")))?;
    let month_start = received_on.with_day(1).unwrap_or(received_on);
    let earlier =
        dr::received_on.lt(received_on).or(dr::received_on.eq(received_on).and(dr::id.lt(id)));
    let items: Option<i64> = dr::table
        .filter(dr::applicant_key.eq(&key))
        // Each agency (行政机关) charges for what was asked of it: count the applicant's
        // applications to the same handling unit only.
        .filter(dr::unit_id.eq(unit))
        .filter(dr::received_on.ge(month_start))
        .filter(earlier)
        .select(diesel::dsl::sum(dr::item_count))
        .first(conn)?;
    Ok(u32::try_from(items.unwrap_or(0)).unwrap_or(u32::MAX))
}
