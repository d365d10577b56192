//! Quota extraction from requirement texts: what is a quota and what is not.

use chrono::NaiveDate;
use gongkai_core::import::extract_quotas;
use gongkai_core::quota::{QuotaPeriod, QuotaRule, ThresholdUnit};

fn count(min: u32, period: QuotaPeriod) -> QuotaRule {
    QuotaRule::Count { min, period }
}

fn due(y: i32, m: u32, d: u32) -> QuotaRule {
    QuotaRule::Deadline { due: NaiveDate::from_ymd_opt(y, m, d).unwrap() }
}

fn percent(min: f64) -> QuotaRule {
    QuotaRule::Threshold { min, unit: ThresholdUnit::Percent }
}

fn extracted(text: &str) -> Vec<(QuotaRule, String)> {
    extract_quotas(text).into_iter().map(|quota| (quota.rule, quota.source)).collect()
}

#[test]
fn positive_cases() {
    use QuotaPeriod::*;
    let table: Vec<(&str, QuotaRule, &str)> = vec![
        ("市有关部门每年至少更新一次“开放江门”数据集。", count(1, Year), "每年至少更新一次"),
        ("（专栏每月至少更新2条信息）。", count(2, Month), "每月至少更新2条"),
        ("主要负责同志每年至少听取1次政务公开工作汇报", count(1, Year), "每年至少听取1次"),
        ("每季度至少开展两次专项检查。", count(2, Quarter), "每季度至少开展两次"),
        ("每季度开展2次", count(2, Quarter), "每季度开展2次"),
        ("每半年至少召开一次工作会议。", count(1, HalfYear), "每半年至少召开一次"),
        ("每月发布3期简报", count(3, Month), "每月发布3期"),
        ("每年公开典型案例十件", count(10, Year), "每年公开典型案例十件"),
        ("每年选取１２个领域开展评估", count(12, Year), "每年选取１２个"),
        ("每月至少更新两条动态", count(2, Month), "每月至少更新两条"),
        ("每年第1季度至少开展2次", count(2, Year), "每年第1季度至少开展2次"),
        (
            "收到申请之日起10个工作日内予以答复",
            QuotaRule::WithinWorkdays { days: 10 },
            "10个工作日内",
        ),
        ("十五个工作日内办结", QuotaRule::WithinWorkdays { days: 15 }, "十五个工作日内"),
        ("20个工作日之内答复", QuotaRule::WithinWorkdays { days: 20 }, "20个工作日之内"),
        ("2022年6月30日前完成", due(2022, 6, 30), "2022年6月30日前"),
        ("需于2021年12月1日前完成", due(2021, 12, 1), "2021年12月1日前"),
        ("2021年底前，在开平市政府门户网站", due(2021, 12, 31), "2021年底前"),
        ("2022年年底前全部完成", due(2022, 12, 31), "2022年年底前"),
        ("2023年3月底前完成", due(2023, 3, 31), "2023年3月底前"),
        ("2024年2月底之前完成", due(2024, 2, 29), "2024年2月底之前"),
        ("分值权重不低于4%的要求", percent(4.0), "不低于4%"),
        ("公开率不少于95%", percent(95.0), "不少于95%"),
        ("覆盖率达到12.5％以上", percent(12.5), "达到12.5％"),
        ("满意度不低于 90 %", percent(90.0), "不低于 90 %"),
    ];
    for (text, rule, source) in table {
        assert_eq!(extracted(text), [(rule, source.to_owned())], "{text}");
    }
}

#[test]
fn several_quotas_in_one_text_come_in_order() {
    let found = extracted(
        "2022年6月30日前建立制度，每季度至少开展两次检查，公开率不少于95%，10个工作日内答复。",
    );
    let rules: Vec<QuotaRule> = found.into_iter().map(|(rule, _)| rule).collect();
    assert_eq!(
        rules,
        [
            due(2022, 6, 30),
            count(2, QuotaPeriod::Quarter),
            percent(95.0),
            QuotaRule::WithinWorkdays { days: 10 }
        ]
    );
}

#[test]
fn negative_cases() {
    let table = [
        "已经出台基层政务公开标准指引的26个领域相关部门",
        "开展2次专项检查",
        "每年，开展两次检查",
        "每月更新；至少2条",
        "每年一次性发放补贴",
        "每季度第一个月前公开",
        "每年3个月内完成",
        "每月10日前报送",
        "每月10个工作日",
        "建立本单位2021年政务公开工作重点任务台账",
        "（国办公开办函〔2019〕60号）",
        "2021年12月完成",
        "12021年底前",
        "2022年2月30日前完成",
        "2022年13月1日前完成",
        "不低于4个百分点",
        "达到150%",
        "达到%",
        "主动公开“十四五”规划纲要",
        "积极开展多角度、全方位、立体化、多频次的深度解读",
        "推动更多政务服务事项网上办、掌上办、一次办",
        "每周至少更新一次",
        "0个工作日内",
    ];
    for text in table {
        assert_eq!(extracted(text), [], "{text}");
    }
}

#[test]
fn a_phrase_broken_by_a_line_break_counts_once_joined() {
    // Extraction runs on the joined requirement; the importer joins lines first.
    assert_eq!(
        extracted("需于2021年12月1日前完成"),
        [(due(2021, 12, 1), "2021年12月1日前".to_owned())]
    );
    assert_eq!(extracted("需于2021年12月\n1日前完成"), []);
}

#[test]
fn an_impossible_day_is_warned_about_not_read() {
    let plan = "一、加强建设。\n1.2030年2月30日前完成平台建设，2030年3月1日前上线。 党政办\n";
    let parsed = gongkai_core::import::parse_plan(plan, &[]).unwrap();
    let task = &parsed.sections[0].tasks[0];
    let dues: Vec<String> = task
        .quotas
        .iter()
        .map(|q| serde_json::to_value(q).unwrap()["due"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(dues, ["2030-03-01"]);
    let w: Vec<_> = parsed.warnings.iter().filter(|w| w.code == "impossible_date").collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].task, Some(1));
    assert!(w[0].message.contains("2030年2月30日前"), "{}", w[0].message);
}
