//! Tables 三 and 四 of the annual report: counting by receipt and conclusion dates, and
//! the invariant 一 + 二 = 三（七）+ 四. The labels are checked in disclosure_labels.rs.

mod disclosure_support;

use chrono::{Datelike, Days, NaiveDate};
use disclosure_support::d;
use gongkai_core::disclosure::appeals::{AppealEntry, AppealKind, AppealResult, table4};
use gongkai_core::disclosure::report::{ReportEntry, ReportFormat, table3};
use gongkai_core::disclosure::{ApplicantKind, Outcome};

/// A small deterministic generator (a linear congruential one) for a reproducible year.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn generated_register(seed: u64, count: usize) -> Vec<ReportEntry> {
    let mut g = Lcg(seed);
    let start = d("2023-01-01");
    (0..count)
        .map(|_| {
            let received_on = start + Days::new(g.next(3 * 365));
            let kind = ApplicantKind::ALL[g.next(ApplicantKind::ALL.len() as u64) as usize];
            let conclusion = (g.next(5) > 0).then(|| {
                let on = received_on + Days::new(g.next(60));
                (on, Outcome::ALL[g.next(Outcome::ALL.len() as u64) as usize])
            });
            ReportEntry { applicant_kind: kind, received_on, conclusion }
        })
        .collect()
}

fn value(t: &gongkai_core::disclosure::report::Table3, key: &str, column: &str) -> u64 {
    let row = t.rows.iter().find(|r| r.key == key).expect("row");
    row.values.expect("cells").get(column).expect("column")
}

#[test]
fn a_generated_year_satisfies_the_invariant_and_counts_each_row() {
    let register = generated_register(7, 400);
    for year in [2023, 2024, 2025] {
        let t = table3(year, ReportFormat::Format2021, &register);
        assert!(t.invariant.holds, "{year}: {:?}", t.invariant.violations);
        let in_year = |dt: NaiveDate| dt.year() == year;
        let new = register.iter().filter(|e| in_year(e.received_on)).count() as u64;
        assert_eq!(value(&t, "new", "total"), new, "{year}");
        let concluded =
            register.iter().filter(|e| e.conclusion.is_some_and(|(c, _)| in_year(c))).count();
        assert_eq!(value(&t, "results_total", "total"), concluded as u64, "{year}");
        let granted = register
            .iter()
            .filter(|e| e.conclusion.is_some_and(|(c, o)| in_year(c) && o == Outcome::Granted))
            .count();
        assert_eq!(value(&t, "granted", "total"), granted as u64);
        // Per column, with the columns summing to the total.
        for row in t.rows.iter().filter_map(|r| r.values) {
            let parts: u64 = ApplicantKind::ALL.iter().map(|k| row.get(k.as_str()).unwrap()).sum();
            assert_eq!(parts, row.total);
        }
        // The groups sum their sub-rows, and （七） sums the groups.
        let groups: u64 = [
            "granted",
            "partly_granted",
            "refused",
            "unavailable",
            "not_processed",
            "other_handling",
        ]
        .iter()
        .map(|k| value(&t, k, "total"))
        .sum();
        assert_eq!(groups, value(&t, "results_total", "total"));
    }
    // What one year carries out, the next carries in.
    let t24 = table3(2024, ReportFormat::Format2021, &register);
    let t25 = table3(2025, ReportFormat::Format2021, &register);
    assert_eq!(value(&t24, "carried_out", "total"), value(&t25, "carried_in", "total"));
    assert!(value(&t24, "carried_in", "total") > 0 && value(&t24, "carried_out", "total") > 0);
}

#[test]
fn a_register_breaking_the_invariant_is_reported() {
    // Concluded in 2024, received in 2025: impossible, and it must show.
    let broken = ReportEntry {
        applicant_kind: ApplicantKind::Research,
        received_on: d("2025-01-10"),
        conclusion: Some((d("2024-12-30"), Outcome::Granted)),
    };
    let t = table3(2024, ReportFormat::Format2021, &[broken]);
    assert!(!t.invariant.holds);
    let columns: Vec<&str> = t.invariant.violations.iter().map(|v| v.column.as_str()).collect();
    assert_eq!(columns, ["research", "total"]);
    assert_eq!((t.invariant.violations[0].received, t.invariant.violations[0].accounted), (0, 1));
}

#[test]
fn table_four_counts_reviews_and_lawsuits_by_result() {
    let entry = |kind, filed: &str, decided: Option<(&str, AppealResult)>| AppealEntry {
        kind,
        filed_on: d(filed),
        decided: decided.map(|(on, r)| (d(on), r)),
    };
    let register = [
        entry(
            AppealKind::AdministrativeReview,
            "2024-02-01",
            Some(("2024-05-01", AppealResult::Upheld)),
        ),
        entry(
            AppealKind::AdministrativeReview,
            "2024-03-01",
            Some(("2024-06-01", AppealResult::Corrected)),
        ),
        entry(
            AppealKind::AdministrativeReview,
            "2024-11-01",
            Some(("2025-02-01", AppealResult::Upheld)),
        ),
        entry(AppealKind::LawsuitDirect, "2024-04-01", None),
        entry(
            AppealKind::LawsuitAfterReview,
            "2023-10-01",
            Some(("2024-01-15", AppealResult::Other)),
        ),
        entry(
            AppealKind::LawsuitAfterReview,
            "2023-01-01",
            Some(("2023-06-01", AppealResult::Upheld)),
        ),
        entry(AppealKind::LawsuitDirect, "2025-01-02", None),
    ];
    let t = table4(2024, &register);
    let labels: Vec<(&str, Option<&str>)> =
        t.groups.iter().map(|g| (g.label.as_str(), g.group.as_deref())).collect();
    assert_eq!(
        labels,
        [
            ("行政复议", None),
            ("未经复议直接起诉", Some("行政诉讼")),
            ("复议后起诉", Some("行政诉讼"))
        ]
    );
    let columns: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(columns, ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]);
    let review = t.groups[0].values;
    assert_eq!(
        (review.upheld, review.corrected, review.other, review.pending, review.total),
        (1, 1, 0, 1, 3)
    );
    assert_eq!((t.groups[1].values.pending, t.groups[1].values.total), (1, 1));
    assert_eq!((t.groups[2].values.other, t.groups[2].values.total), (1, 1));
    // The review pending at the end of 2024 is counted with its result in 2025.
    let t25 = table4(2025, &register);
    assert_eq!((t25.groups[0].values.upheld, t25.groups[0].values.total), (1, 1));
}
