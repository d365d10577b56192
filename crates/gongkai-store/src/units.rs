//! 责任单位: reading and writing the unit tree.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use gongkai_core::unit::{UnitKind, UnitName, check_placement};
use serde::Serialize;

use crate::schema::units;
use crate::{Actor, Page, PageRequest, StoreError, audit};

/// A stored unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = units)]
struct UnitRow {
    id: i64,
    name: String,
    kind: String,
    parent_id: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Self {
        Unit {
            id: r.id,
            name: r.name,
            // The column's check constraint admits only the four kinds.
            kind: UnitKind::parse(&r.kind).unwrap_or(UnitKind::Other),
            parent_id: r.parent_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A unit to create.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub name: UnitName,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
}

/// Changes to a unit; None leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UnitChanges {
    pub name: Option<UnitName>,
    pub kind: Option<UnitKind>,
    /// Some(None) makes the unit top-level (only a government may be).
    pub parent_id: Option<Option<i64>>,
}

/// Which units to list.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    pub parent_id: Option<i64>,
    pub kind: Option<UnitKind>,
    pub name: Option<String>,
    /// Only this unit and its descendants.
    pub within: Option<i64>,
}

/// Lists units in id order.
pub fn list(
    conn: &mut PgConnection,
    filter: &UnitFilter,
    page: PageRequest,
) -> Result<Page<Unit>, StoreError> {
    let mut q = units::table.select(UnitRow::as_select()).into_boxed();
    if let Some(p) = filter.parent_id {
        q = q.filter(units::parent_id.eq(p));
    }
    if let Some(k) = filter.kind {
        q = q.filter(units::kind.eq(k.as_str()));
    }
    if let Some(n) = &filter.name {
        q = q.filter(units::name.eq(n));
    }
    if let Some(root) = filter.within {
        q = q.filter(units::id.eq_any(subtree_ids(conn, root)?));
    }
    if let Some(after) = page.after {
        q = q.filter(units::id.gt(after));
    }
    let rows: Vec<UnitRow> = q.order(units::id.asc()).limit(page.limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |r| r.id).map(Unit::from))
}

/// One unit.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<Unit, StoreError> {
    units::table
        .find(id)
        .select(UnitRow::as_select())
        .first(conn)
        .optional()?
        .map(Unit::from)
        .ok_or_else(|| StoreError::NotFound(format!("unit {id}")))
}

/// True when a unit with this id exists.
pub fn exists(conn: &mut PgConnection, id: i64) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(units::table.find(id))).get_result(conn)?)
}

/// Units with exactly this name, anywhere in the deployment.
pub fn find_by_name(conn: &mut PgConnection, name: &str) -> Result<Vec<Unit>, StoreError> {
    let rows: Vec<UnitRow> = units::table
        .filter(units::name.eq(name))
        .select(UnitRow::as_select())
        .order(units::id)
        .load(conn)?;
    Ok(rows.into_iter().map(Unit::from).collect())
}

/// The direct child of `parent` with this name, if any.
pub fn find_child(
    conn: &mut PgConnection,
    parent: i64,
    name: &str,
) -> Result<Option<Unit>, StoreError> {
    Ok(units::table
        .filter(units::parent_id.eq(parent).and(units::name.eq(name)))
        .select(UnitRow::as_select())
        .first(conn)
        .optional()?
        .map(Unit::from))
}

/// The ids of `root` and all units below it.
pub fn subtree_ids(conn: &mut PgConnection, root: i64) -> Result<Vec<i64>, StoreError> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let ids: Vec<Id> = diesel::sql_query(
        "WITH RECURSIVE down AS (
             SELECT id FROM units WHERE id = $1
             UNION ALL
             SELECT u.id FROM units u JOIN down ON u.parent_id = down.id
         ) SELECT id FROM down",
    )
    .bind::<BigInt, _>(root)
    .load(conn)?;
    Ok(ids.into_iter().map(|i| i.id).collect())
}

