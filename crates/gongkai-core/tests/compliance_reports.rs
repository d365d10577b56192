//! Scorecards, due-soon lists and the wire shape of an evaluation.

mod compliance_support;

use compliance_support::*;
use gongkai_core::compliance::{Status, due_soon, evaluate, scorecard};
use gongkai_core::quota::{QuotaPeriod, QuotaRule, ThresholdUnit};

use Status::{Met, MetLate, Missed, Overdue, Pending};

#[test]
fn scorecard_counts_and_rates_per_unit() {
    let units = vec![unit(2, "B局"), unit(1, "A局")];
    let quotas = [
        quota_each(1, QuotaRule::Count { min: 1, period: QuotaPeriod::Month }, units.clone()),
        quota_each(2, QuotaRule::Deadline { due: d("2024-03-01") }, units),
        quota(3, QuotaRule::Threshold { min: 4.0, unit: ThresholdUnit::Percent }),
    ];
    let evidence = [
        by_unit(1, ev(1, "2024-01-10")),
        by_unit(1, ev(2, "2024-02-10")),
        by_unit(1, completes(3, "2024-03-05")),
    ];
    let findings = run(2024, &quotas, &evidence, "2024-04-15");
    let card = scorecard(&findings);
    // (unit id, met, met_late, missed, overdue, pending, rate, on-time rate)
    type Row = (Option<i64>, usize, usize, usize, usize, usize, Option<f64>, Option<f64>);
    let got: Vec<Row> = card
        .iter()
        .map(|s| {
            let n = |st| s.counts[&st];
            (
                s.unit_id,
                n(Met),
                n(MetLate),
                n(Missed),
                n(Overdue),
                n(Pending),
                s.rate,
                s.on_time_rate,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            // the task-wide threshold: only pending, so no rate
            (None, 0, 0, 0, 0, 1, None, None),
            // A: Jan, Feb met; Mar missed; Apr pending; deadline met late → 3/4, on time 2/4
            (Some(1), 2, 1, 1, 0, 1, Some(0.75), Some(0.5)),
            // B: Jan–Mar missed, Apr pending, deadline overdue → 0/4
            (Some(2), 0, 0, 3, 1, 1, Some(0.0), Some(0.0)),
        ]
    );
    assert_eq!(card[1].unit.as_deref(), Some("A局"));
    assert_eq!(card[1].decided, 4);
}

#[test]
fn due_soon_lists_pending_within_the_horizon_and_all_overdue() {
    let quotas = [
        quota(1, QuotaRule::Count { min: 1, period: QuotaPeriod::Month }),
        quota(2, QuotaRule::Deadline { due: d("2021-10-08") }),
        quota(3, QuotaRule::Deadline { due: d("2021-10-09") }),
        quota(4, QuotaRule::Deadline { due: d("2021-09-01") }),
        quota(5, QuotaRule::Threshold { min: 4.0, unit: ThresholdUnit::Percent }),
        quota(6, QuotaRule::WithinWorkdays { days: 20 }),
    ];
    let findings = run(2021, &quotas, &[registered(1, "2021-09-27")], "2021-09-28");
    // 2021-09-28 + 3 working days: Sep 29(1) 30(2), Oct 1–7 H, Oct 8(3).
    let soon = due_soon(&findings, d("2021-09-28"), 3, &seeds()).unwrap();
    assert_eq!(soon.horizon, d("2021-10-08"));
    let listed: Vec<(i64, chrono::NaiveDate, u32)> = soon
        .due_soon
        .iter()
        .map(|i| (i.finding.quota_id, i.finding.period_end, i.workdays_left))
        .collect();
    assert_eq!(listed, vec![(1, d("2021-09-30"), 2), (2, d("2021-10-08"), 3)]);
    let overdue: Vec<i64> = soon.overdue.iter().map(|f| f.quota_id).collect();
    assert_eq!(overdue, vec![4]);
    assert!(soon.due_soon.iter().all(|i| i.finding.status == Pending));

    // Due today is within a horizon of 0 working days.
    let today = due_soon(&findings, d("2021-09-30"), 0, &seeds()).unwrap();
    assert_eq!(today.horizon, d("2021-09-30"));
    assert_eq!(today.due_soon.len(), 1);
    assert_eq!(today.due_soon[0].workdays_left, 0);

    let err = due_soon(&findings, d("2026-12-28"), 10, &seeds()).unwrap_err();
    assert_eq!(err.code(), "calendar_unpublished");
}

#[test]
fn wire_shape_of_an_evaluation() {
    let e = evaluate(
        2024,
        &[quota(7, QuotaRule::Count { min: 2, period: QuotaPeriod::Month })],
        &[counted(1, "2024-01-31", 2)],
        &seeds(),
        d("2024-01-31"),
    )
    .unwrap();
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["as_of"], "2024-01-31");
    assert_eq!(
        v["summary"],
        serde_json::json!({"met": 1, "met_late": 0, "missed": 0, "overdue": 0, "pending": 0})
    );
    let f = &v["findings"][0];
    assert_eq!(f["task_number"], 15);
    assert_eq!(f["quota_id"], 7);
    assert_eq!(f["unit_id"], serde_json::Value::Null);
    assert_eq!(f["unit"], serde_json::Value::Null);
    assert_eq!(f["period_start"], "2024-01-01");
    assert_eq!(f["period_end"], "2024-01-31");
    assert_eq!(f["required"], serde_json::json!({"kind": "count", "min": 2, "period": "month"}));
    assert_eq!(f["actual"], serde_json::json!({"kind": "count", "count": 2}));
    assert_eq!(f["status"], "met");
    assert_eq!(f["explanation"]["evidence_ids"], serde_json::json!([1]));
    assert_eq!(f["explanation"]["due"], "2024-01-31");
    assert!(f["explanation"]["text"].as_str().unwrap().contains("2024年1月"));
    // Findings read back.
    let back: gongkai_core::compliance::Evaluation = serde_json::from_value(v).unwrap();
    assert_eq!(back, e);
}

#[test]
fn statuses_have_their_wire_names() {
    let names: Vec<String> = Status::ALL
        .iter()
        .map(|s| serde_json::to_value(s).unwrap().as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["met", "met_late", "missed", "overdue", "pending"]);
    assert!(Status::ALL.iter().all(|s| serde_json::to_value(s).unwrap() == s.as_str()));
}
