//! The JSON shapes of the annual report's tables 三 (applications) and 四 (reviews and
//! lawsuits), with the labels of the report format.

use gongkai_core::disclosure::appeals::{AppealCells, AppealGroup, AppealKind, Table4};
use gongkai_core::disclosure::report::{Cells, Column, Invariant, ReportFormat, Row, Table3};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A column of table 三.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportColumnDto {
    #[schema(example = "business")]
    pub key: String,
    #[schema(example = "商业企业")]
    pub label: String,
    /// The heading the column sits under (法人或其他组织), if any.
    #[schema(example = "法人或其他组织")]
    pub group: Option<String>,
}

impl From<Column> for ReportColumnDto {
    fn from(c: Column) -> Self {
        ReportColumnDto { key: c.key, label: c.label, group: c.group }
    }
}

/// The cells of a row of table 三, one per column.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct ReportCellsDto {
    pub natural_person: u64,
    pub business: u64,
    pub research: u64,
    pub public_interest_org: u64,
    pub legal_service: u64,
    pub other: u64,
    pub total: u64,
}

impl From<Cells> for ReportCellsDto {
    fn from(c: Cells) -> Self {
        ReportCellsDto {
            natural_person: c.natural_person,
            business: c.business,
            research: c.research,
            public_interest_org: c.public_interest_org,
            legal_service: c.legal_service,
            other: c.other,
            total: c.total,
        }
    }
}

/// A row of table 三.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportRowDto {
    #[schema(example = "refused_state_secret")]
    pub key: String,
    /// 1 for 一…四, 2 for （一）…（七）, 3 for numbered sub-rows.
    pub level: u8,
    #[schema(example = "1")]
    pub number: String,
    #[schema(example = "属于国家秘密")]
    pub label: String,
    /// As printed: `一、本年新收政府信息公开申请数量`, `（一）予以公开`, `1.属于国家秘密`.
    #[schema(example = "1.属于国家秘密")]
    pub title: String,
    /// Null for the heading 三; a group row holds the sum of its sub-rows.
    pub values: Option<ReportCellsDto>,
}

impl From<Row> for ReportRowDto {
    fn from(r: Row) -> Self {
        ReportRowDto {
            key: r.key,
            level: r.level,
            number: r.number,
            label: r.label,
            title: r.title,
            values: r.values.map(ReportCellsDto::from),
        }
    }
}

/// A column where 一 + 二 ≠ 三（七）+ 四.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvariantViolationDto {
    pub column: String,
    pub label: String,
    /// 一 + 二.
    pub received: u64,
    /// 三（七）+ 四.
    pub accounted: u64,
}

/// The check 一 + 二 = 三（七）+ 四 per column: a report that breaks it is wrong, and
/// says so here.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvariantDto {
    #[schema(example = "一 + 二 = 三（七）+ 四")]
    pub rule: String,
    pub holds: bool,
    pub violations: Vec<InvariantViolationDto>,
}

impl From<Invariant> for InvariantDto {
    fn from(i: Invariant) -> Self {
        InvariantDto {
            rule: i.rule,
            holds: i.holds,
            violations: i
                .violations
                .into_iter()
                .map(|v| InvariantViolationDto {
                    column: v.column,
                    label: v.label,
                    received: v.received,
                    accounted: v.accounted,
                })
                .collect(),
        }
    }
}

/// Table 三: 收到和处理政府信息公开申请情况.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicationsTableDto {
    #[schema(example = 2024)]
    pub year: i32,
    pub format: ReportFormat,
    /// The units covered; null for the whole deployment.
    pub unit_ids: Option<Vec<i64>>,
    /// The table's heading in the report, as printed.
    #[schema(example = "三、收到和处理政府信息公开申请情况")]
    pub title: String,
    /// The header over the columns, as printed.
    #[schema(example = "申请人情况")]
    pub heading: String,
    /// The corner note on how the rows add up, as printed.
    #[schema(example = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")]
    pub note: String,
    pub columns: Vec<ReportColumnDto>,
    pub rows: Vec<ReportRowDto>,
    pub invariant: InvariantDto,
}

impl ApplicationsTableDto {
    /// The table for the covered units.
    pub fn new(t: Table3, unit_ids: Option<Vec<i64>>) -> Self {
        ApplicationsTableDto {
            year: t.year,
            format: t.format,
            unit_ids,
            title: t.title,
            heading: t.heading,
            note: t.note,
            columns: t.columns.into_iter().map(ReportColumnDto::from).collect(),
            rows: t.rows.into_iter().map(ReportRowDto::from).collect(),
            invariant: t.invariant.into(),
        }
    }
}

/// The five cells of a block of table 四.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct AppealCellsDto {
    /// 结果维持.
    pub upheld: u64,
    /// 结果纠正.
    pub corrected: u64,
    /// 其他结果.
    pub other: u64,
    /// 尚未审结.
    pub pending: u64,
    /// 总计.
    pub total: u64,
}

impl From<AppealCells> for AppealCellsDto {
    fn from(c: AppealCells) -> Self {
        AppealCellsDto {
            upheld: c.upheld,
            corrected: c.corrected,
            other: c.other,
            pending: c.pending,
            total: c.total,
        }
    }
}

/// A block of table 四.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppealGroupDto {
    pub key: AppealKind,
    #[schema(example = "未经复议直接起诉")]
    pub label: String,
    /// 行政诉讼 for both lawsuits.
    pub group: Option<String>,
    pub values: AppealCellsDto,
}

impl From<AppealGroup> for AppealGroupDto {
    fn from(g: AppealGroup) -> Self {
        AppealGroupDto { key: g.key, label: g.label, group: g.group, values: g.values.into() }
    }
}

/// A column of table 四.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppealColumnDto {
    #[schema(example = "upheld")]
    pub key: String,
    #[schema(example = "结果维持")]
    pub label: String,
}

/// Table 四: 政府信息公开行政复议、行政诉讼情况.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppealsTableDto {
    #[schema(example = 2024)]
    pub year: i32,
    /// The units covered; null for the whole deployment.
    pub unit_ids: Option<Vec<i64>>,
    /// The table's heading in the report, as printed.
    #[schema(example = "四、政府信息公开行政复议、行政诉讼情况")]
    pub title: String,
    pub columns: Vec<AppealColumnDto>,
    /// 行政复议, then 行政诉讼's 未经复议直接起诉 and 复议后起诉.
    pub groups: Vec<AppealGroupDto>,
}

impl AppealsTableDto {
    /// The table for the covered units.
    pub fn new(t: Table4, unit_ids: Option<Vec<i64>>) -> Self {
        AppealsTableDto {
            year: t.year,
            unit_ids,
            title: t.title,
            columns: t
                .columns
                .into_iter()
                .map(|c| AppealColumnDto { key: c.key, label: c.label })
                .collect(),
            groups: t.groups.into_iter().map(AppealGroupDto::from).collect(),
        }
    }
}
