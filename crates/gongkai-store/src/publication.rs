//! 公开: what the public reads of a published plan, and when each part of it last
//! changed (for `Last-Modified`, and for the dates the public answers show).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Timestamptz};

use crate::plans::{Plan, Section};
use crate::reviews::Rectification;
use crate::schema::{plans, rectifications, sections, units};
use crate::{Page, PageRequest, StoreError};

/// When the parts of a plan the public sees last changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, QueryableByName)]
pub struct PlanChanges {
    /// The plan, its tasks, their units and quotas (a quota or a unit's name changes its
    /// task).
    #[diesel(sql_type = Timestamptz)]
    pub content: DateTime<Utc>,
    /// The newest status change of a task's unit; None while none was ever set.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub progress: Option<DateTime<Utc>>,
    /// The newest record of work, or withdrawal of one; None without any.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub evidence: Option<DateTime<Utc>>,
    /// The newest look-back, or change of one of its rectification items.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub review: Option<DateTime<Utc>>,
    /// The last holiday notice loaded (deadlines count working days).
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub calendar: Option<DateTime<Utc>>,
}

const CHANGES_SQL: &str = "SELECT \
 GREATEST(p.updated_at, (SELECT max(t.updated_at) FROM tasks t WHERE t.plan_id = p.id)) AS content, \
 (SELECT max(tp.updated_at) FROM task_progress tp JOIN tasks t ON t.id = tp.task_id \
   WHERE t.plan_id = p.id) AS progress, \
 (SELECT max(e.updated_at) FROM evidence e JOIN tasks t ON t.id = e.task_id \
   WHERE t.plan_id = p.id) AS evidence, \
 (SELECT GREATEST(max(r.created_at), max(x.updated_at)) FROM reviews r \
   LEFT JOIN rectifications x ON x.review_id = r.id \
   WHERE r.id = (SELECT max(l.id) FROM reviews l WHERE l.plan_id = p.id)) AS review, \
 (SELECT max(c.loaded_at) FROM calendar_years c) AS calendar \
 FROM plans p WHERE p.id = $1";

/// A published plan; 404 when there is no such plan or it is not published (the public
/// cannot tell the two apart).
pub fn published(conn: &mut PgConnection, id: i64) -> Result<Plan, StoreError> {
    plans::table
        .find(id)
        .filter(plans::published_at.is_not_null())
        .select(Plan::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("published plan {id}")))
}

/// When the parts of plan `id` last changed.
pub fn changes_of(conn: &mut PgConnection, id: i64) -> Result<PlanChanges, StoreError> {
    diesel::sql_query(CHANGES_SQL)
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("plan {id}")))
}

/// The published plans, optionally of one issuing government or year, in id order (or in the
/// order they changed); with the last change of the plans the filter selects, published
/// or not (a withdrawn plan changes the list too).
pub fn published_plans(
    conn: &mut PgConnection,
    issuer: Option<i64>,
    year: Option<i32>,
    changes: Option<crate::Changes>,
    page: PageRequest,
) -> Result<(Page<Plan>, Option<DateTime<Utc>>), StoreError> {
    let filter = crate::plans::PlanFilter {
        year,
        issued_by_any_of: issuer.map(|u| vec![u]),
        published_only: true,
        changes,
    };
    let list = crate::plans::list(conn, &filter, page)?;
    let mut q = plans::table.select(diesel::dsl::max(plans::updated_at)).into_boxed();
    if let Some(u) = issuer {
        q = q.filter(plans::issuing_unit_id.eq(u));
    }
    if let Some(y) = year {
        q = q.filter(plans::year.eq(y));
    }
    let last: Option<DateTime<Utc>> = q.first(conn)?;
    Ok((list, last))
}

/// The names of units, by id.
pub fn unit_names(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String)> =
        units::table.filter(units::id.eq_any(ids)).select((units::id, units::name)).load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Every section of a plan, in number order.
pub fn sections_of(conn: &mut PgConnection, plan_id: i64) -> Result<Vec<Section>, StoreError> {
    Ok(sections::table
        .filter(sections::plan_id.eq(plan_id))
        .select(Section::as_select())
        .order(sections::number)
        .load(conn)?)
}

/// Every rectification item of a look-back, in id order.
pub fn rectifications_of(
    conn: &mut PgConnection,
    review_id: i64,
) -> Result<Vec<Rectification>, StoreError> {
    Ok(rectifications::table
        .filter(rectifications::review_id.eq(review_id))
        .select(Rectification::as_select())
        .order(rectifications::id)
        .load(conn)?)
}
