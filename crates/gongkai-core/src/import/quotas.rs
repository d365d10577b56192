//! Quota extraction: the checkable duties a requirement text states, each with the
//! phrase it was read from.
//!
//! Recognised phrases (numbers in Arabic or Chinese numerals unless said otherwise):
//! - a period word (每月, 每季度, 每半年, 每年) followed in the same clause (no ，。；
//!   between) by a count with a measure word (次, 条, 个, 件, 期): "每年至少更新一次",
//!   "每季度至少开展两次" → count;
//! - "N个工作日内" → within so many working days;
//! - "YYYY年M月D日前", "YYYY年底前", "YYYY年年底前", "YYYY年M月底前" → deadline;
//! - "不低于 / 不少于 / 达到 X%" → threshold in percent.
//!
//! A count without a period ("26个领域") is not a quota.

use chrono::{Months, NaiveDate};

use super::numbering::{
    arabic_digit_value, is_chinese_numeral_char, read_arabic_number, read_chinese_number,
};
use crate::quota::{ExtractedQuota, QuotaPeriod, QuotaRule, ThresholdUnit};

/// Period words and the period they name; longer words first where one starts another.
const PERIOD_WORDS: [(&str, QuotaPeriod); 5] = [
    ("每半年", QuotaPeriod::HalfYear),
    ("每季度", QuotaPeriod::Quarter),
    ("每季", QuotaPeriod::Quarter),
    ("每月", QuotaPeriod::Month),
    ("每年", QuotaPeriod::Year),
];

/// How far after its period word a count may stand ("每年公开典型案例十件").
const MAX_COUNT_PHRASE_CHARS: usize = 24;

/// Measure words that make a number a count.
const COUNT_MEASURES: [char; 5] = ['次', '条', '个', '件', '期'];

/// What may follow a measure word and turns the count into something else:
/// 一次性 (one-off), 3个月 (a duration), 10个工作日 (a time limit).
const NOT_A_COUNT_AFTER: [&str; 8] = ["性", "月", "工作日", "小时", "百分点", "季度", "星期", "年"];

/// Words that introduce a percentage threshold.
const THRESHOLD_WORDS: [&str; 3] = ["不低于", "不少于", "达到"];

/// Extracts every quota `requirement` states, in the order their phrases appear.
pub fn extract_quotas(requirement: &str) -> Vec<ExtractedQuota> {
    let text = IndexedText::new(requirement);
    let mut quotas = Vec::new();
    for (at, &first) in text.chars.iter().enumerate() {
        let matched = match first {
            '每' => count_at(&text, at),
            '不' | '达' => threshold_at(&text, at),
            _ if arabic_digit_value(first).is_some() => {
                deadline_at(&text, at).or_else(|| workdays_at(&text, at))
            }
            _ if is_chinese_numeral_char(first) => workdays_at(&text, at),
            _ => None,
        };
        if let Some((rule, end)) = matched
            && rule.validate().is_ok()
        {
            quotas.push(ExtractedQuota { rule, source: text.slice(at, end).to_owned() });
        }
    }
    quotas
}

/// A text as characters, with the byte offset of each so phrases can be cut out.
struct IndexedText<'a> {
    text: &'a str,
    chars: Vec<char>,
    offsets: Vec<usize>,
}

impl<'a> IndexedText<'a> {
    fn new(text: &'a str) -> Self {
        let (offsets, chars): (Vec<usize>, Vec<char>) = text.char_indices().unzip();
        Self { text, chars, offsets }
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        let byte = |index: usize| self.offsets.get(index).copied().unwrap_or(self.text.len());
        &self.text[byte(start)..byte(end)]
    }

    fn char_at(&self, index: usize) -> Option<char> {
        self.chars.get(index).copied()
    }

    /// If one of `words` is written at `at`, the index just after it.
    fn word_at(&self, at: usize, words: &[&str]) -> Option<usize> {
        words.iter().find_map(|word| {
            let mut index = at;
            for c in word.chars() {
                if self.char_at(index) != Some(c) {
                    return None;
                }
                index += 1;
            }
            Some(index)
        })
    }

    /// The number that starts at `at` (not in the middle of one): value and end index.
    fn number_at(&self, at: usize) -> Option<(u32, usize)> {
        let first = self.char_at(at)?;
        let previous = at.checked_sub(1).and_then(|index| self.char_at(index));
        if arabic_digit_value(first).is_some() {
            if previous.and_then(arabic_digit_value).is_some() {
                return None;
            }
            let (value, length) = read_arabic_number(&self.chars[at..])?;
            return Some((value, at + length));
        }
        if is_chinese_numeral_char(first) && !previous.is_some_and(is_chinese_numeral_char) {
            let (value, length) = read_chinese_number(&self.chars[at..])?;
            return Some((value, at + length));
        }
        None
    }
}

fn is_clause_break(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | ',' | ';' | '！' | '？' | '!' | '?')
}

