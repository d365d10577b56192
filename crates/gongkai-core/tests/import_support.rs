//! Helpers shared by the importer tests (included with `#[path]`; as a test target of
//! its own it holds no tests).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use gongkai_core::import::{ParsedPlan, ParsedSection, ParsedTask};
use gongkai_core::quota::{ExtractedQuota, QuotaPeriod, QuotaRule, ThresholdUnit};

/// The repository's seeds directory.
pub fn seeds_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../seeds")
}

/// Reads a fixture plan from tests/fixtures.
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The Kaiping 2021 plan text.
pub fn kaiping_text() -> String {
    std::fs::read_to_string(seeds_dir().join("kaiping-2021-work-plan.txt")).unwrap()
}

/// Lines that are page headers in the fixtures and the seed (whitespace removed).
const PAGE_HEADERS: [&str; 3] =
    ["工作任务具体要求责任单位", "序号工作任务具体要求责任单位", "序号主要任务工作要求责任单位"];

fn is_page_number(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with('-') || t.starts_with('—')) && t.chars().any(|c| c.is_ascii_digit())
}

fn count_chars(into: &mut BTreeMap<char, i64>, text: &str, sign: i64) {
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *into.entry(c).or_default() += sign;
    }
}

/// A section numeral: 1 → 一, 10 → 十, 21 → 二十一.
pub fn chinese_numeral(n: u32) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
    let mut s = String::new();
    if tens > 1 {
        s.push(DIGITS[tens]);
    }
    if tens > 0 {
        s.push('十');
    }
    if ones > 0 {
        s.push(DIGITS[ones]);
    }
    s
}

/// Checks, as a multiset of characters, that every non-blank character of `input` is
/// in the plan (titles, requirements, unit cells) and nothing was added, except page
/// headers, the numbering (numeral + 、, number + dot) and a heading's closing 。, of
/// which `closing_stops` headings have one.
pub fn assert_no_text_lost(input: &str, plan: &ParsedPlan, closing_stops: i64) {
    let mut difference = BTreeMap::new();
    for line in input.lines() {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if PAGE_HEADERS.contains(&compact.as_str()) || is_page_number(line) {
            continue;
        }
        count_chars(&mut difference, line, 1);
    }
    let mut tasks = 0;
    for section in &plan.sections {
        count_chars(&mut difference, &section.title, -1);
        count_chars(&mut difference, &chinese_numeral(section.number), -1);
        count_chars(&mut difference, "、", -1);
        for task in &section.tasks {
            tasks += 1;
            count_chars(&mut difference, &task.requirement, -1);
            count_chars(&mut difference, &task.number.to_string(), -1);
            if !task.units_inherited {
                count_chars(&mut difference, &task.units.join("、"), -1);
            }
        }
    }
    let dots = difference.remove(&'.').unwrap_or(0) + difference.remove(&'．').unwrap_or(0);
    assert_eq!(dots, tasks, "one dot per task number");
    *difference.entry('。').or_default() -= closing_stops;
    difference.retain(|_, count| *count != 0);
    assert!(difference.is_empty(), "characters lost (+) or added (-): {difference:?}");
}

/// Checks that the plan, written back in order (numeral + 、 + title [+ 。], number +
/// dot + requirement + unit cell for each task), is exactly the input without page
/// headers, page numbers and whitespace: nothing lost, added or moved.
pub fn assert_reconstructs(input: &str, plan: &ParsedPlan) {
    let mut source = String::new();
    for line in input.lines() {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if !PAGE_HEADERS.contains(&compact.as_str()) && !is_page_number(line) {
            source.push_str(&compact);
        }
    }
    let source = source.trim_start_matches('\u{feff}');
    let mut rest = source;
    fn expect(rest: &mut &str, piece: &str, context: &str) {
        let piece: String = piece.chars().filter(|c| !c.is_whitespace()).collect();
        match rest.strip_prefix(piece.as_str()) {
            Some(after) => *rest = after,
            None => panic!(
                "{context}: expected {piece:?} at {:?}",
                rest.chars().take(40).collect::<String>()
            ),
        }
    }
    for section in &plan.sections {
        let context = format!("section {}", section.number);
        expect(
            &mut rest,
            &format!("{}、{}", chinese_numeral(section.number), section.title),
            &context,
        );
        if rest.starts_with('。') {
            expect(&mut rest, "。", &context);
        }
        for task in &section.tasks {
            let context = format!("task {}", task.number);
            let dot = if rest.starts_with(&format!("{}．", task.number)) { '．' } else { '.' };
            expect(&mut rest, &format!("{}{dot}{}", task.number, task.requirement), &context);
            if !task.units_inherited {
                expect(&mut rest, &task.units.join("、"), &context);
            }
        }
    }
    assert!(rest.is_empty(), "text left after the last task: {rest:?}");
}

/// An expected section.
pub fn section(number: u32, title: &str, tasks: Vec<ParsedTask>) -> ParsedSection {
    ParsedSection { number, title: title.to_owned(), tasks }
}

/// An expected task with its own unit cell.
pub fn task(
    number: u32,
    requirement: &str,
    units: &[&str],
    quotas: Vec<ExtractedQuota>,
) -> ParsedTask {
    ParsedTask {
        number,
        requirement: requirement.to_owned(),
        units: units.iter().map(|unit| unit.to_string()).collect(),
        units_inherited: false,
        quotas,
    }
}

/// An expected task that inherits its units.
pub fn inherited(number: u32, requirement: &str, units: &[&str]) -> ParsedTask {
    ParsedTask { units_inherited: true, ..task(number, requirement, units, vec![]) }
}

/// One expected quota.
pub fn quota(rule: QuotaRule, source: &str) -> Vec<ExtractedQuota> {
    vec![ExtractedQuota { rule, source: source.to_owned() }]
}

/// An expected count quota.
pub fn count(min: u32, period: QuotaPeriod, source: &str) -> Vec<ExtractedQuota> {
    quota(QuotaRule::Count { min, period }, source)
}

/// An expected deadline quota.
pub fn due(y: i32, m: u32, d: u32, source: &str) -> Vec<ExtractedQuota> {
    quota(QuotaRule::Deadline { due: NaiveDate::from_ymd_opt(y, m, d).unwrap() }, source)
}

/// An expected percentage threshold.
pub fn percent(min: f64, source: &str) -> Vec<ExtractedQuota> {
    quota(QuotaRule::Threshold { min, unit: ThresholdUnit::Percent }, source)
}

/// An expected working-day limit.
pub fn workdays(days: u32, source: &str) -> Vec<ExtractedQuota> {
    quota(QuotaRule::WithinWorkdays { days }, source)
}

/// The warnings as (task, code) pairs.
pub fn warning_codes(plan: &ParsedPlan) -> Vec<(Option<u32>, &str)> {
    plan.warnings.iter().map(|warning| (warning.task, warning.code.as_str())).collect()
}
