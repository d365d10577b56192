//! Table 二 of the annual report (主动公开政府信息情况): each unit's yearly figures, the
//! government's table as the sum of its units', and the continuity check against last
//! year (现行有效 this year = last year's 现行有效 + 本年制发 − 本年废止).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The table's heading in the report.
pub const TITLE: &str = "二、主动公开政府信息情况";
/// The first column of every block.
pub const FIRST_COLUMN: &str = "信息内容";

/// An amount in 万元 kept exactly, in hundredths (two decimals, as the table prints it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct WanYuan(pub u64);

impl WanYuan {
    /// From a decimal number of 万元; `None` when negative, not finite, or with more than
    /// two decimals.
    pub fn from_decimal(x: f64) -> Option<WanYuan> {
        if !x.is_finite() || !(0.0..=1.0e12).contains(&x) {
            return None;
        }
        let scaled = x * 100.0;
        let rounded = scaled.round();
        ((scaled - rounded).abs() < 1e-6).then_some(WanYuan(rounded as u64))
    }

    /// From yuan, rounded half up to the hundredth of a 万元 (100 yuan).
    pub fn from_yuan(yuan: u64) -> WanYuan {
        WanYuan((yuan + 50) / 100)
    }

    /// As a decimal number.
    pub fn as_decimal(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// As printed: `12.30`.
    pub fn text(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for WanYuan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_decimal())
    }
}

impl<'de> Deserialize<'de> for WanYuan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let x = f64::deserialize(d)?;
        WanYuan::from_decimal(x).ok_or_else(|| {
            serde::de::Error::custom("an amount in 万元 of zero or more with at most two decimals")
        })
    }
}

/// One unit's figures for table 二 of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Figures {
    /// 规章 本年制发件数.
    pub rules_issued: u64,
    /// 规章 本年废止件数.
    pub rules_repealed: u64,
    /// 规章 现行有效件数.
    pub rules_in_force: u64,
    /// 行政规范性文件 本年制发件数.
    pub normative_documents_issued: u64,
    /// 行政规范性文件 本年废止件数.
    pub normative_documents_repealed: u64,
    /// 行政规范性文件 现行有效件数.
    pub normative_documents_in_force: u64,
    /// 行政许可 本年处理决定数量.
    pub licensing_decisions: u64,
    /// 行政处罚 本年处理决定数量.
    pub penalty_decisions: u64,
    /// 行政强制 本年处理决定数量.
    pub enforcement_decisions: u64,
    /// 行政事业性收费 本年收费金额, in 万元 with at most two decimals.
    #[cfg_attr(feature = "openapi", schema(value_type = f64, example = 12.5))]
    pub fees_wan_yuan: WanYuan,
}

impl Figures {
    /// The sum of several units' figures: the government's table.
    pub fn sum<'a>(all: impl IntoIterator<Item = &'a Figures>) -> Figures {
        all.into_iter().fold(Figures::default(), |a, f| Figures {
            rules_issued: a.rules_issued + f.rules_issued,
            rules_repealed: a.rules_repealed + f.rules_repealed,
            rules_in_force: a.rules_in_force + f.rules_in_force,
            normative_documents_issued: a.normative_documents_issued + f.normative_documents_issued,
            normative_documents_repealed: a.normative_documents_repealed
                + f.normative_documents_repealed,
            normative_documents_in_force: a.normative_documents_in_force
                + f.normative_documents_in_force,
            licensing_decisions: a.licensing_decisions + f.licensing_decisions,
            penalty_decisions: a.penalty_decisions + f.penalty_decisions,
            enforcement_decisions: a.enforcement_decisions + f.enforcement_decisions,
            fees_wan_yuan: WanYuan(a.fees_wan_yuan.0 + f.fees_wan_yuan.0),
        })
    }
}

/// Which count of documents a continuity flag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 规章
    Rules,
    /// 行政规范性文件
    NormativeDocuments,
}

impl DocumentKind {
    /// The row label in table 二.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Rules => "规章",
            DocumentKind::NormativeDocuments => "行政规范性文件",
        }
    }
}

/// Figures that contradict last year's: 现行有效 ≠ last year's 现行有效 + 制发 − 废止.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContinuityFlag {
    /// The unit whose figures disagree.
    pub unit_id: i64,
    /// Its name.
    pub unit: String,
    /// 规章 or 行政规范性文件.
    pub kind: DocumentKind,
    /// Last year's 现行有效件数.
    pub last_year_in_force: u64,
    /// This year's 本年制发件数.
    pub issued: u64,
    /// This year's 本年废止件数.
    pub repealed: u64,
    /// What 现行有效件数 should be (negative when more were repealed than existed).
    pub expected_in_force: i64,
    /// What the unit entered.
    pub reported_in_force: u64,
    /// In words.
    pub message: String,
}

