//! The JSON shapes of applications for disclosure (依申请公开): registration, the full
//! record, the list entry, and how much of each a caller sees.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::calendar::WorkCalendar;
use gongkai_core::disclosure::applicant::Contact;
use gongkai_core::disclosure::registration::RegistrationInput;
use gongkai_core::disclosure::{
    ApplicantKind, Channel, Clock, ClockSettings, ClockState, Outcome, ReplyType, Status,
    actions_from,
};
use gongkai_store::disclosure::DisclosureRequest;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::disclosure::action_types::ActionKind;
use crate::disclosure::clock_types::{ClockDto, DecisionDueDto, FeeDto, StepDto};
use crate::http::list::list_type;

/// The applicant's contact details.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// The applicant as registered.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    pub kind: ApplicantKind,
    #[schema(example = "张三")]
    pub name: String,
    /// Resident ID, passport or unified social credit code. Stored encrypted; returned
    /// only by reading the application itself.
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub contact: Option<ContactDto>,
}

/// An application to register.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDisclosureRequest {
    pub channel: Channel,
    /// The receipt date of Art. 31; not in the future.
    #[schema(example = "2024-03-01")]
    pub received_on: NaiveDate,
    /// When the applicant posted, submitted online or faxed it (not in person).
    #[serde(default)]
    pub sent_on: Option<NaiveDate>,
    /// Registered post: the day the agency signed for it; must equal `received_on`.
    #[serde(default)]
    pub signed_for_on: Option<NaiveDate>,
    /// Ordinary post, online, fax: the day receipt was confirmed; must equal `received_on`.
    #[serde(default)]
    pub confirmed_on: Option<NaiveDate>,
    pub applicant: ApplicantInput,
    /// The information asked for.
    #[schema(example = "2023年度本机关财政预算执行情况")]
    pub subject: String,
    /// The items (件) of information asked for, 1 to 10,000 (default 1): per-item fees
    /// count them per applicant and calendar month.
    #[serde(default)]
    pub item_count: Option<i64>,
    /// The handling unit.
    pub unit_id: i64,
}

impl CreateDisclosureRequest {
    /// The registration for the domain's checks.
    pub fn to_input(&self) -> RegistrationInput {
        let contact = self.applicant.contact.clone().unwrap_or_default();
        RegistrationInput {
            channel: self.channel,
            received_on: self.received_on,
            sent_on: self.sent_on,
            signed_for_on: self.signed_for_on,
            confirmed_on: self.confirmed_on,
            applicant_kind: self.applicant.kind,
            applicant_name: self.applicant.name.clone(),
            applicant_id_number: self.applicant.id_number.clone(),
            contact: Contact {
                phone: contact.phone,
                email: contact.email,
                address: contact.address,
            },
            subject: self.subject.clone(),
            item_count: self.item_count,
        }
    }
}

/// How much of an application an answer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Everything: the handling unit or a coordinator reading the application.
    Full,
    /// Everything but the identity number: answers to writes.
    WithoutIdNumber,
    /// No personal data: viewers.
    Redacted,
}

/// The applicant as shown: a viewer sees the kind only.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicantDto {
    pub kind: ApplicantKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether an identity number is on file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number_on_file: Option<bool>,
    /// Only in `GET /disclosure-requests/{id}` by the handling unit or a coordinator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactDto>,
}

/// An application for disclosure with its clock, fee and handling history.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DisclosureRequestDto {
    pub id: i64,
    /// The handling unit.
    pub unit_id: i64,
    pub unit_name: String,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub signed_for_on: Option<NaiveDate>,
    pub confirmed_on: Option<NaiveDate>,
    pub applicant: ApplicantDto,
    /// The information asked for; null for viewers (it may reveal personal matters).
    pub subject: Option<String>,
    pub item_count: u32,
    pub status: Status,
    /// The last day to reply, kept current as the clock pauses, restarts or is
    /// extended; null while a correction is awaited or the calendar is unpublished.
    pub reply_due: Option<NaiveDate>,
    /// Open, counting, and today is after `reply_due`.
    pub overdue: bool,
    /// How `reply_due` was counted, and the other periods that run.
    pub clock: ClockDto,
    pub reply_type: Option<ReplyType>,
    pub outcome: Option<Outcome>,
    pub concluded_on: Option<NaiveDate>,
    /// The fee notice, once sent.
    pub fee: Option<FeeDto>,
    /// The handling steps, oldest first.
    pub history: Vec<StepDto>,
    /// The actions possible now.
    pub next_actions: Vec<ActionKind>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn applicant_dto(r: &DisclosureRequest, shown: Shown) -> ApplicantDto {
    let a = &r.applicant;
    if shown == Shown::Redacted {
        return ApplicantDto {
            kind: a.kind,
            name: None,
            id_number_on_file: None,
            id_number: None,
            contact: None,
        };
    }
    let c = &a.contact;
    ApplicantDto {
        kind: a.kind,
        name: Some(a.name.clone()),
        id_number_on_file: Some(a.has_id_number),
        id_number: if shown == Shown::Full { a.id_number.clone() } else { None },
        contact: Some(ContactDto {
            phone: c.phone.clone(),
            email: c.email.clone(),
            address: c.address.clone(),
        }),
    }
}

