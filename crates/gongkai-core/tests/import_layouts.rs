//! Small layouts: full-width digits, a cell glued before a section heading, a cell
//! wrapped over lines, empty sections and tasks, and doubtful numbers ("2.5%").

#[path = "import_support.rs"]
mod support;

use gongkai_core::import::{ImportWarning, parse_plan};
use support::{section, task, warning_codes};

#[test]
fn full_width_digits_glued_sections_and_wrapped_cells() {
    let text = "一、做好\n公开。\n１．主动公开规划信息。\n发改局、卫健局、\n融媒体中心\n\
                ２．做好解读工作。司法局二、完善\n制度\n3.建立制度。 办公室\n";
    let plan = parse_plan(text, &[]).unwrap();
    let expected = vec![
        section(
            1,
            "做好公开",
            vec![
                task(1, "主动公开规划信息。", &["发改局", "卫健局", "融媒体中心"], vec![]),
                task(2, "做好解读工作。", &["司法局"], vec![]),
            ],
        ),
        section(2, "完善制度", vec![task(3, "建立制度。", &["办公室"], vec![])]),
    ];
    assert_eq!(plan.sections, expected);
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

#[test]
fn a_section_without_tasks_and_a_task_without_text_are_warned_about() {
    let plan = parse_plan("一、空的\n二、有任务\n1.\n办公室\n2.做好工作。\n", &[]).unwrap();
    assert_eq!(plan.sections[0].tasks, []);
    assert_eq!(plan.sections[1].tasks[0].requirement, "办公室");
    assert_eq!(
        warning_codes(&plan),
        [
            (None, ImportWarning::SECTION_WITHOUT_TASKS),
            (Some(1), ImportWarning::UNIT_MISSING),
            (Some(2), ImportWarning::UNIT_MISSING),
        ]
    );
    let bare = parse_plan("一、标题\n1.\n2.做好工作。 办公室\n", &[]).unwrap();
    assert_eq!(warning_codes(&bare)[0], (Some(1), ImportWarning::REQUIREMENT_EMPTY));
}

#[test]
fn doubtful_numbers_are_decided_by_what_follows() {
    // "2.5%" could be task 2 or a wrapped decimal: the plain "2." further on decides.
    let wrapped = "一、标题\n1.公开率提升\n2.5%，按月公开。 办公室\n2.做好工作。 办公室\n";
    let plan = parse_plan(wrapped, &[]).unwrap();
    let texts: Vec<&str> =
        plan.sections[0].tasks.iter().map(|task| task.requirement.as_str()).collect();
    assert_eq!(texts, ["公开率提升2.5%，按月公开。", "做好工作。"]);
    // With no plain "2." later, the doubtful one is task 2, so nothing after it is lost.
    let only = "一、标题\n1.做好工作，\n2.5万户信息公开，\n3.做好其他工作。 办公室\n";
    let plan = parse_plan(only, &[]).unwrap();
    let texts: Vec<&str> =
        plan.sections[0].tasks.iter().map(|task| task.requirement.as_str()).collect();
    assert_eq!(texts, ["做好工作，", "5万户信息公开，", "做好其他工作。"]);
    // A year after the dot is never doubtful, even after unfinished text.
    let year = "一、标题\n1.做好工作，\n2.2022年底前完成。\n2.3万户\n";
    let plan = parse_plan(year, &[]).unwrap();
    let texts: Vec<&str> =
        plan.sections[0].tasks.iter().map(|task| task.requirement.as_str()).collect();
    assert_eq!(texts, ["做好工作，", "2022年底前完成。2.3万户"]);
}

#[test]
fn a_heading_may_share_its_line_with_the_first_task() {
    let text = "一、做好公开。1.主动公开规划信息。 发改局\n2.做好解读。\n卫健局\n\
                二、完善 制度 3.建立制度。 办公室\n";
    let plan = parse_plan(text, &[]).unwrap();
    let expected = vec![
        section(
            1,
            "做好公开",
            vec![
                task(1, "主动公开规划信息。", &["发改局"], vec![]),
                task(2, "做好解读。", &["卫健局"], vec![]),
            ],
        ),
        section(2, "完善制度", vec![task(3, "建立制度。", &["办公室"], vec![])]),
    ];
    assert_eq!(plan.sections, expected);
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}
