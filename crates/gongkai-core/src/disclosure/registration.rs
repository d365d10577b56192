//! Registering an application: every field checked at once, each problem named by
//! its field, before anything is stored.

use chrono::NaiveDate;

use super::applicant::{CheckedApplicant, Contact, check_applicant};
use super::model::{ApplicantKind, Channel};
use super::receipt::{ReceiptDates, check_receipt};
use crate::fees::MAX_ITEMS_PER_QUOTE;
use crate::validation::{FieldError, Problems};

/// The longest subject accepted, in characters.
pub const MAX_SUBJECT_CHARS: usize = 4000;

/// An application as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationInput {
    /// How it arrived.
    pub channel: Channel,
    /// The receipt date (Art. 31).
    pub received_on: NaiveDate,
    /// When the applicant sent it (not in person).
    pub sent_on: Option<NaiveDate>,
    /// Registered post: the day the agency signed for it.
    pub signed_for_on: Option<NaiveDate>,
    /// Ordinary post, online, fax: the day of confirmation.
    pub confirmed_on: Option<NaiveDate>,
    /// Natural person or kind of organisation.
    pub applicant_kind: ApplicantKind,
    /// The applicant's name.
    pub applicant_name: String,
    /// The applicant's identity number (resident ID, passport, unified social credit code).
    pub applicant_id_number: Option<String>,
    /// Contact details.
    pub contact: Contact,
    /// The information asked for.
    pub subject: String,
    /// The items (件) of information asked for, as entered (default 1).
    pub item_count: Option<i64>,
}

/// A checked registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The receipt dates, consistent with each other and the channel.
    pub receipt: ReceiptDates,
    /// Natural person or kind of organisation.
    pub applicant_kind: ApplicantKind,
    /// The applicant, checked and normalized.
    pub applicant: CheckedApplicant,
    /// The subject, trimmed.
    pub subject: String,
    /// The items asked for, 1 to 10,000.
    pub item_count: u32,
}

/// Checks a registration as of `today`, naming every wrong field.
pub fn check_registration(
    input: &RegistrationInput,
    today: NaiveDate,
) -> Result<Registration, Vec<FieldError>> {
    let mut p = Problems::new();
    let receipt = ReceiptDates {
        channel: input.channel,
        received_on: input.received_on,
        sent_on: input.sent_on,
        signed_for_on: input.signed_for_on,
        confirmed_on: input.confirmed_on,
    };
    check_receipt(&receipt, today, &mut p);
    let applicant = check_applicant(
        "applicant",
        &input.applicant_name,
        input.applicant_id_number.as_deref(),
        &input.contact,
        &mut p,
    );
    let subject = input.subject.trim().to_string();
    if subject.is_empty() {
        p.add("subject", "say which information is asked for");
    } else if subject.chars().count() > MAX_SUBJECT_CHARS {
        p.add("subject", format!("at most {MAX_SUBJECT_CHARS} characters"));
    }
    let item_count = input.item_count.unwrap_or(1);
    let item_count = match u32::try_from(item_count) {
        Ok(n) if (1..=MAX_ITEMS_PER_QUOTE).contains(&n) => n,
        _ => {
            p.add(
                "item_count",
                format!("the number of items is 1 to {MAX_ITEMS_PER_QUOTE}, not {item_count}"),
            );
            1
        }
    };
    p.finish()?;
    Ok(Registration {
        receipt,
        applicant_kind: input.applicant_kind,
        applicant,
        subject,
        item_count,
    })
}
