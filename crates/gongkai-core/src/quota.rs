//! Quotas (指标): the checkable duties a task's requirement text states.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The calendar period a count quota is measured over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuotaPeriod {
    /// 每月
    Month,
    /// 每季度
    Quarter,
    /// 每半年
    HalfYear,
    /// 每年
    Year,
}

impl QuotaPeriod {
    /// The wire name (`month`, `quarter`, `half_year`, `year`).
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaPeriod::Month => "month",
            QuotaPeriod::Quarter => "quarter",
            QuotaPeriod::HalfYear => "half_year",
            QuotaPeriod::Year => "year",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "month" => Some(QuotaPeriod::Month),
            "quarter" => Some(QuotaPeriod::Quarter),
            "half_year" => Some(QuotaPeriod::HalfYear),
            "year" => Some(QuotaPeriod::Year),
            _ => None,
        }
    }
}

/// The unit a threshold is expressed in. Only percentages occur in plans so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThresholdUnit {
    /// A percentage: 3.5 means 3.5 %.
    Percent,
}

/// What a quota requires, in the kinds the contract fixes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuotaRule {
    /// At least `min` (summed evidence counts) in every `period` of the plan year.
    Count { min: u32, period: QuotaPeriod },
    /// Completed on or before `due` (inclusive).
    Deadline { due: NaiveDate },
    /// The latest reported value is at least `min`.
    Threshold { min: f64, unit: ThresholdUnit },
    /// Done within `days` working days of each triggering event.
    WithinWorkdays { days: u32 },
}

/// The kind of a quota: which of the contract's four rules it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuotaKind {
    /// At least N per period.
    Count,
    /// Done by a date.
    Deadline,
    /// A value not below a minimum.
    Threshold,
    /// Done within N working days of each event.
    WithinWorkdays,
}

impl QuotaKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaKind::Count => "count",
            QuotaKind::Deadline => "deadline",
            QuotaKind::Threshold => "threshold",
            QuotaKind::WithinWorkdays => "within_workdays",
        }
    }
}

impl QuotaRule {
    /// The wire name of the kind.
    pub fn kind(&self) -> &'static str {
        self.quota_kind().as_str()
    }

    /// The kind of the rule.
    pub fn quota_kind(&self) -> QuotaKind {
        match self {
            QuotaRule::Count { .. } => QuotaKind::Count,
            QuotaRule::Deadline { .. } => QuotaKind::Deadline,
            QuotaRule::Threshold { .. } => QuotaKind::Threshold,
            QuotaRule::WithinWorkdays { .. } => QuotaKind::WithinWorkdays,
        }
    }

    /// Checks the parameters: counts and day limits at least 1, thresholds finite and
    /// not negative. Returns the offending field and a message.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        match self {
            QuotaRule::Count { min, .. } if *min == 0 => {
                Err(("min", "a count quota needs min of at least 1".into()))
            }
            QuotaRule::Threshold { min, .. } if !min.is_finite() || *min < 0.0 => {
                Err(("min", "a threshold must be a finite number, not negative".into()))
            }
            QuotaRule::Threshold { min, unit: ThresholdUnit::Percent } if *min > 100.0 => {
                Err(("min", "a percentage threshold cannot exceed 100".into()))
            }
            QuotaRule::WithinWorkdays { days } if *days == 0 || *days > 366 => {
                Err(("days", "days must be between 1 and 366".into()))
            }
            _ => Ok(()),
        }
    }
}

/// Whose duty a quota is, as stored (the engine's [`crate::compliance::QuotaScope`] is
/// this with the units resolved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum Scope {
    /// The task as a whole: any responsible unit's evidence counts (the default, and
    /// what imported quotas get).
    #[default]
    Task,
    /// Each of the task's responsible units (责任单位) separately.
    EachUnit,
    /// Each unit of a named group (e.g. 各镇人民政府), separately.
    Group {
        /// The group.
        group_id: i64,
    },
}

/// Whose duty a quota is, by name: the `scope` field of a quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = QuotaScope))]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    /// The task as a whole.
    Task,
    /// Each of the task's responsible units separately.
    EachUnit,
    /// Each unit of a named group separately (with `group_id`).
    Group,
}

