//! Who may do what with the annual report: a unit enters its own table 二 figures (a
//! coordinator may enter them for a unit in its part of the deployment); coordinators
//! edit the texts and publish; everyone reads the report of their part (a unit: its
//! city's).

use crate::auth::{Denied, Reach, Role};

/// Whether the target lies within an unlimited token, or a limited one's subtree.
fn within(role: Role, limited: bool, reach: Reach) -> bool {
    match reach {
        Reach::Global | Reach::Own => true,
        Reach::City | Reach::Other => role == Role::Admin || (role != Role::Unit && !limited),
    }
}

fn outside() -> Denied {
    Denied("this unit lies outside the part of the deployment your token is limited to".into())
}

/// Entering a unit's table 二 figures.
pub fn may_enter_figures(role: Role, limited: bool, reach: Reach) -> Result<(), Denied> {
    match role {
        Role::Viewer => Err(Denied("a viewer reads the report and changes nothing".into())),
        Role::Unit if reach != Reach::Own => {
            Err(Denied("a unit enters its own unit's figures only".into()))
        }
        _ if within(role, limited, reach) => Ok(()),
        _ => Err(outside()),
    }
}

/// Editing the report's texts and publishing it.
pub fn may_edit_report(role: Role, limited: bool, reach: Reach) -> Result<(), Denied> {
    match role {
        Role::Viewer | Role::Unit => Err(Denied(
            "the supervising office (a coordinator) edits and publishes the annual report".into(),
        )),
        _ if within(role, limited, reach) => Ok(()),
        _ => Err(outside()),
    }
}

/// Reading the report (numbers and texts only, no personal data) or a unit's figures.
pub fn may_read_report(role: Role, limited: bool, reach: Reach) -> Result<(), Denied> {
    let ok = within(role, limited, reach) || (role == Role::Unit && reach == Reach::City);
    if ok { Ok(()) } else { Err(outside()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Reach::*;
    use Role::*;

    #[test]
    fn the_table_of_rights() {
        // (role, limited, reach, enter figures, edit/publish, read)
        let cases = [
            (Admin, false, Other, true, true, true),
            (Coordinator, false, Other, true, true, true),
            (Coordinator, true, Own, true, true, true),
            (Coordinator, true, Other, false, false, false),
            (Unit, true, Own, true, false, true),
            (Unit, true, City, false, false, true),
            (Unit, true, Other, false, false, false),
            (Viewer, false, Other, false, false, true),
            (Viewer, true, Own, false, false, true),
            (Viewer, true, Other, false, false, false),
        ];
        for (role, limited, reach, enter, edit, read) in cases {
            let what = format!("{role:?} limited={limited} {reach:?}");
            assert_eq!(may_enter_figures(role, limited, reach).is_ok(), enter, "enter: {what}");
            assert_eq!(may_edit_report(role, limited, reach).is_ok(), edit, "edit: {what}");
            assert_eq!(may_read_report(role, limited, reach).is_ok(), read, "read: {what}");
        }
    }
}
