//! 单位分组: named groups of units ("各镇人民政府（街道办事处）", "市直各部门") that a quota
//! can bind one by one.
//!
//! A group belongs to the unit whose coordinator manages it (a city government), and
//! then holds only units of that unit's subtree; a group without an owner is
//! deployment-wide.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{quotas, unit_group_members, unit_groups, units};
use crate::units::{subtree_ids, to_json};
use crate::{Actor, Page, PageRequest, StoreError, audit};

/// The longest group name accepted, in characters.
pub const MAX_GROUP_NAME_CHARS: usize = 100;
/// The longest description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 1000;

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupMember {
    pub id: i64,
    pub name: String,
}

/// A stored group with its members, ordered by name (code points) then id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitGroup {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// The unit whose coordinator manages the group; None for a deployment-wide group.
    pub owner_unit_id: Option<i64>,
    pub units: Vec<GroupMember>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = unit_groups)]
struct GroupRow {
    id: i64,
    name: String,
    description: String,
    owner_unit_id: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A group to create.
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub name: String,
    pub description: String,
    pub owner_unit_id: Option<i64>,
    pub unit_ids: Vec<i64>,
}

/// Changes to a group; None leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct GroupChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    /// The new members, replacing the old.
    pub unit_ids: Option<Vec<i64>>,
}

/// Which groups to list.
#[derive(Debug, Clone, Default)]
pub struct GroupFilter {
    /// Only groups owned by one of these units, or deployment-wide (a caller's subtree).
    pub owned_by_any_of: Option<Vec<i64>>,
    /// Only groups with this unit among their members.
    pub member: Option<i64>,
}

/// The members of several groups, each list ordered by name (code points) then id.
pub fn members_of(
    conn: &mut PgConnection,
    group_ids: &[i64],
) -> Result<HashMap<i64, Vec<GroupMember>>, StoreError> {
    let rows: Vec<(i64, i64, String)> = unit_group_members::table
        .inner_join(units::table)
        .filter(unit_group_members::group_id.eq_any(group_ids))
        .select((unit_group_members::group_id, units::id, units::name))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<GroupMember>> = HashMap::new();
    for (group_id, id, name) in rows {
        out.entry(group_id).or_default().push(GroupMember { id, name });
    }
    // By name in code-point order, as the engine orders findings: not the database's
    // collation, which differs between installations.
    for members in out.values_mut() {
        members.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    }
    Ok(out)
}

fn assemble(conn: &mut PgConnection, rows: Vec<GroupRow>) -> Result<Vec<UnitGroup>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut members = members_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| UnitGroup {
            units: members.remove(&r.id).unwrap_or_default(),
            id: r.id,
            name: r.name,
            description: r.description,
            owner_unit_id: r.owner_unit_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect())
}

/// Lists groups in id order.
pub fn list(
    conn: &mut PgConnection,
    filter: &GroupFilter,
    page: PageRequest,
) -> Result<Page<UnitGroup>, StoreError> {
    let mut q = unit_groups::table.select(GroupRow::as_select()).into_boxed();
    if let Some(owners) = &filter.owned_by_any_of {
        q = q.filter(
            unit_groups::owner_unit_id.is_null().or(unit_groups::owner_unit_id.eq_any(owners)),
        );
    }
    if let Some(unit) = filter.member {
        let holding = unit_group_members::table
            .filter(unit_group_members::unit_id.eq(unit))
            .select(unit_group_members::group_id);
        q = q.filter(unit_groups::id.eq_any(holding));
    }
    if let Some(after) = page.after {
        q = q.filter(unit_groups::id.gt(after));
    }
    let rows: Vec<GroupRow> = q.order(unit_groups::id.asc()).limit(page.limit + 1).load(conn)?;
    let page = Page::from_rows(rows, page.limit, |r| r.id);
    let next_after = page.next_after;
    Ok(Page { items: assemble(conn, page.items)?, next_after })
}

/// One group.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<UnitGroup, StoreError> {
    let row: GroupRow = unit_groups::table
        .find(id)
        .select(GroupRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("unit group {id}")))?;
    assemble(conn, vec![row])?.pop().ok_or_else(|| StoreError::NotFound(format!("unit group {id}")))
}

