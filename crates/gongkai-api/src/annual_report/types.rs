//! The JSON shapes of the annual report: a unit's table 二 figures, table 二, section
//! texts, the whole report and its published versions.

use chrono::{DateTime, Utc};
use gongkai_core::annual_report::{
    BrokenCell, ContinuityFlag, Facts, Figures, OtherMatters, Table2, TextSection,
};
use gongkai_store::annual_report::figures::StoredFigures;
use gongkai_store::annual_report::texts::SectionText;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::disclosure::report_types::{AppealsTableDto, ApplicationsTableDto};

/// One unit's table 二 figures of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FiguresDto {
    pub unit_id: i64,
    #[schema(example = "党政办")]
    pub unit: String,
    #[schema(example = 2021)]
    pub year: i32,
    #[serde(flatten)]
    pub figures: Figures,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Where this year's 现行有效件数 contradicts last year's figures (现行有效 ≠ last
    /// year's 现行有效 + 制发 − 废止); empty when consistent or last year has none.
    pub continuity: Vec<ContinuityFlag>,
}

impl FiguresDto {
    /// The stored figures with their check against last year's.
    pub fn new(s: StoredFigures, last_year: Option<&Figures>) -> Self {
        let continuity = gongkai_core::annual_report::table2::continuity(
            s.unit_id, &s.unit, last_year, &s.figures,
        );
        FiguresDto {
            unit_id: s.unit_id,
            unit: s.unit,
            year: s.year,
            figures: s.figures,
            updated_at: s.updated_at,
            updated_by: s.updated_by,
            continuity,
        }
    }
}

/// Table 二 of an issuer's report: its units' figures summed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProactiveTableDto {
    #[schema(example = 2021)]
    pub year: i32,
    pub issuer_id: i64,
    #[serde(flatten)]
    pub table: Table2,
    /// Units of the issuer's part that entered no figures for the year.
    pub units_missing: Vec<i64>,
}

/// A saved (or not yet saved) text of section 一 or 五.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportSectionDto {
    pub issuer_id: i64,
    #[schema(example = 2021)]
    pub year: i32,
    /// 1 or 5.
    pub number: u8,
    #[schema(example = "一、总体情况")]
    pub title: String,
    /// The saved text; null while only the draft exists.
    pub text: Option<String>,
    /// The draft built from the service's facts.
    pub draft: String,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
}

impl ReportSectionDto {
    /// The section as stored, with its current draft.
    pub fn new(
        issuer_id: i64,
        year: i32,
        section: &TextSection,
        saved: Option<&SectionText>,
    ) -> Self {
        ReportSectionDto {
            issuer_id,
            year,
            number: section.number,
            title: section.title.clone(),
            text: saved.map(|s| s.text.clone()),
            draft: section.draft.clone(),
            updated_at: saved.map(|s| s.updated_at),
            updated_by: saved.map(|s| s.updated_by.clone()),
        }
    }

    /// What the ETag of a section is computed from: its saved text only, so that the
    /// draft moving with new facts does not make a writer's copy stale.
    pub fn version_key(&self) -> (i64, i32, u8, Option<&str>) {
        (self.issuer_id, self.year, self.number, self.text.as_deref())
    }
}

/// The text of section 一 or 五 to save.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveSectionRequest {
    /// The section's text; paragraphs separated by line breaks.
    #[schema(example = "2021年，开平市人民政府……")]
    pub text: String,
}

/// `draft` (built live from the records) or `published` (a frozen version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    Published,
}

/// The whole annual report in the six sections of 国办公开办函〔2021〕30号.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnnualReportDto {
    pub issuer_id: i64,
    #[schema(example = "开平市人民政府")]
    pub issuer: String,
    #[schema(example = 2021)]
    pub year: i32,
    #[schema(example = "开平市人民政府2021年政府信息公开工作年度报告")]
    pub title: String,
    pub status: ReportStatus,
    /// The published version this is; null for a draft.
    pub version: Option<i32>,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<String>,
    /// 一、总体情况.
    pub overview: TextSection,
    /// 二、主动公开政府信息情况 (table 二).
    pub proactive: Table2,
    /// 三、收到和处理政府信息公开申请情况 (table 三).
    pub applications: ApplicationsTableDto,
    /// 四、政府信息公开行政复议、行政诉讼情况 (table 四).
    pub appeals: AppealsTableDto,
    /// 五、存在的主要问题及改进情况.
    pub problems: TextSection,
    /// 六、其他需要报告的事项: fees collected and the plan's implementation.
    pub other: OtherMatters,
    /// The facts the drafts were written from.
    pub facts: Facts,
    /// Cells breaking a rule of the format; a report with any is not published.
    pub checks: Vec<BrokenCell>,
}

/// A published version in the list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VersionSummaryDto {
    pub version: i32,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

/// The published versions, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VersionListDto {
    pub items: Vec<VersionSummaryDto>,
    /// Always null: every version fits on one page.
    pub next_cursor: Option<String>,
}
