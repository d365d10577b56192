//! Table 四 of the annual report: administrative reviews (行政复议) and lawsuits
//! (行政诉讼, filed directly or after a review) about disclosure, by result.
//!
//! A case counts in year Y when it was filed by the end of Y and not decided before Y.
//! Its column is its result when decided in Y, else 尚未审结 (still pending at the end of
//! Y): a case filed in one year and decided in the next appears in both reports, as
//! pending and then with its result.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::labels;

macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal / $label:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in printed order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case word.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// Reads the snake_case word.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($word => Some($name::$variant),)+ _ => None }
            }

            /// The printed label of table 四.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

words! {
    /// What kind of challenge.
    AppealKind {
        /// 行政复议.
        AdministrativeReview => "administrative_review" / "行政复议",
        /// 行政诉讼, 未经复议直接起诉 (without a review first).
        LawsuitDirect => "lawsuit_direct" / "未经复议直接起诉",
        /// 行政诉讼, 复议后起诉.
        LawsuitAfterReview => "lawsuit_after_review" / "复议后起诉",
    }
}

words! {
    /// How a challenge ended (or that it has not).
    AppealResult {
        /// 结果维持: the agency's decision stands.
        Upheld => "upheld" / "结果维持",
        /// 结果纠正: the decision was corrected.
        Corrected => "corrected" / "结果纠正",
        /// 其他结果: withdrawn, dismissed on procedure, settled, ….
        Other => "other" / "其他结果",
        /// 尚未审结: not decided yet.
        Pending => "pending" / "尚未审结",
    }
}

/// One challenge as table 四 sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppealEntry {
    /// Review or lawsuit.
    pub kind: AppealKind,
    /// The day it was filed.
    pub filed_on: NaiveDate,
    /// The day it was decided and the result; `None` while pending.
    pub decided: Option<(NaiveDate, AppealResult)>,
}

/// The five cells of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AppealCells {
    /// 结果维持.
    pub upheld: u64,
    /// 结果纠正.
    pub corrected: u64,
    /// 其他结果.
    pub other: u64,
    /// 尚未审结.
    pub pending: u64,
    /// 总计.
    pub total: u64,
}

/// One block of table 四.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealGroup {
    /// The kind.
    pub key: AppealKind,
    /// Its printed label (行政复议, 未经复议直接起诉, 复议后起诉).
    pub label: String,
    /// The heading it sits under (行政诉讼 for both lawsuits).
    pub group: Option<String>,
    /// The counts.
    pub values: AppealCells,
}

/// A column of table 四.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealColumn {
    /// `upheld`, `corrected`, `other`, `pending`, `total`.
    pub key: String,
    /// The printed label.
    pub label: String,
}

/// Table 四 for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table4 {
    /// The report year.
    pub year: i32,
    /// The table's heading in the report: 四、政府信息公开行政复议、行政诉讼情况.
    pub title: String,
    /// The columns of each block, in printed order.
    pub columns: Vec<AppealColumn>,
    /// 行政复议, then 行政诉讼's 未经复议直接起诉 and 复议后起诉.
    pub groups: Vec<AppealGroup>,
}

/// Computes table 四 of `year`.
pub fn table4(year: i32, entries: &[AppealEntry]) -> Table4 {
    let mut groups: Vec<AppealGroup> = AppealKind::ALL
        .iter()
        .map(|k| AppealGroup {
            key: *k,
            label: k.label().to_string(),
            group: (*k != AppealKind::AdministrativeReview).then(|| labels::LAWSUIT.to_string()),
            values: AppealCells::default(),
        })
        .collect();
    for e in entries {
        if e.filed_on.year() > year {
            continue;
        }
        let result = match e.decided {
            Some((d, _)) if d.year() < year => continue,
            Some((d, r)) if d.year() == year => r,
            _ => AppealResult::Pending,
        };
        if let Some(g) = groups.iter_mut().find(|g| g.key == e.kind) {
            let v = &mut g.values;
            match result {
                AppealResult::Upheld => v.upheld += 1,
                AppealResult::Corrected => v.corrected += 1,
                AppealResult::Other => v.other += 1,
                AppealResult::Pending => v.pending += 1,
            }
            v.total += 1;
        }
    }
    let mut columns: Vec<AppealColumn> = AppealResult::ALL
        .iter()
        .map(|r| AppealColumn { key: r.as_str().into(), label: r.label().into() })
        .collect();
    columns.push(AppealColumn { key: "total".into(), label: labels::TOTAL.into() });
    Table4 { year, title: labels::TABLE4_TITLE.into(), columns, groups }
}
