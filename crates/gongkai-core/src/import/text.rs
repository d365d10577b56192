//! Text joining: rebuilds a title or a requirement from the fragments the layout broke
//! it into.
//!
//! Line breaks are layout: fragments are joined with nothing between them, so "“12" and
//! "345”" give "“12345”". Inside a fragment, whitespace is a stray PDF space ("督 促")
//! unless it separates two ASCII words or numbers ("Windows 10"), where one space is kept.

/// Appends `fragment` to `out`, dropping stray spaces.
pub(super) fn push_fragment(out: &mut String, fragment: &str) {
    if !fragment.contains(char::is_whitespace) {
        out.push_str(fragment);
        return;
    }
    let mut previous: Option<char> = None;
    let mut space_pending = false;
    for c in fragment.chars() {
        if c.is_whitespace() {
            space_pending = previous.is_some();
            continue;
        }
        if space_pending && previous.is_some_and(is_ascii_word_char) && is_ascii_word_char(c) {
            out.push(' ');
        }
        space_pending = false;
        out.push(c);
        previous = Some(c);
    }
}

fn is_ascii_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Joins fragments into one text.
pub(super) fn join_fragments<'a>(fragments: impl IntoIterator<Item = &'a str>) -> String {
    let mut joined = String::with_capacity(256);
    for fragment in fragments {
        push_fragment(&mut joined, fragment);
    }
    joined
}

/// Joins a section heading's fragments and drops its closing 。.
pub(super) fn heading_title<'a>(fragments: impl IntoIterator<Item = &'a str>) -> String {
    let mut title = join_fragments(fragments);
    if title.ends_with('。') {
        title.pop();
    }
    title
}

/// Whether `text` ends a sentence or a bracketed remark, so that what follows starts
/// afresh.
pub(super) fn ends_sentence(text: &str) -> bool {
    text.trim_end().chars().next_back().is_some_and(|c| {
        matches!(
            c,
            '。' | '；' | '！' | '？' | '）' | ')' | '”' | '」' | '』' | '】' | ';' | '!' | '?'
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_spaces_go_ascii_spaces_stay() {
        assert_eq!(join_fragments(["对未完成的依法督 促", "整改。"]), "对未完成的依法督促整改。");
        assert_eq!(join_fragments(["使用 Windows 10 系统"]), "使用Windows 10系统");
        assert_eq!(join_fragments(["“12", "345”热线"]), "“12345”热线");
        assert_eq!(join_fragments(["做好 ", " 工作"]), "做好工作");
    }

    #[test]
    fn titles_lose_their_closing_full_stop() {
        assert_eq!(heading_title(["做好财", "政信息公开", "。"]), "做好财政信息公开");
        assert_eq!(heading_title(["加强工作指导"]), "加强工作指导");
    }
}
