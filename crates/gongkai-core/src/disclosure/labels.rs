//! The printed labels of the annual report's tables 三 and 四, verbatim from the format
//! of 国办公开办函〔2021〕30号 as domain-rules.md §4 lists them: full-width brackets,
//! colons and commas, Chinese quotation marks (“三安全一稳定”) and the notes that belong
//! to a label (（二）'s “区分处理的，只计这一情形，不计其他情形”). Published reports copy
//! them, so a shortened or re-punctuated label is a wrong report.
//!
//! The headings and row labels are here; column labels sit with the words they label
//! ([`super::ApplicantKind::label`], [`super::appeals::AppealKind::label`],
//! [`super::appeals::AppealResult::label`]). The core's tests compare every one of them
//! with the text of §4.

use super::model::Outcome;

/// Table 三's heading in the report: 三、收到和处理政府信息公开申请情况.
pub const TABLE3_TITLE: &str = "三、收到和处理政府信息公开申请情况";
/// Table 四's heading in the report: 四、政府信息公开行政复议、行政诉讼情况.
pub const TABLE4_TITLE: &str = "四、政府信息公开行政复议、行政诉讼情况";
/// The header over table 三's columns.
pub const APPLICANT_HEADING: &str = "申请人情况";
/// The group of table 三's columns for organisations.
pub const ORGANISATIONS: &str = "法人或其他组织";
/// The note in table 三's corner: how the rows add up.
pub const CORNER_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
/// The total column of both tables and the row （七） of table 三.
pub const TOTAL: &str = "总计";
/// The heading over table 四's two lawsuit blocks.
pub const LAWSUIT: &str = "行政诉讼";

/// Row 一 of table 三.
pub const NEW: &str = "本年新收政府信息公开申请数量";
/// Row 二 of table 三.
pub const CARRIED_IN: &str = "上年结转政府信息公开申请数量";
/// Row 三 of table 三 (a heading without cells).
pub const RESULTS: &str = "本年度办理结果";
/// Row 四 of table 三.
pub const CARRIED_OUT: &str = "结转下年度继续办理";
/// Row （六） of table 三: its label, and the whole row of the 2019 trial format.
pub const OTHER_HANDLING: &str = "其他处理";

/// The result groups （一）…（六） of table 三: key, numeral, label.
pub const RESULT_GROUPS: &[(&str, &str, &str)] = &[
    ("granted", "（一）", "予以公开"),
    ("partly_granted", "（二）", "部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("refused", "（三）", "不予公开"),
    ("unavailable", "（四）", "无法提供"),
    ("not_processed", "（五）", "不予处理"),
    ("other_handling", "（六）", OTHER_HANDLING),
];

/// Where an outcome is counted in table 三: the key of its group in
/// [`RESULT_GROUPS`], its sub-row number (0 for the groups without sub-rows) and the
/// sub-row's label.
pub fn outcome_row(o: Outcome) -> (&'static str, u8, &'static str) {
    use Outcome::*;
    match o {
        Granted => ("granted", 0, ""),
        PartlyGranted => ("partly_granted", 0, ""),
        RefusedStateSecret => ("refused", 1, "属于国家秘密"),
        RefusedLawForbids => ("refused", 2, "其他法律行政法规禁止公开"),
        RefusedThreeSafeties => ("refused", 3, "危及“三安全一稳定”"),
        RefusedThirdParty => ("refused", 4, "保护第三方合法权益"),
        RefusedInternalAffairs => ("refused", 5, "属于三类内部事务信息"),
        RefusedProcessInfo => ("refused", 6, "属于四类过程性信息"),
        RefusedEnforcementFile => ("refused", 7, "属于行政执法案卷"),
        RefusedAdministrativeQuery => ("refused", 8, "属于行政查询事项"),
        UnavailableNotHeld => ("unavailable", 1, "本机关不掌握相关政府信息"),
        UnavailableNeedsCreation => ("unavailable", 2, "没有现成信息需要另行制作"),
        UnavailableUnclearAfterCorrection => ("unavailable", 3, "补正后申请内容仍不明确"),
        NotProcessedPetition => ("not_processed", 1, "信访举报投诉类申请"),
        NotProcessedRepeat => ("not_processed", 2, "重复申请"),
        NotProcessedPublication => ("not_processed", 3, "要求提供公开出版物"),
        NotProcessedExcessive => ("not_processed", 4, "无正当理由大量反复申请"),
        NotProcessedConfirmation => ("not_processed", 5, "要求行政机关确认或重新出具已获取信息"),
        OtherNoCorrection => {
            ("other_handling", 1, "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
        }
        OtherFeeUnpaid => (
            "other_handling",
            2,
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        Other => ("other_handling", 3, "其他"),
    }
}
