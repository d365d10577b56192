//! Count quotas: every status at month, quarter, half-year and year edges (contract:
//! Compliance).

mod compliance_support;

use compliance_support::*;
use gongkai_core::compliance::{Actual, EvidenceInput, Required, Status};
use gongkai_core::quota::{QuotaPeriod, QuotaRule};

use Status::{Met, Missed, Pending};

fn count_rule(min: u32, period: QuotaPeriod) -> QuotaRule {
    QuotaRule::Count { min, period }
}

/// A count case: rule, evidence, as_of, expected (period_start, period_end, actual sum, status).
struct CountCase {
    name: &'static str,
    rule: QuotaRule,
    evidence: Vec<EvidenceInput>,
    as_of: &'static str,
    expect: Vec<(&'static str, &'static str, u64, Status)>,
}

fn count_cases() -> Vec<CountCase> {
    use QuotaPeriod::*;
    vec![
        CountCase {
            name: "evidence on 2024-02-29 counts for February of a leap year",
            rule: count_rule(2, Month),
            evidence: vec![counted(1, "2024-02-29", 2)],
            as_of: "2024-03-01",
            expect: vec![
                ("2024-01-01", "2024-01-31", 0, Missed),
                ("2024-02-01", "2024-02-29", 2, Met),
                ("2024-03-01", "2024-03-31", 0, Pending),
            ],
        },
        CountCase {
            name: "on the last day of the month the period has not ended",
            rule: count_rule(2, Month),
            evidence: vec![counted(1, "2024-02-29", 1)],
            as_of: "2024-02-29",
            expect: vec![
                ("2024-01-01", "2024-01-31", 0, Missed),
                ("2024-02-01", "2024-02-29", 1, Pending),
            ],
        },
        CountCase {
            name: "the day after the last day, a short month is missed",
            rule: count_rule(2, Month),
            evidence: vec![counted(1, "2024-02-29", 1)],
            as_of: "2024-03-01",
            expect: vec![
                ("2024-01-01", "2024-01-31", 0, Missed),
                ("2024-02-01", "2024-02-29", 1, Missed),
                ("2024-03-01", "2024-03-31", 0, Pending),
            ],
        },
        CountCase {
            name: "the last day of a month belongs to that month",
            rule: count_rule(1, Month),
            evidence: vec![counted(1, "2024-01-31", 1)],
            as_of: "2024-02-01",
            expect: vec![
                ("2024-01-01", "2024-01-31", 1, Met),
                ("2024-02-01", "2024-02-29", 0, Pending),
            ],
        },
        CountCase {
            name: "met before the period ends",
            rule: count_rule(2, Month),
            evidence: vec![counted(1, "2024-03-05", 1), counted(2, "2024-03-06", 1)],
            as_of: "2024-03-10",
            expect: vec![
                ("2024-01-01", "2024-01-31", 0, Missed),
                ("2024-02-01", "2024-02-29", 0, Missed),
                ("2024-03-01", "2024-03-31", 2, Met),
            ],
        },
        CountCase {
            name: "03-31 is the first quarter",
            rule: count_rule(1, Quarter),
            evidence: vec![counted(1, "2024-03-31", 1)],
            as_of: "2024-04-01",
            expect: vec![
                ("2024-01-01", "2024-03-31", 1, Met),
                ("2024-04-01", "2024-06-30", 0, Pending),
            ],
        },
        CountCase {
            name: "04-01 is the second quarter",
            rule: count_rule(1, Quarter),
            evidence: vec![counted(1, "2024-04-01", 1)],
            as_of: "2024-04-01",
            expect: vec![
                ("2024-01-01", "2024-03-31", 0, Missed),
                ("2024-04-01", "2024-06-30", 1, Met),
            ],
        },
        CountCase {
            name: "half years split at 06-30 / 07-01",
            rule: count_rule(3, HalfYear),
            evidence: vec![counted(1, "2024-06-30", 2), counted(2, "2024-07-01", 5)],
            as_of: "2024-07-01",
            expect: vec![
                ("2024-01-01", "2024-06-30", 2, Missed),
                ("2024-07-01", "2024-12-31", 5, Met),
            ],
        },
        CountCase {
            name: "evidence on 12-31 meets a yearly quota",
            rule: count_rule(1, Year),
            evidence: vec![counted(1, "2024-12-31", 1)],
            as_of: "2024-12-31",
            expect: vec![("2024-01-01", "2024-12-31", 1, Met)],
        },
        CountCase {
            name: "a yearly quota is pending through 12-31",
            rule: count_rule(1, Year),
            evidence: vec![],
            as_of: "2024-12-31",
            expect: vec![("2024-01-01", "2024-12-31", 0, Pending)],
        },
        CountCase {
            name: "and missed from the next day",
            rule: count_rule(1, Year),
            evidence: vec![],
            as_of: "2025-01-01",
            expect: vec![("2024-01-01", "2024-12-31", 0, Missed)],
        },
        CountCase {
            name: "evidence outside the plan year does not count",
            rule: count_rule(1, Year),
            evidence: vec![counted(1, "2023-12-31", 1), counted(2, "2025-01-01", 1)],
            as_of: "2025-02-01",
            expect: vec![("2024-01-01", "2024-12-31", 0, Missed)],
        },
        CountCase {
            name: "periods that start after as_of are not listed",
            rule: count_rule(1, Quarter),
            evidence: vec![],
            as_of: "2024-03-31",
            expect: vec![("2024-01-01", "2024-03-31", 0, Pending)],
        },
        CountCase {
            name: "nothing is listed before the plan year starts",
            rule: count_rule(1, Month),
            evidence: vec![],
            as_of: "2023-12-31",
            expect: vec![],
        },
        CountCase {
            name: "a whole year of months after the year ends",
            rule: count_rule(1, Month),
            evidence: vec![counted(1, "2024-12-31", 1)],
            as_of: "2025-03-01",
            expect: vec![
                ("2024-01-01", "2024-01-31", 0, Missed),
                ("2024-02-01", "2024-02-29", 0, Missed),
                ("2024-03-01", "2024-03-31", 0, Missed),
                ("2024-04-01", "2024-04-30", 0, Missed),
                ("2024-05-01", "2024-05-31", 0, Missed),
                ("2024-06-01", "2024-06-30", 0, Missed),
                ("2024-07-01", "2024-07-31", 0, Missed),
                ("2024-08-01", "2024-08-31", 0, Missed),
                ("2024-09-01", "2024-09-30", 0, Missed),
                ("2024-10-01", "2024-10-31", 0, Missed),
                ("2024-11-01", "2024-11-30", 0, Missed),
                ("2024-12-01", "2024-12-31", 1, Met),
            ],
        },
    ]
}

