//! Another city's plan: a title line before the table, a different page header, list
//! items numbered inside a task, and a unit name (各镇街) no rule or list knows.

#[path = "import_support.rs"]
mod support;

use gongkai_core::import::{ImportWarning, ParsedSection, parse_plan};
use gongkai_core::quota::QuotaPeriod;
use support::{count, inherited, section, task, warning_codes, workdays};

fn other_city_expected(task_five_units: &[&str]) -> Vec<ParsedSection> {
    vec![
        section(
            1,
            "加强法治政府建设信息公开",
            vec![
                task(1, "及时公开法治政府建设年度报告。", &["司法局"], vec![]),
                task(
                    2,
                    "做好行政规范性文件备案审查信息公开，审查结果在10个工作日内公开。",
                    &["司法局", "办公室"],
                    workdays(10, "10个工作日内"),
                ),
            ],
        ),
        section(
            2,
            "做好重点领域信息公开",
            vec![
                task(
                    3,
                    "公开医疗卫生机构服务信息，每月至少更新一次。",
                    &["卫健局"],
                    count(1, QuotaPeriod::Month, "每月至少更新一次"),
                ),
                inherited(4, "公开教育收费项目与标准。", &["卫健局"]),
                task(
                    5,
                    "推进公共文化服务信息公开，重点公开以下内容：1.文化场馆开放时间；2.文化活动安排。",
                    task_five_units,
                    vec![],
                ),
            ],
        ),
        section(
            3,
            "强化组织保障",
            vec![
                task(6, "做好融媒体平台政务信息转载工作。", &["融媒体中心"], vec![]),
                task(
                    7,
                    "建立政务公开目录动态调整机制，每年至少调整1次。",
                    &["办公室"],
                    count(1, QuotaPeriod::Year, "每年至少调整1次"),
                ),
                inherited(8, "落实政务公开工作责任制，对工作不力的单位予以通报。", &["办公室"]),
            ],
        ),
    ]
}

#[test]
fn another_city_with_a_title_line_list_items_and_an_unusual_unit() {
    let text = support::fixture("import-other-city.txt");
    let plan = parse_plan(&text, &[]).unwrap();
    assert_eq!(plan.sections, other_city_expected(&["各镇街"]));
    assert_eq!(plan.units, ["司法局", "办公室", "卫健局", "各镇街", "融媒体中心"]);
    assert_eq!(
        warning_codes(&plan),
        [
            (None, ImportWarning::TEXT_BEFORE_FIRST_SECTION),
            (Some(4), ImportWarning::UNIT_INHERITED),
            (Some(5), ImportWarning::OUT_OF_SEQUENCE_NUMBER),
            (Some(5), ImportWarning::OUT_OF_SEQUENCE_NUMBER),
            (Some(5), ImportWarning::UNIT_BY_PLACE),
            (Some(8), ImportWarning::UNIT_INHERITED),
        ]
    );
    assert!(plan.warnings[2].message.contains("line 17"), "{}", plan.warnings[2].message);
    // The title line is the one thing left out, with a warning.
    let without_title: String = text.lines().skip(1).map(|line| format!("{line}\n")).collect();
    support::assert_no_text_lost(&without_title, &plan, 3);
    support::assert_reconstructs(&without_title, &plan);

    let known = parse_plan(&text, &["各镇街"]).unwrap();
    assert_eq!(known.sections, other_city_expected(&["各镇街"]));
    assert!(known.warnings.iter().all(|warning| warning.code != ImportWarning::UNIT_BY_PLACE));
}
