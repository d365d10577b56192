//! Unit cells (责任单位): recognising the cell that names a task's responsible units.
//!
//! A unit cell is short, holds no sentence punctuation or digits, and lists names split
//! on 、 where every name either ends with a typical unit suffix (局, 办, 中心, 部门 …),
//! is a unit the caller already knows, or was already seen in this plan.
//!
//! A name may hold one group in full-width brackets, as official names and collective
//! designations do: "市委宣传部（市政府新闻办）", "各镇人民政府（街道办事处）",
//! "各镇（街道）". The text outside the brackets is judged as a name (its ending, with
//! the group at the end: the text before it; its place alone never vouches for it), and
//! a designation that starts with 各 and ends with a bracket group ("各镇（街道）",
//! "各村（社区）") names units collectively.
//! The bracketed text itself must look like a name too (no digits, no punctuation), so
//! "（试行）" or "（2023年）" in a requirement never turns it into a cell.
//!
//! Where a cell sits (own line, after a space, glued before the next number, in its own
//! tab column) is judged by the structure builder; this module only answers "is this
//! text a cell?".

use std::collections::HashSet;

/// Longest cell we accept, in characters, several names included.
const MAX_CELL_CHARS: usize = 60;
/// Shortest and longest single unit name, in characters.
const MIN_NAME_CHARS: usize = 2;
const MAX_NAME_CHARS: usize = 16;
/// Longest name accepted on its place alone, without a known name or a usual ending.
const MAX_PLACED_NAME_CHARS: usize = 10;
/// The separator between names in a cell.
const NAME_SEPARATOR: char = '、';

/// Endings that mark a name as a government body.
const UNIT_SUFFIXES: [&str; 21] = [
    "局", "办", "中心", "委", "府", "院", "会", "所", "站", "队", "室", "处", "部", "厅", "行",
    "司", "组", "馆", "集团", "单位", "部门",
];

/// The brackets a name may hold one group of.
const OPEN_BRACKET: char = '（';
const CLOSE_BRACKET: char = '）';

/// The word that starts a collective designation (各镇（街道）: every town or
/// sub-district).
const COLLECTIVE_MARK: char = '各';

/// Characters a unit name never holds: sentence and bracket punctuation, quotes, digits.
fn is_forbidden_in_name(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || "。，；：“”‘’（）()！？!?,;:《》〈〉【】「」『』〔〕[]…—%％.．/\"'".contains(c)
}

/// Recognises unit cells, learning the names it accepts.
#[derive(Debug, Clone)]
pub(super) struct UnitRecognizer<'k> {
    known: &'k [&'k str],
    seen: HashSet<String>,
}

/// A unit cell split off the end of a text: the text before it and the names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TrailingCell<'t> {
    /// The text before the cell, trimmed at its end; may be empty.
    pub head: &'t str,
    /// The unit names, lead first.
    pub units: Vec<String>,
}

