//! Field-level validation errors, shared by every layer that checks input.

use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field, as the caller named it (`name`, `parent_id`, `items[2].due`).
    pub field: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

/// Collects field errors, so that a caller learns of every problem at once.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a problem.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Ok when nothing was added, else the problems.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() { Ok(()) } else { Err(self.0) }
    }
}

/// What a piece of text is, for [`check_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A name or a title: one line.
    Name,
    /// Free text: may hold line breaks, tabs and page breaks.
    FreeText,
}

/// Why `c` is refused in text people read, if it is: control characters (C0, DEL, C1;
/// free text keeps the whitespace ones: tab, line feed, vertical tab, form feed, carriage
/// return), line and paragraph separators in a name, and
/// the invisible formatting characters that make text display differently from what is
/// stored — bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E,
/// U+200F, U+202A–U+202E, U+2066–U+2069), zero-width space, word joiner and invisible
/// operators (U+200B, U+2060–U+2064), the byte-order mark (U+FEFF), interlinear
/// annotation marks (U+FFF9–U+FFFB) and tag characters (U+E0000–U+E007F). Zero-width
/// (non-)joiners stay allowed: some scripts and emoji need them.
pub fn refused_char(c: char, kind: TextKind) -> Option<&'static str> {
    match c {
        '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' if kind == TextKind::FreeText => None,
        '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' => Some("a line break or tab"),
        c if c.is_control() => Some("a control character"),
        '\u{2028}' | '\u{2029}' if kind == TextKind::Name => Some("a line break"),
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => Some(
            "a bidirectional formatting character, which makes text display differently from what is stored",
        ),
        '\u{200B}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}' => Some("an invisible formatting character"),
        _ => None,
    }
}

/// Checks text people read: the message names the first refused character
/// ([`refused_char`]) and its code point.
pub fn check_text(text: &str, kind: TextKind) -> Result<(), String> {
    match text.chars().find_map(|c| refused_char(c, kind).map(|why| (c, why))) {
        None => Ok(()),
        Some((c, why)) => Err(format!("contains {why} (U+{:04X})", u32::from(c))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_free_text_refuse_control_and_bidirectional_characters() {
        assert!(check_text("开平市人民政府", TextKind::Name).is_ok());
        assert!(check_text("第一行\n第二行\t完\u{0C}下一页", TextKind::FreeText).is_ok());
        assert!(check_text("👩\u{200D}💻 ok", TextKind::FreeText).is_ok());
        let refused = |s: &str, kind| check_text(s, kind).unwrap_err();
        assert!(refused("党政办\u{202E}fdp.exe", TextKind::Name).contains("U+202E"));
        assert!(refused("a\u{2066}b", TextKind::FreeText).contains("bidirectional"));
        assert!(refused("a\u{200F}b", TextKind::FreeText).contains("U+200F"));
        assert!(refused("bell\u{7}", TextKind::FreeText).contains("control character"));
        assert!(refused("c1\u{85}", TextKind::FreeText).contains("U+0085"));
        assert!(refused("two\nlines", TextKind::Name).contains("line break"));
        assert!(refused("para\u{2029}", TextKind::Name).contains("line break"));
        assert!(refused("\u{FEFF}bom", TextKind::FreeText).contains("invisible"));
        assert!(refused("tag\u{E0041}", TextKind::FreeText).contains("U+E0041"));
    }
}
