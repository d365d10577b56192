//! Plans in other layouts than Kaiping's, each with its full expected structure:
//! a PDF copy with twenty-one sections, a Word table copied with tabs, and another
//! city's plan with a title line, list items inside a task and a unit no rule knows.

#[path = "import_support.rs"]
mod support;

use chrono::NaiveDate;
use gongkai_core::import::{ImportWarning, ParsedPlan, ParsedSection, ParsedTask, parse_plan};
use gongkai_core::quota::{ExtractedQuota, QuotaPeriod, QuotaRule, ThresholdUnit};

fn section(number: u32, title: &str, tasks: Vec<ParsedTask>) -> ParsedSection {
    ParsedSection { number, title: title.to_owned(), tasks }
}

fn task(number: u32, requirement: &str, units: &[&str], quotas: Vec<ExtractedQuota>) -> ParsedTask {
    ParsedTask {
        number,
        requirement: requirement.to_owned(),
        units: units.iter().map(|unit| unit.to_string()).collect(),
        units_inherited: false,
        quotas,
    }
}

fn inherited(number: u32, requirement: &str, units: &[&str]) -> ParsedTask {
    ParsedTask { units_inherited: true, ..task(number, requirement, units, vec![]) }
}

fn quota(rule: QuotaRule, source: &str) -> Vec<ExtractedQuota> {
    vec![ExtractedQuota { rule, source: source.to_owned() }]
}

fn count(min: u32, period: QuotaPeriod, source: &str) -> Vec<ExtractedQuota> {
    quota(QuotaRule::Count { min, period }, source)
}

fn due(y: i32, m: u32, d: u32, source: &str) -> Vec<ExtractedQuota> {
    quota(QuotaRule::Deadline { due: NaiveDate::from_ymd_opt(y, m, d).unwrap() }, source)
}

fn percent(min: f64, source: &str) -> Vec<ExtractedQuota> {
    quota(QuotaRule::Threshold { min, unit: ThresholdUnit::Percent }, source)
}

fn workdays(days: u32, source: &str) -> Vec<ExtractedQuota> {
    quota(QuotaRule::WithinWorkdays { days }, source)
}

fn warning_codes(plan: &ParsedPlan) -> Vec<(Option<u32>, &str)> {
    plan.warnings.iter().map(|warning| (warning.task, warning.code.as_str())).collect()
}

