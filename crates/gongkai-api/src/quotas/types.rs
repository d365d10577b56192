//! The JSON shapes of quotas (指标): what a task requires, and whose duty it is.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::quota::{QuotaPeriod, QuotaRule, Scope, ThresholdUnit};
use gongkai_core::validation::Problems;
use gongkai_store::quotas::Quota;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::error::ApiError;
use crate::http::list::list_type;

/// The period of a count quota.
#[derive(ToSchema)]
#[schema(as = QuotaPeriod)]
#[allow(non_camel_case_types, dead_code)]
pub enum QuotaPeriodSchema {
    month,
    quarter,
    half_year,
    year,
}

/// The kind of a quota.
#[derive(ToSchema)]
#[schema(as = QuotaKind)]
#[allow(non_camel_case_types, dead_code)]
pub enum QuotaKindSchema {
    count,
    deadline,
    threshold,
    within_workdays,
}

/// Whose duty a quota is: `task` (the task as a whole: any responsible unit's evidence
/// counts, one finding without a unit), `each_unit` (each of the task's responsible
/// units separately), `group` (each unit of the group `group_id` separately).
#[derive(ToSchema)]
#[schema(as = QuotaScope)]
#[allow(non_camel_case_types, dead_code)]
pub enum QuotaScopeSchema {
    task,
    each_unit,
    group,
}

/// A quota: a checkable duty of a task. Which parameters are present depends on `kind`:
/// `count` has `min` and `period`; `deadline` has `due`; `threshold` has `min` and
/// `unit`; `within_workdays` has `days`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuotaDto {
    pub id: i64,
    pub task_id: i64,
    #[schema(value_type = QuotaKindSchema)]
    pub kind: String,
    /// count: the least number per period (a whole number); threshold: the least value.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "whole_as_integer")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<QuotaPeriodSchema>)]
    pub period: Option<QuotaPeriod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// threshold: the unit of `min` (`percent`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Whose duty it is (default `task`).
    #[schema(value_type = QuotaScopeSchema)]
    pub scope: String,
    /// For scope `group`: the group whose units are each bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<i64>,
    /// The words of the requirement the quota was read from; empty when entered by hand.
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Quota> for QuotaDto {
    fn from(q: Quota) -> Self {
        let mut dto = QuotaDto {
            id: q.id,
            task_id: q.task_id,
            kind: q.rule.kind().to_string(),
            min: None,
            period: None,
            due: None,
            unit: None,
            days: None,
            scope: q.scope.as_str().to_string(),
            group_id: q.scope.group_id(),
            source: q.source,
            created_at: q.created_at,
            updated_at: q.updated_at,
        };
        match q.rule {
            QuotaRule::Count { min, period } => {
                dto.min = Some(f64::from(min));
                dto.period = Some(period);
            }
            QuotaRule::Deadline { due } => dto.due = Some(due),
            QuotaRule::Threshold { min, .. } => {
                dto.min = Some(min);
                dto.unit = Some("percent".into());
            }
            QuotaRule::WithinWorkdays { days } => dto.days = Some(days),
        }
        dto
    }
}

/// A quota to create, or (for PATCH) the fields to change. Parameters by kind as in
/// `Quota`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaInput {
    #[schema(value_type = Option<QuotaKindSchema>)]
    pub kind: Option<String>,
    pub min: Option<f64>,
    #[schema(value_type = Option<QuotaPeriodSchema>)]
    pub period: Option<String>,
    pub due: Option<NaiveDate>,
    #[schema(example = "percent")]
    pub unit: Option<String>,
    pub days: Option<i64>,
    /// Whose duty it is: `task` (default on create), `each_unit` or `group`.
    #[schema(value_type = Option<QuotaScopeSchema>)]
    pub scope: Option<String>,
    /// For scope `group`: the group.
    pub group_id: Option<i64>,
    pub source: Option<String>,
}

impl QuotaInput {
    /// Overlays this change on an existing rule: fields not given keep their value, unless
    /// the kind changes, when the new kind's parameters must all be given.
    pub fn merged_over(&self, current: &Quota) -> QuotaInput {
        let base = QuotaDto::from(current.clone());
        let same_kind = self.kind.as_deref().is_none_or(|k| k == base.kind);
        if !same_kind {
            return self.clone();
        }
        QuotaInput {
            kind: Some(base.kind),
            min: self.min.or(base.min),
            period: self.period.clone().or(base.period.map(|p| p.as_str().to_string())),
            due: self.due.or(base.due),
            unit: self.unit.clone().or(base.unit),
            days: self.days.or(base.days.map(i64::from)),
            scope: self.scope.clone(),
            group_id: self.group_id,
            source: self.source.clone().or(Some(current.source.clone())),
        }
    }

