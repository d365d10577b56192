//! Permission checks shared by several resources: whether the caller may act on a task
//! or read a plan, decided by the plan's issuing government.

use diesel::PgConnection;
use gongkai_core::auth::Action;
use gongkai_store::plans;

use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::state::{AppState, db};

/// Loads the plan of a task and checks the caller may perform `action` on it.
pub async fn authorize_task(
    state: &AppState,
    who: &Principal,
    task_id: i64,
    action: Action,
) -> Result<plans::Plan, ApiError> {
    let plan = db(state, move |c| plans::of_task(c, task_id)).await?;
    who.require(state, action, Some(plan.issuing_unit_id)).await?;
    Ok(plan)
}

/// Loads a plan and checks the caller may read it.
pub async fn readable_plan(
    state: &AppState,
    who: &Principal,
    plan_id: i64,
) -> Result<plans::Plan, ApiError> {
    let plan = db(state, move |c| plans::get(c, plan_id)).await?;
    who.require(state, Action::Read, Some(plan.issuing_unit_id)).await?;
    Ok(plan)
}

/// [`readable_plan`] on a connection already held.
pub fn readable_plan_in(
    conn: &mut PgConnection,
    who: &Principal,
    plan_id: i64,
) -> Result<plans::Plan, ApiError> {
    let plan = plans::get(conn, plan_id)?;
    who.require_in(conn, Action::Read, Some(plan.issuing_unit_id))?;
    Ok(plan)
}

/// [`authorize_task`] on a connection already held.
pub fn authorize_task_in(
    conn: &mut PgConnection,
    who: &Principal,
    task_id: i64,
    action: Action,
) -> Result<plans::Plan, ApiError> {
    let plan = plans::of_task(conn, task_id)?;
    who.require_in(conn, action, Some(plan.issuing_unit_id))?;
    Ok(plan)
}