#[test]
fn count_quotas() {
    for c in count_cases() {
        let findings = run(2024, &[quota(7, c.rule.clone())], &c.evidence, c.as_of);
        let got: Vec<_> = findings
            .iter()
            .map(|f| {
                let Actual::Count { count } = f.actual else {
                    panic!("{}: actual {:?}", c.name, f.actual)
                };
                (f.period_start, f.period_end, count, f.status)
            })
            .collect();
        let expect: Vec<_> = c.expect.iter().map(|&(s, e, n, st)| (d(s), d(e), n, st)).collect();
        assert_eq!(got, expect, "{}", c.name);
        for f in &findings {
            let QuotaRule::Count { min, period } = c.rule else { unreachable!() };
            assert_eq!(f.required, Required::Count { min, period }, "{}", c.name);
            assert_eq!(f.explanation.due, f.period_end, "{}", c.name);
            assert!(!f.explanation.text.is_empty());
        }
    }
}

#[test]
fn count_explanation_lists_the_evidence_counted() {
    let ev =
        [counted(11, "2024-02-29", 1), counted(12, "2024-02-01", 1), counted(13, "2024-03-01", 1)];
    let f = run(2024, &[quota(7, count_rule(2, QuotaPeriod::Month))], &ev, "2024-03-01");
    assert_eq!(f[1].explanation.evidence_ids, vec![12, 11], "February, in date order");
    assert!(f[1].explanation.text.contains("2024年2月"), "{}", f[1].explanation.text);
}
