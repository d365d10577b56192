//! Authorization for applications for disclosure: the domain's rules
//! (`gongkai_core::disclosure::access`) applied to the verified caller, and the set of
//! units a list or report may cover.

use gongkai_core::auth::{Reach, Role};
use gongkai_core::disclosure::access::{View, may_handle, may_read_statistics, read_view};
use gongkai_store::disclosure::secrets::ApplicantSecrets;
use gongkai_store::units;

use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::state::{AppState, db};

/// Refuses (403) a caller who may not handle applications at all, before its body is
/// read.
pub fn require_handler(who: &Principal) -> Result<(), ApiError> {
    may_handle(who.role, who.unit_id.is_some(), Reach::Global).map_err(|d| ApiError::Forbidden(d.0))
}

/// Refuses (403) unless the caller may handle applications of `unit_id`.
pub async fn require_handle(
    who: &Principal,
    state: &AppState,
    unit_id: i64,
) -> Result<(), ApiError> {
    let reach = who.reach(state, Some(unit_id)).await?;
    may_handle(who.role, who.unit_id.is_some(), reach).map_err(|d| ApiError::Forbidden(d.0))
}

/// How much of an application of `unit_id` the caller may see (403 when nothing).
pub async fn require_view(
    who: &Principal,
    state: &AppState,
    unit_id: i64,
) -> Result<View, ApiError> {
    let reach = who.reach(state, Some(unit_id)).await?;
    read_view(who.role, who.unit_id.is_some(), reach).map_err(|d| ApiError::Forbidden(d.0))
}

/// What a list or report asks to cover.
#[derive(Debug, Clone, Copy, Default)]
pub struct Coverage {
    /// One unit (and, with `subtree`, the units below it).
    pub unit_id: Option<i64>,
    /// Include the units below `unit_id`.
    pub subtree: bool,
    /// For statistics (numbers only, viewers included) rather than applications.
    pub statistics: bool,
}

/// The units a list or report covers for this caller: `None` means every unit. A unit
/// covers its own unit only; a limited coordinator or viewer its subtree.
pub async fn covered_units(
    who: &Principal,
    state: &AppState,
    coverage: Coverage,
) -> Result<Option<Vec<i64>>, ApiError> {
    let limited = who.unit_id.is_some();
    if let Some(unit) = coverage.unit_id {
        let reach = who.reach(state, Some(unit)).await?;
        let allowed = if coverage.statistics {
            may_read_statistics(who.role, limited, reach)
        } else {
            read_view(who.role, limited, reach).map(|_| ())
        };
        allowed.map_err(|d| ApiError::Forbidden(d.0))?;
        if !coverage.subtree || who.role == Role::Unit {
            return Ok(Some(vec![unit]));
        }
        return Ok(Some(db(state, move |c| units::subtree_ids(c, unit)).await?));
    }
    match (who.role, who.unit_id) {
        (Role::Admin, _) => Ok(None),
        (Role::Unit, Some(own)) => Ok(Some(vec![own])),
        (_, Some(own)) => Ok(Some(db(state, move |c| units::subtree_ids(c, own)).await?)),
        (_, None) => Ok(None),
    }
}

/// The keys protecting identity numbers, derived from the deployment's data key.
pub fn secrets(state: &AppState) -> Result<ApplicantSecrets, ApiError> {
    ApplicantSecrets::derive(&state.data_key).map_err(ApiError::from)
}
