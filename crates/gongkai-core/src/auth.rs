//! Who may do what: roles, actions and the authorization decision.
//!
//! The decision is a pure function of the caller's role, the action and where the
//! target sits relative to the caller's unit, so the whole table can be tested here.

use serde::{Deserialize, Serialize};

/// A caller's role, from the token's `role` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything.
    Admin,
    /// 政务公开办: the supervising office — plans, quotas, units, reviews.
    Coordinator,
    /// A responsible unit: reads, and writes only for its own tasks and requests.
    Unit,
    /// Read-only: the portal and dashboards; never sees applicants' personal data.
    Viewer,
}

impl Role {
    /// Parses the claim value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Role::Admin),
            "coordinator" => Some(Role::Coordinator),
            "unit" => Some(Role::Unit),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }

    /// The claim value.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Unit => "unit",
            Role::Viewer => "viewer",
        }
    }
}

/// What a caller wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read plans, sections, tasks, quotas, units, compliance.
    Read,
    /// Create or change units.
    ManageUnits,
    /// Import plans, correct tasks, manage quotas and groups.
    ManagePlans,
    /// Record a unit's own work: evidence, progress.
    WriteUnitWork,
    /// Read the audit trail.
    ReadAudit,
    /// Load a year's holiday notice and other deployment-wide settings.
    ManageCalendar,
    /// Mint, list and revoke service tokens for other systems.
    ManageServiceTokens,
    /// Register, change and remove webhooks, and read their deliveries.
    ManageWebhooks,
}

/// Where the target of an action sits relative to the caller's unit claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    /// The target is not tied to a unit (a deployment-wide list, the calendar).
    Global,
    /// The target is the caller's own unit, or (for coordinators and viewers limited to
    /// a subtree) inside the caller's subtree.
    Own,
    /// For a `unit` caller: another unit of its own city (the tree of its top-level
    /// government). A unit reads its city's plans and work, and writes only its own.
    City,
    /// The target is elsewhere.
    Other,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Denied(pub String);

/// Decides whether `role` (with `limited` true when the token carries a `unit` claim
/// that limits it to a subtree) may perform `action` on a target at `reach`.
///
/// A `unit` role writes for its own unit only and reads within its own city; a limited
/// coordinator or viewer reaches its unit's subtree; an unlimited coordinator or viewer
/// reaches everything.
pub fn authorize(role: Role, limited: bool, action: Action, reach: Reach) -> Result<(), Denied> {
    let permitted = match (role, action) {
        (Role::Admin, _) | (_, Action::Read) => true,
        (
            Role::Coordinator,
            Action::ManageUnits
            | Action::ManagePlans
            | Action::WriteUnitWork
            | Action::ManageWebhooks,
        ) => true,
        (
            Role::Coordinator,
            Action::ReadAudit | Action::ManageCalendar | Action::ManageServiceTokens,
        ) => false,
        (Role::Unit, Action::WriteUnitWork) => true,
        (Role::Unit | Role::Viewer, _) => false,
    };
    if !permitted {
        return Err(Denied(format!("the {} role may not {}", role.as_str(), describe(action))));
    }
    let within = match (role, reach) {
        (_, Reach::Global | Reach::Own) | (Role::Admin, _) => true,
        (Role::Coordinator | Role::Viewer, Reach::City | Reach::Other) => !limited,
        (Role::Unit, Reach::City) => action == Action::Read,
        (Role::Unit, Reach::Other) => false,
    };
    if within {
        return Ok(());
    }
    Err(Denied(match (role, action) {
        (Role::Unit, Action::Read) => "a unit reads only its own city's plans and work".to_string(),
        (Role::Unit, _) => "a unit may only write for its own unit".to_string(),
        _ => "this resource lies outside the part of the deployment your token is limited to"
            .to_string(),
    }))
}

