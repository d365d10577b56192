//! The JSON shapes of calendar feeds.

use chrono::{DateTime, Utc};
use gongkai_store::calendar_feeds::CalendarFeed;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::list::list_type;

/// A calendar feed as listed: what it covers, never its URL (shown once, when created).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarFeedDto {
    pub id: i64,
    /// The plan whose deadlines it carries.
    pub plan_id: i64,
    /// The unit whose subtree it covers; null for the whole plan.
    pub unit_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl From<CalendarFeed> for CalendarFeedDto {
    fn from(f: CalendarFeed) -> Self {
        CalendarFeedDto {
            id: f.id,
            plan_id: f.plan_id,
            unit_id: f.unit_id,
            created_at: f.created_at,
        }
    }
}

/// A new calendar feed, with its secret URL: the only answer that ever shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedCalendarFeedDto {
    #[serde(flatten)]
    pub feed: CalendarFeedDto,
    /// The feed's address (`…/feeds/<token>.ics`), readable without a token: subscribe
    /// to it in a calendar app. Shown this once — only the token's hash is kept — and
    /// valid until the feed is revoked (`DELETE /api/v1/calendar-feeds/{id}`).
    #[schema(example = "https://gongkai.example.gov.cn/feeds/gkc_3q2-7wX9….ics")]
    pub url: String,
}

/// A calendar feed to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCalendarFeedRequest {
    /// The plan (one the caller may read).
    pub plan_id: i64,
    /// Only this unit's subtree (its items, and the task-wide deadlines of tasks it
    /// leads). A unit's token, or a coordinator's or viewer's limited to a unit: that
    /// unit or one below it, by default that unit; otherwise null for the whole plan.
    pub unit_id: Option<i64>,
}

list_type!(CalendarFeedList, CalendarFeedDto, "A page of calendar feeds.");