#[test]
fn pdf_copy_with_twenty_one_sections() {
    let text = support::fixture("import-pdf-twenty-one-sections.txt");
    let plan = parse_plan(&text, &[]).unwrap();
    use QuotaPeriod::*;
    let expected = vec![
        section(
            1,
            "深化政务公开",
            vec![
                task(
                    1,
                    "全面公开本级政府年度重大建设项目清单，每季度至少开展两次项目进展公开。",
                    &["发改局"],
                    count(2, Quarter, "每季度至少开展两次"),
                ),
                task(2, "做好“十四五”规划中期评估信息公开。", &["发改局", "统计局"], vec![]),
            ],
        ),
        section(
            2,
            "加强财政信息公开",
            vec![
                task(
                    3,
                    "推进预决算公开，部门预算公开率不少于95%。",
                    &["财政局"],
                    percent(95.0, "不少于95%"),
                ),
                inherited(4, "持续公开地方政府债务信息。", &["财政局"]),
            ],
        ),
        section(
            3,
            "规范行政执法公开",
            vec![
                task(
                    5,
                    "严格落实行政执法公示制度，执法决定在作出之日起10个工作日内公开。",
                    &["司法局"],
                    workdays(10, "10个工作日内"),
                ),
                task(
                    6,
                    "推进政务服务事项标准化，平均办理时限压缩至7.5个工作日，群众满意度达到99%以上。",
                    &["政务服务中心"],
                    percent(99.0, "达到99%"),
                ),
            ],
        ),
        section(
            4,
            "推进决策公开",
            vec![
                task(
                    7,
                    "重大行政决策事项目录于2022年6月30日前向社会公布。",
                    &["办公室"],
                    due(2022, 6, 30, "2022年6月30日前"),
                ),
                task(
                    8,
                    "2022年底前，建立决策预公开制度。",
                    &["办公室"],
                    due(2022, 12, 31, "2022年底前"),
                ),
            ],
        ),
        section(
            5,
            "加强政策解读",
            vec![task(
                9,
                "坚持政策文件与解读方案同步研究、同步部署，解读材料不少于两种形式。",
                &["融媒体中心"],
                vec![],
            )],
        ),
        section(
            6,
            "做好回应关切",
            vec![
                task(
                    10,
                    "做好“12345”政务服务便民热线诉求办理信息公开。",
                    &["政务服务中心"],
                    vec![],
                ),
                task(
                    11,
                    "密切关注教育、医疗等领域舆情，及时回应社会关切，网上留言办结率同比提升12.5%，办理情况按月公开。",
                    &["卫健局", "教育局"],
                    vec![],
                ),
                inherited(
                    12,
                    "对未完成整改的单位依法督促整改，并通报批评。",
                    &["卫健局", "教育局"],
                ),
            ],
        ),
        section(
            7,
            "推进基层政务公开",
            vec![task(
                13,
                "各镇要完善政务公开栏，每半年至少更新一次公开栏内容。",
                &["各镇人民政府"],
                count(1, HalfYear, "每半年至少更新一次"),
            )],
        ),
        section(
            8,
            "加强平台建设",
            vec![task(
                14,
                "优化政府网站集约化平台功能（含政务新媒体矩阵）。",
                &["政务服务数据管理局"],
                vec![],
            )],
        ),
        section(
            9,
            "规范依申请公开",
            vec![task(
                15,
                "规范依申请公开答复文书，做到答复内容准确、依据充分。",
                &["司法局"],
                vec![],
            )],
        ),
        section(
            10,
            "加强公开队伍建设",
            vec![
                task(16, "加强政务公开工作人员业务培训，提升业务能力。", &["办公室"], vec![]),
                task(17, "建立政务公开工作考核通报制度。", &["办公室"], vec![]),
            ],
        ),
        section(
            11,
            "强化监督考核",
            vec![task(18, "将政务公开工作纳入年度绩效考核。", &[], vec![])],
        ),
        section(
            12,
            "强化业务培训",
            vec![task(
                19,
                "每年至少开展一次全员政务公开培训。",
                &["办公室"],
                count(1, Year, "每年至少开展一次"),
            )],
        ),
        section(
            13,
            "完善信息发布",
            vec![task(
                20,
                "政务新媒体每月至少发布1期政策解读专题。",
                &["融媒体中心"],
                count(1, Month, "每月至少发布1期"),
            )],
        ),
        section(
            14,
            "深化数据开放",
            vec![task(
                21,
                "2022年年底前完成公共数据开放目录编制，开放数据集不少于50个。",
                &["政务服务数据管理局"],
                due(2022, 12, 31, "2022年年底前"),
            )],
        ),
        section(
            15,
            "推进公共企事业单位信息公开",
            vec![task(
                22,
                "督促供水、供电、供气企业公开服务标准和收费依据。",
                &["住建局", "市场监管局", "供电局"],
                vec![],
            )],
        ),
        section(
            16,
            "加强档案管理",
            vec![task(23, "做好政府信息公开工作档案归集。", &["档案馆"], vec![])],
        ),
        section(
            17,
            "保障工作经费",
            vec![task(24, "将政务公开工作经费列入年度预算。", &["财政局"], vec![])],
        ),
        section(
            18,
            "加强工作宣传",
            vec![task(25, "利用融媒体平台宣传政务公开工作成效。", &["融媒体中心"], vec![])],
        ),
        section(
            19,
            "推进政务公开专区建设",
            vec![task(26, "在政务服务中心设立政务公开专区。", &["政务服务中心"], vec![])],
        ),
        section(
            20,
            "健全工作机制",
            vec![task(
                27,
                "建立政务公开工作联络员制度，每季度召开一次联络员会议。",
                &["办公室", "司法局"],
                count(1, Quarter, "每季度召开一次"),
            )],
        ),
        section(
            21,
            "狠抓落实",
            vec![
                task(
                    28,
                    "各单位要对照本要点制定具体措施，确保各项任务于2022年12月31日前全面完成。",
                    &["办公室"],
                    due(2022, 12, 31, "2022年12月31日前"),
                ),
                inherited(29, "本要点由市政务公开办负责解释。", &["办公室"]),
            ],
        ),
    ];
    assert_eq!(plan.sections, expected);
    assert_eq!(
        plan.units,
        [
            "发改局",
            "统计局",
            "财政局",
            "司法局",
            "政务服务中心",
            "办公室",
            "融媒体中心",
            "卫健局",
            "教育局",
            "各镇人民政府",
            "政务服务数据管理局",
            "住建局",
            "市场监管局",
            "供电局",
            "档案馆"
        ]
    );
    assert_eq!(
        warning_codes(&plan),
        [
            (Some(4), ImportWarning::UNIT_INHERITED),
            (Some(12), ImportWarning::UNIT_INHERITED),
            (Some(18), ImportWarning::UNIT_MISSING),
            (Some(29), ImportWarning::UNIT_INHERITED),
        ]
    );
    support::assert_no_text_lost(&text, &plan, 20);
}

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
    // Known to the caller, 各镇街 needs no guess.
    let known = parse_plan(&text, &["各镇街"]).unwrap();
    assert_eq!(known.sections, plan.sections);
    assert_eq!(known.warnings, plan.warnings[..3]);
}

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

    let known = parse_plan(&text, &["各镇街"]).unwrap();
    assert_eq!(known.sections, other_city_expected(&["各镇街"]));
    assert!(known.warnings.iter().all(|warning| warning.code != ImportWarning::UNIT_BY_PLACE));
}

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
