//! The JSON shapes of quotas (指标): what a task requires, and whose duty it is.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::quota::{QuotaKind, QuotaPeriod, QuotaRule, Scope, ScopeKind, ThresholdUnit};
use gongkai_core::validation::Problems;
use gongkai_store::quotas::Quota;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::error::ApiError;
use crate::http::list::list_type;

/// A quota: a checkable duty of a task. Which parameters are present depends on `kind`:
/// `count` has `min` and `period`; `deadline` has `due`; `threshold` has `min` and
/// `unit`; `within_workdays` has `days`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuotaDto {
    pub id: i64,
    pub task_id: i64,
    pub kind: QuotaKind,
    /// count: the least number per period (a whole number); threshold: the least value.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "whole_as_integer")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<QuotaPeriod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// threshold: the unit of `min` (`percent`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<ThresholdUnit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Whose duty it is (default `task`).
    pub scope: ScopeKind,
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
            kind: q.rule.quota_kind(),
            min: None,
            period: None,
            due: None,
            unit: None,
            days: None,
            scope: q.scope.kind(),
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
                dto.unit = Some(ThresholdUnit::Percent);
            }
            QuotaRule::WithinWorkdays { days } => dto.days = Some(days),
        }
        dto
    }
}

/// A quota to create. Parameters by kind as in `QuotaDto`: `count` needs `min` and
/// `period`; `deadline` needs `due`; `threshold` needs `min` (`unit` is `percent`);
/// `within_workdays` needs `days`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateQuotaRequest {
    pub kind: QuotaKind,
    #[schema(minimum = 0)]
    pub min: Option<f64>,
    pub period: Option<QuotaPeriod>,
    pub due: Option<NaiveDate>,
    pub unit: Option<ThresholdUnit>,
    #[schema(minimum = 1, maximum = 366)]
    pub days: Option<i64>,
    /// Whose duty it is: `task` (the default), `each_unit` or `group`.
    pub scope: Option<ScopeKind>,
    /// For scope `group`: the group.
    #[schema(minimum = 1)]
    pub group_id: Option<i64>,
    /// The words of the requirement the quota was read from.
    pub source: Option<String>,
}

impl From<CreateQuotaRequest> for QuotaInput {
    fn from(r: CreateQuotaRequest) -> Self {
        QuotaInput {
            kind: Some(r.kind),
            min: r.min,
            period: r.period,
            due: r.due,
            unit: r.unit,
            days: r.days,
            scope: r.scope,
            group_id: r.group_id,
            source: r.source,
        }
    }
}

/// The fields of a quota to change (PATCH): only those given change; a new `kind` needs
/// all of its parameters.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = UpdateQuotaRequest)]
pub struct QuotaInput {
    pub kind: Option<QuotaKind>,
    #[schema(minimum = 0)]
    pub min: Option<f64>,
    pub period: Option<QuotaPeriod>,
    pub due: Option<NaiveDate>,
    pub unit: Option<ThresholdUnit>,
    #[schema(minimum = 1, maximum = 366)]
    pub days: Option<i64>,
    /// Whose duty it is: `task`, `each_unit` or `group`.
    pub scope: Option<ScopeKind>,
    /// For scope `group`: the group.
    #[schema(minimum = 1)]
    pub group_id: Option<i64>,
    pub source: Option<String>,
}

impl QuotaInput {
    /// Overlays this change on an existing rule: fields not given keep their value, unless
    /// the kind changes, when the new kind's parameters must all be given.
    pub fn merged_over(&self, current: &Quota) -> QuotaInput {
        let base = QuotaDto::from(current.clone());
        let same_kind = self.kind.is_none_or(|k| k == base.kind);
        if !same_kind {
            return self.clone();
        }
        QuotaInput {
            kind: Some(base.kind),
            min: self.min.or(base.min),
            period: self.period.or(base.period),
            due: self.due.or(base.due),
            unit: self.unit.or(base.unit),
            days: self.days.or(base.days.map(i64::from)),
            scope: self.scope,
            group_id: self.group_id,
            source: self.source.clone().or(Some(current.source.clone())),
        }
    }

    /// The scope asked for, over `current` (None on create, where the default is the
    /// task as a whole): `group_id` given alone means scope `group`; a group scope keeps
    /// its group unless another is given.
    pub fn to_scope(&self, current: Option<Scope>) -> Result<Scope, ApiError> {
        let name = match (self.scope, self.group_id, current) {
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
        let Some(kind) = self.kind else {
            return Err(ApiError::field("kind", "kind is required"));
        };
        let allowed: &[&str] = match kind {
            QuotaKind::Count => &["min", "period"],
            QuotaKind::Deadline => &["due"],
            QuotaKind::Threshold => &["min", "unit"],
            QuotaKind::WithinWorkdays => &["days"],
        };
        let kind_name = kind.as_str();
        let given = [
            ("min", self.min.is_some()),
            ("period", self.period.is_some()),
            ("due", self.due.is_some()),
            ("unit", self.unit.is_some()),
            ("days", self.days.is_some()),
        ];
        for (field, present) in given {
            if present && !allowed.contains(&field) {
                p.add(field, format!("a {kind_name} quota has no {field}"));
            }
            if !present && allowed.contains(&field) && field != "unit" {
                p.add(field, format!("a {kind_name} quota needs {field}"));
            }
        }
        p.finish().map_err(ApiError::fields)?;
        let rule = match kind {
            QuotaKind::Count => {
                let min = self.min.unwrap_or(0.0);
                if min.fract() != 0.0 || !(1.0..=1_000_000.0).contains(&min) {
                    return Err(ApiError::field("min", "a count's min is a whole number from 1"));
                }
                let period = self.period.ok_or_else(|| {
                    ApiError::field("period", "period is one of month, quarter, half_year, year")
                })?;
                // The range check above makes the conversion exact.
                QuotaRule::Count { min: min as u32, period }
            }
            QuotaKind::Deadline => {
                let due = self.due.unwrap_or_default();
                if !(2000..=2100).contains(&chrono::Datelike::year(&due)) {
                    return Err(ApiError::field(
                        "due",
                        "a due date lies between the years 2000 and 2100",
                    ));
                }
                QuotaRule::Deadline { due }
            }
            QuotaKind::Threshold => {
                QuotaRule::Threshold { min: self.min.unwrap_or(0.0), unit: ThresholdUnit::Percent }
            }
            QuotaKind::WithinWorkdays => {
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
