//! Dates a requirement names, checked against the plan's year: a plan's text names the
//! days of its own year, so a date in another year usually means last year's text was
//! imported as this year's plan, and its deadlines would show overdue at once.
//!
//! A date is a year of four Arabic digits followed by 年 and one of: 底 or 年底 (the
//! year's end, 12-31), a month and 底 (the month's end), a month and a day (日 or 号),
//! or a month alone (named as `YYYY-MM`). A year alone ("2021年度报告",
//! "2021年政务公开工作台账") names no date: a plan rightly refers to last year's report
//! or work. A day that does not exist is left to the `impossible_date` warning.

use chrono::{Months, NaiveDate};

use super::ParsedPlan;
use super::diagnostics::ImportWarning;
use super::numbering::{arabic_digit_value, read_arabic_number};

/// A date named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NamedDate {
    /// The words as written ("2021年12月1日", "2021年底").
    phrase: String,
    /// Its year.
    year: i32,
    /// The date as ISO text: `YYYY-MM-DD`, or `YYYY-MM` for a month.
    iso: String,
}

/// A one- or two-digit month or day at `at`: its value and the index after it.
fn short_number(chars: &[char], at: usize) -> Option<(u32, usize)> {
    let (value, length) = read_arabic_number(chars.get(at..)?)?;
    (length <= 2).then_some((value, at + length))
}

/// The date whose year starts at `at`, if one does, and the index after its phrase.
fn date_at(chars: &[char], at: usize) -> Option<(NamedDate, usize)> {
    let (year, length) = read_arabic_number(chars.get(at..)?)?;
    if length != 4 || chars.get(at + 4) != Some(&'年') {
        return None;
    }
    let year = i32::try_from(year).ok()?;
    let index = at + 5;
    let phrase = |end: usize| chars[at..end].iter().collect::<String>();
    let named = |end: usize, iso: String| Some((NamedDate { phrase: phrase(end), year, iso }, end));
    for (words, length) in [("年底", 2), ("底", 1)] {
        if chars.get(index..index + length).is_some_and(|c| c.iter().copied().eq(words.chars())) {
            return named(index + length, format!("{year:04}-12-31"));
        }
    }
    let (month, after_month) = short_number(chars, index)?;
    if chars.get(after_month) != Some(&'月') || !(1..=12).contains(&month) {
        return None;
    }
    let end_of_month = after_month + 1;
    if chars.get(end_of_month) == Some(&'底') {
        let last = NaiveDate::from_ymd_opt(year, month, 1)?
            .checked_add_months(Months::new(1))?
            .pred_opt()?;
        return named(end_of_month + 1, last.format("%Y-%m-%d").to_string());
    }
    if let Some((day, after_day)) = short_number(chars, end_of_month)
        && matches!(chars.get(after_day), Some('日' | '号'))
    {
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        return named(after_day + 1, date.format("%Y-%m-%d").to_string());
    }
    named(end_of_month, format!("{year:04}-{month:02}"))
}

/// Every date `text` names, in order.
fn named_dates(text: &str) -> Vec<NamedDate> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let starts_number = arabic_digit_value(chars[at]).is_some()
            && (at == 0 || arabic_digit_value(chars[at - 1]).is_none());
        if starts_number && let Some((date, end)) = date_at(&chars, at) {
            out.push(date);
            at = end;
        } else {
            at += 1;
        }
    }
    out
}

impl ParsedPlan {
    /// Warns (`date_outside_plan_year`) about every date a task's requirement names
    /// outside `year`, the year the plan is imported for: one warning per date, naming
    /// the task and the date, appended in task order.
    pub fn check_year(&mut self, year: i32) {
        for task in self.sections.iter().flat_map(|s| &s.tasks) {
            for date in named_dates(&task.requirement).into_iter().filter(|d| d.year != year) {
                let number = task.number;
                self.warnings.push(ImportWarning::new(
                    ImportWarning::DATE_OUTSIDE_PLAN_YEAR,
                    Some(number),
                    format!(
                        "task {number} names {} (“{}”), outside the plan's year {year}: its \
                         deadlines would not fall in this plan's year; check that the text is \
                         the {year} plan",
                        date.iso, date.phrase
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_what_is_not_one() {
        #[rustfmt::skip]
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("于2021年12月1日前完成", &[("2021年12月1日", "2021-12-01")]),
            ("2021年底前公开", &[("2021年底", "2021-12-31")]),
            ("2021年年底前公开", &[("2021年年底", "2021-12-31")]),
            ("2024年2月底前", &[("2024年2月底", "2024-02-29")]),
            ("2023年12月开展考核", &[("2023年12月", "2023-12")]),
            ("３月５号", &[]),
            ("２０２２年３月５号前", &[("２０２２年３月５号", "2022-03-05")]),
            ("发布2021年度报告和2021年工作台账", &[]),
            ("2030年2月30日前", &[]),
            ("12021年3月", &[]),
            ("2021年13月", &[]),
        ];
        for (text, expected) in cases {
            let got: Vec<(String, String)> =
                named_dates(text).into_iter().map(|d| (d.phrase, d.iso)).collect();
            let expected: Vec<(String, String)> =
                expected.iter().map(|(p, i)| (p.to_string(), i.to_string())).collect();
            assert_eq!(got, expected, "{text}");
        }
    }
}
