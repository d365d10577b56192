//! A plan copied out of a PDF with twenty-one sections: headings broken over lines,
//! page headers with full-width spaces, page numbers, units on their own line, after a
//! space or full-width space, glued before a number or a section heading, a cell
//! wrapped over two lines, a wrapped "12345", "12.5%" and "7.5" at line starts, and a
//! stray space.

#[path = "import_support.rs"]
mod support;

use gongkai_core::import::{ImportWarning, parse_plan};
use gongkai_core::quota::QuotaPeriod;
use support::{count, due, inherited, percent, section, task, warning_codes, workdays};

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
    support::assert_reconstructs(&text, &plan);
}
