//! "Today" as the law counts it: the civil date in Asia/Shanghai.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Seconds east of UTC of China Standard Time.
const CHINA_STANDARD_TIME: i32 = 8 * 3600;

/// Today's date in Asia/Shanghai.
///
/// China has kept UTC+8 all year round since 1991, so a fixed offset gives the same date
/// as the tz database for every day this service handles, without shipping one.
pub fn today() -> NaiveDate {
    let now = Utc::now();
    FixedOffset::east_opt(CHINA_STANDARD_TIME)
        .map_or_else(|| now.date_naive(), |cst| now.with_timezone(&cst).date_naive())
}

/// The date of an instant in Asia/Shanghai.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    FixedOffset::east_opt(CHINA_STANDARD_TIME)
        .map_or_else(|| at.date_naive(), |cst| at.with_timezone(&cst).date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn shanghai_is_eight_hours_ahead() {
        let cst = FixedOffset::east_opt(CHINA_STANDARD_TIME).unwrap();
        // 16:30 UTC on New Year's Eve is already New Year's Day in Shanghai.
        let t = Utc.with_ymd_and_hms(2021, 12, 31, 16, 30, 0).unwrap();
        assert_eq!(
            t.with_timezone(&cst).date_naive(),
            NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()
        );
        assert_eq!(local_date(t), NaiveDate::from_ymd_opt(2022, 1, 1).unwrap());
        let d = today();
        assert!((d - Utc::now().date_naive()).num_days().abs() <= 1);
    }
}
