//! Table 三 of the annual report (收到和处理政府信息公开申请情况), computed from the
//! register, with the invariant 一 + 二 = 三（七）+ 四 checked per column.
//!
//! For a year Y each application is counted by its receipt date and, once concluded,
//! the date and outcome of its conclusion (reply, deemed withdrawal or abandonment,
//! withdrawal):
//! - 一 本年新收: received in Y;
//! - 二 上年结转: received before Y and not concluded before Y;
//! - 三 本年度办理结果: concluded in Y, in the row of its outcome;
//! - 四 结转下年度继续办理: received by the end of Y and not concluded by then.
//!
//! Each row is counted on its own, so that a register breaking the invariant (a
//! conclusion dated before the receipt) shows up as a violation instead of being
//! papered over.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::labels::{self, RESULT_GROUPS, outcome_row};
use super::model::{ApplicantKind, Outcome};

/// One application as the report sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportEntry {
    /// The column.
    pub applicant_kind: ApplicantKind,
    /// The receipt date.
    pub received_on: NaiveDate,
    /// When and how it was concluded, if it was.
    pub conclusion: Option<(NaiveDate, Outcome)>,
}

/// Which layout of the table: 国办公开办函〔2021〕30号 (2021 onward, the default) or the
/// 2019 trial format (60号), which has one row for （六）其他处理.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReportFormat {
    /// The 2021 format.
    #[default]
    #[serde(rename = "2021")]
    Format2021,
    /// The 2019 trial format.
    #[serde(rename = "2019")]
    Format2019,
}

/// A column of table 三.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// `natural_person`, `business`, …, `total`.
    pub key: String,
    /// The printed label.
    pub label: String,
    /// The label of the column group it sits under (法人或其他组织), if any.
    pub group: Option<String>,
}

/// The cells of one row, one per column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cells {
    /// 自然人.
    pub natural_person: u64,
    /// 商业企业.
    pub business: u64,
    /// 科研机构.
    pub research: u64,
    /// 社会公益组织.
    pub public_interest_org: u64,
    /// 法律服务机构.
    pub legal_service: u64,
    /// 其他.
    pub other: u64,
    /// 总计.
    pub total: u64,
}

impl Cells {
    fn add(&mut self, kind: ApplicantKind) {
        *self.cell_mut(kind) += 1;
        self.total += 1;
    }

    fn cell_mut(&mut self, kind: ApplicantKind) -> &mut u64 {
        match kind {
            ApplicantKind::NaturalPerson => &mut self.natural_person,
            ApplicantKind::Business => &mut self.business,
            ApplicantKind::Research => &mut self.research,
            ApplicantKind::PublicInterestOrg => &mut self.public_interest_org,
            ApplicantKind::LegalService => &mut self.legal_service,
            ApplicantKind::Other => &mut self.other,
        }
    }

    /// The cell of a column key (`total` included).
    pub fn get(&self, key: &str) -> Option<u64> {
        Some(match key {
            "total" => self.total,
            k => match ApplicantKind::parse(k)? {
                ApplicantKind::NaturalPerson => self.natural_person,
                ApplicantKind::Business => self.business,
                ApplicantKind::Research => self.research,
                ApplicantKind::PublicInterestOrg => self.public_interest_org,
                ApplicantKind::LegalService => self.legal_service,
                ApplicantKind::Other => self.other,
            },
        })
    }

    fn sum<'a>(rows: impl IntoIterator<Item = &'a Cells>) -> Cells {
        let mut out = Cells::default();
        for c in rows {
            out.natural_person += c.natural_person;
            out.business += c.business;
            out.research += c.research;
            out.public_interest_org += c.public_interest_org;
            out.legal_service += c.legal_service;
            out.other += c.other;
            out.total += c.total;
        }
        out
    }
}

/// A row of table 三.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// A stable key (`new`, `carried_in`, `granted`, `refused_state_secret`, …).
    pub key: String,
    /// 1 for 一…四, 2 for （一）…（七）, 3 for the numbered sub-rows.
    pub level: u8,
    /// The numeral as printed: `一`, `（三）`, `1`.
    pub number: String,
    /// The label without its numeral, exactly as in the report format.
    pub label: String,
    /// Numeral and label as printed in the table: `一、本年新收政府信息公开申请数量`,
    /// `（一）予以公开`, `1.属于国家秘密`.
    pub title: String,
    /// The counts; a group row (（三）…（六）) holds the sum of its sub-rows; the heading
    /// 三 has none.
    pub values: Option<Cells>,
}

/// One column where 一 + 二 ≠ 三（七）+ 四.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvariantViolation {
    /// The column key.
    pub column: String,
    /// Its label.
    pub label: String,
    /// 一 + 二.
    pub received: u64,
    /// 三（七）+ 四.
    pub accounted: u64,
}

/// The check 一 + 二 = 三（七）+ 四, per column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invariant {
    /// The rule checked.
    pub rule: String,
    /// Whether every column satisfies it.
    pub holds: bool,
    /// The columns that do not.
    pub violations: Vec<InvariantViolation>,
}

