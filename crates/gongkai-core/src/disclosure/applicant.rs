//! The applicant (申请人): checking what was entered, and the normalized forms used to
//! recognise the same applicant across applications (per-item fees are counted per
//! applicant per calendar month).

use crate::validation::{Problems, TextKind, check_text};

/// The longest applicant name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest identity number accepted, in characters.
pub const MAX_ID_NUMBER_CHARS: usize = 64;
/// The longest contact field accepted, in characters.
pub const MAX_CONTACT_CHARS: usize = 300;

/// Folds full-width ASCII (Ａ–Ｚ, ０–９, …, and the ideographic space) to half-width, so
/// that a name typed on a Chinese keyboard matches the same name typed otherwise.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The form of a name used for matching: half-width, without any whitespace or middle
/// dots (张 三, 张三 and 张·三 are one applicant), Latin letters in lower case.
pub fn normalize_name(name: &str) -> String {
    name.chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '・' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The form of an identity number used for storing and matching: half-width, without
/// spaces or hyphens, letters in upper case (a resident ID's final `x` is `X`).
pub fn normalize_id_number(id: &str) -> String {
    id.chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// The applicant's contact details (联系方式); each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    /// Telephone.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

/// An applicant as checked: a trimmed name, the normalized identity number, contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedApplicant {
    /// The name as entered, trimmed.
    pub name: String,
    /// The identity number, normalized ([`normalize_id_number`]).
    pub id_number: Option<String>,
    /// Contact details, trimmed; blank fields dropped.
    pub contact: Contact,
}

/// Checks an applicant, adding each problem under `prefix` (`applicant.name`, …).
pub fn check_applicant(
    prefix: &str,
    name: &str,
    id_number: Option<&str>,
    contact: &Contact,
    problems: &mut Problems,
) -> CheckedApplicant {
    let field = |f: &str| format!("{prefix}.{f}");
    let name = name.trim().to_string();
    if name.is_empty() {
        problems.add(field("name"), "the applicant's name must not be blank");
    } else if name.chars().count() > MAX_NAME_CHARS {
        problems.add(field("name"), format!("at most {MAX_NAME_CHARS} characters"));
    } else if let Err(why) = check_text(&name, TextKind::Name) {
        problems.add(field("name"), format!("the applicant's name {why}"));
    }
    let id_number = id_number.map(normalize_id_number).filter(|s| !s.is_empty());
    if let Some(id) = &id_number {
        if id.chars().count() > MAX_ID_NUMBER_CHARS {
            problems.add(field("id_number"), format!("at most {MAX_ID_NUMBER_CHARS} characters"));
        } else if !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            problems.add(
                field("id_number"),
                "an identity number holds letters and digits only (spaces and hyphens are ignored)",
            );
        }
    }
    let clean = |value: &Option<String>, name: &str, problems: &mut Problems| {
        let v = value.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        if v.chars().count() > MAX_CONTACT_CHARS {
            problems.add(
                field(&format!("contact.{name}")),
                format!("at most {MAX_CONTACT_CHARS} characters"),
            );
        }
        Some(v.to_string())
    };
    let contact = Contact {
        phone: clean(&contact.phone, "phone", problems),
        email: clean(&contact.email, "email", problems),
        address: clean(&contact.address, "address", problems),
    };
    if let Some(e) = &contact.email
        && !e.contains('@')
    {
        problems.add(field("contact.email"), "an e-mail address contains @");
    }
    CheckedApplicant { name, id_number, contact }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_across_keyboards_and_spacing() {
        assert_eq!(normalize_name(" 张 三 "), "张三");
        assert_eq!(normalize_name("张·三"), "张三");
        assert_eq!(normalize_name("ＡＢＣ　公司"), "abc公司");
        assert_eq!(normalize_name("Abc 公司"), "abc公司");
    }

    #[test]
    fn id_numbers_are_normalized() {
        assert_eq!(normalize_id_number("44078 1199001011234x"), "440781199001011234X");
        assert_eq!(normalize_id_number("４４０７８１-1990"), "4407811990");
    }

    #[test]
    fn bad_applicants_name_each_field() {
        let mut p = Problems::new();
        let contact = Contact { email: Some("nobody".into()), ..Contact::default() };
        check_applicant("applicant", " ", Some("12#34"), &contact, &mut p);
        let fields: Vec<String> = p.finish().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["applicant.name", "applicant.id_number", "applicant.contact.email"]);
    }
}