impl<'k> UnitRecognizer<'k> {
    /// A recogniser that also accepts any of `known` as a name.
    pub(super) fn new(known: &'k [&'k str]) -> Self {
        Self { known, seen: HashSet::new() }
    }

    /// Accepts `units` as names from now on, whatever their ending.
    pub(super) fn remember(&mut self, units: &[String]) {
        self.seen.extend(units.iter().cloned());
    }

    /// Reads `cell` as a whole unit cell. `placed_as_cell` relaxes the suffix rule for
    /// short names where the layout already says "cell": a tab cell after the text on
    /// its line, or a short line right after the text's closing 。.
    pub(super) fn read_cell(&self, cell: &str, placed_as_cell: bool) -> Option<Vec<String>> {
        let cell = cell.trim();
        if cell.is_empty() || cell.chars().count() > MAX_CELL_CHARS {
            return None;
        }
        if !cell.contains(char::is_whitespace) {
            return self.read_compact_cell(cell, placed_as_cell);
        }
        let tokens: Option<Vec<Vec<String>>> = cell
            .split_whitespace()
            .map(|token| self.read_compact_cell(token, placed_as_cell))
            .collect();
        if let Some(tokens) = tokens {
            return Some(tokens.concat());
        }
        let compact: String = cell.split_whitespace().collect();
        self.read_compact_cell(&compact, placed_as_cell)
    }

    /// Splits a cell off the end of `text` where a space separates them:
    /// "…相关信息。 经发局".
    pub(super) fn split_spaced_cell<'t>(&self, text: &'t str) -> Option<TrailingCell<'t>> {
        let text = text.trim_end();
        let space = text.rfind(char::is_whitespace)?;
        let (head, tail) = text.split_at(space);
        let head = head.trim_end();
        if head.is_empty() {
            return None;
        }
        let units = self.read_cell(tail, false)?;
        Some(TrailingCell { head, units })
    }

    /// Finds the cell at the end of `prefix`, the text glued before the next number
    /// ("党政办" in "党政办53.…"): the whole prefix, or what follows its last space or
    /// its last 。.
    pub(super) fn split_glued_cell<'t>(&self, prefix: &'t str) -> Option<TrailingCell<'t>> {
        let prefix = prefix.trim_end();
        if let Some(units) = self.read_cell(prefix, false) {
            return Some(TrailingCell { head: "", units });
        }
        if let Some(cell) = self.split_spaced_cell(prefix) {
            return Some(cell);
        }
        let stop = prefix.rfind('。')?;
        let (head, tail) = prefix.split_at(stop + '。'.len_utf8());
        let units = self.read_cell(tail, false)?;
        Some(TrailingCell { head, units })
    }

    fn read_compact_cell(&self, cell: &str, placed_as_cell: bool) -> Option<Vec<String>> {
        let mut names = Vec::new();
        for name in cell.split(NAME_SEPARATOR) {
            if !self.is_unit_name(name, placed_as_cell) {
                return None;
            }
            names.push(name.to_owned());
        }
        Some(names)
    }

    fn is_unit_name(&self, name: &str, placed_as_cell: bool) -> bool {
        if self.known.iter().any(|known| known.trim() == name) || self.seen.contains(name) {
            return !name.is_empty();
        }
        if !name.contains([OPEN_BRACKET, CLOSE_BRACKET]) {
            return is_plain_name(name, placed_as_cell, false);
        }
        let Some((before, inner, after)) = split_bracket_group(name) else { return false };
        let outside = format!("{before}{after}");
        let collective = after.is_empty() && before.starts_with(COLLECTIVE_MARK);
        is_plain_name(inner, true, false)
            && inner.chars().count() <= MAX_NAME_CHARS
            // A bracketed name needs its ending or the collective form: its place alone
            // would take "做好公开（试行）" after a full stop for a unit.
            && is_plain_name(&outside, false, collective)
    }
}

/// Whether `name`, holding no brackets, reads as a unit name: of a name's length, free
/// of forbidden characters, and with a usual ending unless `placed_as_cell` or
/// `collective` vouch for it.
fn is_plain_name(name: &str, placed_as_cell: bool, collective: bool) -> bool {
    let length = name.chars().count();
    let has_suffix = UNIT_SUFFIXES.iter().any(|suffix| name.ends_with(suffix));
    let longest = if has_suffix || collective { MAX_NAME_CHARS } else { MAX_PLACED_NAME_CHARS };
    (MIN_NAME_CHARS..=longest).contains(&length)
        && !name.chars().any(is_forbidden_in_name)
        && (has_suffix || collective || placed_as_cell)
}