fn describe(action: Action) -> &'static str {
    match action {
        Action::Read => "read this resource",
        Action::ManageUnits => "create or change units",
        Action::ManagePlans => "change plans, tasks or quotas",
        Action::WriteUnitWork => "record work for a unit",
        Action::ReadAudit => "read the audit trail",
        Action::ManageCalendar => "change deployment settings such as the working-day calendar",
        Action::ManageServiceTokens => "manage service tokens",
        Action::ManageWebhooks => "manage webhooks",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Reach::*;
    use Role::*;

    /// The whole table: role × limited × action × reach → allowed.
    #[test]
    fn the_authorization_table() {
        let y = true;
        let n = false;
        #[rustfmt::skip]
        let table: &[(Role, bool, Action, [bool; 4])] = &[
            // role, limited, action, [Global, Own, City, Other]
            (Admin, n, Read,          [y, y, y, y]),
            (Admin, n, ManageUnits,   [y, y, y, y]),
            (Admin, n, ManagePlans,   [y, y, y, y]),
            (Admin, n, WriteUnitWork, [y, y, y, y]),
            (Admin, n, ReadAudit,     [y, y, y, y]),
            (Admin, n, ManageCalendar,[y, y, y, y]),
            (Admin, n, ManageServiceTokens,[y, y, y, y]),
            (Admin, n, ManageWebhooks,[y, y, y, y]),
            (Coordinator, n, Read,          [y, y, y, y]),
            (Coordinator, n, ManageUnits,   [y, y, y, y]),
            (Coordinator, n, ManagePlans,   [y, y, y, y]),
            (Coordinator, n, WriteUnitWork, [y, y, y, y]),
            (Coordinator, n, ReadAudit,     [n, n, n, n]),
            (Coordinator, n, ManageCalendar,[n, n, n, n]),
            (Coordinator, n, ManageServiceTokens,[n, n, n, n]),
            (Coordinator, n, ManageWebhooks,[y, y, y, y]),
            (Coordinator, y, ManageWebhooks,[y, y, n, n]),
            (Coordinator, y, Read,          [y, y, n, n]),
            (Coordinator, y, ManageUnits,   [y, y, n, n]),
            (Coordinator, y, ManagePlans,   [y, y, n, n]),
            (Coordinator, y, WriteUnitWork, [y, y, n, n]),
            (Coordinator, y, ReadAudit,     [n, n, n, n]),
            (Unit, y, Read,          [y, y, y, n]),
            (Unit, y, ManageUnits,   [n, n, n, n]),
            (Unit, y, ManagePlans,   [n, n, n, n]),
            (Unit, y, WriteUnitWork, [y, y, n, n]),
            (Unit, y, ReadAudit,     [n, n, n, n]),
            (Unit, y, ManageCalendar,[n, n, n, n]),
            (Unit, y, ManageServiceTokens,[n, n, n, n]),
            (Unit, y, ManageWebhooks,[n, n, n, n]),
            (Viewer, n, Read,          [y, y, y, y]),
            (Viewer, n, ManageUnits,   [n, n, n, n]),
            (Viewer, n, ManagePlans,   [n, n, n, n]),
            (Viewer, n, WriteUnitWork, [n, n, n, n]),
            (Viewer, n, ReadAudit,     [n, n, n, n]),
            (Viewer, n, ManageServiceTokens,[n, n, n, n]),
            (Viewer, n, ManageWebhooks,[n, n, n, n]),
            (Viewer, y, Read,          [y, y, n, n]),
            (Viewer, y, WriteUnitWork, [n, n, n, n]),
        ];
        for (role, limited, action, expected) in table {
            for (reach, want) in [Global, Own, City, Other].into_iter().zip(expected) {
                let got = authorize(*role, *limited, *action, reach).is_ok();
                assert_eq!(got, *want, "{role:?} limited={limited} {action:?} {reach:?}");
            }
        }
    }

    #[test]
    fn refusals_say_why() {
        let e = authorize(Viewer, false, ManagePlans, Global).unwrap_err();
        assert!(e.0.contains("viewer"), "{e}");
        let e = authorize(Unit, true, WriteUnitWork, Other).unwrap_err();
        assert!(e.0.contains("own unit"), "{e}");
        let e = authorize(Unit, true, Read, Other).unwrap_err();
        assert!(e.0.contains("own city"), "{e}");
    }

    #[test]
    fn roles_parse() {
        for r in [Admin, Coordinator, Unit, Viewer] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
