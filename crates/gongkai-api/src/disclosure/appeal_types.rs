//! The JSON shapes of the register of administrative reviews and lawsuits (table 四).

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::disclosure::appeals::{AppealKind, AppealResult};
use gongkai_store::disclosure::appeals::Appeal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::extract::double_option;
use crate::http::list::list_type;

/// A review (行政复议) or lawsuit (行政诉讼) about disclosure.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppealDto {
    pub id: i64,
    /// The unit whose decision is challenged.
    pub unit_id: i64,
    /// The application it is about, if recorded.
    pub request_id: Option<i64>,
    pub kind: AppealKind,
    pub filed_on: NaiveDate,
    pub result: AppealResult,
    pub decided_on: Option<NaiveDate>,
    pub case_number: Option<String>,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Appeal> for AppealDto {
    fn from(a: Appeal) -> Self {
        AppealDto {
            id: a.id,
            unit_id: a.unit_id,
            request_id: a.request_id,
            kind: a.kind,
            filed_on: a.filed_on,
            result: a.result,
            decided_on: a.decided_on,
            case_number: a.case_number,
            note: a.note,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// A review or lawsuit to record. `result` defaults to `pending`; a decided case needs
/// `decided_on`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAppealRequest {
    pub unit_id: i64,
    #[serde(default)]
    pub request_id: Option<i64>,
    pub kind: AppealKind,
    #[schema(example = "2024-05-06")]
    pub filed_on: NaiveDate,
    #[serde(default)]
    pub result: Option<AppealResult>,
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
    #[serde(default)]
    #[schema(example = "江行复〔2024〕12号")]
    pub case_number: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Changes to a review or lawsuit (typically its result): only the fields given change.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAppealRequest {
    pub result: Option<AppealResult>,
    /// Null clears it (with result `pending`).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub decided_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub case_number: Option<Option<String>>,
    pub note: Option<String>,
}

list_type!(AppealList, AppealDto, "A page of reviews and lawsuits.");

impl AppealDto {
    /// What a viewer sees: free text (the case number, the note) may name the applicant,
    /// so it is left out.
    pub fn for_role(mut self, role: gongkai_core::auth::Role) -> Self {
        if role == gongkai_core::auth::Role::Viewer {
            self.case_number = None;
            self.note = String::new();
        }
        self
    }
}