/// Splits "市委宣传部（市政府新闻办）" into the text before the group, the group's text and
/// the text after it; None unless there is exactly one group, closed, and not empty.
fn split_bracket_group(name: &str) -> Option<(&str, &str, &str)> {
    let (before, rest) = name.split_once(OPEN_BRACKET)?;
    let (inner, after) = rest.split_once(CLOSE_BRACKET)?;
    let nested =
        [before, inner, after].iter().any(|part| part.contains([OPEN_BRACKET, CLOSE_BRACKET]));
    (!nested && !inner.is_empty()).then_some((before, inner, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(found: Option<Vec<String>>) -> Vec<String> {
        found.unwrap_or_default()
    }

    #[test]
    fn cells_by_suffix() {
        let units = UnitRecognizer::new(&[]);
        assert_eq!(
            names(units.read_cell("规建局、经发局、党政办", false)),
            ["规建局", "经发局", "党政办"]
        );
        assert_eq!(names(units.read_cell("融媒体中心", false)), ["融媒体中心"]);
        assert_eq!(units.read_cell("集。", false), None);
        assert_eq!(units.read_cell("）。", false), None);
        assert_eq!(units.read_cell("类规划主动", false), None);
        assert_eq!(units.read_cell("2021年底前", false), None);
        assert_eq!(units.read_cell("办", false), None);
        assert_eq!(units.read_cell("党政办、", false), None);
    }

    #[test]
    fn known_and_seen_names_need_no_suffix() {
        let known = ["市场监管"];
        let mut units = UnitRecognizer::new(&known);
        assert_eq!(names(units.read_cell("市场监管", false)), ["市场监管"]);
        assert_eq!(units.read_cell("各镇街", false), None);
        units.remember(&["各镇街".to_owned()]);
        assert_eq!(names(units.read_cell("各镇街", false)), ["各镇街"]);
        assert_eq!(names(UnitRecognizer::new(&[]).read_cell("各镇街", true)), ["各镇街"]);
    }

    /// Names with one full-width bracket group, and collective designations: which
    /// cells are read (and as which names), which are not.
    #[test]
    fn bracketed_and_collective_names() {
        let units = UnitRecognizer::new(&[]);
        #[rustfmt::skip]
        let cells: &[(&str, &[&str])] = &[
            ("各镇人民政府（街道办事处）、市直各单位", &["各镇人民政府（街道办事处）", "市直各单位"]),
            ("市委宣传部（市政府新闻办）", &["市委宣传部（市政府新闻办）"]),
            ("市政务服务数据管理局（市政务服务中心）", &["市政务服务数据管理局（市政务服务中心）"]),
            // Collective: 各 … with a bracket group at the end.
            ("各镇（街道）", &["各镇（街道）"]),
            ("各村（社区）、各有关部门", &["各村（社区）", "各有关部门"]),
            ("各镇（街道）人民政府", &["各镇（街道）人民政府"]),
            // Not names: requirement text, empty or unbalanced or doubled groups, digits.
            ("做好公开（试行）", &[]),
            ("（试行）", &[]),
            ("市司法局（", &[]),
            ("市司法局（）", &[]),
            ("市司法局）", &[]),
            ("局（办）（办）", &[]),
            ("市司法局（（办））", &[]),
            ("政策解读局（2023年）", &[]),
            ("市委宣传部（负责解读，牵头）", &[]),
            // Collective only with the group: 各镇街 is still known by place alone.
            ("各镇街", &[]),
        ];
        for (cell, expected) in cells {
            assert_eq!(names(units.read_cell(cell, false)), *expected, "{cell}");
        }
    }

    #[test]
    fn spaced_and_glued_cells() {
        let units = UnitRecognizer::new(&[]);
        let spaced = units.split_spaced_cell("相关信息。 经发局");
        assert_eq!(spaced, Some(TrailingCell { head: "相关信息。", units: vec!["经发局".into()] }));
        assert_eq!(units.split_spaced_cell("对未完成的依法督 促"), None);
        let glued = units.split_glued_cell("党政办");
        assert_eq!(glued, Some(TrailingCell { head: "", units: vec!["党政办".into()] }));
        let after_stop = units.split_glued_cell("确保落实到位。党政办");
        assert_eq!(after_stop.map(|cell| cell.head), Some("确保落实到位。"));
        assert_eq!(names(units.read_cell("党政办 经发局", false)), ["党政办", "经发局"]);
        assert_eq!(names(units.read_cell("公共服务 中心", false)), ["公共服务中心"]);
    }
}
