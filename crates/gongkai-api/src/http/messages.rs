//! Parse failures in words for a person: the messages of serde, of number and date
//! parsing, rewritten so that no answer carries a Rust type name or a library's phrasing.

/// What a value of a Rust type is called in an answer.
fn kind_of_value(expected: &str) -> String {
    let e = expected.trim();
    let e = e.strip_prefix("a ").or_else(|| e.strip_prefix("an ")).unwrap_or(e);
    match e {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, not negative".into(),
        "f32" | "f64" => "a number".into(),
        "boolean" | "bool" => "true or false".into(),
        "string" | "borrowed string" | "char" => "text".into(),
        "sequence" | "tuple" => "a list".into(),
        "map" => "an object".into(),
        "valid date" | "formatted date string" => "a date of the form YYYY-MM-DD".into(),
        "RFC 3339 formatted date and time string" | "a formatted date and time string" => {
            "an instant such as 2021-03-31T08:00:00+08:00".into()
        }
        other if other.starts_with("struct ") || other.starts_with("tuple struct ") => {
            "an object".into()
        }
        other if other.starts_with("internally tagged enum") => "an object with its `kind`".into(),
        other if other.starts_with("enum ") || other.starts_with("variant identifier") => {
            "one of the listed values".into()
        }
        other if other.starts_with("option") => "a value or null".into(),
        other => other.to_string(),
    }
}

/// `` `a`, `b` or `c` `` → `a, b, c`.
fn listed(words: &str) -> String {
    words.replace(" or ", ", ").replace('`', "")
}

/// The same failure said plainly. `message` is a serde, integer, float, boolean or date
/// parse message; anything not recognised passes through (it is already plain).
pub fn humanize(message: &str) -> String {
    let m = message.trim();
    // serde appends " at line L column C" for JSON; the field name says where.
    let m = match m.rfind(" at line ") {
        Some(i) => &m[..i],
        None => m,
    };
    if let Some(rest) = m.strip_prefix("unknown variant ") {
        let (value, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = expected.strip_prefix("one of ").unwrap_or(expected);
        return format!("{} is not accepted; use one of: {}", value.trim(), listed(expected));
    }
    if let Some(rest) = m.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = expected.strip_prefix("one of ").unwrap_or(expected);
        return if expected.is_empty() || expected == "nothing" {
            format!("{} is not accepted here", field.trim())
        } else {
            format!(
                "{} is not accepted here; the accepted fields are: {}",
                field.trim(),
                listed(expected)
            )
        };
    }
    if let Some(rest) = m.strip_prefix("missing field ") {
        return format!("{} is required", rest.trim());
    }
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let got = got.replace("floating point", "number").replace("integer", "number");
        return format!("expected {}, not {}", kind_of_value(expected), got.trim());
    }
    if let Some(rest) = m.strip_prefix("invalid value: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("{} is not valid here: expected {}", got.trim(), kind_of_value(expected));
    }
    if let Some(rest) = m.strip_prefix("invalid length ") {
        let (n, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("a list of length {} is not valid here: expected {}", n.trim(), expected);
    }
    match m {
        "invalid digit found in string" => "expected a whole number".into(),
        "cannot parse integer from empty string" => "expected a whole number, not nothing".into(),
        "number too large to fit in target type" => "the number is too large".into(),
        "number too small to fit in target type" => "the number is too small".into(),
        "invalid float literal" => "expected a number".into(),
        "provided string was not `true` or `false`" => "expected true or false".into(),
        "input contains invalid characters"
        | "premature end of input"
        | "trailing input"
        | "input is out of range"
        | "input is not enough for unique date and time"
        | "no possible date and time matching input"
        | "bad or unsupported format string" => {
            "expected a real date of the form YYYY-MM-DD".into()
        }
        _ => m.to_string(),
    }
}

/// The field a "missing field `x`" message names, when it does.
pub fn missing_field(message: &str) -> Option<String> {
    let rest = message.trim().strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_phrasing_becomes_plain_words() {
        let cases = [
            ("invalid digit found in string", "expected a whole number"),
            ("input contains invalid characters", "expected a real date of the form YYYY-MM-DD"),
            (
                "unknown variant `late`, expected one of `met`, `met_late`, `missed`",
                "`late` is not accepted; use one of: met, met_late, missed",
            ),
            ("unknown variant `x`, expected `a` or `b`", "`x` is not accepted; use one of: a, b"),
            (
                "invalid type: string \"abc\", expected i64 at line 1 column 9",
                "expected a whole number, not string \"abc\"",
            ),
            ("invalid type: map, expected struct CreateUnitRequest", "expected an object, not map"),
            (
                "invalid value: integer `-1`, expected u32",
                "integer `-1` is not valid here: expected a whole number, not negative",
            ),
            ("missing field `title`", "`title` is required"),
            ("number too large to fit in target type", "the number is too large"),
        ];
        for (raw, plain) in cases {
            assert_eq!(humanize(raw), plain, "{raw}");
        }
    }

    #[test]
    fn no_rust_type_name_survives() {
        for t in ["i64", "u32", "f64", "struct QuotaInput", "enum Status"] {
            let m = humanize(&format!("invalid type: string \"x\", expected {t}"));
            assert!(!m.contains(t), "{m}");
        }
        assert_eq!(missing_field("missing field `start`"), Some("start".into()));
    }
}
