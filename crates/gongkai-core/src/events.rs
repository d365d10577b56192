//! The kinds of event other systems learn of (the event feed, webhooks, reminders).
//!
//! An event says that something changed and where to read it; it carries ids, never
//! personal data.

use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventType {
    #[serde(rename = "plan.imported")]
    PlanImported,
    #[serde(rename = "plan.published")]
    PlanPublished,
    #[serde(rename = "plan.unpublished")]
    PlanUnpublished,
    #[serde(rename = "plan.copied")]
    PlanCopied,
    #[serde(rename = "task.corrected")]
    TaskCorrected,
    #[serde(rename = "quota.created")]
    QuotaCreated,
    #[serde(rename = "quota.changed")]
    QuotaChanged,
    #[serde(rename = "quota.removed")]
    QuotaRemoved,
    #[serde(rename = "evidence.recorded")]
    EvidenceRecorded,
    #[serde(rename = "evidence.withdrawn")]
    EvidenceWithdrawn,
    #[serde(rename = "progress.changed")]
    ProgressChanged,
    #[serde(rename = "note.added")]
    NoteAdded,
    #[serde(rename = "review.taken")]
    ReviewTaken,
    #[serde(rename = "rectification.opened")]
    RectificationOpened,
    #[serde(rename = "rectification.submitted")]
    RectificationSubmitted,
    #[serde(rename = "rectification.verified")]
    RectificationVerified,
    #[serde(rename = "rectification.rejected")]
    RectificationRejected,
    #[serde(rename = "disclosure_request.registered")]
    DisclosureRequestRegistered,
    #[serde(rename = "disclosure_request.acted")]
    DisclosureRequestActed,
    #[serde(rename = "opinion_case.registered")]
    OpinionCaseRegistered,
    #[serde(rename = "opinion_case.responded")]
    OpinionCaseResponded,
    #[serde(rename = "opinion_case.assigned")]
    OpinionCaseAssigned,
    #[serde(rename = "opinion_case.closed")]
    OpinionCaseClosed,
    #[serde(rename = "opinion_promise.moved")]
    OpinionPromiseMoved,
    #[serde(rename = "opinion_promise.verified")]
    OpinionPromiseVerified,
    #[serde(rename = "deadline.due_soon")]
    DeadlineDueSoon,
    #[serde(rename = "deadline.overdue")]
    DeadlineOverdue,
    /// An annual report was published (frozen as a new version).
    #[serde(rename = "annual_report.published")]
    AnnualReportPublished,
}

impl EventType {
    /// Every kind, in the order of the list above.
    pub const ALL: [EventType; 28] = [
        EventType::PlanImported,
        EventType::PlanPublished,
        EventType::PlanUnpublished,
        EventType::PlanCopied,
        EventType::TaskCorrected,
        EventType::QuotaCreated,
        EventType::QuotaChanged,
        EventType::QuotaRemoved,
        EventType::EvidenceRecorded,
        EventType::EvidenceWithdrawn,
        EventType::ProgressChanged,
        EventType::NoteAdded,
        EventType::ReviewTaken,
        EventType::RectificationOpened,
        EventType::RectificationSubmitted,
        EventType::RectificationVerified,
        EventType::RectificationRejected,
        EventType::DisclosureRequestRegistered,
        EventType::DisclosureRequestActed,
        EventType::OpinionCaseRegistered,
        EventType::OpinionCaseResponded,
        EventType::OpinionCaseAssigned,
        EventType::OpinionCaseClosed,
        EventType::OpinionPromiseMoved,
        EventType::OpinionPromiseVerified,
        EventType::DeadlineDueSoon,
        EventType::DeadlineOverdue,
        EventType::AnnualReportPublished,
    ];

    /// The name on the wire (`quota.created`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::PlanImported => "plan.imported",
            EventType::PlanPublished => "plan.published",
            EventType::PlanUnpublished => "plan.unpublished",
            EventType::PlanCopied => "plan.copied",
            EventType::TaskCorrected => "task.corrected",
            EventType::QuotaCreated => "quota.created",
            EventType::QuotaChanged => "quota.changed",
            EventType::QuotaRemoved => "quota.removed",
            EventType::EvidenceRecorded => "evidence.recorded",
            EventType::EvidenceWithdrawn => "evidence.withdrawn",
            EventType::ProgressChanged => "progress.changed",
            EventType::NoteAdded => "note.added",
            EventType::ReviewTaken => "review.taken",
            EventType::RectificationOpened => "rectification.opened",
            EventType::RectificationSubmitted => "rectification.submitted",
            EventType::RectificationVerified => "rectification.verified",
            EventType::RectificationRejected => "rectification.rejected",
            EventType::DisclosureRequestRegistered => "disclosure_request.registered",
            EventType::DisclosureRequestActed => "disclosure_request.acted",
            EventType::OpinionCaseRegistered => "opinion_case.registered",
            EventType::OpinionCaseResponded => "opinion_case.responded",
            EventType::OpinionCaseAssigned => "opinion_case.assigned",
            EventType::OpinionCaseClosed => "opinion_case.closed",
            EventType::OpinionPromiseMoved => "opinion_promise.moved",
            EventType::OpinionPromiseVerified => "opinion_promise.verified",
            EventType::DeadlineDueSoon => "deadline.due_soon",
            EventType::DeadlineOverdue => "deadline.overdue",
            EventType::AnnualReportPublished => "annual_report.published",
        }
    }

    /// Reads a name on the wire.
    pub fn parse(s: &str) -> Option<Self> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
        assert_eq!(EventType::parse("plan.deleted"), None);
    }
}
