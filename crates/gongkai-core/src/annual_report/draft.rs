//! Draft texts of sections 一 (总体情况) and 五 (存在的主要问题及改进情况), built from
//! the service's facts so that the writer starts from checked numbers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The facts a draft is written from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facts {
    /// The issuing government's name.
    pub issuer: String,
    pub year: i32,
    /// Table 三 一: applications received in the year.
    pub applications_received: u64,
    /// Table 三 二: carried over from the year before.
    pub applications_carried_in: u64,
    /// Table 三 三（七）: handled in the year.
    pub applications_handled: u64,
    /// Replies sent in the year.
    pub replies: u64,
    /// Of them, sent within the statutory period.
    pub replies_on_time: u64,
    /// Table 三 四: carried over to next year.
    pub applications_carried_out: u64,
    /// Table 四: reviews and lawsuits counted.
    pub appeals: u64,
    /// Of them, with a corrected result.
    pub appeals_corrected: u64,
    /// Plan tasks and where they stand.
    pub tasks: u32,
    pub tasks_completed: u32,
    pub tasks_in_progress: u32,
    pub tasks_not_started: u32,
    /// Quotas whose year fell short.
    pub quotas: u32,
    pub quotas_missed: u32,
    /// The latest look-back's date and shortfalls.
    pub look_back_on: Option<NaiveDate>,
    pub look_back_findings: u32,
    /// Rectification items and how many are verified.
    pub rectifications: u32,
    pub rectifications_verified: u32,
    /// Fees collected under 国办函〔2020〕109号: applications charged and yuan.
    pub fees_charged: u64,
    pub fees_yuan: u64,
}

fn date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The draft of 一、总体情况.
pub fn overview(f: &Facts) -> String {
    let mut paras = Vec::new();
    let on_time = if f.replies == 0 {
        "本年度未作出答复".to_string()
    } else {
        format!(
            "本年度共作出答复{}件，其中在法定期限内答复{}件，按时答复率{}%",
            f.replies,
            f.replies_on_time,
            f.replies_on_time * 100 / f.replies
        )
    };
    paras.push(format!(
        "{year}年，{issuer}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。",
        year = f.year,
        issuer = f.issuer
    ));
    paras.push(format!(
        "（一）依申请公开。本年新收政府信息公开申请{}件，上年结转{}件，办结{}件，结转下年度继续办理{}件；{}。",
        f.applications_received,
        f.applications_carried_in,
        f.applications_handled,
        f.applications_carried_out,
        on_time
    ));
    paras.push(format!(
        "（二）工作要点落实。年度政务公开工作要点共{}项任务，已完成{}项，推进中{}项，未启动{}项。",
        f.tasks, f.tasks_completed, f.tasks_in_progress, f.tasks_not_started
    ));
    let look_back = match f.look_back_on {
        Some(d) => format!(
            "{}开展“回头看”，发现问题{}个，形成整改事项{}项，已整改到位{}项。",
            date(d),
            f.look_back_findings,
            f.rectifications,
            f.rectifications_verified
        ),
        None => "本年度未开展“回头看”。".to_string(),
    };
    paras.push(format!("（三）监督检查。{look_back}"));
    paras.push(format!(
        "（四）行政复议和诉讼。本年度因政府信息公开引起的行政复议、行政诉讼共{}件，其中结果纠正{}件。",
        f.appeals, f.appeals_corrected
    ));
    paras.join("\n")
}

/// The draft of 五、存在的主要问题及改进情况.
pub fn problems(f: &Facts) -> String {
    let mut issues = Vec::new();
    let unfinished = f.tasks_in_progress + f.tasks_not_started;
    if unfinished > 0 {
        issues.push(format!("年度工作要点尚有{unfinished}项任务未完成"));
    }
    if f.quotas_missed > 0 {
        issues.push(format!("{}项量化指标未达标", f.quotas_missed));
    }
    let late = f.replies - f.replies_on_time.min(f.replies);
    if late > 0 {
        issues.push(format!("{late}件政府信息公开申请未在法定期限内答复"));
    }
    let open = f.rectifications - f.rectifications_verified.min(f.rectifications);
    if open > 0 {
        issues.push(format!("“回头看”发现问题中尚有{open}项未整改到位"));
    }
    let found = if issues.is_empty() {
        "经梳理，本年度工作要点任务均已完成，量化指标均已达标。".to_string()
    } else {
        let ordinals = ["一是", "二是", "三是", "四是"];
        let listed: Vec<String> =
            issues.iter().zip(ordinals).map(|(issue, n)| format!("{n}{issue}")).collect();
        format!("{}。", listed.join("；"))
    };
    format!(
        "（一）存在的主要问题。{found}\n（二）改进情况。{}将对未完成事项逐项明确责任单位和完成时限，纳入下一年度工作要点持续推进，并加强对依申请公开办理时限的跟踪提醒。",
        f.issuer
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            issuer: "开平市人民政府".into(),
            year: 2021,
            applications_received: 3,
            applications_carried_in: 0,
            applications_handled: 2,
            replies: 2,
            replies_on_time: 1,
            applications_carried_out: 1,
            tasks: 54,
            tasks_completed: 10,
            tasks_in_progress: 4,
            tasks_not_started: 40,
            quotas: 6,
            quotas_missed: 2,
            look_back_on: NaiveDate::from_ymd_opt(2021, 12, 15),
            look_back_findings: 5,
            rectifications: 5,
            rectifications_verified: 1,
            ..Facts::default()
        }
    }

    #[test]
    fn the_overview_carries_the_numbers() {
        let text = overview(&facts());
        assert!(
            text.contains(
                "本年新收政府信息公开申请3件，上年结转0件，办结2件，结转下年度继续办理1件"
            )
        );
        // 1 of 2 replies on time: 50 %.
        assert!(text.contains("共作出答复2件，其中在法定期限内答复1件，按时答复率50%"));
        assert!(text.contains("共54项任务，已完成10项，推进中4项，未启动40项"));
        assert!(
            text.contains(
                "2021年12月15日开展“回头看”，发现问题5个，形成整改事项5项，已整改到位1项"
            )
        );
    }

    #[test]
    fn the_problems_name_what_is_unfinished() {
        let text = problems(&facts());
        // 4 + 40 unfinished tasks, 2 quotas missed, 1 late reply, 5 − 1 open items.
        assert!(text.contains("一是年度工作要点尚有44项任务未完成；二是2项量化指标未达标"));
        assert!(text.contains("1件政府信息公开申请未在法定期限内答复"));
        assert!(text.contains("尚有4项未整改到位"));
        let done = Facts { issuer: "甲".into(), ..Facts::default() };
        assert!(problems(&done).contains("均已完成"));
    }
}
