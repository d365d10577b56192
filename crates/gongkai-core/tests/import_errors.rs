//! Bad input: each error names its code and the line it was found on.

use gongkai_core::import::{ImportError, parse_plan, parse_plan_bytes};

fn error(text: &str) -> ImportError {
    parse_plan(text, &[]).unwrap_err()
}

#[test]
fn empty_and_blank_texts() {
    for text in [
        "",
        "   ",
        "\n\n \t\n",
        "\u{feff}",
        " 工作任务 具体要求 责任单位\n\n工作任务 具体要求 责任单位\n",
    ] {
        let found = error(text);
        assert_eq!((found.code.as_str(), found.line), (ImportError::EMPTY, Some(1)), "{text:?}");
    }
}

#[test]
fn not_utf8_names_line_and_offset() {
    let mut bytes = "一、做好公开。\n1.主动公开。 经发局\n".as_bytes().to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(b"2.\xff\xfe\n");
    let found = parse_plan_bytes(&bytes, &[]).unwrap_err();
    assert_eq!(found.code, ImportError::NOT_UTF8);
    assert_eq!(found.line, Some(3));
    assert!(found.message.contains(&format!("offset {}", offset + 2)), "{}", found.message);
    // GBK bytes of 开平 on line 1.
    let gbk = parse_plan_bytes(&[0xbf, 0xaa, 0xc6, 0xbd], &[]).unwrap_err();
    assert_eq!((gbk.code.as_str(), gbk.line), (ImportError::NOT_UTF8, Some(1)));
}

#[test]
fn no_section_names_the_first_content_line() {
    let found = error("\n\n开平市2021年政务公开工作要点\n1.主动公开。 经发局\n");
    assert_eq!((found.code.as_str(), found.line), (ImportError::NO_SECTION, Some(3)));
}

#[test]
fn no_task_names_the_first_heading() {
    let found =
        error("工作任务 具体要求 责任单位\n\n一、做好各\n类规划公开。\n主动公开规划。\n二、其他\n");
    assert_eq!((found.code.as_str(), found.line), (ImportError::NO_TASK, Some(3)));
}

#[test]
fn task_numbering_that_never_starts_at_one() {
    let found = error("一、做好公开。\n\n5.主动公开规划。 经发局\n6.做好解读。 经发局\n");
    assert_eq!((found.code.as_str(), found.line), (ImportError::NUMBERING, Some(3)));
    assert!(found.message.contains('5'), "{}", found.message);
}

#[test]
fn section_numbering_that_never_starts_at_one() {
    let found = error("标题\n三、做好公开。\n1.主动公开规划。 经发局\n");
    assert_eq!((found.code.as_str(), found.line), (ImportError::NUMBERING, Some(2)));
}

#[test]
fn a_task_before_the_first_section() {
    let found = error("1.主动公开规划。 经发局\n一、做好公开。\n2.做好解读。 经发局\n");
    assert_eq!((found.code.as_str(), found.line), (ImportError::TASK_BEFORE_SECTION, Some(1)));
}

#[test]
fn errors_display_their_line_and_serialize() {
    let found = error("一、做好公开。\n5.主动公开。\n");
    let shown = found.to_string();
    assert!(shown.starts_with("line 2: "), "{shown}");
    assert!(shown.contains("numbering"), "{shown}");
    let json = serde_json::to_value(&found).unwrap();
    assert_eq!(json["line"], 2);
    assert_eq!(json["code"], "numbering");
    let back: ImportError = serde_json::from_value(json).unwrap();
    assert_eq!(back, found);
    let boxed: Box<dyn std::error::Error> = Box::new(found);
    assert!(boxed.to_string().contains("line 2"));
}