/// "每年至少更新一次": a period word, then within the clause a number and a measure.
fn count_at(text: &IndexedText, at: usize) -> Option<(QuotaRule, usize)> {
    let (end_of_word, period) = PERIOD_WORDS
        .iter()
        .find_map(|(word, period)| Some((text.word_at(at, &[word])?, *period)))?;
    let mut index = end_of_word;
    let clause_end = end_of_word + MAX_COUNT_PHRASE_CHARS;
    while index < clause_end
        && let Some(c) = text.char_at(index)
    {
        if is_clause_break(c) {
            return None;
        }
        let Some((value, end)) = text.number_at(index) else {
            index += 1;
            continue;
        };
        let ordinal = index > 0 && text.char_at(index - 1) == Some('第');
        let measured = text.char_at(end).is_some_and(|m| COUNT_MEASURES.contains(&m))
            && text.word_at(end + 1, &NOT_A_COUNT_AFTER).is_none();
        if measured && !ordinal {
            return Some((QuotaRule::Count { min: value, period }, end + 1));
        }
        index = end;
    }
    None
}

/// The date a deadline phrase names, before it is checked to exist.
enum DueWords {
    /// "YYYY年底前"
    YearEnd(i32),
    /// "YYYY年M月底前"
    MonthEnd(i32, u32),
    /// "YYYY年M月D日前"
    Day(i32, u32, u32),
}

impl DueWords {
    /// The day it names, None when there is no such day (2030年2月30日).
    fn date(&self) -> Option<NaiveDate> {
        match *self {
            DueWords::YearEnd(year) => NaiveDate::from_ymd_opt(year, 12, 31),
            DueWords::MonthEnd(year, month) => NaiveDate::from_ymd_opt(year, month, 1)?
                .checked_add_months(Months::new(1))?
                .pred_opt(),
            DueWords::Day(year, month, day) => NaiveDate::from_ymd_opt(year, month, day),
        }
    }
}

/// "2021年12月1日前", "2021年底前", "2021年年底前", "2022年6月底前": the words and where
/// the phrase ends.
fn due_words_at(text: &IndexedText, at: usize) -> Option<(DueWords, usize)> {
    text.char_at(at).and_then(arabic_digit_value)?;
    let (year, after_year) = text.number_at(at)?;
    if after_year != at + 4 || text.char_at(after_year) != Some('年') {
        return None;
    }
    let year = i32::try_from(year).ok()?;
    let index = after_year + 1;
    if let Some(end) = text.word_at(index, &["底前", "底之前", "年底前", "年底之前"]) {
        return Some((DueWords::YearEnd(year), end));
    }
    let (month, after_month) = short_arabic_number(text, index)?;
    if text.char_at(after_month) != Some('月') {
        return None;
    }
    if let Some(end) = text.word_at(after_month + 1, &["底前", "底之前"]) {
        return Some((DueWords::MonthEnd(year, month), end));
    }
    let (day, after_day) = short_arabic_number(text, after_month + 1)?;
    if !matches!(text.char_at(after_day), Some('日' | '号')) {
        return None;
    }
    let end = text.word_at(after_day + 1, &["前", "之前"])?;
    Some((DueWords::Day(year, month, day), end))
}

/// A deadline phrase naming a day that exists.
fn deadline_at(text: &IndexedText, at: usize) -> Option<(QuotaRule, usize)> {
    let (words, end) = due_words_at(text, at)?;
    Some((QuotaRule::Deadline { due: words.date()? }, end))
}

/// The deadline phrases of `requirement` that name a day that does not exist
/// ("2030年2月30日前"): no quota is read from them, and the importer warns.
pub fn impossible_deadlines(requirement: &str) -> Vec<String> {
    let text = IndexedText::new(requirement);
    (0..text.chars.len())
        .filter_map(|at| due_words_at(&text, at).map(|(words, end)| (at, words, end)))
        .filter(|(_, words, _)| words.date().is_none())
        .map(|(at, _, end)| text.slice(at, end).to_owned())
        .collect()
}

/// A month or day number: one or two Arabic digits.
fn short_arabic_number(text: &IndexedText, at: usize) -> Option<(u32, usize)> {
    let (value, length) = read_arabic_number(text.chars.get(at..)?)?;
    (length <= 2).then_some((value, at + length))
}

/// "10个工作日内", "十五个工作日之内".
fn workdays_at(text: &IndexedText, at: usize) -> Option<(QuotaRule, usize)> {
    let (days, after_number) = text.number_at(at)?;
    let end = text.word_at(after_number, &["个工作日内", "个工作日之内"])?;
    Some((QuotaRule::WithinWorkdays { days }, end))
}

/// "不低于4%", "不少于 95%", "达到12.5％".
fn threshold_at(text: &IndexedText, at: usize) -> Option<(QuotaRule, usize)> {
    let mut index = text.word_at(at, &THRESHOLD_WORDS)?;
    while text.char_at(index).is_some_and(char::is_whitespace) {
        index += 1;
    }
    let mut number = String::new();
    let mut seen_point = false;
    while let Some(c) = text.char_at(index) {
        if let Some(digit) = arabic_digit_value(c) {
            number.push(char::from_digit(digit, 10)?);
        } else if matches!(c, '.' | '．') && !seen_point && !number.is_empty() {
            seen_point = true;
            number.push('.');
        } else {
            break;
        }
        index += 1;
    }
    if number.is_empty() || number.ends_with('.') {
        return None;
    }
    while text.char_at(index).is_some_and(char::is_whitespace) {
        index += 1;
    }
    if !matches!(text.char_at(index), Some('%' | '％')) {
        return None;
    }
    let min: f64 = number.parse().ok()?;
    Some((QuotaRule::Threshold { min, unit: ThresholdUnit::Percent }, index + 1))
}