/// The continuity check of one unit's figures against its figures of the year before
/// (`None` when it entered none: nothing to compare, no flag).
pub fn continuity(
    unit_id: i64,
    unit: &str,
    last_year: Option<&Figures>,
    this_year: &Figures,
) -> Vec<ContinuityFlag> {
    let Some(last) = last_year else { return Vec::new() };
    let pairs = [
        (
            DocumentKind::Rules,
            last.rules_in_force,
            this_year.rules_issued,
            this_year.rules_repealed,
            this_year.rules_in_force,
        ),
        (
            DocumentKind::NormativeDocuments,
            last.normative_documents_in_force,
            this_year.normative_documents_issued,
            this_year.normative_documents_repealed,
            this_year.normative_documents_in_force,
        ),
    ];
    pairs
        .into_iter()
        .filter_map(|(kind, before, issued, repealed, reported)| {
            let expected = before as i64 + issued as i64 - repealed as i64;
            (expected != reported as i64).then(|| ContinuityFlag {
                unit_id,
                unit: unit.to_string(),
                kind,
                last_year_in_force: before,
                issued,
                repealed,
                expected_in_force: expected,
                reported_in_force: reported,
                message: format!(
                    "{unit}{}现行有效件数为{reported}，与上年现行有效{before}件＋本年制发{issued}件－本年废止{repealed}件＝{expected}件不符",
                    kind.label()
                ),
            })
        })
        .collect()
}

/// A block of table 二: one article of the regulation with its columns and rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Table2Block {
    /// The article the block reports on, as printed: `第二十条第（一）项`.
    pub article: String,
    /// The column labels after 信息内容, as printed.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<Table2Row>,
}

/// A row of a block of table 二.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Table2Row {
    /// A stable key: `rules`, `normative_documents`, `licensing`, `penalties`,
    /// `enforcement`, `fees`.
    pub key: String,
    /// The printed label (信息内容).
    pub label: String,
    /// The cells as printed, one per column (an amount with two decimals).
    pub cells: Vec<String>,
}

/// Table 二 of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Table2 {
    /// The heading: 二、主动公开政府信息情况.
    pub title: String,
    /// 信息内容.
    pub first_column: String,
    /// The figures of the table: the sum over the units covered.
    pub figures: Figures,
    /// The units whose figures are in the sum.
    pub units_reported: Vec<i64>,
    /// The four blocks in printed order.
    pub blocks: Vec<Table2Block>,
    /// Figures contradicting last year's, per unit.
    pub continuity: Vec<ContinuityFlag>,
}

/// The printed header of the counting block (第二十条第（一）项).
pub const DOCUMENT_COLUMNS: [&str; 3] = ["本年制发件数", "本年废止件数", "现行有效件数"];
/// The header of the decision blocks.
pub const DECISIONS: &str = "本年处理决定数量";
/// The header of the fee block.
pub const FEES: &str = "本年收费金额（单位：万元）";

fn row(key: &str, label: &str, cells: Vec<String>) -> Table2Row {
    Table2Row { key: key.into(), label: label.into(), cells }
}

