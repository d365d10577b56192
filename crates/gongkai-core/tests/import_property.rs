//! Property: the layout does not matter. Re-wrapping a plan's lines at random widths,
//! placing unit cells differently (own line, after a space, glued before the next
//! number) and inserting page headers and blank lines at random line boundaries gives
//! the same plan.

#[path = "import_support.rs"]
mod support;

use gongkai_core::import::{ParsedPlan, parse_plan};
use proptest::prelude::*;

/// A plan reduced to what its text must say.
struct ModelSection {
    title: String,
    tasks: Vec<ModelTask>,
}

struct ModelTask {
    number: u32,
    requirement: Vec<char>,
    cell: Option<String>,
}

fn model_of(plan: &ParsedPlan) -> Vec<ModelSection> {
    plan.sections
        .iter()
        .map(|section| ModelSection {
            title: section.title.clone(),
            tasks: section
                .tasks
                .iter()
                .map(|task| ModelTask {
                    number: task.number,
                    requirement: task.requirement.chars().collect(),
                    cell: (!task.units_inherited && !task.units.is_empty())
                        .then(|| task.units.join("、")),
                })
                .collect(),
        })
        .collect()
}

/// Random choices, drawn in turn and reused cyclically.
struct Dice<'a> {
    widths: &'a [usize],
    picks: &'a [u8],
    next_width: usize,
    next_pick: usize,
}

impl Dice<'_> {
    fn width(&mut self) -> usize {
        self.next_width += 1;
        self.widths[self.next_width % self.widths.len()]
    }

    fn pick(&mut self, choices: u8) -> u8 {
        self.next_pick += 1;
        self.picks[self.next_pick % self.picks.len()] % choices
    }
}

/// Breaks `text` into lines of random widths; the first line starts with `lead`.
fn wrap(lead: String, text: &[char], dice: &mut Dice) -> Vec<String> {
    let mut lines = vec![lead];
    let mut rest = text;
    if dice.pick(4) == 0 {
        lines.push(String::new());
    }
    while !rest.is_empty() {
        let width = dice.width().min(rest.len());
        lines.last_mut().unwrap().extend(&rest[..width]);
        rest = &rest[width..];
        if !rest.is_empty() {
            lines.push(String::new());
        }
    }
    lines.retain(|line| !line.is_empty());
    lines
}

fn render(model: &[ModelSection], dice: &mut Dice) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut glued_cell: Option<String> = None;
    for (index, section) in model.iter().enumerate() {
        let heading: Vec<char> = format!("{}。", section.title).chars().collect();
        lines.extend(wrap(
            format!("{}、", support::chinese_numeral(u32::try_from(index + 1).unwrap())),
            &heading,
            dice,
        ));
        for (position, task) in section.tasks.iter().enumerate() {
            let dot = if dice.pick(3) == 0 { '．' } else { '.' };
            let lead = format!("{}{}{dot}", glued_cell.take().unwrap_or_default(), task.number);
            let mut task_lines = wrap(lead, &task.requirement, dice);
            if let Some(cell) = &task.cell {
                let next_is_task = position + 1 < section.tasks.len();
                match dice.pick(3) {
                    0 => task_lines.push(cell.clone()),
                    1 => task_lines.last_mut().unwrap().push_str(&format!(" {cell}")),
                    _ if next_is_task => glued_cell = Some(cell.clone()),
                    _ => task_lines.push(cell.clone()),
                }
            }
            lines.extend(task_lines);
        }
    }
    let mut text = String::new();
    for line in lines {
        match dice.pick(8) {
            0 => text.push_str(" 工作任务 具体要求 责任单位\n"),
            1 => text.push_str("工作任务 具体要求 责任单位\n\n"),
            2 | 3 => text.push('\n'),
            _ => {}
        }
        text.push_str(&line);
        text.push('\n');
    }
    text
}

fn assert_layout_free(original: &str, widths: &[usize], picks: &[u8]) {
    let plan = parse_plan(original, &[]).unwrap();
    let mut dice = Dice { widths, picks, next_width: 0, next_pick: 0 };
    let rewrapped = render(&model_of(&plan), &mut dice);
    let reparsed = parse_plan(&rewrapped, &[]).unwrap_or_else(|e| panic!("{e}\n{rewrapped}"));
    assert!(reparsed == plan, "re-wrapped plan differs:\n{rewrapped}");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn kaiping_does_not_depend_on_its_layout(
        widths in prop::collection::vec(1usize..=30, 1..48),
        picks in prop::collection::vec(any::<u8>(), 1..96),
    ) {
        assert_layout_free(&support::kaiping_text(), &widths, &picks);
    }

    #[test]
    fn twenty_one_sections_do_not_depend_on_their_layout(
        widths in prop::collection::vec(1usize..=30, 1..48),
        picks in prop::collection::vec(any::<u8>(), 1..96),
    ) {
        assert_layout_free(&support::fixture("import-pdf-twenty-one-sections.txt"), &widths, &picks);
    }
}

#[test]
fn one_character_per_line_still_gives_the_same_plan() {
    assert_layout_free(&support::kaiping_text(), &[1], &[0, 1, 2, 3, 4, 5, 6, 7, 9]);
}

/// Layouts that once broke the importer: "7." alone on a line before "5个工作日",
/// "12.5%" wrapped to a line start while the real "12." is glued after a unit cell,
/// "1" / "2." / "5%" from a width of two.
#[test]
fn layouts_that_once_failed() {
    let twenty_one = support::fixture("import-pdf-twenty-one-sections.txt");
    let cases: [(&[usize], &[u8]); 4] = [
        (&[1, 7, 10, 25, 22, 11, 2, 5, 26, 23, 12, 9, 24, 15, 19, 1, 3, 1, 2], &[0]),
        (&[1, 7, 11, 7, 17, 10, 8, 9, 4, 18, 13, 9, 16, 17, 21, 2], &[0]),
        (&[2], &[0]),
        (&[1], &[2, 2, 5, 1]),
    ];
    for (widths, picks) in cases {
        assert_layout_free(&twenty_one, widths, picks);
    }
}
