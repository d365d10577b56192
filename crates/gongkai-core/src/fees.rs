//! Information-processing fees (信息处理费) under 国办函〔2020〕109号, charged from
//! 2021-01-01 only when an application's quantity or frequency is clearly beyond reason.
//!
//! One method per application, never both; both methods are progressive on the excess
//! only, like income-tax brackets: each item or page is priced by the band it falls in.
//! - Per item (按件计收), per applicant, cumulative over one calendar month: items 1–10
//!   free, 11–30 cost 100 yuan each, and from item 31 every band of 10 items costs 100
//!   yuan more per item than the band before (31–40: 200, 41–50: 300, …).
//! - Per page (按量计收): pages 1–30 free, 31–100 10 yuan, 101–200 20 yuan, 201 and
//!   above 40 yuan.
//!
//! The measures apply to applications received from 2021-01-01 ([`CHARGING_FROM`]). The
//! applicant pays within 20 working days from the day after receiving the fee notice
//! ([`payment_due`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, DeadlineExplanation, StartDayRule, WorkCalendar};

/// The most items one per-item quote accepts. Each band of 10 items is one quote line,
/// so the bound keeps a quote to about a thousand lines; no real application comes near
/// it (and 无正当理由大量反复申请 is handled by refusing, not charging).
pub const MAX_ITEMS_PER_QUOTE: u32 = 10_000;

/// Working days the applicant has to pay, counted from the day after receiving the
/// notice.
pub const PAYMENT_WORKDAYS: u32 = 20;

/// The day 国办函〔2020〕109号 took effect: applications received before it are not
/// charged under its tiers (domain-rules.md §3, "charging from 2021-01-01").
pub const CHARGING_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2021, 1, 1) {
    Some(day) => day,
    None => panic!("2021-01-01 is a date"),
};

/// How a fee is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeeMethod {
    /// 按件计收: per item, cumulative per applicant per calendar month.
    PerItem,
    /// 按量计收: per page of one application.
    PerPage,
}

/// One band of a quote: the positions of this application that fall in the band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    /// First position in the band (the month's cumulative item number, or page number).
    pub from: u64,
    /// Last position in the band, inclusive.
    pub to: u64,
    /// `to - from + 1`.
    pub quantity: u32,
    /// Price of each item or page in this band (0 in a free band).
    pub unit_price_yuan: u64,
    /// `quantity × unit_price_yuan`.
    pub amount_yuan: u64,
    /// The band in words, e.g. "第11–30件，每件100元".
    pub label: String,
}

/// A fee quote with the bands that made it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeQuote {
    /// The charging method.
    pub method: FeeMethod,
    /// Sum of the lines' amounts.
    pub total_yuan: u64,
    /// The bands touched, in order; free bands appear with price 0.
    pub lines: Vec<FeeLine>,
    /// The arithmetic in one Chinese sentence.
    pub explanation: String,
}

/// Why a quote could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    /// More items than [`MAX_ITEMS_PER_QUOTE`] in one per-item quote.
    #[error("{items} items is more than one quote handles (at most {max})")]
    TooManyItems {
        /// Items asked for.
        items: u32,
        /// The limit.
        max: u32,
    },
}

impl FeeError {
    /// The stable snake_case code an API error carries for this error.
    pub fn code(&self) -> &'static str {
        match self {
            FeeError::TooManyItems { .. } => "fee_too_many_items",
        }
    }
}

/// The fee for `items` items of an applicant who has already applied for
/// `prior_items_this_month` items this calendar month: the cost of the month's items
/// `prior + 1 … prior + items`. Refuses more than [`MAX_ITEMS_PER_QUOTE`] items.
pub fn quote_per_item(items: u32, prior_items_this_month: u32) -> Result<FeeQuote, FeeError> {
    if items > MAX_ITEMS_PER_QUOTE {
        return Err(FeeError::TooManyItems { items, max: MAX_ITEMS_PER_QUOTE });
    }
    let first = u64::from(prior_items_this_month) + 1;
    let lines = priced_lines(FeeMethod::PerItem, first, items);
    let total_yuan = total(&lines);
    let scope = if items == 0 {
        "本次0件，不收费".to_string()
    } else {
        format!("本次{items}件，即本月第{}件", range_words(first, first + u64::from(items) - 1))
    };
    let explanation = format!(
        "按件计收（国办函〔2020〕109号，同一申请人按自然月累计）：本月此前已申请{prior_items_this_month}件，{scope}{}；合计{total_yuan}元。",
        line_words(&lines)
    );
    Ok(FeeQuote { method: FeeMethod::PerItem, total_yuan, lines, explanation })
}