/// Table 三 for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table3 {
    /// The report year.
    pub year: i32,
    /// The layout.
    pub format: ReportFormat,
    /// The table's heading in the report: 三、收到和处理政府信息公开申请情况.
    pub title: String,
    /// The header over the columns: 申请人情况.
    pub heading: String,
    /// The corner note on how the rows add up, as printed.
    pub note: String,
    /// The columns in printed order.
    pub columns: Vec<Column>,
    /// The rows in printed order.
    pub rows: Vec<Row>,
    /// The per-column check.
    pub invariant: Invariant,
}

/// The columns of table 三.
pub fn columns() -> Vec<Column> {
    let mut out: Vec<Column> = ApplicantKind::ALL
        .iter()
        .map(|k| Column {
            key: k.as_str().to_string(),
            label: k.label().to_string(),
            group: (*k != ApplicantKind::NaturalPerson).then(|| labels::ORGANISATIONS.to_string()),
        })
        .collect();
    out.push(Column { key: "total".into(), label: labels::TOTAL.into(), group: None });
    out
}

fn row(key: &str, level: u8, number: &str, label: &str, values: Option<Cells>) -> Row {
    let title = match level {
        1 => format!("{number}、{label}"),
        2 => format!("{number}{label}"),
        _ => format!("{number}.{label}"),
    };
    Row {
        key: key.to_string(),
        level,
        number: number.to_string(),
        label: label.to_string(),
        title,
        values,
    }
}

/// Computes table 三 of `year` from the register.
pub fn table3(year: i32, format: ReportFormat, entries: &[ReportEntry]) -> Table3 {
    let in_year = |d: NaiveDate| d.year() == year;
    let before_year = |d: NaiveDate| d.year() < year;
    let after_year = |d: NaiveDate| d.year() > year;
    let mut new = Cells::default();
    let mut carried_in = Cells::default();
    let mut carried_out = Cells::default();
    let mut results: Vec<(Outcome, Cells)> =
        Outcome::ALL.iter().map(|o| (*o, Cells::default())).collect();
    for e in entries {
        let concluded = e.conclusion.map(|(d, _)| d);
        if in_year(e.received_on) {
            new.add(e.applicant_kind);
        }
        if before_year(e.received_on) && concluded.is_none_or(|d| !before_year(d)) {
            carried_in.add(e.applicant_kind);
        }
        if let Some((d, outcome)) = e.conclusion
            && in_year(d)
            && let Some((_, cells)) = results.iter_mut().find(|(o, _)| *o == outcome)
        {
            cells.add(e.applicant_kind);
        }
        if !after_year(e.received_on) && concluded.is_none_or(after_year) {
            carried_out.add(e.applicant_kind);
        }
    }
    let mut rows = vec![
        row("new", 1, "一", labels::NEW, Some(new)),
        row("carried_in", 1, "二", labels::CARRIED_IN, Some(carried_in)),
        row("results", 1, "三", labels::RESULTS, None),
    ];
    for (group, number, label) in RESULT_GROUPS {
        let members: Vec<&(Outcome, Cells)> =
            results.iter().filter(|(o, _)| outcome_row(*o).0 == *group).collect();
        let subtotal = Cells::sum(members.iter().map(|(_, c)| c));
        rows.push(row(group, 2, number, label, Some(subtotal)));
        let split = members.first().is_some_and(|(o, _)| outcome_row(*o).1 > 0)
            && !(*group == "other_handling" && format == ReportFormat::Format2019);
        if split {
            for (o, cells) in &members {
                let (_, n, sub_label) = outcome_row(*o);
                rows.push(row(o.as_str(), 3, &n.to_string(), sub_label, Some(*cells)));
            }
        }
    }
    let total = Cells::sum(results.iter().map(|(_, c)| c));
    rows.push(row("results_total", 2, "（七）", labels::TOTAL, Some(total)));
    rows.push(row("carried_out", 1, "四", labels::CARRIED_OUT, Some(carried_out)));
    let columns = columns();
    let violations = columns
        .iter()
        .filter_map(|c| {
            let get = |cells: &Cells| cells.get(&c.key).unwrap_or(0);
            let received = get(&new) + get(&carried_in);
            let accounted = get(&total) + get(&carried_out);
            (received != accounted).then(|| InvariantViolation {
                column: c.key.clone(),
                label: c.label.clone(),
                received,
                accounted,
            })
        })
        .collect::<Vec<_>>();
    Table3 {
        year,
        format,
        title: labels::TABLE3_TITLE.into(),
        heading: labels::APPLICANT_HEADING.into(),
        note: labels::CORNER_NOTE.into(),
        columns,
        rows,
        invariant: Invariant {
            rule: "一 + 二 = 三（七）+ 四".into(),
            holds: violations.is_empty(),
            violations,
        },
    }
}
