//! A feed's entries as an RFC 5545 calendar (built with the `icalendar` crate, which
//! escapes text and folds long lines): all-day events (`VALUE=DATE`, ending the next day
//! as DTEND is exclusive), in Asia/Shanghai.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

use crate::calendar_feeds::entries::Entry;

/// The media type of a feed.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// The calendar of `entries`, named `title`, stamped `now`.
pub fn render(title: &str, entries: &[Entry], now: DateTime<Utc>) -> String {
    let mut cal = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//Gongkai//Calendar feed//ZH"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", title),
        ("X-WR-TIMEZONE", "Asia/Shanghai"),
        ("X-PUBLISHED-TTL", "PT1H"),
    ] {
        cal.append_property(Property::new(key, value));
    }
    // Calendar apps read the feed again about every hour (RFC 7986).
    cal.append_property(
        Property::new("REFRESH-INTERVAL", "PT1H").add_parameter("VALUE", "DURATION").done(),
    );
    for e in entries {
        let end = e.date.succ_opt().unwrap_or(e.date);
        cal.push(
            Event::new()
                .uid(&e.uid)
                .timestamp(now)
                .starts(e.date)
                .ends(end)
                .summary(&e.summary)
                .description(&e.description)
                .add_property("TRANSP", "TRANSPARENT")
                .done(),
        );
    }
    cal.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    #[test]
    fn all_day_events_with_their_uids() {
        let entry = Entry {
            uid: "quota-5-task@gongkai".into(),
            date: NaiveDate::from_ymd_opt(2021, 12, 1).unwrap(),
            summary: "【截止】任务40（开平市人民政府办公室）".into(),
            description: "任务40的完成期限；配额#5, 见/api/v1/quotas/5".into(),
        };
        let now = Utc.with_ymd_and_hms(2021, 11, 1, 8, 0, 0).unwrap();
        let text = render("开平市2021年政务公开工作要点", &[entry], now);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in [
            "VERSION:2.0",
            "X-WR-TIMEZONE:Asia/Shanghai",
            "UID:quota-5-task@gongkai",
            "DTSTAMP:20211101T080000Z",
            "DTSTART;VALUE=DATE:20211201",
            "DTEND;VALUE=DATE:20211202",
        ] {
            assert!(text.contains(&format!("\r\n{line}\r\n")), "{line} in {text}");
        }
        // Text is escaped, and no line is longer than 75 octets.
        assert!(text.replace("\r\n ", "").contains("配额#5\\, 见"));
        assert!(text.split("\r\n").all(|l| l.len() <= 75), "{text}");
    }
}
