//! Which records feed which quota, and for which unit (contract: Compliance).

mod compliance_support;

use compliance_support::*;
use gongkai_core::compliance::{Actual, EvidenceInput, QuotaInput, Status, evaluate};
use gongkai_core::quota::{QuotaPeriod, QuotaRule, ThresholdUnit};

use Status::{Met, MetLate, Missed, Overdue, Pending};

const MONTHLY_2: QuotaRule = QuotaRule::Count { min: 2, period: QuotaPeriod::Month };

fn february_sum(evidence: &[EvidenceInput], as_of: &str) -> (u64, Status) {
    let f = run(2024, &[quota(7, MONTHLY_2)], evidence, as_of);
    let feb = f.iter().find(|f| f.period_start == d("2024-02-01")).expect("February listed");
    let Actual::Count { count } = feb.actual else { panic!("count") };
    (count, feb.status)
}

/// (name, evidence, as_of, February's sum and status) for a monthly quota of 2 (quota 7).
type FeedCase = (&'static str, Vec<EvidenceInput>, &'static str, (u64, Status));

#[test]
fn which_records_feed_a_count_quota() {
    let cases: Vec<FeedCase> = vec![
        (
            "two plain records",
            vec![ev(1, "2024-02-01"), ev(2, "2024-02-29")],
            "2024-03-01",
            (2, Met),
        ),
        (
            "recorded a year late, occurred inside: counts",
            vec![
                ev(1, "2024-02-01"),
                EvidenceInput { recorded_at: at("2025-06-01"), ..ev(2, "2024-02-10") },
            ],
            "2024-03-01",
            (2, Met),
        ),
        (
            "occurred after as_of: not counted",
            vec![ev(1, "2024-02-01"), ev(2, "2024-02-20")],
            "2024-02-19",
            (1, Pending),
        ),
        (
            "withdrawn: not counted",
            vec![ev(1, "2024-02-01"), EvidenceInput { withdrawn: true, ..ev(2, "2024-02-02") }],
            "2024-03-01",
            (1, Missed),
        ),
        (
            "another task's record: not counted",
            vec![ev(1, "2024-02-01"), EvidenceInput { task_id: 999, ..ev(2, "2024-02-02") }],
            "2024-03-01",
            (1, Missed),
        ),
        (
            "explicitly for another quota: not counted",
            vec![ev(1, "2024-02-01"), EvidenceInput { quota_id: Some(8), ..ev(2, "2024-02-02") }],
            "2024-03-01",
            (1, Missed),
        ),
        (
            "explicitly for this quota: counted",
            vec![ev(1, "2024-02-01"), EvidenceInput { quota_id: Some(7), ..ev(2, "2024-02-02") }],
            "2024-03-01",
            (2, Met),
        ),
        (
            "count 0 speaks to no count quota",
            vec![ev(1, "2024-02-01"), counted(2, "2024-02-02", 0), value(3, "2024-02-03", 9.0)],
            "2024-03-01",
            (1, Missed),
        ),
        ("one record of count 3", vec![counted(1, "2024-02-14", 3)], "2024-03-01", (3, Met)),
        (
            "every unit counts toward a task-wide quota",
            vec![by_unit(1, ev(1, "2024-02-01")), by_unit(2, ev(2, "2024-02-02"))],
            "2024-03-01",
            (2, Met),
        ),
    ];
    for (name, evidence, as_of, expect) in cases {
        assert_eq!(february_sum(&evidence, as_of), expect, "{name}");
    }
}

#[test]
fn task_wide_findings_name_no_unit() {
    let f = run(2024, &[quota(7, MONTHLY_2)], &[ev(1, "2024-01-05")], "2024-01-31");
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].unit_id, f[0].unit.as_deref()), (None, None));
}

#[test]
fn one_record_feeds_every_quota_its_fields_speak_to() {
    let quotas = [
        quota(1, QuotaRule::Count { min: 1, period: QuotaPeriod::Year }),
        quota(2, QuotaRule::Deadline { due: d("2021-12-01") }),
        quota(3, QuotaRule::Threshold { min: 4.0, unit: ThresholdUnit::Percent }),
        quota(4, QuotaRule::WithinWorkdays { days: 20 }),
    ];
    let all = EvidenceInput {
        count: 1,
        completes: true,
        value: Some(5.0),
        event_on: Some(d("2021-05-10")),
        ..ev(1, "2021-05-10")
    };
    let f = run(2021, &quotas, &[all], "2021-06-01");
    let got: Vec<(i64, Status)> = f.iter().map(|f| (f.quota_id, f.status)).collect();
    assert_eq!(got, vec![(1, Met), (2, Met), (3, Met), (4, Met)]);

    // Pinned to quota 2 it feeds nothing else.
    let pinned = EvidenceInput {
        count: 1,
        completes: true,
        value: Some(5.0),
        event_on: Some(d("2021-05-10")),
        quota_id: Some(2),
        ..ev(1, "2021-05-10")
    };
    let f = run(2021, &quotas, &[pinned], "2021-06-01");
    let got: Vec<(i64, Status)> = f.iter().map(|f| (f.quota_id, f.status)).collect();
    assert_eq!(got, vec![(1, Pending), (2, Met), (3, Pending)], "no event known for quota 4");
}