fn checked_name(raw: &str) -> Result<String, StoreError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_GROUP_NAME_CHARS {
        return Err(StoreError::invalid(
            "name",
            format!("a group name has 1 to {MAX_GROUP_NAME_CHARS} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(StoreError::invalid("name", "a group name cannot contain control characters"));
    }
    Ok(name.to_string())
}

fn checked_description(raw: &str) -> Result<String, StoreError> {
    let text = raw.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(StoreError::invalid(
            "description",
            format!("a description has at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    Ok(text.to_string())
}

/// Checks members: distinct, existing, and inside the owner's subtree when owned.
fn check_members(
    conn: &mut PgConnection,
    owner: Option<i64>,
    unit_ids: &[i64],
) -> Result<(), StoreError> {
    let mut seen = HashSet::new();
    if let Some(dup) = unit_ids.iter().find(|u| !seen.insert(**u)) {
        return Err(StoreError::invalid("unit_ids", format!("unit {dup} is listed twice")));
    }
    let known: HashSet<i64> = units::table
        .filter(units::id.eq_any(unit_ids))
        .select(units::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    if let Some(missing) = unit_ids.iter().find(|u| !known.contains(u)) {
        return Err(StoreError::invalid("unit_ids", format!("unit {missing} does not exist")));
    }
    if let Some(owner) = owner {
        let inside: HashSet<i64> = subtree_ids(conn, owner)?.into_iter().collect();
        if let Some(outside) = unit_ids.iter().find(|u| !inside.contains(u)) {
            return Err(StoreError::invalid(
                "unit_ids",
                format!("unit {outside} lies outside the group owner's unit {owner}"),
            ));
        }
    }
    Ok(())
}

fn set_members(conn: &mut PgConnection, group_id: i64, unit_ids: &[i64]) -> Result<(), StoreError> {
    diesel::delete(unit_group_members::table.filter(unit_group_members::group_id.eq(group_id)))
        .execute(conn)?;
    let rows: Vec<_> = unit_ids
        .iter()
        .map(|u| (unit_group_members::group_id.eq(group_id), unit_group_members::unit_id.eq(*u)))
        .collect();
    diesel::insert_into(unit_group_members::table).values(rows).execute(conn)?;
    Ok(())
}

/// Creates a group with its members, audited.
pub fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    new: &NewGroup,
) -> Result<UnitGroup, StoreError> {
    conn.transaction(|conn| {
        let name = checked_name(&new.name)?;
        let description = checked_description(&new.description)?;
        if let Some(owner) = new.owner_unit_id {
            let found: Option<i64> =
                units::table.find(owner).select(units::id).first(conn).optional()?;
            if found.is_none() {
                return Err(StoreError::invalid(
                    "owner_unit_id",
                    format!("unit {owner} does not exist"),
                ));
            }
        }
        check_members(conn, new.owner_unit_id, &new.unit_ids)?;
        let id: i64 = diesel::insert_into(unit_groups::table)
            .values((
                unit_groups::name.eq(&name),
                unit_groups::description.eq(&description),
                unit_groups::owner_unit_id.eq(new.owner_unit_id),
            ))
            .returning(unit_groups::id)
            .get_result(conn)?;
        set_members(conn, id, &new.unit_ids)?;
        let group = get(conn, id)?;
        audit::record(
            conn,
            actor,
            "unit_group.create",
            "unit_group",
            id,
            None,
            Some(to_json(&group)),
        )?;
        Ok(group)
    })
}

fn lock(conn: &mut PgConnection, id: i64) -> Result<UnitGroup, StoreError> {
    let found: Option<i64> =
        unit_groups::table.find(id).select(unit_groups::id).for_update().first(conn).optional()?;
    if found.is_none() {
        return Err(StoreError::NotFound(format!("unit group {id}")));
    }
    get(conn, id)
}

/// Renames, re-describes or re-staffs a group, audited. `precondition` sees the locked
/// current group. Quotas scoped to the group follow its new members at once.
pub fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    changes: &GroupChanges,
    precondition: impl FnOnce(&UnitGroup) -> Result<(), StoreError>,
) -> Result<UnitGroup, StoreError> {
    conn.transaction(|conn| {
        let before = lock(conn, id)?;
        precondition(&before)?;
        let name = match &changes.name {
            Some(n) => checked_name(n)?,
            None => before.name.clone(),
        };
        let description = match &changes.description {
            Some(d) => checked_description(d)?,
            None => before.description.clone(),
        };
        if let Some(ids) = &changes.unit_ids {
            check_members(conn, before.owner_unit_id, ids)?;
            set_members(conn, id, ids)?;
        }
        diesel::update(unit_groups::table.find(id))
            .set((
                unit_groups::name.eq(&name),
                unit_groups::description.eq(&description),
                unit_groups::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        let after = get(conn, id)?;
        audit::record(
            conn,
            actor,
            "unit_group.update",
            "unit_group",
            id,
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        Ok(after)
    })
}

/// Deletes a group, audited. Refused (409 `group_in_use`) while a quota is scoped to it.
pub fn delete(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    precondition: impl FnOnce(&UnitGroup) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    conn.transaction(|conn| {
        let before = lock(conn, id)?;
        precondition(&before)?;
        let using: Vec<i64> = quotas::table
            .filter(quotas::scope_group_id.eq(id))
            .select(quotas::id)
            .order(quotas::id)
            .load(conn)?;
        if !using.is_empty() {
            let list: Vec<String> = using.iter().map(i64::to_string).collect();
            return Err(StoreError::conflict(
                "group_in_use",
                format!("quotas {} are scoped to this group; rescope them first", list.join(", ")),
            ));
        }
        diesel::delete(unit_groups::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            actor,
            "unit_group.delete",
            "unit_group",
            id,
            Some(to_json(&before)),
            None,
        )?;
        Ok(())
    })
}