    /// The scope asked for, over `current` (None on create, where the default is the
    /// task as a whole): `group_id` given alone means scope `group`; a group scope keeps
    /// its group unless another is given.
    pub fn to_scope(&self, current: Option<Scope>) -> Result<Scope, ApiError> {
        let name = match (&self.scope, self.group_id, current) {
            (Some(s), _, _) => s.as_str(),
            (None, Some(_), _) => "group",
            (None, None, Some(c)) => c.as_str(),
            (None, None, None) => "task",
        };
        let group_id = match (self.group_id, current) {
            (Some(g), _) => Some(g),
            (None, Some(Scope::Group { group_id })) if name == "group" => Some(group_id),
            (None, _) => None,
        };
        Scope::parse(name, group_id).map_err(|(f, m)| ApiError::field(f, m))
    }

    /// Builds the rule, naming every missing, surplus or invalid field.
    pub fn to_rule(&self) -> Result<QuotaRule, ApiError> {
        let mut p = Problems::new();
        let Some(kind) = self.kind.as_deref() else {
            return Err(ApiError::field("kind", "kind is required"));
        };
        let allowed: &[&str] = match kind {
            "count" => &["min", "period"],
            "deadline" => &["due"],
            "threshold" => &["min", "unit"],
            "within_workdays" => &["days"],
            other => {
                return Err(ApiError::field(
                    "kind",
                    format!(
                        "unknown kind `{other}`: use count, deadline, threshold or within_workdays"
                    ),
                ));
            }
        };
        let given = [
            ("min", self.min.is_some()),
            ("period", self.period.is_some()),
            ("due", self.due.is_some()),
            ("unit", self.unit.is_some()),
            ("days", self.days.is_some()),
        ];
        for (field, present) in given {
            if present && !allowed.contains(&field) {
                p.add(field, format!("a {kind} quota has no {field}"));
            }
            if !present && allowed.contains(&field) && field != "unit" {
                p.add(field, format!("a {kind} quota needs {field}"));
            }
        }
        p.finish().map_err(ApiError::fields)?;
        let rule = match kind {
            "count" => {
                let min = self.min.unwrap_or(0.0);
                if min.fract() != 0.0 || !(1.0..=1_000_000.0).contains(&min) {
                    return Err(ApiError::field("min", "a count's min is a whole number from 1"));
                }
                let period = self.period.as_deref().unwrap_or("");
                let period = QuotaPeriod::parse(period).ok_or_else(|| {
                    ApiError::field("period", "period is one of month, quarter, half_year, year")
                })?;
                // The range check above makes the conversion exact.
                QuotaRule::Count { min: min as u32, period }
            }
            "deadline" => {
                let due = self.due.unwrap_or_default();
                if !(2000..=2100).contains(&chrono::Datelike::year(&due)) {
                    return Err(ApiError::field(
                        "due",
                        "a due date lies between the years 2000 and 2100",
                    ));
                }
                QuotaRule::Deadline { due }
            }
            "threshold" => {
                if let Some(u) = self.unit.as_deref()
                    && u != "percent"
                {
                    return Err(ApiError::field("unit", "the only threshold unit is percent"));
                }
                QuotaRule::Threshold { min: self.min.unwrap_or(0.0), unit: ThresholdUnit::Percent }
            }
            _ => {
                let days = self.days.unwrap_or(0);
                QuotaRule::WithinWorkdays {
                    days: u32::try_from(days)
                        .map_err(|_| ApiError::field("days", "days must be between 1 and 366"))?,
                }
            }
        };
        rule.validate().map_err(|(f, m)| ApiError::field(f, m))?;
        Ok(rule)
    }
}

/// Writes a whole number as a JSON integer (`2`, not `2.0`), so that a count's `min`
/// reads as the contract's `N` in every client; other values stay decimals.
pub fn whole_as_integer<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
        None => s.serialize_none(),
    }
}

list_type!(QuotaList, QuotaDto, "A page of quotas.");