#[test]
fn each_unit_is_judged_on_its_own_records() {
    // 党政办 (2) sorts before 经发局 (1) and 自然资源局 (3) by name.
    let units =
        vec![unit(1, "经发局"), unit(2, "党政办"), unit(3, "自然资源局"), unit(1, "经发局")];
    let evidence = [
        by_unit(1, counted(1, "2024-01-10", 2)),
        by_unit(2, counted(2, "2024-01-11", 1)),
        by_unit(4, counted(3, "2024-01-12", 5)), // a unit outside the quota's group
    ];
    let f = run(2024, &[quota_each(7, MONTHLY_2, units)], &evidence, "2024-02-01");
    let jan: Vec<(Option<i64>, Option<&str>, Status)> = f
        .iter()
        .filter(|f| f.period_start == d("2024-01-01"))
        .map(|f| (f.unit_id, f.unit.as_deref(), f.status))
        .collect();
    let mut expect = vec![
        (Some(2), Some("党政办"), Missed),
        (Some(1), Some("经发局"), Met),
        (Some(3), Some("自然资源局"), Missed),
    ];
    expect.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(jan, expect, "one finding per unit, duplicates merged, sorted by name");
    assert_eq!(f.len(), 6, "January and February for three units");
}

#[test]
fn each_unit_deadline_threshold_and_within() {
    let units = vec![unit(1, "A局"), unit(2, "B局")];
    let quotas = [
        quota_each(2, QuotaRule::Deadline { due: d("2021-12-01") }, units.clone()),
        quota_each(
            3,
            QuotaRule::Threshold { min: 4.0, unit: ThresholdUnit::Percent },
            units.clone(),
        ),
        quota_each(4, QuotaRule::WithinWorkdays { days: 20 }, units),
    ];
    let evidence = [
        by_unit(1, completes(1, "2021-11-30")),
        by_unit(2, completes(2, "2021-12-02")),
        by_unit(1, value(3, "2021-06-01", 4.5)),
        by_unit(2, value(4, "2021-06-01", 2.0)),
        by_unit(1, done(5, "2021-09-30", "2021-10-08")),
        by_unit(2, registered(6, "2021-09-30")),
    ];
    let f = run(2021, &quotas, &evidence, "2021-12-31");
    let got: Vec<(i64, Option<i64>, Status)> =
        f.iter().map(|f| (f.quota_id, f.unit_id, f.status)).collect();
    assert_eq!(
        got,
        vec![
            (2, Some(1), Met),
            (2, Some(2), MetLate),
            (3, Some(1), Met),
            (3, Some(2), Missed),
            (4, Some(1), Met),
            (4, Some(2), Overdue)
        ]
    );
}

#[test]
fn a_group_with_no_units_has_no_findings() {
    let f = run(2024, &[quota_each(7, MONTHLY_2, vec![])], &[ev(1, "2024-01-02")], "2024-03-01");
    assert!(f.is_empty());
}

#[test]
fn findings_are_in_a_stable_order_and_summarised() {
    let quotas = [
        QuotaInput {
            task_number: 40,
            task_id: 1040,
            ..quota(9, QuotaRule::Deadline { due: d("2021-12-01") })
        },
        quota(8, QuotaRule::Count { min: 1, period: QuotaPeriod::Quarter }),
        quota(5, QuotaRule::Threshold { min: 4.0, unit: ThresholdUnit::Percent }),
    ];
    let e = evaluate(
        2021,
        &quotas,
        &[ev(1, "2021-02-01"), value(2, "2021-03-01", 5.0)],
        &seeds(),
        d("2021-04-02"),
    )
    .unwrap();
    let order: Vec<(u32, i64, chrono::NaiveDate)> =
        e.findings.iter().map(|f| (f.task_number, f.quota_id, f.period_start)).collect();
    assert_eq!(
        order,
        vec![
            (15, 5, d("2021-01-01")),
            (15, 8, d("2021-01-01")),
            (15, 8, d("2021-04-01")),
            (40, 9, d("2021-01-01")),
        ]
    );
    assert_eq!(e.as_of, d("2021-04-02"));
    let summary: Vec<(Status, usize)> = e.summary.iter().map(|(s, n)| (*s, *n)).collect();
    assert_eq!(summary, vec![(Met, 2), (MetLate, 0), (Missed, 0), (Overdue, 0), (Pending, 2)]);
}
