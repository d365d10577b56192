//! The Kaiping 2021 plan: structure, units, texts, quotas and the generated seed JSON.

#[path = "import_support.rs"]
mod support;

use chrono::NaiveDate;
use gongkai_core::import::{ImportWarning, ParsedPlan, ParsedTask, parse_plan, parse_plan_bytes};
use gongkai_core::quota::{ExtractedQuota, QuotaPeriod, QuotaRule, ThresholdUnit};

fn kaiping() -> ParsedPlan {
    parse_plan(&support::kaiping_text(), &[]).unwrap()
}

fn tasks(plan: &ParsedPlan) -> Vec<&ParsedTask> {
    plan.sections.iter().flat_map(|section| &section.tasks).collect()
}

fn task(plan: &ParsedPlan, number: u32) -> &ParsedTask {
    tasks(plan).into_iter().find(|task| task.number == number).unwrap()
}

#[test]
fn seed_json_is_the_parsed_plan() {
    let plan = kaiping();
    let path = support::seeds_dir().join("kaiping-2021-plan.json");
    if std::env::var("GONGKAI_BLESS").as_deref() == Ok("1") {
        let mut json = serde_json::to_string_pretty(&plan).unwrap();
        json.push('\n');
        std::fs::write(&path, json).unwrap();
    }
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(stored, serde_json::to_value(&plan).unwrap());
    let round_trip: ParsedPlan = serde_json::from_value(stored).unwrap();
    assert_eq!(round_trip, plan);
}

#[test]
fn sixteen_sections_with_their_titles() {
    let plan = kaiping();
    let titles: Vec<(u32, &str)> =
        plan.sections.iter().map(|section| (section.number, section.title.as_str())).collect();
    assert_eq!(
        titles,
        [
            (1, "做好各类规划主动公开"),
            (2, "做好市场规则标准和监管执法信息公开"),
            (3, "做好财政信息公开"),
            (4, "做好政府网站专栏信息公开"),
            (5, "做好常态化疫情防控信息公开"),
            (6, "持续加强重大政策发布解读"),
            (7, "不断改进政策解读工作方式"),
            (8, "切实增强回应关切效果"),
            (9, "做好政务信息管理工作"),
            (10, "完善政务公开平台"),
            (11, "推进基层政务公开标准化规范化"),
            (12, "提高依申请公开工作质量"),
            (13, "规范政府信息公开行政复议案件审理标准"),
            (14, "加强配套制度建设"),
            (15, "加强工作指导"),
            (16, "狠抓任务落实"),
        ]
    );
    let task_numbers: Vec<Vec<u32>> = plan
        .sections
        .iter()
        .map(|section| section.tasks.iter().map(|task| task.number).collect())
        .collect();
    let first_of_each: Vec<u32> = task_numbers.iter().map(|numbers| numbers[0]).collect();
    assert_eq!(first_of_each, [1, 3, 7, 11, 15, 19, 21, 27, 31, 34, 38, 41, 44, 46, 47, 52]);
    let all: Vec<u32> = task_numbers.concat();
    assert_eq!(all, (1..=54).collect::<Vec<u32>>());
}

#[test]
fn every_task_has_its_units() {
    const JFJ: &[&str] = &["经发局"];
    const DZB: &[&str] = &["党政办"];
    const CZJ: &[&str] = &["财政局"];
    const GGFW: &[&str] = &["公共服务中心"];
    const FOUR: &[&str] = &["党政办", "经发局", "综管办", "社事办"];
    let expected: [(u32, &[&str], bool); 54] = [
        (1, JFJ, false),
        (2, JFJ, false),
        (3, JFJ, false),
        (4, JFJ, false),
        (5, DZB, false),
        (6, DZB, false),
        (7, CZJ, false),
        (8, CZJ, true),
        (9, CZJ, false),
        (10, CZJ, true),
        (11, DZB, false),
        (12, DZB, false),
        (13, &["规建局", "经发局", "党政办"], false),
        (14, DZB, false),
        (15, GGFW, false),
        (16, GGFW, false),
        (17, &["党政办", "公共服务中心"], false),
        (18, GGFW, false),
        (19, DZB, false),
        (20, DZB, true),
        (21, GGFW, false),
        (22, DZB, false),
        (23, &["党政办", "经发局"], false),
        (24, &["党政办", "经发局"], true),
        (25, DZB, false),
        (26, DZB, false),
        (27, FOUR, false),
        (28, FOUR, true),
        (29, FOUR, true),
        (30, FOUR, true),
        (31, DZB, false),
        (32, DZB, false),
        (33, DZB, true),
        (34, DZB, false),
        (35, DZB, false),
        (36, DZB, false),
        (37, DZB, false),
        (38, DZB, false),
        (39, DZB, false),
        (40, DZB, false),
        (41, DZB, false),
        (42, DZB, false),
        (43, &["公共服务中心", "规建局", "财政局"], false),
        (44, DZB, false),
        (45, DZB, true),
        (46, DZB, false),
        (47, DZB, false),
        (48, DZB, false),
        (49, DZB, false),
        (50, DZB, false),
        (51, DZB, true),
        (52, DZB, false),
        (53, DZB, true),
        (54, DZB, true),
    ];
    let plan = kaiping();
    let actual: Vec<(u32, Vec<&str>, bool)> = tasks(&plan)
        .into_iter()
        .map(|task| {
            (task.number, task.units.iter().map(String::as_str).collect(), task.units_inherited)
        })
        .collect();
    let expected: Vec<(u32, Vec<&str>, bool)> = expected
        .iter()
        .map(|(number, units, inherited)| (*number, units.to_vec(), *inherited))
        .collect();
    assert_eq!(actual, expected);
    assert_eq!(
        plan.units,
        ["经发局", "党政办", "财政局", "规建局", "公共服务中心", "综管办", "社事办"]
    );
}

