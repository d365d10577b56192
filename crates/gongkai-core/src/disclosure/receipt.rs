//! The receipt date (Art. 31) and the channel dates it follows from.
//!
//! In person the receipt date is the day of submission; by registered post the day the
//! agency signs for the letter; by ordinary post the day the agency confirms receipt
//! with the applicant; online or by the agency's fax the day both sides confirm. The
//! dates a channel has are optional extras: when given they must agree with
//! `received_on`.

use chrono::NaiveDate;

use super::model::Channel;
use crate::validation::Problems;

/// The first day the 2019 regulation (and its 20-working-day clock) applies.
pub const REGULATION_IN_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2019, 5, 15) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The dates that fix when an application was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptDates {
    /// How it arrived.
    pub channel: Channel,
    /// The receipt date of Art. 31.
    pub received_on: NaiveDate,
    /// When the applicant posted, submitted online or faxed it (not in person).
    pub sent_on: Option<NaiveDate>,
    /// Registered post: the day the agency signed for it.
    pub signed_for_on: Option<NaiveDate>,
    /// Ordinary post, online, fax: the day receipt was confirmed with the applicant.
    pub confirmed_on: Option<NaiveDate>,
}

impl Channel {
    /// Whether the channel has a signing-for date (registered post only).
    pub fn has_signed_for(self) -> bool {
        self == Channel::RegisteredPost
    }

    /// Whether the channel has a confirmation date (ordinary post, online, fax).
    pub fn has_confirmation(self) -> bool {
        matches!(self, Channel::OrdinaryPost | Channel::Online | Channel::Fax)
    }

    /// Whether the applicant sends it from elsewhere (everything but in person).
    pub fn has_sent_date(self) -> bool {
        self != Channel::InPerson
    }
}

/// Checks the receipt dates against each other, against `today` and against the
/// channel, adding each problem under its field name.
pub fn check_receipt(dates: &ReceiptDates, today: NaiveDate, problems: &mut Problems) {
    let c = dates.channel;
    let received = dates.received_on;
    if received > today {
        problems.add(
            "received_on",
            format!("the receipt date {received} is in the future (today is {today})"),
        );
    }
    if received < REGULATION_IN_FORCE {
        problems.add(
            "received_on",
            format!("applications received before {REGULATION_IN_FORCE} fall under the 2008 regulation, which this register does not handle"),
        );
    }
    let later = |field: &str, d: NaiveDate, problems: &mut Problems| {
        if d > today {
            problems.add(field, format!("{d} is in the future (today is {today})"));
        }
    };
    match dates.signed_for_on {
        Some(_) if !c.has_signed_for() => problems.add(
            "signed_for_on",
            format!("only registered post is signed for; this application came {}", c.as_str()),
        ),
        Some(d) if d != received => problems.add(
            "signed_for_on",
            format!("by registered post the receipt date is the day the agency signed for it ({d}), not {received}"),
        ),
        Some(d) => later("signed_for_on", d, problems),
        None => {}
    }
    match dates.confirmed_on {
        Some(_) if !c.has_confirmation() => problems.add(
            "confirmed_on",
            format!("a confirmation date belongs to ordinary post, online or fax; this application came {}", c.as_str()),
        ),
        Some(d) if d != received => problems.add(
            "confirmed_on",
            format!("for this channel the receipt date is the day of confirmation ({d}), not {received}"),
        ),
        Some(d) => later("confirmed_on", d, problems),
        None => {}
    }
    match dates.sent_on {
        Some(_) if !c.has_sent_date() => problems.add(
            "sent_on",
            "an application handed in person has no sending date: it was received the day it was submitted",
        ),
        Some(d) if d > received => problems.add(
            "sent_on",
            format!("it cannot have been sent ({d}) after it was received ({received})"),
        ),
        _ => {}
    }
}
