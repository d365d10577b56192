//! Who may see and handle applications. Stricter than the plan's rules: a plan is a
//! public document that every unit reads, an application is not. A unit sees and
//! handles its own unit's applications only; the coordinator sees all (or its
//! subtree); a viewer sees applications without any personal data.

use serde::{Deserialize, Serialize};

use crate::auth::{Denied, Reach, Role};

/// How much of an application a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Everything, the applicant's identity number and contact details included.
    Full,
    /// The handling record without the applicant's name, identity number or contact.
    Redacted,
}

/// Whether the target lies within what the token may reach: everything for an
/// unlimited token, the subtree for a limited coordinator or viewer, the own unit for
/// a unit.
fn within(role: Role, limited: bool, reach: Reach) -> bool {
    match reach {
        Reach::Global | Reach::Own => true,
        // Applications stay with their unit: a unit does not see its city's others.
        Reach::City | Reach::Other => match role {
            Role::Admin => true,
            Role::Coordinator | Role::Viewer => !limited,
            Role::Unit => false,
        },
    }
}

fn outside(role: Role) -> Denied {
    Denied(match role {
        Role::Unit => "a unit sees and handles only its own unit's applications".into(),
        _ => "this application lies outside the part of the deployment your token is limited to"
            .into(),
    })
}

/// May the caller read an application of a unit at `reach`, and how much of it?
pub fn read_view(role: Role, limited: bool, reach: Reach) -> Result<View, Denied> {
    if !within(role, limited, reach) {
        return Err(outside(role));
    }
    Ok(if role == Role::Viewer { View::Redacted } else { View::Full })
}

/// May the caller register or handle an application of a unit at `reach`?
pub fn may_handle(role: Role, limited: bool, reach: Reach) -> Result<(), Denied> {
    if role == Role::Viewer {
        return Err(Denied("the viewer role may not register or handle applications".into()));
    }
    if !within(role, limited, reach) {
        return Err(outside(role));
    }
    Ok(())
}

/// May the caller read the statistics (tables 三 and 四, the appeals register) of a
/// unit at `reach`? Numbers hold no personal data, so viewers may.
pub fn may_read_statistics(role: Role, limited: bool, reach: Reach) -> Result<(), Denied> {
    if within(role, limited, reach) { Ok(()) } else { Err(outside(role)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Reach::*;
    use Role::*;

    /// role, limited, reach → read view, may handle, may read statistics.
    type Row = (Role, bool, Reach, Option<View>, bool, bool);

    /// The whole table.
    #[test]
    fn the_access_table() {
        use View::{Full as F, Redacted as R};
        #[rustfmt::skip]
        let table: &[Row] = &[
            (Admin, false, Own, Some(F), true, true),
            (Admin, false, Other, Some(F), true, true),
            (Coordinator, false, Own, Some(F), true, true),
            (Coordinator, false, Other, Some(F), true, true),
            (Coordinator, true, Own, Some(F), true, true),
            (Coordinator, true, Other, None, false, false),
            (Unit, true, Own, Some(F), true, true),
            (Unit, true, Other, None, false, false),
            (Viewer, false, Own, Some(R), false, true),
            (Viewer, false, Other, Some(R), false, true),
            (Viewer, true, Own, Some(R), false, true),
            (Viewer, true, Other, None, false, false),
        ];
        for (role, limited, reach, view, handle, stats) in table {
            let ctx = format!("{role:?} limited={limited} {reach:?}");
            assert_eq!(read_view(*role, *limited, *reach).ok(), *view, "{ctx}");
            assert_eq!(may_handle(*role, *limited, *reach).is_ok(), *handle, "{ctx}");
            assert_eq!(may_read_statistics(*role, *limited, *reach).is_ok(), *stats, "{ctx}");
        }
    }

    #[test]
    fn a_unit_is_told_why() {
        let e = read_view(Unit, true, Other).unwrap_err();
        assert!(e.0.contains("own unit"), "{e}");
    }
}
