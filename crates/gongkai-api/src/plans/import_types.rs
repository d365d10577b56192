//! The JSON of a plan import (contract: "Plan import"), shared by the API and the CLI.

use gongkai_core::import::{ImportWarning, ParsedPlan, ParsedSection, ParsedTask};
use gongkai_core::quota::{ExtractedQuota, QuotaKind, QuotaPeriod, QuotaRule, ThresholdUnit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A quota read from a requirement, with the phrase it came from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportedQuotaDto {
    pub kind: QuotaKind,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::quotas::types::whole_as_integer"
    )]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<QuotaPeriod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<chrono::NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<ThresholdUnit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// The words of the requirement the quota was read from.
    pub source: String,
}

impl From<ExtractedQuota> for ImportedQuotaDto {
    fn from(q: ExtractedQuota) -> Self {
        let mut dto = ImportedQuotaDto {
            kind: q.rule.quota_kind(),
            min: None,
            period: None,
            due: None,
            unit: None,
            days: None,
            source: q.source,
        };
        match q.rule {
            QuotaRule::Count { min, period } => {
                dto.min = Some(f64::from(min));
                dto.period = Some(period);
            }
            QuotaRule::Deadline { due } => dto.due = Some(due),
            QuotaRule::Threshold { min, unit } => {
                dto.min = Some(min);
                dto.unit = Some(unit);
            }
            QuotaRule::WithinWorkdays { days } => dto.days = Some(days),
        }
        dto
    }
}

/// A task as imported.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportedTaskDto {
    pub number: u32,
    pub requirement: String,
    /// The task's unit cell in order; the first leads.
    pub units: Vec<String>,
    /// True when the task had no unit cell and took the units of the task before it.
    pub units_inherited: bool,
    pub quotas: Vec<ImportedQuotaDto>,
}

impl From<ParsedTask> for ImportedTaskDto {
    fn from(t: ParsedTask) -> Self {
        ImportedTaskDto {
            number: t.number,
            requirement: t.requirement,
            units: t.units,
            units_inherited: t.units_inherited,
            quotas: t.quotas.into_iter().map(Into::into).collect(),
        }
    }
}

/// A section as imported.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportedSectionDto {
    pub number: u32,
    pub title: String,
    pub tasks: Vec<ImportedTaskDto>,
}

impl From<ParsedSection> for ImportedSectionDto {
    fn from(s: ParsedSection) -> Self {
        ImportedSectionDto {
            number: s.number,
            title: s.title,
            tasks: s.tasks.into_iter().map(Into::into).collect(),
        }
    }
}

/// Something the importer was unsure of.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportWarningDto {
    /// The task concerned, if any.
    pub task: Option<u32>,
    #[schema(example = "unit_inherited")]
    pub code: String,
    pub message: String,
}

impl From<ImportWarning> for ImportWarningDto {
    fn from(w: ImportWarning) -> Self {
        ImportWarningDto { task: w.task, code: w.code, message: w.message }
    }
}

/// The result of an import: the plan's structure, and its id when it was stored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportResult {
    /// The stored plan; null on a dry run.
    pub plan_id: Option<i64>,
    pub year: i32,
    pub title: String,
    pub sections: Vec<ImportedSectionDto>,
    /// Every unit named, in order of first appearance.
    pub units: Vec<String>,
    pub warnings: Vec<ImportWarningDto>,
}

impl ImportResult {
    /// Builds the result of parsing (and perhaps storing) a plan.
    pub fn new(plan_id: Option<i64>, year: i32, title: String, parsed: ParsedPlan) -> Self {
        ImportResult {
            plan_id,
            year,
            title,
            sections: parsed.sections.into_iter().map(Into::into).collect(),
            units: parsed.units,
            warnings: parsed.warnings.into_iter().map(Into::into).collect(),
        }
    }
}
