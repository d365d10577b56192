//! The report as one self-contained HTML page: A4 when printed, and tables that paste
//! into the portal's editor with their merged cells (rowspan/colspan) intact.

use std::fmt::Write;

use super::layout::{Block, Grid};

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
@page { size: A4; margin: 25mm 22mm 25mm 25mm; }
html { background: #fff; }
body { margin: 0 auto; max-width: 170mm; padding: 12mm 0; color: #000;
  font-family: "FangSong", "仿宋", "FangSong_GB2312", "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", serif;
  font-size: 16px; line-height: 1.75; }
h1 { font-family: "SimSun", "宋体", "Noto Serif CJK SC", serif; font-size: 26px; font-weight: bold;
  text-align: center; line-height: 1.5; margin: 0 0 1.2em; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 17px; font-weight: bold;
  margin: 1.1em 0 0.4em; }
h3 { font-family: "KaiTi", "楷体", "Noto Serif CJK SC", serif; font-size: 16px; font-weight: bold;
  margin: 0.6em 0 0.2em; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 0.8em; table-layout: fixed;
  font-family: "SimSun", "宋体", "Noto Serif CJK SC", serif; font-size: 12px; line-height: 1.35; }
th, td { border: 1px solid #000; padding: 3px 4px; text-align: center; vertical-align: middle;
  word-break: break-all; }
th { font-weight: bold; background: #f2f2f2; }
td.label { text-align: left; }
@media print { body { padding: 0; max-width: none; } th { background: none; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; } }
"#;

fn table(out: &mut String, g: &Grid) {
    let total: u32 = g.widths.iter().sum::<u32>().max(1);
    out.push_str("<table>\n<colgroup>");
    for w in &g.widths {
        let _ =
            write!(out, "<col style=\"width:{:.2}%\">", f64::from(*w) * 100.0 / f64::from(total));
    }
    out.push_str("</colgroup>\n");
    for row in &g.rows {
        out.push_str("<tr>");
        for c in row {
            let tag = if c.header { "th" } else { "td" };
            let _ = write!(out, "<{tag}");
            if c.colspan > 1 {
                let _ = write!(out, " colspan=\"{}\"", c.colspan);
            }
            if c.rowspan > 1 {
                let _ = write!(out, " rowspan=\"{}\"", c.rowspan);
            }
            if c.left && !c.header {
                out.push_str(" class=\"label\"");
            }
            let _ = write!(out, ">{}</{tag}>", escape(&c.text));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

/// Renders the document as a complete page.
pub fn render(title: &str, blocks: &[Block]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    );
    for b in blocks {
        match b {
            Block::Title(t) => {
                let _ = writeln!(out, "<h1>{}</h1>", escape(t));
            }
            Block::Heading(t) => {
                let _ = writeln!(out, "<h2>{}</h2>", escape(t));
            }
            Block::SubHeading(t) => {
                let _ = writeln!(out, "<h3>{}</h3>", escape(t));
            }
            Block::Paragraph(t) => {
                let _ = writeln!(out, "<p>{}</p>", escape(t));
            }
            Block::Table(g) => table(&mut out, g),
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        let html = render("a<b", &[Block::Paragraph("<script>x</script> & \"q\"".into())]);
        assert!(html.contains("<title>a&lt;b</title>"));
        assert!(html.contains("<p>&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;</p>"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("@page { size: A4"));
    }
}