/// The fee for an application of `pages` pages (paper copies, e-mail, copied data).
pub fn quote_per_page(pages: u32) -> FeeQuote {
    let lines = priced_lines(FeeMethod::PerPage, 1, pages);
    let total_yuan = total(&lines);
    let explanation = format!(
        "按量计收（国办函〔2020〕109号）：共{pages}页{}；合计{total_yuan}元。",
        line_words(&lines)
    );
    FeeQuote { method: FeeMethod::PerPage, total_yuan, lines, explanation }
}

/// The last day to pay a fee notice received on `notice_received_on`: 20 working days,
/// counted from the next day (the receipt day is not counted).
pub fn payment_due(
    notice_received_on: NaiveDate,
    calendar: &WorkCalendar,
) -> Result<DeadlineExplanation, CalendarError> {
    calendar.add_workdays(notice_received_on, PAYMENT_WORKDAYS, StartDayRule::NotCounted)
}

/// The band holding `position` (1-based): (first, last, unit price).
fn band(method: FeeMethod, position: u64) -> (u64, u64, u64) {
    match method {
        FeeMethod::PerItem => match position {
            0..=10 => (1, 10, 0),
            11..=30 => (11, 30, 100),
            _ => {
                let step = (position - 31) / 10;
                let first = 31 + step * 10;
                // step ≤ (u32::MAX + MAX_ITEMS_PER_QUOTE) / 10, so the price fits with room.
                (first, first + 9, (step + 2).saturating_mul(100))
            }
        },
        FeeMethod::PerPage => match position {
            0..=30 => (1, 30, 0),
            31..=100 => (31, 100, 10),
            101..=200 => (101, 200, 20),
            _ => (201, u64::MAX, 40),
        },
    }
}

/// Lines for `count` consecutive positions starting at `first`, one per band touched.
fn priced_lines(method: FeeMethod, first: u64, count: u32) -> Vec<FeeLine> {
    let mut lines = Vec::new();
    if count == 0 {
        return lines;
    }
    let last = first + u64::from(count) - 1;
    let mut from = first;
    while from <= last {
        let (_, band_last, unit_price_yuan) = band(method, from);
        let to = band_last.min(last);
        // A line never holds more positions than the quote's `count`, a u32.
        let quantity = u32::try_from(to - from + 1).unwrap_or(count);
        let amount_yuan = u64::from(quantity).saturating_mul(unit_price_yuan);
        let label = band_label(method, from, to, unit_price_yuan);
        lines.push(FeeLine { from, to, quantity, unit_price_yuan, amount_yuan, label });
        from = to + 1;
    }
    lines
}

fn total(lines: &[FeeLine]) -> u64 {
    lines.iter().fold(0u64, |sum, l| sum.saturating_add(l.amount_yuan))
}

fn band_label(method: FeeMethod, from: u64, to: u64, price: u64) -> String {
    let (noun, per) = match method {
        FeeMethod::PerItem => ("件", "每件"),
        FeeMethod::PerPage => ("页", "每页"),
    };
    let price_words = if price == 0 { "免费".to_string() } else { format!("{per}{price}元") };
    format!("第{}{noun}，{price_words}", range_words(from, to))
}

fn range_words(from: u64, to: u64) -> String {
    if from == to { from.to_string() } else { format!("{from}–{to}") }
}

/// "；第11–30件，每件100元：20×100=2000元；…" for every line.
fn line_words(lines: &[FeeLine]) -> String {
    lines
        .iter()
        .map(|l| format!("；{}：{}×{}={}元", l.label, l.quantity, l.unit_price_yuan, l.amount_yuan))
        .collect()
}
