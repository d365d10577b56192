//! A plan copied out of a Word table: one row a line, cells separated by tabs, the
//! section heading in the first cell of its first row, full-width dots, empty unit
//! cells and a unit name (各镇街) no rule knows.

#[path = "import_support.rs"]
mod support;

use gongkai_core::import::{ImportWarning, parse_plan};
use gongkai_core::quota::QuotaPeriod;
use support::{count, due, inherited, percent, section, task, warning_codes, workdays};

#[test]
fn word_table_copied_with_tabs() {
    let text = support::fixture("import-word-table-tabs.txt");
    let plan = parse_plan(&text, &[]).unwrap();
    let expected = vec![
        section(
            1,
            "深化重点领域信息公开",
            vec![
                task(
                    1,
                    "全面公开本级政府年度重大项目清单，每季度至少开展两次项目进展公开。",
                    &["发改局"],
                    count(2, QuotaPeriod::Quarter, "每季度至少开展两次"),
                ),
                task(
                    2,
                    "做好义务教育招生政策解读工作，招生结果于2022年6月30日前公开。",
                    &["教育局", "融媒体中心"],
                    due(2022, 6, 30, "2022年6月30日前"),
                ),
                task(
                    3,
                    "规范医疗机构收费信息公开，公开率不少于95%。",
                    &["卫健局"],
                    percent(95.0, "不少于95%"),
                ),
                inherited(
                    4,
                    "推进公共资源配置信息公开，统一使用PDF格式、Office 2016版本发布。",
                    &["卫健局"],
                ),
            ],
        ),
        section(
            2,
            "提升政务服务水平",
            vec![
                task(
                    5,
                    "依申请公开答复应在收到申请之日起10个工作日内作出。",
                    &["司法局", "办公室"],
                    workdays(10, "10个工作日内"),
                ),
                task(
                    6,
                    "每半年至少召开一次政务公开工作推进会。",
                    &["办公室"],
                    count(1, QuotaPeriod::HalfYear, "每半年至少召开一次"),
                ),
                inherited(7, "加强政务新媒体管理。", &["办公室"]),
            ],
        ),
        section(
            3,
            "强化监督保障",
            vec![
                task(8, "开展政务公开第三方评估。", &[], vec![]),
                task(
                    9,
                    "2022年底前完成基层政务公开标准目录修订。",
                    &["各镇街", "市场监管所"],
                    due(2022, 12, 31, "2022年底前"),
                ),
            ],
        ),
    ];
    assert_eq!(plan.sections, expected);
    assert_eq!(
        plan.units,
        ["发改局", "教育局", "融媒体中心", "卫健局", "司法局", "办公室", "各镇街", "市场监管所"]
    );
    assert_eq!(
        warning_codes(&plan),
        [
            (Some(4), ImportWarning::UNIT_INHERITED),
            (Some(7), ImportWarning::UNIT_INHERITED),
            (Some(8), ImportWarning::UNIT_MISSING),
            (Some(9), ImportWarning::UNIT_BY_PLACE),
        ]
    );
    support::assert_no_text_lost(&text, &plan, 2);
    support::assert_reconstructs(&text, &plan);
    // Known to the caller, 各镇街 needs no guess.
    let known = parse_plan(&text, &["各镇街"]).unwrap();
    assert_eq!(known.sections, plan.sections);
    assert_eq!(known.warnings, plan.warnings[..3]);
}
