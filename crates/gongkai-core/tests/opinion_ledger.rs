//! The ledger's counts on a small seeded set of cases, worked out by hand.

use chrono::NaiveDate;
use gongkai_core::opinion::{
    GroupBy, LedgerCase, LedgerPromise, LedgerRow, PromiseStatus, Source, Topic, count_ledger,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn promise(unit: i64, due: &str, status: PromiseStatus, settled: Option<&str>) -> LedgerPromise {
    LedgerPromise {
        unit_id: unit,
        unit_name: format!("单位{unit}"),
        due_on: d(due),
        status,
        settled_on: settled.map(d),
        fulfilment_published: status.is_kept(),
    }
}

/// Four cases, as of 2021-07-31:
/// 1. unit 1, hotline, wages, March: responded on time; promises kept (unit 1) and
///    broken (unit 2).
/// 2. unit 1, new media, environment, March: responded late; a promise pending past due.
/// 3. unit 2, hotline, wages, July: not responded, past due (overdue); no promises.
/// 4. unit 2, media, epidemic, July: not responded, not yet due; a promise kept late
///    (recorded after as_of, so still pending then, not yet due).
fn cases() -> Vec<LedgerCase> {
    use PromiseStatus::*;
    let case =
        |unit: i64, source, topic, received: &str, due: &str, first: Option<&str>| LedgerCase {
            source,
            topic,
            received_on: d(received),
            lead_unit_id: unit,
            lead_unit_name: format!("单位{unit}"),
            response_due: Some(d(due)),
            first_response_on: first.map(d),
            promises: Vec::new(),
        };
    let mut c1 = case(
        1,
        Source::Hotline12345,
        Topic::WageArrears,
        "2021-03-01",
        "2021-03-08",
        Some("2021-03-05"),
    );
    c1.promises = vec![
        promise(1, "2021-04-30", Kept, Some("2021-04-20")),
        promise(2, "2021-05-31", Broken, Some("2021-06-01")),
    ];
    let mut c2 = case(
        1,
        Source::NewMedia,
        Topic::EnvironmentPollution,
        "2021-03-10",
        "2021-03-17",
        Some("2021-03-19"),
    );
    c2.promises = vec![promise(1, "2021-06-30", Pending, None)];
    let c3 = case(2, Source::Hotline12345, Topic::WageArrears, "2021-07-01", "2021-07-08", None);
    let mut c4 =
        case(2, Source::MediaReport, Topic::EpidemicControl, "2021-07-30", "2021-08-02", None);
    c4.promises = vec![promise(2, "2021-08-15", KeptLate, Some("2021-08-20"))];
    // Received after as_of: not counted at all.
    let c5 = case(1, Source::Other, Topic::Other, "2021-08-02", "2021-08-09", None);
    vec![c1, c2, c3, c4, c5]
}

/// key, received, responded, on time, late, response overdue, promises made, kept,
/// kept late, broken, overdue, pending, published.
type Want = (&'static str, [u32; 12]);

fn check(rows: &[LedgerRow], want: &[Want]) {
    let got: Vec<(String, [u32; 12])> = rows
        .iter()
        .map(|r| {
            (
                r.key.clone(),
                [
                    r.received,
                    r.responded,
                    r.responded_on_time,
                    r.responded_late,
                    r.response_overdue,
                    r.promises_made,
                    r.promises_kept,
                    r.promises_kept_late,
                    r.promises_broken,
                    r.promises_overdue,
                    r.promises_pending,
                    r.fulfilment_published,
                ],
            )
        })
        .collect();
    let want: Vec<(String, [u32; 12])> = want.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(got, want);
}

#[test]
fn per_unit_cases_by_lead_and_promises_by_their_unit() {
    let rows = count_ledger(&cases(), GroupBy::Unit, d("2021-07-31"));
    #[rustfmt::skip]
    check(&rows, &[
        ("1",     [2, 2, 1, 1, 0, 2, 1, 0, 0, 1, 0, 1]),
        ("2",     [2, 0, 0, 0, 1, 2, 0, 0, 1, 0, 1, 0]),
        ("total", [4, 2, 1, 1, 1, 4, 1, 0, 1, 1, 1, 1]),
    ]);
    assert_eq!(rows[0].label, "单位1");
    assert_eq!(rows[2].label, "合计");
}

#[test]
fn per_topic_source_and_month() {
    let as_of = d("2021-07-31");
    #[rustfmt::skip]
    check(&count_ledger(&cases(), GroupBy::Topic, as_of), &[
        ("epidemic_control",      [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]),
        ("wage_arrears",          [2, 1, 1, 0, 1, 2, 1, 0, 1, 0, 0, 1]),
        ("environment_pollution", [1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0]),
        ("total",                 [4, 2, 1, 1, 1, 4, 1, 0, 1, 1, 1, 1]),
    ]);
    #[rustfmt::skip]
    check(&count_ledger(&cases(), GroupBy::Source, as_of), &[
        ("new_media",     [1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0]),
        ("hotline_12345", [2, 1, 1, 0, 1, 2, 1, 0, 1, 0, 0, 1]),
        ("media_report",  [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]),
        ("total",         [4, 2, 1, 1, 1, 4, 1, 0, 1, 1, 1, 1]),
    ]);
    #[rustfmt::skip]
    check(&count_ledger(&cases(), GroupBy::Month, as_of), &[
        ("2021-03", [2, 2, 1, 1, 0, 3, 1, 0, 1, 1, 0, 1]),
        ("2021-07", [2, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0]),
        ("total",   [4, 2, 1, 1, 1, 4, 1, 0, 1, 1, 1, 1]),
    ]);
}

#[test]
fn later_the_late_promise_counts_as_kept_late() {
    let rows = count_ledger(&cases(), GroupBy::Month, d("2021-12-31"));
    let total = rows.last().unwrap();
    assert_eq!(total.received, 5);
    assert_eq!((total.promises_kept_late, total.promises_pending), (1, 0));
    assert_eq!(total.response_overdue, 3, "cases 3, 4 and 5 never answered");
    assert_eq!(total.fulfilment_published, 2);
}
