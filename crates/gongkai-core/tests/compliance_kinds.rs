//! Deadline, threshold and within-N-working-days quotas: every status at the edges
//! (contract: Compliance). Count quotas are in `compliance_count.rs`.

mod compliance_support;

use compliance_support::*;
use gongkai_core::compliance::{Actual, EvidenceInput, Required, Status};
use gongkai_core::quota::{QuotaPeriod, QuotaRule, ThresholdUnit};

use Status::{Met, MetLate, Missed, Overdue, Pending};

/// (name, evidence, as_of, completion date, status) for "due 2021-12-01" (Task 40).
type DeadlineCase = (&'static str, Vec<EvidenceInput>, &'static str, Option<&'static str>, Status);

fn deadline_cases() -> Vec<DeadlineCase> {
    vec![
        (
            "completed on the due date",
            vec![completes(1, "2021-12-01")],
            "2021-12-31",
            Some("2021-12-01"),
            Met,
        ),
        (
            "completed a day after",
            vec![completes(1, "2021-12-02")],
            "2021-12-31",
            Some("2021-12-02"),
            MetLate,
        ),
        (
            "completed early, as_of before due",
            vec![completes(1, "2021-06-01")],
            "2021-06-01",
            Some("2021-06-01"),
            Met,
        ),
        ("not completed, on the due date", vec![], "2021-12-01", None, Pending),
        ("not completed, a day after", vec![], "2021-12-02", None, Overdue),
        (
            "completion after as_of is not seen",
            vec![completes(1, "2021-12-05")],
            "2021-12-03",
            None,
            Overdue,
        ),
        (
            "the earliest completion counts",
            vec![completes(2, "2021-12-05"), completes(1, "2021-11-01")],
            "2021-12-31",
            Some("2021-11-01"),
            Met,
        ),
        ("a record that does not complete", vec![ev(1, "2021-11-01")], "2021-12-02", None, Overdue),
        (
            "completed long after, still met_late",
            vec![completes(1, "2022-03-01")],
            "2022-06-01",
            Some("2022-03-01"),
            MetLate,
        ),
    ]
}

#[test]
fn deadline_quotas() {
    let rule = QuotaRule::Deadline { due: d("2021-12-01") };
    for (name, evidence, as_of, completed, status) in deadline_cases() {
        let f = run(2021, &[quota(40, rule.clone())], &evidence, as_of);
        assert_eq!(f.len(), 1, "{name}");
        assert_eq!(f[0].status, status, "{name}");
        assert_eq!(
            (f[0].period_start, f[0].period_end),
            (d("2021-01-01"), d("2021-12-01")),
            "{name}"
        );
        assert_eq!(f[0].actual, Actual::Deadline { completed_on: completed.map(d) }, "{name}");
        assert_eq!(f[0].required, Required::Deadline { due: d("2021-12-01") }, "{name}");
        assert!(f[0].explanation.text.contains("2021-12-01"), "{name}: {}", f[0].explanation.text);
    }
    assert!(run(2021, &[quota(40, rule)], &[], "2020-12-31").is_empty(), "not started");
}

/// (name, evidence, as_of, value read, status) for "at least 4 %" (Task 49).
type ThresholdCase = (&'static str, Vec<EvidenceInput>, &'static str, Option<f64>, Status);

fn threshold_cases() -> Vec<ThresholdCase> {
    let tie = |id, v: f64, hour| EvidenceInput {
        recorded_at: at("2021-06-01") + chrono::Duration::hours(hour),
        ..value(id, "2021-06-01", v)
    };
    vec![
        ("exactly the minimum", vec![value(1, "2021-06-01", 4.0)], "2021-06-30", Some(4.0), Met),
        ("below the minimum", vec![value(1, "2021-06-01", 3.5)], "2021-06-30", Some(3.5), Missed),
        ("no value, through 12-31", vec![], "2021-12-31", None, Pending),
        ("no value after the year", vec![], "2022-01-01", None, Missed),
        (
            "the latest value is read (earlier as_of)",
            vec![value(1, "2021-03-01", 5.0), value(2, "2021-06-01", 3.0)],
            "2021-05-01",
            Some(5.0),
            Met,
        ),
        (
            "the latest value is read",
            vec![value(1, "2021-03-01", 5.0), value(2, "2021-06-01", 3.0)],
            "2021-07-01",
            Some(3.0),
            Missed,
        ),
        (
            "same day: the later recorded wins (low)",
            vec![tie(1, 5.0, -2), tie(2, 3.0, 1)],
            "2021-07-01",
            Some(3.0),
            Missed,
        ),
        (
            "same day: the later recorded wins (high)",
            vec![tie(1, 3.0, -2), tie(2, 5.0, 1)],
            "2021-07-01",
            Some(5.0),
            Met,
        ),
        (
            "same day: recorded_at decides, not the id",
            vec![tie(2, 5.0, -2), tie(1, 3.0, 1)],
            "2021-07-01",
            Some(3.0),
            Missed,
        ),
        (
            "a value dated after the plan year does not rewrite it",
            vec![value(1, "2021-06-01", 3.0), value(2, "2022-01-10", 5.0)],
            "2022-02-01",
            Some(3.0),
            Missed,
        ),
        (
            "a value not a number is ignored",
            vec![value(1, "2021-06-01", f64::NAN)],
            "2021-07-01",
            None,
            Pending,
        ),
    ]
}

#[test]
fn threshold_quotas() {
    let rule = QuotaRule::Threshold { min: 4.0, unit: ThresholdUnit::Percent };
    for (name, evidence, as_of, read, status) in threshold_cases() {
        let f = run(2021, &[quota(49, rule.clone())], &evidence, as_of);
        assert_eq!(f.len(), 1, "{name}");
        assert_eq!(f[0].status, status, "{name}");
        assert_eq!(
            (f[0].period_start, f[0].period_end),
            (d("2021-01-01"), d("2021-12-31")),
            "{name}"
        );
        let Actual::Threshold { value, .. } = f[0].actual else { panic!("{name}") };
        assert_eq!(value, read, "{name}");
        assert_eq!(f[0].explanation.evidence_ids.len(), usize::from(read.is_some()), "{name}");
    }
}

/// (name, evidence, as_of, expected (event_on, limit, done_on, status)) for "within 20
/// working days". 2021-09-30 + 20 working days = 2021-11-03 (calendar tables).
type WithinCase = (
    &'static str,
    Vec<EvidenceInput>,
    &'static str,
    Vec<(&'static str, &'static str, Option<&'static str>, Status)>,
);

fn within_cases() -> Vec<WithinCase> {
    vec![
        (
            "done on the limit",
            vec![done(1, "2021-09-30", "2021-11-03")],
            "2021-12-31",
            vec![("2021-09-30", "2021-11-03", Some("2021-11-03"), Met)],
        ),
        (
            "done a day after the limit",
            vec![done(1, "2021-09-30", "2021-11-04")],
            "2021-12-31",
            vec![("2021-09-30", "2021-11-03", Some("2021-11-04"), MetLate)],
        ),
        (
            "registered, not done, on the limit",
            vec![registered(1, "2021-09-30")],
            "2021-11-03",
            vec![("2021-09-30", "2021-11-03", None, Pending)],
        ),
        (
            "registered, not done, a day after",
            vec![registered(1, "2021-09-30")],
            "2021-11-04",
            vec![("2021-09-30", "2021-11-03", None, Overdue)],
        ),
        (
            "done later than as_of: pending as of then",
            vec![done(1, "2021-09-30", "2021-11-10")],
            "2021-10-15",
            vec![("2021-09-30", "2021-11-03", None, Pending)],
        ),
        (
            "done later than as_of: overdue as of then",
            vec![done(1, "2021-09-30", "2021-11-10")],
            "2021-11-05",
            vec![("2021-09-30", "2021-11-03", None, Overdue)],
        ),
        (
            "an event after as_of is not listed",
            vec![registered(1, "2021-10-20")],
            "2021-10-15",
            vec![],
        ),
        (
            "registration then completion are one event",
            vec![registered(1, "2021-09-30"), done(2, "2021-09-30", "2021-10-08")],
            "2021-12-31",
            vec![("2021-09-30", "2021-11-03", Some("2021-10-08"), Met)],
        ),
        // 2021-04-30 + 20: May 1–5 H; 6,7,8W(1–3); 10–14(4–8); 17–21(9–13); 24–28(14–18); 31(19); Jun 1(20).
        (
            "of two events only the one before as_of",
            vec![done(1, "2021-09-30", "2021-10-08"), registered(2, "2021-04-30")],
            "2021-06-02",
            vec![("2021-04-30", "2021-06-01", None, Overdue)],
        ),
        (
            "two events, two findings",
            vec![done(1, "2021-09-30", "2021-10-08"), registered(2, "2021-04-30")],
            "2021-12-31",
            vec![
                ("2021-04-30", "2021-06-01", None, Overdue),
                ("2021-09-30", "2021-11-03", Some("2021-10-08"), Met),
            ],
        ),
        (
            "events outside the plan year are not this plan's",
            vec![registered(1, "2022-01-05")],
            "2022-03-01",
            vec![],
        ),
    ]
}

#[test]
fn within_workdays_quotas() {
    let rule = QuotaRule::WithinWorkdays { days: 20 };
    for (name, evidence, as_of, expect) in within_cases() {
        let f = run(2021, &[quota(26, rule.clone())], &evidence, as_of);
        let got: Vec<_> = f
            .iter()
            .map(|f| {
                let Actual::WithinWorkdays { done_on } = f.actual else { panic!("{name}") };
                (f.period_start, f.period_end, done_on, f.status)
            })
            .collect();
        let expect: Vec<_> =
            expect.iter().map(|&(e, l, done, st)| (d(e), d(l), done.map(d), st)).collect();
        assert_eq!(got, expect, "{name}");
        for f in &f {
            let deadline = f.explanation.deadline.as_ref().expect("the limit explains itself");
            assert_eq!(deadline.due, f.period_end, "{name}");
            assert_eq!(deadline.workdays, 20, "{name}");
            assert_eq!(
                f.required,
                Required::WithinWorkdays {
                    days: 20,
                    event_on: f.period_start,
                    limit: f.period_end
                },
                "{name}"
            );
        }
    }
}

#[test]
fn within_workdays_needs_a_published_calendar() {
    let err = gongkai_core::compliance::evaluate(
        2026,
        &[quota(26, QuotaRule::WithinWorkdays { days: 20 })],
        &[registered(1, "2026-12-20")],
        &seeds(),
        d("2026-12-31"),
    )
    .unwrap_err();
    assert_eq!(err.code(), "calendar_unpublished");
    assert!(err.to_string().contains("2026-12-20"), "{err}");
}

#[test]
fn invalid_quotas_are_refused() {
    let err = gongkai_core::compliance::evaluate(
        2021,
        &[quota(3, QuotaRule::Count { min: 0, period: QuotaPeriod::Month })],
        &[],
        &seeds(),
        d("2021-06-01"),
    )
    .unwrap_err();
    assert_eq!(err.code(), "quota_invalid");
}
