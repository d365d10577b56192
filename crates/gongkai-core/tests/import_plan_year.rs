//! Dates a plan's text names outside the plan's own year (issue 12, item 6): importing
//! last year's text as this year's plan gives deadlines that are overdue at once, so
//! each such date is warned about (`date_outside_plan_year`, naming the task and the
//! date). And the default title of an imported plan names its issuer.

#[path = "import_support.rs"]
mod support;

use gongkai_core::import::{ImportWarning, parse_plan};
use gongkai_core::plan::default_title;

/// (plan text, plan year, expected (task, date as named, ISO date) warnings).
struct YearCase {
    name: &'static str,
    text: fn() -> String,
    year: i32,
    warnings: &'static [(u32, &'static str, &'static str)],
}

fn kaiping() -> String {
    support::kaiping_text()
}

fn collective() -> String {
    support::fixture("import-collective-units.txt")
}

const YEAR_CASES: &[YearCase] = &[
    // The Kaiping 2021 plan in its own year: every date it names is in 2021.
    YearCase { name: "Kaiping 2021 as 2021", text: kaiping, year: 2021, warnings: &[] },
    // The case: the 2021 text imported as the 2022 plan. Task 32 "2021年底前" is
    // 2021-12-31 (年底前 reads as Dec 31), task 40 "于2021年12月1日前" is 2021-12-01. The
    // bare year of task 52 ("本单位2021年政务公开工作重点任务台账") names no date.
    YearCase {
        name: "Kaiping 2021 as 2022",
        text: kaiping,
        year: 2022,
        warnings: &[(32, "2021年底", "2021-12-31"), (40, "2021年12月1日", "2021-12-01")],
    },
    YearCase { name: "fixture as 2023", text: collective, year: 2023, warnings: &[] },
    // Task 4 a day, task 6 a year's end, task 8 a month (named as 2023-12).
    YearCase {
        name: "fixture as 2024",
        text: collective,
        year: 2024,
        warnings: &[
            (4, "2023年6月30日", "2023-06-30"),
            (6, "2023年底", "2023-12-31"),
            (8, "2023年12月", "2023-12"),
        ],
    },
];

#[test]
fn dates_outside_the_plan_year_are_warned_about() {
    for t in YEAR_CASES {
        let mut plan = parse_plan(&(t.text)(), &[]).unwrap();
        let before = plan.warnings.len();
        plan.check_year(t.year);
        let added: Vec<_> = plan.warnings[before..].iter().collect();
        assert_eq!(added.len(), t.warnings.len(), "{}: {added:?}", t.name);
        for (w, (task, phrase, date)) in added.iter().zip(t.warnings) {
            assert_eq!(w.code, ImportWarning::DATE_OUTSIDE_PLAN_YEAR, "{}", t.name);
            assert_eq!(w.task, Some(*task), "{}", t.name);
            for words in [*phrase, *date, &t.year.to_string(), &format!("task {task}")] {
                assert!(w.message.contains(words), "{}: {words} not in {}", t.name, w.message);
            }
        }
    }
}

/// The default title is the issuer's name, the year and 年政务公开工作要点; a
/// government's plan is titled by its place ("开平市人民政府" issues the
/// "开平市2021年政务公开工作要点", as the seed plan is titled), a department's by its name.
#[test]
fn the_default_title_names_the_issuer() {
    #[rustfmt::skip]
    let cases: &[(&str, i32, &str)] = &[
        ("开平市人民政府", 2022, "开平市2022年政务公开工作要点"),
        ("开平市", 2022, "开平市2022年政务公开工作要点"),
        (" 台山市人民政府 ", 2023, "台山市2023年政务公开工作要点"),
        ("鹤城市政府", 2023, "鹤城市2023年政务公开工作要点"),
        ("开平市财政局", 2022, "开平市财政局2022年政务公开工作要点"),
        ("人民政府", 2022, "人民政府2022年政务公开工作要点"),
        ("", 2022, "2022年政务公开工作要点"),
    ];
    for (issuer, year, title) in cases {
        assert_eq!(default_title(issuer, *year), *title, "{issuer:?}");
    }
}
