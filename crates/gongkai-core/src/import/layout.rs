//! Layout: turns the raw text into the segments that carry content.
//!
//! A segment is one line, or one tab-separated cell of a line (a Word table copy puts a
//! row on one line, its cells separated by tabs). Blank lines, repeated page headers
//! ("工作任务 具体要求 责任单位") and page-number lines ("- 3 -") are layout only and
//! are dropped here.

/// A piece of content: a trimmed line, or a trimmed tab cell of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Segment<'a> {
    /// 1-based line number in the input.
    pub line: usize,
    /// The content, trimmed of whitespace at both ends; never empty.
    pub text: &'a str,
    /// A tab-separated cell that follows another non-empty cell on the same line.
    pub after_tab: bool,
}

/// The column headings a plan table repeats at the top of each page.
const HEADER_WORDS: [&str; 14] = [
    "序号",
    "工作任务",
    "具体要求",
    "责任单位",
    "牵头单位",
    "配合单位",
    "责任部门",
    "主要任务",
    "工作内容",
    "任务内容",
    "工作要求",
    "完成时限",
    "时间要求",
    "备注",
];

/// Splits `text` into content segments, in reading order.
pub(super) fn segments(text: &str) -> Vec<Segment<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut found = Vec::new();
    for (index, raw_line) in text.split('\n').enumerate() {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if line.trim().is_empty() || is_page_header(line) || is_page_number(line) {
            continue;
        }
        let mut cells_before = 0;
        for cell in line.split('\t') {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            found.push(Segment { line: index + 1, text: cell, after_tab: cells_before > 0 });
            cells_before += 1;
        }
    }
    found
}

/// Whether `line` is a repeated table header: two or more column headings and nothing
/// else, with or without spaces or tabs between them.
pub(super) fn is_page_header(line: &str) -> bool {
    let Some(first) = line.trim_start().chars().next() else { return false };
    if !HEADER_WORDS.iter().any(|word| word.starts_with(first)) {
        return false;
    }
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let mut rest = compact.as_str();
    let mut words = 0;
    while !rest.is_empty() {
        let Some(word) = HEADER_WORDS.iter().find(|word| rest.starts_with(**word)) else {
            return false;
        };
        rest = &rest[word.len()..];
        words += 1;
    }
    words >= 2
}

/// Whether `line` is a page number between dashes: "- 3 -", "—3—", "－ 12 －".
fn is_page_number(line: &str) -> bool {
    let is_dash = |c: char| matches!(c, '-' | '—' | '–' | '－');
    let trimmed = line.trim();
    let inner = trimmed.trim_start_matches(is_dash);
    let opened = inner.len() < trimmed.len();
    let inner_closed = inner.trim_end_matches(is_dash);
    let closed = inner_closed.len() < inner.len();
    let number = inner_closed.trim();
    opened && closed && !number.is_empty() && number.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_page_numbers_are_layout() {
        assert!(is_page_header(" 工作任务 具体要求 责任单位"));
        assert!(is_page_header("序号\t工作任务\t具体要求\t责任单位"));
        assert!(is_page_header("工作任务具体要求责任单位"));
        assert!(!is_page_header("工作任务"));
        assert!(!is_page_header("做好工作任务 具体要求"));
        assert!(is_page_number("- 3 -"));
        assert!(is_page_number("—12—"));
        assert!(!is_page_number("3"));
        assert!(!is_page_number("-3"));
    }

    #[test]
    fn cells_and_lines() {
        let text = "\u{feff} 工作任务 具体要求 责任单位\r\n\r\n一、做好\t1．主动公开。\t发改局\r\n\t\t司法局\n";
        let found = segments(text);
        let texts: Vec<(usize, &str, bool)> =
            found.iter().map(|s| (s.line, s.text, s.after_tab)).collect();
        assert_eq!(
            texts,
            [
                (3, "一、做好", false),
                (3, "1．主动公开。", true),
                (3, "发改局", true),
                (4, "司法局", false)
            ]
        );
    }
}