impl ScopeKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Task => "task",
            ScopeKind::EachUnit => "each_unit",
            ScopeKind::Group => "group",
        }
    }
}

impl Scope {
    /// The wire name (`task`, `each_unit`, `group`).
    pub fn as_str(self) -> &'static str {
        self.kind().as_str()
    }

    /// The scope's name without its group.
    pub fn kind(self) -> ScopeKind {
        match self {
            Scope::Task => ScopeKind::Task,
            Scope::EachUnit => ScopeKind::EachUnit,
            Scope::Group { .. } => ScopeKind::Group,
        }
    }

    /// The group a group scope names.
    pub fn group_id(self) -> Option<i64> {
        match self {
            Scope::Group { group_id } => Some(group_id),
            _ => None,
        }
    }

    /// Builds a scope from its wire name and, for `group`, the group; the error names
    /// the offending field.
    pub fn parse(name: &str, group_id: Option<i64>) -> Result<Self, (&'static str, String)> {
        match (name, group_id) {
            ("task", None) => Ok(Scope::Task),
            ("each_unit", None) => Ok(Scope::EachUnit),
            ("group", Some(group_id)) => Ok(Scope::Group { group_id }),
            ("group", None) => Err(("group_id", "a group scope needs group_id".into())),
            ("task" | "each_unit", Some(_)) => {
                Err(("group_id", format!("a {name} scope takes no group_id")))
            }
            (other, _) => {
                Err(("scope", format!("unknown scope `{other}`: use task, each_unit or group")))
            }
        }
    }
}

/// A quota as read from a requirement text: the rule and the phrase it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractedQuota {
    #[serde(flatten)]
    pub rule: QuotaRule,
    /// The words of the requirement the rule was read from (原文).
    pub source: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_wire_shape_is_the_contracts() {
        let r = QuotaRule::Count { min: 2, period: QuotaPeriod::Month };
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"kind": "count", "min": 2, "period": "month"})
        );
        let d: QuotaRule =
            serde_json::from_value(serde_json::json!({"kind": "deadline", "due": "2021-12-01"}))
                .unwrap();
        assert_eq!(d, QuotaRule::Deadline { due: NaiveDate::from_ymd_opt(2021, 12, 1).unwrap() });
        let e = ExtractedQuota {
            rule: QuotaRule::WithinWorkdays { days: 20 },
            source: "20个工作日内".into(),
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"kind": "within_workdays", "days": 20, "source": "20个工作日内"})
        );
    }

    #[test]
    fn validation_rejects_nonsense() {
        assert!(QuotaRule::Count { min: 0, period: QuotaPeriod::Year }.validate().is_err());
        assert!(
            QuotaRule::Threshold { min: 101.0, unit: ThresholdUnit::Percent }.validate().is_err()
        );
        assert!(
            QuotaRule::Threshold { min: -1.0, unit: ThresholdUnit::Percent }.validate().is_err()
        );
        assert!(QuotaRule::WithinWorkdays { days: 0 }.validate().is_err());
        assert!(QuotaRule::Threshold { min: 4.0, unit: ThresholdUnit::Percent }.validate().is_ok());
    }

    #[test]
    fn scopes_parse_and_name_the_bad_field() {
        assert_eq!(Scope::parse("task", None), Ok(Scope::Task));
        assert_eq!(Scope::parse("each_unit", None), Ok(Scope::EachUnit));
        assert_eq!(Scope::parse("group", Some(3)), Ok(Scope::Group { group_id: 3 }));
        assert_eq!(Scope::parse("group", None).unwrap_err().0, "group_id");
        assert_eq!(Scope::parse("task", Some(3)).unwrap_err().0, "group_id");
        assert_eq!(Scope::parse("town", None).unwrap_err().0, "scope");
        assert_eq!(
            serde_json::to_value(Scope::Group { group_id: 3 }).unwrap(),
            serde_json::json!({"scope": "group", "group_id": 3})
        );
    }
}
