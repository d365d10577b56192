//! The JSON shapes of information-processing fees (信息处理费, 国办函〔2020〕109号).

use gongkai_core::fees::{FeeLine, FeeMethod, FeeQuote};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One band of a quote.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeeLineDto {
    /// First position in the band: the month's cumulative item number, or the page.
    #[schema(example = 11)]
    pub from: u64,
    /// Last position in the band, inclusive.
    #[schema(example = 30)]
    pub to: u64,
    /// Items or pages in this band.
    #[schema(example = 20)]
    pub quantity: u32,
    /// Yuan per item or page (0 in a free band).
    #[schema(example = 100)]
    pub unit_price_yuan: u64,
    /// `quantity × unit_price_yuan`.
    #[schema(example = 2000)]
    pub amount_yuan: u64,
    /// The band in words.
    #[schema(example = "第11–30件，每件100元")]
    pub label: String,
}

impl From<FeeLine> for FeeLineDto {
    fn from(l: FeeLine) -> Self {
        FeeLineDto {
            from: l.from,
            to: l.to,
            quantity: l.quantity,
            unit_price_yuan: l.unit_price_yuan,
            amount_yuan: l.amount_yuan,
            label: l.label,
        }
    }
}

/// A fee and the bands that make it up; progressive on the excess only.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeeQuoteDto {
    pub method: FeeMethod,
    /// The fee in yuan.
    #[schema(example = 3000)]
    pub total_yuan: u64,
    /// The bands touched, in order; free bands with price 0.
    pub lines: Vec<FeeLineDto>,
    /// The arithmetic in one Chinese sentence.
    pub explanation: String,
}

impl From<FeeQuote> for FeeQuoteDto {
    fn from(q: FeeQuote) -> Self {
        FeeQuoteDto {
            method: q.method,
            total_yuan: q.total_yuan,
            lines: q.lines.into_iter().map(FeeLineDto::from).collect(),
            explanation: q.explanation,
        }
    }
}