/// The top-level government above `id` (or `id` itself when it is top-level).
pub fn root_of(conn: &mut PgConnection, id: i64) -> Result<i64, StoreError> {
    #[derive(QueryableByName)]
    struct Root {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let r: Option<Root> = diesel::sql_query(
        "WITH RECURSIVE up AS (
             SELECT id, parent_id FROM units WHERE id = $1
             UNION ALL
             SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id
         ) SELECT id FROM up WHERE parent_id IS NULL",
    )
    .bind::<BigInt, _>(id)
    .get_result(conn)
    .optional()?;
    r.map(|r| r.id).ok_or_else(|| StoreError::NotFound(format!("unit {id}")))
}

/// True when `id` is `root` or lies below it.
pub fn is_within(conn: &mut PgConnection, root: i64, id: i64) -> Result<bool, StoreError> {
    if root == id {
        return Ok(true);
    }
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = Bool)]
        found: bool,
    }
    let r: Found = diesel::sql_query(
        "WITH RECURSIVE up AS (
             SELECT id, parent_id FROM units WHERE id = $1
             UNION ALL
             SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id
         ) SELECT EXISTS (SELECT 1 FROM up WHERE id = $2) AS found",
    )
    .bind::<BigInt, _>(id)
    .bind::<BigInt, _>(root)
    .get_result(conn)?;
    Ok(r.found)
}

fn parent_kind(
    conn: &mut PgConnection,
    parent: Option<i64>,
) -> Result<Option<UnitKind>, StoreError> {
    match parent {
        None => Ok(None),
        Some(p) => match get(conn, p) {
            Ok(u) => Ok(Some(u.kind)),
            Err(StoreError::NotFound(_)) => {
                Err(StoreError::invalid("parent_id", format!("unit {p} does not exist")))
            }
            Err(e) => Err(e),
        },
    }
}

/// Creates a unit and records it in the audit trail, in one transaction.
pub fn create(conn: &mut PgConnection, actor: &Actor, new: &NewUnit) -> Result<Unit, StoreError> {
    conn.transaction(|conn| {
        let pk = parent_kind(conn, new.parent_id)?;
        check_placement(new.kind, pk).map_err(|m| StoreError::invalid("parent_id", m))?;
        let row: UnitRow = diesel::insert_into(units::table)
            .values((
                units::name.eq(new.name.as_str()),
                units::kind.eq(new.kind.as_str()),
                units::parent_id.eq(new.parent_id),
            ))
            .returning(UnitRow::as_returning())
            .get_result(conn)?;
        let unit = Unit::from(row);
        audit::record(conn, actor, "unit.create", "unit", unit.id, None, Some(to_json(&unit)))?;
        Ok(unit)
    })
}

/// Changes a unit. `precondition` sees the current state (locked for the transaction)
/// and may refuse, e.g. when the caller's `If-Match` is stale.
pub fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    changes: &UnitChanges,
    precondition: impl FnOnce(&Unit) -> Result<(), StoreError>,
) -> Result<Unit, StoreError> {
    conn.transaction(|conn| {
        let before: Unit = units::table
            .find(id)
            .select(UnitRow::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .map(Unit::from)
            .ok_or_else(|| StoreError::NotFound(format!("unit {id}")))?;
        precondition(&before)?;
        let kind = changes.kind.unwrap_or(before.kind);
        let parent = changes.parent_id.unwrap_or(before.parent_id);
        if parent == Some(id) {
            return Err(StoreError::invalid("parent_id", "a unit cannot be its own parent"));
        }
        let pk = parent_kind(conn, parent)?;
        check_placement(kind, pk).map_err(|m| StoreError::invalid("parent_id", m))?;
        let row: UnitRow = diesel::update(units::table.find(id))
            .set((
                units::name.eq(changes.name.as_ref().map_or(before.name.as_str(), |n| n.as_str())),
                units::kind.eq(kind.as_str()),
                units::parent_id.eq(parent),
                units::updated_at.eq(diesel::dsl::now),
            ))
            .returning(UnitRow::as_returning())
            .get_result(conn)?;
        let after = Unit::from(row);
        audit::record(
            conn,
            actor,
            "unit.update",
            "unit",
            id,
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        Ok(after)
    })
}

/// Serializes a record for the audit trail.
pub(crate) fn to_json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}