#[test]
fn inherited_units_are_warned_about_and_nothing_else() {
    let plan = kaiping();
    let warned: Vec<(Option<u32>, &str)> =
        plan.warnings.iter().map(|warning| (warning.task, warning.code.as_str())).collect();
    let inherited = [8, 10, 20, 24, 28, 29, 30, 33, 45, 51, 53, 54];
    let expected: Vec<(Option<u32>, &str)> =
        inherited.iter().map(|number| (Some(*number), ImportWarning::UNIT_INHERITED)).collect();
    assert_eq!(warned, expected);
    let eight = serde_json::to_value(&plan.warnings[0]).unwrap();
    assert_eq!(eight["task"], 8);
    assert_eq!(eight["code"], "unit_inherited");
    assert!(eight["message"].as_str().unwrap().contains("财政局"));
}

#[test]
fn task_texts_are_exact() {
    let plan = kaiping();
    assert_eq!(
        task(&plan, 8).requirement,
        "持续深化地方政府债务信息公开，通过集中统一平台定期公开地方政府债务限额、余额、品种、\
         期限、利率、使用安排、偿还计划、还本付息、偿债资金来源等信息。"
    );
    assert_eq!(
        task(&plan, 24).requirement,
        "各级政务公开工作机构要加强内部协调工作，修订本单位政府信息公开指南，\
         明确对外告知政府信息公开渠道。"
    );
    assert_eq!(
        task(&plan, 29).requirement,
        "认真做好政务舆情（政务新媒体后台留言）和“省长留言信箱”“12345”政府热线等\
         各类留言信息的办理工作，以解决问题的具体举措实质性回应社会关切。"
    );
    assert_eq!(
        task(&plan, 53).requirement,
        "对上一年度工作要点落实情况开展“回头看”，重点针对有明确责任主体和时限要求的工作任务，\
         逐项核查落实情况，对未完成的依法督促整改。"
    );
    assert_eq!(
        task(&plan, 23).requirement,
        "加强政策咨询服务，政策制定机关要积极解答政策执行机关和企业、群众的咨询，\
         精准传达政策意图（政策文件和解读资料需添加咨询方式）。"
    );
    assert_eq!(
        task(&plan, 32).requirement,
        "2021年底前，在开平市政府门户网站专栏集中公开现行有效规章和市本级现行有效规范性文件，\
         并实现动态更新调整。"
    );
    assert_eq!(
        task(&plan, 13).requirement,
        "根据省政府考核要求，做好新增重点领域相关信息的更新（如住房保障法规政策信息、\
         工程建设项目信息、价格执法信息、企业经济运行情况、企业经营业绩情况实质数据）"
    );
    assert_eq!(
        task(&plan, 1).requirement,
        "主动公开“十四五”规划纲要、各项规划、政策解读等相关信息。"
    );
}

#[test]
fn exactly_the_six_quotas() {
    let plan = kaiping();
    let found: Vec<(u32, &ExtractedQuota)> = tasks(&plan)
        .into_iter()
        .flat_map(|task| task.quotas.iter().map(move |quota| (task.number, quota)))
        .collect();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let quota = |rule, source: &str| ExtractedQuota { rule, source: source.to_owned() };
    let expected = [
        (12, quota(QuotaRule::Count { min: 1, period: QuotaPeriod::Year }, "每年至少更新一次")),
        (15, quota(QuotaRule::Count { min: 2, period: QuotaPeriod::Month }, "每月至少更新2条")),
        (32, quota(QuotaRule::Deadline { due: date(2021, 12, 31) }, "2021年底前")),
        (40, quota(QuotaRule::Deadline { due: date(2021, 12, 1) }, "2021年12月1日前")),
        (47, quota(QuotaRule::Count { min: 1, period: QuotaPeriod::Year }, "每年至少听取1次")),
        (49, quota(QuotaRule::Threshold { min: 4.0, unit: ThresholdUnit::Percent }, "不低于4%")),
    ];
    let expected: Vec<(u32, &ExtractedQuota)> =
        expected.iter().map(|(number, quota)| (*number, quota)).collect();
    assert_eq!(found, expected);
}

#[test]
fn no_character_is_lost_or_added() {
    let text = support::kaiping_text();
    let plan = parse_plan(&text, &[]).unwrap();
    support::assert_no_text_lost(&text, &plan, 16);
    support::assert_reconstructs(&text, &plan);
}

#[test]
fn known_units_change_nothing_for_kaiping() {
    let known = ["经发局", "党政办", "财政局", "规建局", "公共服务中心", "综管办", "社事办"];
    let text = support::kaiping_text();
    assert_eq!(parse_plan(&text, &known).unwrap(), kaiping());
    assert_eq!(parse_plan_bytes(text.as_bytes(), &[]).unwrap(), kaiping());
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_change_nothing() {
    let text = format!("\u{feff}{}", support::kaiping_text().replace('\n', "\r\n"));
    assert_eq!(parse_plan(&text, &[]).unwrap(), kaiping());
}

#[test]
#[should_panic(expected = "characters lost")]
fn the_character_check_notices_a_lost_character() {
    let text = support::kaiping_text();
    let mut plan = parse_plan(&text, &[]).unwrap();
    plan.sections[2].tasks[1].requirement.remove(0);
    support::assert_no_text_lost(&text, &plan, 16);
}

#[test]
#[should_panic(expected = "characters lost")]
fn the_character_check_notices_an_added_character() {
    let text = support::kaiping_text();
    let mut plan = parse_plan(&text, &[]).unwrap();
    plan.sections[0].title.push('的');
    support::assert_no_text_lost(&text, &plan, 16);
}
