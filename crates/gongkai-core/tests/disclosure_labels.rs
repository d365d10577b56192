//! Every label the annual report's tables print, compared with the printed labels of
//! 国办公开办函〔2021〕30号 as listed in domain-rules.md §4 (issue 12, item 5): full-width
//! punctuation, Chinese quotation marks and the notes included.
//!
//! Two checks: the exact list below, in printed order, and that every label occurs
//! verbatim in the rules text itself (`fixtures/annual-report-labels.md`, a copy of §4),
//! so a label typed the same wrong way in code and test is still caught.

use gongkai_core::disclosure::appeals::table4;
use gongkai_core::disclosure::report::{ReportFormat, table3};

const RULES: &str = include_str!("fixtures/annual-report-labels.md");

/// Table 三, 2021 format: every row title (numeral and label) in printed order.
const TABLE3_ROWS_2021: &[&str] = &[
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
];

/// The columns of table 三: (key, label, group).
const TABLE3_COLUMNS: &[(&str, &str, Option<&str>)] = &[
    ("natural_person", "自然人", None),
    ("business", "商业企业", Some("法人或其他组织")),
    ("research", "科研机构", Some("法人或其他组织")),
    ("public_interest_org", "社会公益组织", Some("法人或其他组织")),
    ("legal_service", "法律服务机构", Some("法人或其他组织")),
    ("other", "其他", Some("法人或其他组织")),
    ("total", "总计", None),
];

#[test]
fn table_three_prints_the_labels_of_the_2021_format() {
    let t = table3(2024, ReportFormat::Format2021, &[]);
    let titles: Vec<&str> = t.rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, TABLE3_ROWS_2021);
    let columns: Vec<(&str, &str, Option<&str>)> =
        t.columns.iter().map(|c| (c.key.as_str(), c.label.as_str(), c.group.as_deref())).collect();
    assert_eq!(columns, TABLE3_COLUMNS);
    assert_eq!(t.title, "三、收到和处理政府信息公开申请情况");
    assert_eq!(t.heading, "申请人情况");
    assert_eq!(t.note, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
    // A row's title is its numeral and its label as printed.
    for r in &t.rows {
        assert!(r.title.starts_with(&r.number), "{}", r.title);
        assert!(r.title.ends_with(&r.label), "{}", r.title);
    }
}

/// The 2019 trial format differs only in （六）, printed as one row.
#[test]
fn the_2019_format_differs_only_in_other_handling() {
    let t = table3(2024, ReportFormat::Format2019, &[]);
    let titles: Vec<&str> = t.rows.iter().map(|r| r.title.as_str()).collect();
    let expected: Vec<&str> = TABLE3_ROWS_2021
        .iter()
        .copied()
        .filter(|r| !r.starts_with("1.申请人") && !r.starts_with("2.申请人") && *r != "3.其他")
        .collect();
    assert_eq!(titles, expected);
}

#[test]
fn table_four_prints_the_labels_of_the_format() {
    let t = table4(2024, &[]);
    assert_eq!(t.title, "四、政府信息公开行政复议、行政诉讼情况");
    let groups: Vec<(&str, Option<&str>)> =
        t.groups.iter().map(|g| (g.label.as_str(), g.group.as_deref())).collect();
    assert_eq!(
        groups,
        [
            ("行政复议", None),
            ("未经复议直接起诉", Some("行政诉讼")),
            ("复议后起诉", Some("行政诉讼"))
        ]
    );
    let columns: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(columns, ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]);
}

/// Every label printed by either table, in either format, occurs verbatim in §4.
#[test]
fn every_printed_label_is_in_the_rules_text() {
    let mut labels: Vec<String> = Vec::new();
    for format in [ReportFormat::Format2021, ReportFormat::Format2019] {
        let t = table3(2024, format, &[]);
        labels.extend(t.rows.iter().map(|r| r.label.clone()));
        // Sub-rows are listed with their numeral ("1.属于国家秘密"), groups too.
        labels.extend(t.rows.iter().filter(|r| r.level > 1).map(|r| r.title.clone()));
        labels.extend(t.columns.iter().map(|c| c.label.clone()));
        labels.extend(t.columns.iter().filter_map(|c| c.group.clone()));
        labels.push(t.heading.clone());
        labels.push(t.note.clone());
        labels.push(t.title.trim_start_matches("三、").to_string());
    }
    let t = table4(2024, &[]);
    labels.extend(t.groups.iter().map(|g| g.label.clone()));
    labels.extend(t.groups.iter().filter_map(|g| g.group.clone()));
    labels.extend(t.columns.iter().map(|c| c.label.clone()));
    labels.push(t.title.trim_start_matches("四、").to_string());
    for label in &labels {
        assert!(RULES.contains(label.as_str()), "`{label}` is not written so in §4");
    }
    // No ASCII quotation mark or bracket slipped into a label.
    for label in &labels {
        assert!(!label.contains(['"', '(', ')', ':', ',']), "`{label}` has ASCII punctuation");
    }
}
