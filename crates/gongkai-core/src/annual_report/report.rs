//! The annual report (政府信息公开工作年度报告) in the six sections of
//! 国办公开办函〔2021〕30号, and the checks its tables must pass before it is published.

use serde::{Deserialize, Serialize};

use super::implementation::PlanImplementation;
use crate::disclosure::appeals::Table4;
use crate::disclosure::report::Table3;

/// The six section headings, as printed.
pub const SECTION_TITLES: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// The sections written as text: 一 and 五.
pub const TEXT_SECTIONS: [u8; 2] = [1, 5];

/// The report's title: `<issuer><year>年政府信息公开工作年度报告`.
pub fn title(issuer: &str, year: i32) -> String {
    format!("{issuer}{year}年政府信息公开工作年度报告")
}

/// A section written as text, with the draft built from the service's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextSection {
    /// 1 or 5.
    pub number: u8,
    /// The heading, as printed.
    pub title: String,
    /// The text the report prints: the saved text, else the draft.
    pub text: String,
    /// The draft built from the facts.
    pub draft: String,
    /// Whether `text` was saved by a person (false: it is the draft).
    pub edited: bool,
}

/// Fees actually collected (收费), from the register of applications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeesCollected {
    /// Applications whose fee was paid in the year (件数).
    pub count: u64,
    /// The amount paid, in yuan.
    pub amount_yuan: u64,
    /// The amount in 万元 with two decimals, as printed.
    pub amount_wan_yuan: String,
}

/// Section 六: fees collected and the plan's implementation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtherMatters {
    /// 六、其他需要报告的事项.
    pub title: String,
    pub fees: FeesCollected,
    /// The year's plan of the issuer, when there is one.
    pub plan: Option<PlanImplementation>,
}

/// A cell of a table that breaks a rule of the format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenCell {
    /// `table3` or `table4`.
    pub table: String,
    /// The cell, in the table's own words: `表三 总计列 三（七）总计`.
    pub cell: String,
    /// The rule.
    pub rule: String,
    /// What the rule asks for.
    pub expected: u64,
    /// What the cell holds.
    pub actual: u64,
}

/// Checks tables 三 and 四: per column of 三, 一 + 二 = 三（七）总计 + 四 (the cell named
/// is 三（七）总计 of the column); per block of 四, 总计 = the sum of the four results.
pub fn check_tables(t3: &Table3, t4: &Table4) -> Vec<BrokenCell> {
    let mut out = Vec::new();
    let value = |key: &str, column: &str| {
        t3.rows
            .iter()
            .find(|r| r.key == key)
            .and_then(|r| r.values.as_ref())
            .and_then(|c| c.get(column))
            .unwrap_or(0)
    };
    for c in &t3.columns {
        let received = value("new", &c.key) + value("carried_in", &c.key);
        let total = value("results_total", &c.key);
        let carried_out = value("carried_out", &c.key);
        if received != total + carried_out {
            out.push(BrokenCell {
                table: "table3".into(),
                cell: format!("表三 {}列 三（七）总计", c.label),
                rule: "一 + 二 = 三（七）总计 + 四".into(),
                expected: received.saturating_sub(carried_out),
                actual: total,
            });
        }
    }
    for g in &t4.groups {
        let v = &g.values;
        let sum = v.upheld + v.corrected + v.other + v.pending;
        if sum != v.total {
            out.push(BrokenCell {
                table: "table4".into(),
                cell: format!("表四 {} 总计", g.label),
                rule: "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结".into(),
                expected: sum,
                actual: v.total,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::appeals::table4;
    use crate::disclosure::report::{ReportEntry, ReportFormat, table3};
    use crate::disclosure::{ApplicantKind, Outcome};
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn consistent_tables_pass() {
        let entries = [
            ReportEntry {
                applicant_kind: ApplicantKind::NaturalPerson,
                received_on: d(2021, 3, 1),
                conclusion: Some((d(2021, 3, 20), Outcome::ALL[0])),
            },
            ReportEntry {
                applicant_kind: ApplicantKind::Business,
                received_on: d(2021, 12, 20),
                conclusion: None,
            },
        ];
        let t3 = table3(2021, ReportFormat::Format2021, &entries);
        let t4 = table4(2021, &[]);
        assert_eq!(check_tables(&t3, &t4), Vec::new());
    }

    #[test]
    fn a_broken_column_is_named_by_its_cell() {
        // Concluded before it was received (a register error): counted in 三 of 2021 but
        // never in 一 or 二, so 一 + 二 = 0 while 三（七）= 1 in the 自然人 and 总计 columns.
        let entries = [ReportEntry {
            applicant_kind: ApplicantKind::NaturalPerson,
            received_on: d(2022, 1, 5),
            conclusion: Some((d(2021, 12, 30), Outcome::ALL[0])),
        }];
        let t3 = table3(2021, ReportFormat::Format2021, &entries);
        let mut t4 = table4(2021, &[]);
        t4.groups[0].values.total = 2;
        let broken = check_tables(&t3, &t4);
        let cells: Vec<&str> = broken.iter().map(|b| b.cell.as_str()).collect();
        assert_eq!(
            cells,
            ["表三 自然人列 三（七）总计", "表三 总计列 三（七）总计", "表四 行政复议 总计"]
        );
        assert_eq!((broken[0].expected, broken[0].actual), (0, 1));
        assert_eq!((broken[2].expected, broken[2].actual), (0, 2));
    }
}