/// Lays out table 二 from the summed figures, with the labels of the 2021 format.
pub fn table2(
    figures: Figures,
    units_reported: Vec<i64>,
    continuity: Vec<ContinuityFlag>,
) -> Table2 {
    let f = figures;
    let n = |x: u64| x.to_string();
    let blocks = vec![
        Table2Block {
            article: "第二十条第（一）项".into(),
            columns: DOCUMENT_COLUMNS.iter().map(|c| c.to_string()).collect(),
            rows: vec![
                row(
                    "rules",
                    "规章",
                    vec![n(f.rules_issued), n(f.rules_repealed), n(f.rules_in_force)],
                ),
                row(
                    "normative_documents",
                    "行政规范性文件",
                    vec![
                        n(f.normative_documents_issued),
                        n(f.normative_documents_repealed),
                        n(f.normative_documents_in_force),
                    ],
                ),
            ],
        },
        Table2Block {
            article: "第二十条第（五）项".into(),
            columns: vec![DECISIONS.into()],
            rows: vec![row("licensing", "行政许可", vec![n(f.licensing_decisions)])],
        },
        Table2Block {
            article: "第二十条第（六）项".into(),
            columns: vec![DECISIONS.into()],
            rows: vec![
                row("penalties", "行政处罚", vec![n(f.penalty_decisions)]),
                row("enforcement", "行政强制", vec![n(f.enforcement_decisions)]),
            ],
        },
        Table2Block {
            article: "第二十条第（八）项".into(),
            columns: vec![FEES.into()],
            rows: vec![row("fees", "行政事业性收费", vec![f.fees_wan_yuan.text()])],
        },
    ];
    Table2 {
        title: TITLE.into(),
        first_column: FIRST_COLUMN.into(),
        figures,
        units_reported,
        blocks,
        continuity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(issued: u64, repealed: u64, in_force: u64, fees: u64) -> Figures {
        Figures {
            rules_issued: issued,
            rules_repealed: repealed,
            rules_in_force: in_force,
            normative_documents_issued: issued * 2,
            normative_documents_repealed: repealed,
            normative_documents_in_force: in_force * 2,
            licensing_decisions: 10,
            penalty_decisions: 3,
            enforcement_decisions: 1,
            fees_wan_yuan: WanYuan(fees),
        }
    }

    #[test]
    fn amounts_keep_two_decimals_exactly() {
        // 12.34 万元 is 1234 hundredths; 0.1 + 0.2 style float noise must not leak.
        assert_eq!(WanYuan::from_decimal(12.34), Some(WanYuan(1234)));
        assert_eq!(WanYuan::from_decimal(0.3), Some(WanYuan(30)));
        assert_eq!(WanYuan::from_decimal(1.0), Some(WanYuan(100)));
        assert_eq!(WanYuan::from_decimal(1.234), None, "three decimals");
        assert_eq!(WanYuan::from_decimal(-1.0), None);
        assert_eq!(WanYuan(1230).text(), "12.30");
        assert_eq!(WanYuan(5).text(), "0.05");
        // 3,000 yuan is 0.30 万元; 4,700 yuan rounds to 0.47; 49 yuan to 0.00, 50 to 0.01.
        assert_eq!(WanYuan::from_yuan(3_000), WanYuan(30));
        assert_eq!(WanYuan::from_yuan(4_700), WanYuan(47));
        assert_eq!(WanYuan::from_yuan(49), WanYuan(0));
        assert_eq!(WanYuan::from_yuan(50), WanYuan(1));
    }

    #[test]
    fn the_governments_table_sums_its_units() {
        let a = figures(2, 1, 10, 150);
        let b = figures(1, 0, 4, 25);
        let s = Figures::sum([&a, &b]);
        // Each cell is the sum of the same cell: 2+1, 1+0, 10+4; 4+2 …; 1.50 + 0.25 万元.
        assert_eq!((s.rules_issued, s.rules_repealed, s.rules_in_force), (3, 1, 14));
        assert_eq!(
            (
                s.normative_documents_issued,
                s.normative_documents_repealed,
                s.normative_documents_in_force
            ),
            (6, 1, 28)
        );
        assert_eq!(
            (s.licensing_decisions, s.penalty_decisions, s.enforcement_decisions),
            (20, 6, 2)
        );
        assert_eq!(s.fees_wan_yuan.text(), "1.75");
        assert_eq!(Figures::sum([]), Figures::default());
    }

    #[test]
    fn continuity_flags_only_contradictions() {
        let last = figures(0, 0, 10, 0);
        // 10 + 2 − 1 = 11 rules and 20 + 4 − 1 = 23 documents: consistent.
        let mut ok = figures(2, 1, 11, 0);
        ok.normative_documents_in_force = 23;
        assert!(continuity(1, "党政办", Some(&last), &ok).is_empty());
        // 10 + 2 − 1 = 11 but 12 entered; documents 20 + 4 − 1 = 23 but 24 entered.
        let bad = figures(2, 1, 12, 0);
        let flags = continuity(1, "党政办", Some(&last), &bad);
        assert_eq!(flags.len(), 2);
        assert_eq!(flags[0].kind, DocumentKind::Rules);
        assert_eq!((flags[0].expected_in_force, flags[0].reported_in_force), (11, 12));
        assert!(flags[0].message.contains("上年现行有效10件＋本年制发2件－本年废止1件＝11件"));
        assert_eq!(flags[1].kind, DocumentKind::NormativeDocuments);
        assert_eq!((flags[1].expected_in_force, flags[1].reported_in_force), (23, 24));
        // No figures last year: nothing to compare.
        assert!(continuity(1, "党政办", None, &bad).is_empty());
    }

    #[test]
    fn layout_has_the_four_blocks_of_the_2021_format() {
        let t = table2(figures(2, 1, 11, 1234), vec![1], Vec::new());
        let articles: Vec<&str> = t.blocks.iter().map(|b| b.article.as_str()).collect();
        assert_eq!(
            articles,
            [
                "第二十条第（一）项",
                "第二十条第（五）项",
                "第二十条第（六）项",
                "第二十条第（八）项"
            ]
        );
        assert_eq!(t.blocks[0].columns, ["本年制发件数", "本年废止件数", "现行有效件数"]);
        assert_eq!(t.blocks[0].rows[0].cells, ["2", "1", "11"]);
        assert_eq!(t.blocks[0].rows[1].label, "行政规范性文件");
        assert_eq!(t.blocks[2].rows[1].label, "行政强制");
        assert_eq!(t.blocks[3].columns, ["本年收费金额（单位：万元）"]);
        assert_eq!(t.blocks[3].rows[0].cells, ["12.34"]);
    }
}
