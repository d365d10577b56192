//! 责任单位: responsible units and the governments they sit under.
//!
//! Units form a tree: a top-level government (a city), its departments and towns,
//! possibly nested further. One deployment may hold several cities.

use serde::{Deserialize, Serialize};

/// What sort of body a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 人民政府: a government (city, county); the root of a tree.
    Government,
    /// 部门: a department of a government (局, 办, 中心 …).
    Department,
    /// 镇/街道: a town or sub-district.
    Town,
    /// Anything else (管委会, a public institution …).
    Other,
}

impl UnitKind {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Government => "government",
            UnitKind::Department => "department",
            UnitKind::Town => "town",
            UnitKind::Other => "other",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "government" => Some(UnitKind::Government),
            "department" => Some(UnitKind::Department),
            "town" => Some(UnitKind::Town),
            "other" => Some(UnitKind::Other),
            _ => None,
        }
    }

    /// A best guess for a unit named in a plan: towns end in 镇 or 街道, a government
    /// in 人民政府; everything else in a plan's unit column is a department.
    pub fn guess_from_name(name: &str) -> Self {
        if name.ends_with("人民政府") {
            UnitKind::Government
        } else if name.ends_with('镇') || name.ends_with("街道") || name.ends_with("街道办事处")
        {
            UnitKind::Town
        } else if name.ends_with("管委会") {
            UnitKind::Other
        } else {
            UnitKind::Department
        }
    }
}

/// The longest unit name accepted, in characters.
pub const MAX_UNIT_NAME_CHARS: usize = 100;

/// A checked unit name: trimmed, 1 to 100 characters, one line, no control or
/// bidirectional formatting characters ([`crate::validation::check_text`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct UnitName(String);

impl UnitName {
    /// Checks and builds a name; the error says what is wrong.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        if name.is_empty() {
            return Err("a unit name cannot be empty".into());
        }
        if name.chars().count() > MAX_UNIT_NAME_CHARS {
            return Err(format!("a unit name has at most {MAX_UNIT_NAME_CHARS} characters"));
        }
        crate::validation::check_text(name, crate::validation::TextKind::Name)
            .map_err(|why| format!("a unit name cannot contain this: it {why}"))?;
        Ok(UnitName(name.to_string()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Checks that a unit of `kind` may sit under a parent of `parent_kind` (None for top
/// level): only a government stands at the top of a tree.
pub fn check_placement(kind: UnitKind, parent_kind: Option<UnitKind>) -> Result<(), String> {
    match (kind, parent_kind) {
        (UnitKind::Government, _) => Ok(()),
        (_, None) => Err(format!(
            "a {} needs a parent_id: only a government stands at the top level",
            kind.as_str()
        )),
        (_, Some(_)) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(UnitName::parse("  党政办 ").unwrap().as_str(), "党政办");
        assert!(UnitName::parse("   ").is_err());
        assert!(UnitName::parse("党政\n办").is_err());
        assert!(UnitName::parse("党政办\u{202E}").is_err());
        assert!(UnitName::parse(&"局".repeat(101)).is_err());
        assert!(UnitName::parse(&"局".repeat(100)).is_ok());
    }

    #[test]
    fn kinds_round_trip_and_guess() {
        for k in [UnitKind::Government, UnitKind::Department, UnitKind::Town, UnitKind::Other] {
            assert_eq!(UnitKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(UnitKind::parse("city"), None);
        assert_eq!(UnitKind::guess_from_name("开平市人民政府"), UnitKind::Government);
        assert_eq!(UnitKind::guess_from_name("长沙镇"), UnitKind::Town);
        assert_eq!(UnitKind::guess_from_name("三埠街道"), UnitKind::Town);
        assert_eq!(UnitKind::guess_from_name("翠山湖管委会"), UnitKind::Other);
        assert_eq!(UnitKind::guess_from_name("党政办"), UnitKind::Department);
    }

    #[test]
    fn only_governments_stand_at_the_top() {
        assert!(check_placement(UnitKind::Government, None).is_ok());
        assert!(check_placement(UnitKind::Department, None).is_err());
        assert!(check_placement(UnitKind::Town, Some(UnitKind::Government)).is_ok());
    }
}
