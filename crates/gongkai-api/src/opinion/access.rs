//! Authorization for the opinion ledger: the domain's rules
//! (`gongkai_core::opinion::access`) applied to the verified caller and a case's units.

use gongkai_core::auth::Role;
use gongkai_core::disclosure::access::View;
use gongkai_core::opinion::access::{case_view, may_assign, may_close, may_verify, may_work};
use gongkai_store::disclosure::secrets::Sealer;
use gongkai_store::opinion::{OpinionCase, writer_sealer};

use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::state::AppState;

fn forbidden(d: gongkai_core::auth::Denied) -> ApiError {
    ApiError::Forbidden(d.0)
}

fn not_yours() -> ApiError {
    ApiError::Forbidden("a unit works only on the cases and promises of its own unit".into())
}

/// Refuses (403) a caller who may not register or answer cases at all, before its body
/// is read.
pub fn require_worker(who: &Principal) -> Result<(), ApiError> {
    may_work(who.role, who.unit_id.is_some(), gongkai_core::auth::Reach::Global).map_err(forbidden)
}

/// Refuses (403) unless the caller may work for `unit_id` (register a case it leads).
pub async fn require_work_for(
    who: &Principal,
    state: &AppState,
    unit_id: i64,
) -> Result<(), ApiError> {
    let reach = who.reach(state, Some(unit_id)).await?;
    may_work(who.role, who.unit_id.is_some(), reach).map_err(forbidden)
}

/// Whether a unit works on the case: its lead, a co-unit, or the unit of a promise.
fn involves(case: &OpinionCase, unit: i64) -> bool {
    case.unit_ids().contains(&unit) || case.promises.iter().any(|p| p.unit_id == unit)
}

/// How much of `case` the caller may see (403 when nothing).
pub async fn require_view(
    who: &Principal,
    state: &AppState,
    case: &OpinionCase,
) -> Result<View, ApiError> {
    if who.role == Role::Unit {
        return match who.unit_id {
            Some(own) if involves(case, own) => Ok(View::Full),
            _ => Err(not_yours()),
        };
    }
    let reach = who.reach(state, Some(case.lead_unit_id)).await?;
    case_view(who.role, who.unit_id.is_some(), reach).map_err(forbidden)
}

/// Refuses (403) unless the caller may act for `unit` on `case`: a unit for itself when
/// `unit` is among `allowed`; a coordinator within reach of the case's lead unit.
pub async fn require_act(
    who: &Principal,
    state: &AppState,
    case: &OpinionCase,
    unit: i64,
    allowed: &[i64],
) -> Result<(), ApiError> {
    if who.role == Role::Unit {
        return if who.unit_id == Some(unit) && allowed.contains(&unit) {
            Ok(())
        } else {
            Err(not_yours())
        };
    }
    let reach = who.reach(state, Some(case.lead_unit_id)).await?;
    may_work(who.role, who.unit_id.is_some(), reach).map_err(forbidden)?;
    if allowed.contains(&unit) {
        Ok(())
    } else {
        Err(ApiError::field("unit_id", format!("unit {unit} does not work on this case")))
    }
}

/// Refuses (403) unless the caller may close `case`.
pub async fn require_close(
    who: &Principal,
    state: &AppState,
    case: &OpinionCase,
) -> Result<(), ApiError> {
    let reach = who.reach(state, Some(case.lead_unit_id)).await?;
    may_close(who.role, who.unit_id.is_some(), reach).map_err(forbidden)
}

/// Refuses (403) unless the caller may verify the kept promises of `case`.
pub async fn require_verify(
    who: &Principal,
    state: &AppState,
    case: &OpinionCase,
) -> Result<(), ApiError> {
    let reach = who.reach(state, Some(case.lead_unit_id)).await?;
    may_verify(who.role, who.unit_id.is_some(), reach).map_err(forbidden)
}

/// Refuses (403) unless the caller may reassign a case led by `unit` (the present lead
/// unit, and each existing unit the reassignment names).
pub async fn require_assign(who: &Principal, state: &AppState, unit: i64) -> Result<(), ApiError> {
    let reach = who.reach(state, Some(unit)).await?;
    may_assign(who.role, who.unit_id.is_some(), reach).map_err(forbidden)
}

/// The key sealing writers' details.
pub fn sealer(state: &AppState) -> Result<Sealer, ApiError> {
    writer_sealer(&state.data_key).map_err(ApiError::from)
}
