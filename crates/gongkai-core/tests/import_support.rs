//! Helpers shared by the importer tests (included with `#[path]`; as a test target of
//! its own it holds no tests).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use gongkai_core::import::ParsedPlan;

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
const PAGE_HEADERS: [&str; 2] = ["工作任务具体要求责任单位", "序号工作任务具体要求责任单位"];

fn is_page_number(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with('-') || t.starts_with('—')) && t.chars().any(|c| c.is_ascii_digit())
}

fn count_chars(into: &mut BTreeMap<char, i64>, text: &str, sign: i64) {
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *into.entry(c).or_default() += sign;
    }
}

fn chinese_numeral(n: u32) -> String {
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
