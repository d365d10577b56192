//! An application as stored: its row, its steps, and the conversions between them and
//! the domain's types.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use gongkai_core::disclosure::applicant::Contact;
use gongkai_core::disclosure::{ApplicantKind, Case, Channel, Event, Outcome, ReplyType, Status};
use gongkai_core::fees::FeeMethod;
use serde_json::{Value, json};

use crate::StoreError;
use crate::schema::{disclosure_request_events, disclosure_requests, units};

/// The applicant of a stored application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredApplicant {
    /// Natural person or kind of organisation.
    pub kind: ApplicantKind,
    /// The name as entered.
    pub name: String,
    /// Whether an identity number is on file.
    pub has_id_number: bool,
    /// The identity number, decrypted; only filled by a full read.
    pub id_number: Option<String>,
    /// Contact details.
    pub contact: Contact,
}

/// One recorded step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// The step's id.
    pub id: i64,
    /// What happened, and when.
    pub event: Event,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it (the token's subject).
    pub recorded_by: String,
}

/// A stored application with its steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureRequest {
    pub id: i64,
    /// The handling unit.
    pub unit_id: i64,
    /// The handling unit's name.
    pub unit_name: String,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub signed_for_on: Option<NaiveDate>,
    pub confirmed_on: Option<NaiveDate>,
    pub applicant: StoredApplicant,
    /// The information asked for.
    pub subject: String,
    /// The items (件) asked for.
    pub item_count: u32,
    pub status: Status,
    pub reply_type: Option<ReplyType>,
    pub outcome: Option<Outcome>,
    pub concluded_on: Option<NaiveDate>,
    pub fee_method: Option<FeeMethod>,
    pub fee_yuan: Option<u64>,
    /// The steps, oldest first.
    pub events: Vec<StoredEvent>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DisclosureRequest {
    /// The application as the rules see it.
    pub fn case(&self) -> Case {
        Case {
            received_on: self.received_on,
            item_count: self.item_count,
            events: self.events.iter().map(|e| e.event.clone()).collect(),
        }
    }

    /// What the audit trail keeps of the application: its handling state, never the
    /// applicant's name, identity number or contact details.
    pub fn audit_json(&self) -> Value {
        json!({
            "unit_id": self.unit_id,
            "channel": self.channel.as_str(),
            "received_on": self.received_on,
            "applicant_kind": self.applicant.kind.as_str(),
            "item_count": self.item_count,
            "status": self.status.as_str(),
            "reply_type": self.reply_type.map(ReplyType::as_str),
            "outcome": self.outcome.map(Outcome::as_str),
            "concluded_on": self.concluded_on,
            "fee_method": self.fee_method.map(|m| match m {
                FeeMethod::PerItem => "per_item",
                FeeMethod::PerPage => "per_page",
            }),
            "fee_yuan": self.fee_yuan,
            "steps": self.events.len(),
        })
    }
}

/// The columns read for an application.
#[derive(Queryable, Selectable)]
#[diesel(table_name = disclosure_requests)]
pub(crate) struct RequestRow {
    pub id: i64,
    pub unit_id: i64,
    pub channel: String,
    pub received_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub signed_for_on: Option<NaiveDate>,
    pub confirmed_on: Option<NaiveDate>,
    pub applicant_kind: String,
    pub applicant_name: String,
    pub applicant_id_cipher: Option<Vec<u8>>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub contact_address: Option<String>,
    pub subject: String,
    pub item_count: i32,
    pub status: String,
    pub reply_type: Option<String>,
    pub outcome: Option<String>,
    pub concluded_on: Option<NaiveDate>,
    pub fee_method: Option<String>,
    pub fee_yuan: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = disclosure_request_events)]
pub(crate) struct EventRow {
    pub id: i64,
    pub request_id: i64,
    pub details: Value,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Internal(format!("stored {what} `{value}` is not one the code knows"))
}

pub(crate) fn fee_method_str(m: FeeMethod) -> &'static str {
    match m {
        FeeMethod::PerItem => "per_item",
        FeeMethod::PerPage => "per_page",
    }
}

impl RequestRow {
    /// Builds the record from its row, the unit's name and its events.
    pub(crate) fn into_record(
        self,
        unit_name: String,
        events: Vec<EventRow>,
    ) -> Result<DisclosureRequest, StoreError> {
        let events = events
            .into_iter()
            .map(|e| {
                let event: Event = serde_json::from_value(e.details).map_err(|err| {
                    StoreError::Internal(format!("stored step {} cannot be read: {err}", e.id))
                })?;
                Ok(StoredEvent {
                    id: e.id,
                    event,
                    recorded_at: e.recorded_at,
                    recorded_by: e.recorded_by,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let fee_method = match self.fee_method.as_deref() {
            None => None,
            Some("per_item") => Some(FeeMethod::PerItem),
            Some("per_page") => Some(FeeMethod::PerPage),
            Some(other) => return Err(corrupt("fee method", other)),
        };
        Ok(DisclosureRequest {
            id: self.id,
            unit_id: self.unit_id,
            unit_name,
            channel: Channel::parse(&self.channel)
                .ok_or_else(|| corrupt("channel", &self.channel))?,
            received_on: self.received_on,
            sent_on: self.sent_on,
            signed_for_on: self.signed_for_on,
            confirmed_on: self.confirmed_on,
            applicant: StoredApplicant {
                kind: ApplicantKind::parse(&self.applicant_kind)
                    .ok_or_else(|| corrupt("applicant kind", &self.applicant_kind))?,
                name: self.applicant_name,
                has_id_number: self.applicant_id_cipher.is_some(),
                id_number: None,
                contact: Contact {
                    phone: self.contact_phone,
                    email: self.contact_email,
                    address: self.contact_address,
                },
            },
            subject: self.subject,
            item_count: u32::try_from(self.item_count).unwrap_or(1),
            status: Status::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            reply_type: self
                .reply_type
                .as_deref()
                .map(|r| ReplyType::parse(r).ok_or_else(|| corrupt("reply type", r)))
                .transpose()?,
            outcome: self
                .outcome
                .as_deref()
                .map(|o| Outcome::parse(o).ok_or_else(|| corrupt("outcome", o)))
                .transpose()?,
            concluded_on: self.concluded_on,
            fee_method,
            fee_yuan: self.fee_yuan.and_then(|y| u64::try_from(y).ok()),
            events,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Loads the events of `ids`, grouped per application in step order.
pub(crate) fn events_of(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<EventRow>, StoreError> {
    Ok(disclosure_request_events::table
        .filter(disclosure_request_events::request_id.eq_any(ids))
        .order((disclosure_request_events::request_id, disclosure_request_events::id))
        .select(EventRow::as_select())
        .load(conn)?)
}

/// Turns rows into records, loading their unit names and events in two queries.
pub(crate) fn assemble(
    conn: &mut PgConnection,
    rows: Vec<RequestRow>,
) -> Result<Vec<DisclosureRequest>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut unit_ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let names: Vec<(i64, String)> = units::table
        .filter(units::id.eq_any(&unit_ids))
        .select((units::id, units::name))
        .load(conn)?;
    let mut by_request: BTreeMap<i64, Vec<EventRow>> = BTreeMap::new();
    for e in events_of(conn, &ids)? {
        by_request.entry(e.request_id).or_default().push(e);
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mine = by_request.remove(&row.id).unwrap_or_default();
        let name = names
            .iter()
            .find(|(id, _)| *id == row.unit_id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        out.push(row.into_record(name, mine)?);
    }
    Ok(out)
}
