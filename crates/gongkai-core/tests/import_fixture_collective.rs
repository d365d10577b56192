//! A plan laid out as another city's office might send it (fixture written for these
//! tests, not copied from a real plan): unit cells that name units collectively
//! ("各镇人民政府（街道办事处）、市直各单位", "各镇（街道）") or carry full-width brackets
//! inside a name ("市委宣传部（市政府新闻办）"), on their own line, after a space, glued
//! before the next number and wrapped over two lines (issue 12, item 6).

#[path = "import_support.rs"]
mod support;

use gongkai_core::import::{ImportWarning, ParsedSection, parse_plan};
use gongkai_core::quota::QuotaPeriod;
use support::{count, due, percent, section, task, warning_codes, workdays};

fn expected() -> Vec<ParsedSection> {
    vec![
        section(
            1,
            "深化重点领域信息公开",
            vec![
                task(
                    1,
                    "围绕稳就业、稳物价，及时公开就业创业扶持政策和价格监测信息，每季度至少发布1次解读材料。",
                    &["各镇人民政府（街道办事处）", "市直各单位"],
                    count(1, QuotaPeriod::Quarter, "每季度至少发布1次"),
                ),
                task(
                    2,
                    "优化政务服务事项办事指南，办理结果在5个工作日内公开。",
                    &["市政务服务数据管理局（市政务服务中心）"],
                    workdays(5, "5个工作日内"),
                ),
                task(
                    3,
                    "做好重大政策发布解读，回应社会关切。",
                    &["市委宣传部（市政府新闻办）", "市融媒体中心"],
                    vec![],
                ),
                task(
                    4,
                    "于2023年6月30日前完成政府信息公开指南修订（含“依申请公开”流程图）。",
                    &["市司法局"],
                    due(2023, 6, 30, "2023年6月30日前"),
                ),
            ],
        ),
        section(
            2,
            "加强公开平台建设",
            vec![
                task(
                    5,
                    "规范村（社区）公开栏，公开内容每月至少更新一次。",
                    &["各镇（街道）"],
                    count(1, QuotaPeriod::Month, "每月至少更新一次"),
                ),
                task(
                    6,
                    "修订《政务公开工作规范（试行）》，2023年底前印发实施。",
                    &["市政府办公室"],
                    due(2023, 12, 31, "2023年底前"),
                ),
                task(
                    7,
                    "推进基层政务公开标准化规范化，公开事项目录覆盖率不低于95%。",
                    &["各镇人民政府（街道办事处）", "市直各部门"],
                    percent(95.0, "不低于95%"),
                ),
                task(
                    8,
                    "健全政务公开工作考核机制，2023年12月开展年度考核。",
                    &["市政府办公室", "各有关单位"],
                    vec![],
                ),
            ],
        ),
    ]
}

#[test]
fn collective_and_bracketed_unit_cells_are_read_as_cells() {
    let text = support::fixture("import-collective-units.txt");
    let plan = parse_plan(&text, &[]).unwrap();
    assert_eq!(plan.sections, expected());
    assert_eq!(
        plan.units,
        [
            "各镇人民政府（街道办事处）",
            "市直各单位",
            "市政务服务数据管理局（市政务服务中心）",
            "市委宣传部（市政府新闻办）",
            "市融媒体中心",
            "市司法局",
            "各镇（街道）",
            "市政府办公室",
            "市直各部门",
            "各有关单位",
        ]
    );
    // Only the title line is noted: no unit_missing, no unit_by_place.
    assert_eq!(warning_codes(&plan), [(None, ImportWarning::TEXT_BEFORE_FIRST_SECTION)]);
    let without_title: String = text.lines().skip(1).map(|line| format!("{line}\n")).collect();
    support::assert_no_text_lost(&without_title, &plan, 2);
    support::assert_reconstructs(&without_title, &plan);
}

/// Brackets in a requirement's own text ("（试行）", "（社区）", "（含…）") never turn it
/// into a unit cell: the requirements above keep them, and a bracketed line that is not
/// a unit stays text.
#[test]
fn brackets_in_requirements_stay_text() {
    let text = "一、加强平台建设。\n1.修订《政务公开工作规范（试行）》。\n做好公开（试行）\n2.规范村（社区）公开栏。 市政府办公室\n";
    let plan = parse_plan(text, &[]).unwrap();
    let tasks = &plan.sections[0].tasks;
    assert_eq!(tasks[0].requirement, "修订《政务公开工作规范（试行）》。做好公开（试行）");
    assert!(tasks[0].units.is_empty());
    assert_eq!(warning_codes(&plan), [(Some(1), ImportWarning::UNIT_MISSING)]);
    assert_eq!(tasks[1].units, ["市政府办公室"]);
}
