//! Checking a record of evidence against its plan and quota before it is stored: every
//! problem is reported at once, each naming its field.

use chrono::{Datelike, NaiveDate};
use gongkai_core::quota::QuotaRule;
use gongkai_core::validation::Problems;
use gongkai_store::evidence::{MAX_TITLE_CHARS, NewEvidence};
use gongkai_store::quotas::Quota;

use crate::evidence::types::CreateEvidenceRequest;
use crate::http::clock;
use crate::http::error::ApiError;

/// The largest count one record may carry.
pub const MAX_COUNT: i64 = 1_000_000;
/// The longest URL accepted, in characters.
pub const MAX_URL_CHARS: usize = 2000;

/// Checks a request for task `task_id` of a plan of `plan_year`, recorded for `unit_id`
/// today (Asia/Shanghai), and builds the record. `quota` is the quota `quota_id` names,
/// when it exists.
pub fn checked_new_evidence(
    req: &CreateEvidenceRequest,
    task_id: i64,
    unit_id: i64,
    plan_year: i32,
    quota: Option<&Quota>,
) -> Result<NewEvidence, ApiError> {
    checked_on(req, task_id, unit_id, plan_year, quota, clock::today())
}

fn checked_on(
    req: &CreateEvidenceRequest,
    task_id: i64,
    unit_id: i64,
    plan_year: i32,
    quota: Option<&Quota>,
    today: NaiveDate,
) -> Result<NewEvidence, ApiError> {
    let mut p = Problems::new();
    let year_start = NaiveDate::from_ymd_opt(plan_year, 1, 1).unwrap_or(NaiveDate::MIN);
    check_day(&mut p, "occurred_on", req.occurred_on, year_start, today);
    if let Some(event_on) = req.event_on {
        check_day(&mut p, "event_on", event_on, year_start, today);
        if event_on > req.occurred_on {
            p.add("event_on", "the event cannot be after occurred_on, the day it was handled");
        }
    }
    let title = req.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        p.add("title", format!("a title has 1 to {MAX_TITLE_CHARS} characters"));
    }
    let url = req.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    if let Some(u) = url
        && (!crate::http::extract::is_http_url(u)
            || u.chars().count() > MAX_URL_CHARS
            || u.chars().any(char::is_whitespace))
    {
        p.add(
            "url",
            format!("an http(s) address of at most {MAX_URL_CHARS} characters, without spaces"),
        );
    }
    let count = req.count.unwrap_or(1);
    if !(0..=MAX_COUNT).contains(&count) {
        p.add("count", format!("count is a whole number from 0 to {MAX_COUNT}"));
    }
    if let Some(v) = req.value
        && !(v.is_finite() && (0.0..=100.0).contains(&v))
    {
        p.add("value", "value is a percentage from 0 to 100");
    }
    let completes = req.completes.unwrap_or(false);
    if let Some(q) = quota {
        if q.task_id != task_id {
            p.add("quota_id", format!("quota {} belongs to another task", q.id));
        } else {
            // A record pinned to a quota must carry the field that quota's kind reads.
            let missing = match q.rule {
                QuotaRule::Count { .. } if count < 1 => Some(("count", "a count of at least 1")),
                QuotaRule::Deadline { .. } if !completes => Some(("completes", "completes: true")),
                QuotaRule::Threshold { .. } if req.value.is_none() => Some(("value", "a value")),
                QuotaRule::WithinWorkdays { .. } if req.event_on.is_none() => {
                    Some(("event_on", "the event's day in event_on"))
                }
                _ => None,
            };
            if let Some((field, what)) = missing {
                p.add(
                    field,
                    format!(
                        "quota {} is a {} quota: a record for it needs {what}",
                        q.id,
                        q.rule.kind()
                    ),
                );
            }
        }
    }
    p.finish().map_err(ApiError::fields)?;
    Ok(NewEvidence {
        task_id,
        unit_id,
        quota_id: quota.map(|q| q.id),
        occurred_on: req.occurred_on,
        title: title.to_string(),
        url: url.map(String::from),
        count: i32::try_from(count).unwrap_or(0),
        value: req.value,
        completes,
        event_on: req.event_on,
    })
}

/// A day of work or of an event: not before the plan's year, not after today. A day
/// after the plan year is fine (a late completion).
fn check_day(
    p: &mut Problems,
    field: &str,
    day: NaiveDate,
    year_start: NaiveDate,
    today: NaiveDate,
) {
    if day < year_start {
        p.add(field, format!("{day} is before the plan's year {}", year_start.year()));
    }
    if day > today {
        p.add(field, format!("{day} is in the future (today is {today} in Asia/Shanghai)"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::quota::{QuotaPeriod, Scope};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn req(occurred_on: &str) -> CreateEvidenceRequest {
        CreateEvidenceRequest {
            occurred_on: d(occurred_on),
            title: "专栏更新".into(),
            url: None,
            count: None,
            value: None,
            completes: None,
            event_on: None,
            quota_id: None,
            unit_id: None,
        }
    }

    fn fields(r: Result<NewEvidence, ApiError>) -> Vec<String> {
        match r {
            Err(ApiError::Validation { errors, .. }) => {
                errors.into_iter().map(|e| e.field).collect()
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn dates_counts_and_quotas_are_checked() {
        let today = d("2022-03-01");
        let check =
            |r: &CreateEvidenceRequest, q: Option<&Quota>| checked_on(r, 7, 3, 2021, q, today);
        let ok = check(&req("2021-05-01"), None).unwrap();
        assert_eq!((ok.count, ok.completes, ok.quota_id), (1, false, None));
        // A completion after the plan year is how met_late happens.
        assert!(check(&req("2022-01-10"), None).is_ok());
        assert_eq!(fields(check(&req("2020-12-31"), None)), ["occurred_on"]);
        assert_eq!(fields(check(&req("2022-03-02"), None)), ["occurred_on"]);
        let bad = CreateEvidenceRequest {
            count: Some(-1),
            value: Some(140.0),
            title: " ".into(),
            url: Some("ftp://x".into()),
            event_on: Some(d("2021-06-01")),
            ..req("2021-05-01")
        };
        assert_eq!(fields(check(&bad, None)), ["event_on", "title", "url", "count", "value"]);
        let quota = Quota {
            id: 9,
            task_id: 8,
            rule: QuotaRule::Count { min: 1, period: QuotaPeriod::Year },
            scope: Scope::Task,
            source: String::new(),
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        };
        assert_eq!(fields(check(&req("2021-05-01"), Some(&quota))), ["quota_id"]);
        let own = Quota { task_id: 7, rule: QuotaRule::Deadline { due: d("2021-12-01") }, ..quota };
        assert_eq!(fields(check(&req("2021-05-01"), Some(&own))), ["completes"]);
        let done = CreateEvidenceRequest { completes: Some(true), ..req("2021-05-01") };
        assert_eq!(check(&done, Some(&own)).unwrap().quota_id, Some(9));
    }
}
