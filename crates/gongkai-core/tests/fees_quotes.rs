//! Information-processing fees of 国办函〔2020〕109号, table-first (domain-rules §3).

use chrono::NaiveDate;
use gongkai_core::calendar::WorkCalendar;
use gongkai_core::fees::{
    FeeError, FeeMethod, FeeQuote, MAX_ITEMS_PER_QUOTE, payment_due, quote_per_item, quote_per_page,
};

/// (prior items this month, items now, total yuan, lines as (from, to, unit price)).
type ItemCase = (u32, u32, u64, &'static [(u64, u64, u64)]);

const PER_ITEM: &[ItemCase] = &[
    (0, 0, 0, &[]),
    (0, 1, 0, &[(1, 1, 0)]),
    (0, 10, 0, &[(1, 10, 0)]),
    (0, 11, 100, &[(1, 10, 0), (11, 11, 100)]),
    (0, 30, 2_000, &[(1, 10, 0), (11, 30, 100)]),
    (0, 31, 2_200, &[(1, 10, 0), (11, 30, 100), (31, 31, 200)]),
    // domain-rules example: 35 items in one month → 20×100 + 5×200 = 3,000.
    (0, 35, 3_000, &[(1, 10, 0), (11, 30, 100), (31, 35, 200)]),
    (0, 40, 4_000, &[(1, 10, 0), (11, 30, 100), (31, 40, 200)]),
    (0, 41, 4_300, &[(1, 10, 0), (11, 30, 100), (31, 40, 200), (41, 41, 300)]),
    (0, 50, 7_000, &[(1, 10, 0), (11, 30, 100), (31, 40, 200), (41, 50, 300)]),
    (0, 51, 7_400, &[(1, 10, 0), (11, 30, 100), (31, 40, 200), (41, 50, 300), (51, 51, 400)]),
    // 2000 + 2000 + 3000 + 4000 + 5000 + 6000 + 7000 + 8000
    (
        0,
        100,
        37_000,
        &[
            (1, 10, 0),
            (11, 30, 100),
            (31, 40, 200),
            (41, 50, 300),
            (51, 60, 400),
            (61, 70, 500),
            (71, 80, 600),
            (81, 90, 700),
            (91, 100, 800),
        ],
    ),
    // Cumulative over the month: the 31st–35th items of the month cost 200 each.
    (30, 5, 1_000, &[(31, 35, 200)]),
    (5, 10, 500, &[(6, 10, 0), (11, 15, 100)]),
    (10, 1, 100, &[(11, 11, 100)]),
    (28, 5, 800, &[(29, 30, 100), (31, 33, 200)]),
    (39, 2, 500, &[(40, 40, 200), (41, 41, 300)]),
    (10, 0, 0, &[]),
    // The 4,294,967,296th item of a month: band (4294967296 − 31) / 10 = 429496726,
    // price 100 × (429496726 + 2) = 42,949,672,800 yuan. No overflow.
    (u32::MAX, 1, 42_949_672_800, &[(4_294_967_296, 4_294_967_296, 42_949_672_800)]),
];

fn check_lines(q: &FeeQuote, expect: &[(u64, u64, u64)], name: &str) {
    let got: Vec<(u64, u64, u64)> =
        q.lines.iter().map(|l| (l.from, l.to, l.unit_price_yuan)).collect();
    assert_eq!(got, expect, "{name}: lines");
    for l in &q.lines {
        assert_eq!(u64::from(l.quantity), l.to - l.from + 1, "{name}: quantity of {}", l.label);
        assert_eq!(l.amount_yuan, u64::from(l.quantity) * l.unit_price_yuan, "{name}: amount");
    }
    assert_eq!(q.lines.iter().map(|l| l.amount_yuan).sum::<u64>(), q.total_yuan, "{name}: sum");
    assert!(q.explanation.contains(&format!("{}元", q.total_yuan)), "{name}: {}", q.explanation);
}

#[test]
fn per_item_table() {
    for &(prior, items, total, lines) in PER_ITEM {
        let name = format!("prior {prior} + {items} items");
        let q = quote_per_item(items, prior).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(q.method, FeeMethod::PerItem, "{name}");
        assert_eq!(q.total_yuan, total, "{name}: total");
        check_lines(&q, lines, &name);
    }
}

/// (pages, total yuan, lines as (from, to, unit price)).
type PageCase = (u32, u64, &'static [(u64, u64, u64)]);

const PER_PAGE: &[PageCase] = &[
    (0, 0, &[]),
    (1, 0, &[(1, 1, 0)]),
    (30, 0, &[(1, 30, 0)]),
    (31, 10, &[(1, 30, 0), (31, 31, 10)]),
    (100, 700, &[(1, 30, 0), (31, 100, 10)]),
    (101, 720, &[(1, 30, 0), (31, 100, 10), (101, 101, 20)]),
    (200, 2_700, &[(1, 30, 0), (31, 100, 10), (101, 200, 20)]),
    (201, 2_740, &[(1, 30, 0), (31, 100, 10), (101, 200, 20), (201, 201, 40)]),
    // domain-rules example: 250 pages → 70×10 + 100×20 + 50×40 = 4,700.
    (250, 4_700, &[(1, 30, 0), (31, 100, 10), (101, 200, 20), (201, 250, 40)]),
    // 700 + 2000 + (4294967295 − 200) × 40 = 2,700 + 171,798,683,800.
    (
        u32::MAX,
        171_798_686_500,
        &[(1, 30, 0), (31, 100, 10), (101, 200, 20), (201, 4_294_967_295, 40)],
    ),
];

#[test]
fn per_page_table() {
    for &(pages, total, lines) in PER_PAGE {
        let name = format!("{pages} pages");
        let q = quote_per_page(pages);
        assert_eq!(q.method, FeeMethod::PerPage, "{name}");
        assert_eq!(q.total_yuan, total, "{name}: total");
        check_lines(&q, lines, &name);
    }
}

#[test]
fn labels_read_as_the_bands() {
    let q = quote_per_item(35, 0).unwrap();
    let labels: Vec<&str> = q.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["第1–10件，免费", "第11–30件，每件100元", "第31–35件，每件200元"]);
    let q = quote_per_page(250);
    assert_eq!(q.lines[3].label, "第201–250页，每页40元");
    let q = quote_per_item(1, 10).unwrap();
    assert_eq!(q.lines[0].label, "第11件，每件100元");
}

#[test]
fn explanation_names_prior_items_and_arithmetic() {
    let q = quote_per_item(5, 30).unwrap();
    assert!(q.explanation.contains("30件"), "{}", q.explanation);
    assert!(q.explanation.contains("5×200=1000元"), "{}", q.explanation);
    let q = quote_per_page(250);
    assert!(q.explanation.contains("50×40=2000元"), "{}", q.explanation);
}

#[test]
fn per_item_quotes_are_bounded() {
    let q = quote_per_item(MAX_ITEMS_PER_QUOTE, u32::MAX).unwrap();
    assert_eq!(q.lines.iter().map(|l| l.amount_yuan).sum::<u64>(), q.total_yuan);
    let err = quote_per_item(MAX_ITEMS_PER_QUOTE + 1, 0).unwrap_err();
    assert_eq!(
        err,
        FeeError::TooManyItems { items: MAX_ITEMS_PER_QUOTE + 1, max: MAX_ITEMS_PER_QUOTE }
    );
    assert_eq!(err.code(), "fee_too_many_items");
}

#[test]
fn wire_shape() {
    let v = serde_json::to_value(quote_per_item(35, 0).unwrap()).unwrap();
    assert_eq!(v["method"], "per_item");
    assert_eq!(v["total_yuan"], 3000);
    assert_eq!(
        v["lines"][2],
        serde_json::json!({"from": 31, "to": 35, "quantity": 5, "unit_price_yuan": 200,
                           "amount_yuan": 1000, "label": "第31–35件，每件200元"})
    );
    assert_eq!(serde_json::to_value(FeeMethod::PerPage).unwrap(), "per_page");
}

#[test]
fn payment_is_due_twenty_working_days_after_the_notice() {
    let cal = WorkCalendar::from_json(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../seeds/cn-holidays.json"
    )))
    .unwrap();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // (notice received, pay by) — the same counts as the calendar tables.
    for (received, due) in [("2021-09-30", "2021-11-03"), ("2025-12-20", "2026-01-19")] {
        let e = payment_due(d(received), &cal).unwrap();
        assert_eq!(e.due, d(due), "{received}");
        assert_eq!(e.workdays, 20);
    }
    assert_eq!(payment_due(d("2026-12-20"), &cal).unwrap_err().code(), "calendar_unpublished");
}

proptest::proptest! {
    /// Splitting a month's items over two applications costs the same as one application.
    #[test]
    fn per_item_is_additive_over_the_month(prior in 0u32..500, a in 0u32..300, b in 0u32..300) {
        let first = quote_per_item(a, prior).unwrap().total_yuan;
        let second = quote_per_item(b, prior + a).unwrap().total_yuan;
        proptest::prop_assert_eq!(first + second, quote_per_item(a + b, prior).unwrap().total_yuan);
    }

    /// Lines are contiguous, cover exactly the pages, and more pages never cost less.
    #[test]
    fn per_page_lines_cover_the_pages(pages in 0u32..100_000) {
        let q = quote_per_page(pages);
        let mut next = 1u64;
        for l in &q.lines {
            proptest::prop_assert_eq!(l.from, next);
            next = l.to + 1;
        }
        proptest::prop_assert_eq!(next, u64::from(pages) + 1);
        proptest::prop_assert!(quote_per_page(pages + 1).total_yuan >= q.total_yuan);
    }
}