impl DisclosureRequestDto {
    /// The record as `shown`, its clock as of `as_of`.
    pub fn new(
        r: DisclosureRequest,
        shown: Shown,
        calendar: &WorkCalendar,
        settings: ClockSettings,
        as_of: NaiveDate,
    ) -> Self {
        let case = r.case();
        let clock = case.clock(calendar, settings, as_of);
        let redacted = shown == Shown::Redacted;
        DisclosureRequestDto {
            id: r.id,
            unit_id: r.unit_id,
            unit_name: r.unit_name.clone(),
            channel: r.channel,
            received_on: r.received_on,
            sent_on: r.sent_on,
            signed_for_on: r.signed_for_on,
            confirmed_on: r.confirmed_on,
            applicant: applicant_dto(&r, shown),
            subject: (!redacted).then(|| r.subject.clone()),
            item_count: r.item_count,
            status: r.status,
            reply_due: clock.reply_due,
            overdue: clock.overdue,
            reply_type: r.reply_type,
            outcome: r.outcome,
            concluded_on: r.concluded_on,
            fee: FeeDto::of(&case),
            history: r.events.iter().map(|e| StepDto::new(e, redacted)).collect(),
            next_actions: actions_from(r.status)
                .into_iter()
                .filter_map(ActionKind::parse)
                .collect(),
            clock: ClockDto::from(clock),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// An application in a list: no identity number or contact details ever; a viewer
/// sees neither the applicant's name nor the subject.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DisclosureRequestSummaryDto {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub applicant_kind: ApplicantKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub item_count: u32,
    pub status: Status,
    pub clock_state: ClockState,
    pub reply_due: Option<NaiveDate>,
    pub overdue: bool,
    /// Working days from the list's `as_of` to `reply_due` (negative when overdue).
    pub workdays_left: Option<i64>,
    /// A decision owed because a consultation, payment or correction period ran out.
    pub decision_due: Option<DecisionDueDto>,
    pub outcome: Option<Outcome>,
    pub concluded_on: Option<NaiveDate>,
    /// The last change of the application (registration or a handling step).
    pub updated_at: DateTime<Utc>,
}

impl DisclosureRequestSummaryDto {
    /// The list entry, its clock as of `as_of`.
    pub fn new(
        r: DisclosureRequest,
        redacted: bool,
        calendar: &WorkCalendar,
        settings: ClockSettings,
        as_of: NaiveDate,
    ) -> Self {
        let clock = r.case().clock(calendar, settings, as_of);
        Self::with_clock(r, redacted, clock)
    }

    /// The list entry with its clock already read.
    pub fn with_clock(r: DisclosureRequest, redacted: bool, clock: Clock) -> Self {
        DisclosureRequestSummaryDto {
            id: r.id,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            channel: r.channel,
            received_on: r.received_on,
            applicant_kind: r.applicant.kind,
            applicant_name: (!redacted).then_some(r.applicant.name),
            subject: (!redacted).then_some(r.subject),
            item_count: r.item_count,
            status: r.status,
            clock_state: clock.state,
            reply_due: clock.reply_due,
            overdue: clock.overdue,
            workdays_left: clock.workdays_left,
            decision_due: clock.decision_due.map(DecisionDueDto::from),
            outcome: r.outcome,
            concluded_on: r.concluded_on,
            updated_at: r.updated_at,
        }
    }
}

list_type!(DisclosureRequestList, DisclosureRequestSummaryDto, "A page of applications.");
