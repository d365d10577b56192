//! The calendar periods of a plan year that count quotas are measured over.

use chrono::NaiveDate;

use crate::quota::QuotaPeriod;

/// One period: inclusive bounds and a Chinese label ("2024年2月").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub label: String,
}

/// The months, quarters, half-years or the year of `year`, in order.
pub(super) fn periods_of(year: i32, period: QuotaPeriod) -> Vec<Period> {
    let months: u32 = match period {
        QuotaPeriod::Month => 1,
        QuotaPeriod::Quarter => 3,
        QuotaPeriod::HalfYear => 6,
        QuotaPeriod::Year => 12,
    };
    (0..12 / months)
        .filter_map(|i| {
            let first_month = i * months + 1;
            let start = NaiveDate::from_ymd_opt(year, first_month, 1)?;
            let end = if first_month + months > 12 {
                NaiveDate::from_ymd_opt(year, 12, 31)?
            } else {
                NaiveDate::from_ymd_opt(year, first_month + months, 1)?.pred_opt()?
            };
            let label = match period {
                QuotaPeriod::Month => format!("{year}年{first_month}月"),
                QuotaPeriod::Quarter => format!("{year}年第{}季度", i + 1),
                QuotaPeriod::HalfYear if i == 0 => format!("{year}年上半年"),
                QuotaPeriod::HalfYear => format!("{year}年下半年"),
                QuotaPeriod::Year => format!("{year}年度"),
            };
            Some(Period { start, end, label })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_tile_the_year() {
        // (period, count, first end, last start, label of the second)
        let cases = [
            (QuotaPeriod::Month, 12, d(2024, 1, 31), d(2024, 12, 1), "2024年2月"),
            (QuotaPeriod::Quarter, 4, d(2024, 3, 31), d(2024, 10, 1), "2024年第2季度"),
            (QuotaPeriod::HalfYear, 2, d(2024, 6, 30), d(2024, 7, 1), "2024年下半年"),
        ];
        for (period, n, first_end, last_start, label) in cases {
            let p = periods_of(2024, period);
            assert_eq!(p.len(), n, "{period:?}");
            assert_eq!(p[0].start, d(2024, 1, 1));
            assert_eq!(p[0].end, first_end);
            assert_eq!(p[n - 1].start, last_start);
            assert_eq!(p[n - 1].end, d(2024, 12, 31));
            assert_eq!(p[1].label, label);
            for w in p.windows(2) {
                assert_eq!(w[0].end.succ_opt(), Some(w[1].start), "{period:?} has no gaps");
            }
        }
        let y = periods_of(2024, QuotaPeriod::Year);
        assert_eq!(
            (y[0].start, y[0].end, y[0].label.as_str()),
            (d(2024, 1, 1), d(2024, 12, 31), "2024年度")
        );
        assert_eq!(periods_of(2024, QuotaPeriod::Month)[1].end, d(2024, 2, 29));
        assert_eq!(periods_of(2023, QuotaPeriod::Month)[1].end, d(2023, 2, 28));
    }
}
