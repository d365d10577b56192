//! Who may do what with the opinion ledger. Cases can hold a person's name and
//! contact, so they follow the rules of applications for disclosure
//! ([`crate::disclosure::access`]): a unit works on its own cases only, a coordinator
//! on all (or its subtree), a viewer reads without personal data. Closing a case is
//! the coordinator's alone.

use crate::auth::{Denied, Reach, Role};
use crate::disclosure::access::{View, may_handle, read_view};

/// How much of a case the caller may see, at `reach` of one of its units.
pub fn case_view(role: Role, limited: bool, reach: Reach) -> Result<View, Denied> {
    read_view(role, limited, reach).map_err(reword)
}

/// May the caller register a case, answer it or record a promise's move for a unit at
/// `reach`?
pub fn may_work(role: Role, limited: bool, reach: Reach) -> Result<(), Denied> {
    may_handle(role, limited, reach).map_err(reword)
}

/// May the caller close a case whose lead unit is at `reach`? The coordinator (or an
/// admin) only.
pub fn may_close(role: Role, limited: bool, reach: Reach) -> Result<(), Denied> {
    coordinate(role, limited, reach, "close a case")
}

/// May the caller reassign a case (its lead unit, co-units, summary, topic) whose lead
/// unit is at `reach`? The coordinator (or an admin) only.
pub fn may_assign(role: Role, limited: bool, reach: Reach) -> Result<(), Denied> {
    coordinate(role, limited, reach, "reassign a case")
}

/// May the caller verify a kept promise of a case whose lead unit is at `reach`? The
/// coordinator (or an admin) only: the unit that kept it does not check itself.
pub fn may_verify(role: Role, limited: bool, reach: Reach) -> Result<(), Denied> {
    coordinate(role, limited, reach, "verify a promise")
}

fn coordinate(role: Role, limited: bool, reach: Reach, what: &str) -> Result<(), Denied> {
    match role {
        Role::Admin | Role::Coordinator => may_work(role, limited, reach),
        _ => Err(Denied(format!("the {} role may not {what}", role.as_str()))),
    }
}

fn reword(d: Denied) -> Denied {
    Denied(d.0.replace("applications", "cases").replace("application", "case"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Reach::*;
    use Role::*;

    /// role, limited, reach → view, may work, may close (and reassign, verify).
    type Row = (Role, bool, Reach, Option<View>, bool, bool);

    #[test]
    fn the_access_table() {
        use View::{Full as F, Redacted as R};
        #[rustfmt::skip]
        let table: &[Row] = &[
            (Admin, false, Other, Some(F), true, true),
            (Coordinator, false, Other, Some(F), true, true),
            (Coordinator, true, Own, Some(F), true, true),
            (Coordinator, true, Other, None, false, false),
            (Unit, true, Own, Some(F), true, false),
            (Unit, true, City, None, false, false),
            (Unit, true, Other, None, false, false),
            (Viewer, false, Own, Some(R), false, false),
            (Viewer, true, Own, Some(R), false, false),
            (Viewer, true, Other, None, false, false),
        ];
        for (role, limited, reach, view, work, close) in table {
            let ctx = format!("{role:?} limited={limited} {reach:?}");
            assert_eq!(case_view(*role, *limited, *reach).ok(), *view, "{ctx}");
            assert_eq!(may_work(*role, *limited, *reach).is_ok(), *work, "{ctx}");
            assert_eq!(may_close(*role, *limited, *reach).is_ok(), *close, "{ctx}");
            // Reassigning and verifying are the coordinator's, exactly as closing.
            assert_eq!(may_assign(*role, *limited, *reach).is_ok(), *close, "{ctx}");
            assert_eq!(may_verify(*role, *limited, *reach).is_ok(), *close, "{ctx}");
        }
        assert!(may_work(Unit, true, Other).unwrap_err().0.contains("cases"));
    }
}
