//! The report as a Word document (docx-rs): A4, the same headings and paragraphs, and
//! real Word tables whose merged cells follow the official layout (gridSpan across,
//! vMerge down), so Word and WPS open it with the same tables as the HTML.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, Shading, Table,
    TableCell, TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};

use super::layout::{Block, Grid};

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11_906, 16_838);
/// Margins: 2.5 cm left, 2.2 cm right (the text block of the HTML's @page).
const MARGIN_LEFT: i32 = 1_417;
const MARGIN_RIGHT: i32 = 1_247;
const TEXT_WIDTH: u32 = A4.0 - 1_417 - 1_247;

fn fonts(name: &str) -> RunFonts {
    RunFonts::new().ascii(name).hi_ansi(name).east_asia(name)
}

fn run(text: &str, font: &str, half_points: usize, bold: bool) -> Run {
    let r = Run::new().add_text(text).fonts(fonts(font)).size(half_points);
    if bold { r.bold() } else { r }
}

fn cell(text: &str, header: bool, left: bool, colspan: usize) -> TableCell {
    let align = if left { AlignmentType::Left } else { AlignmentType::Center };
    let p = Paragraph::new().align(align).add_run(run(text, "宋体", 20, header));
    let mut c = TableCell::new().add_paragraph(p).vertical_align(VAlignType::Center);
    if colspan > 1 {
        c = c.grid_span(colspan);
    }
    if header {
        c = c.shading(Shading::new().fill("F2F2F2"));
    }
    c
}

/// A grid as a Word table: a cell spanning rows starts a vertical merge, and each row it
/// runs through gets a continuing cell in its columns.
fn table(g: &Grid) -> Table {
    let total: u32 = g.widths.iter().sum::<u32>().max(1);
    let widths: Vec<usize> = g.widths.iter().map(|w| (TEXT_WIDTH * w / total) as usize).collect();
    // Cells spanning down from earlier rows: (first column, colspan, rows left).
    let mut down: Vec<(usize, usize, usize)> = Vec::new();
    let mut rows = Vec::new();
    for row in &g.rows {
        let mut cells = Vec::new();
        let mut own = row.iter();
        let mut col = 0;
        let mut started = Vec::new();
        while col < widths.len() {
            if let Some(&(_, span, _)) = down.iter().find(|(c, _, _)| *c == col) {
                cells.push(
                    TableCell::new()
                        .add_paragraph(Paragraph::new())
                        .vertical_merge(VMergeType::Continue)
                        .grid_span(span),
                );
                col += span;
                continue;
            }
            let Some(c) = own.next() else { break };
            let mut tc = cell(&c.text, c.header, c.left, c.colspan);
            if c.rowspan > 1 {
                tc = tc.vertical_merge(VMergeType::Restart);
                started.push((col, c.colspan, c.rowspan - 1));
            }
            cells.push(tc);
            col += c.colspan;
        }
        down = down.into_iter().filter(|d| d.2 > 1).map(|(c, s, n)| (c, s, n - 1)).collect();
        down.extend(started);
        rows.push(TableRow::new(cells));
    }
    Table::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

/// Renders the document as the bytes of a `.docx`.
pub fn render(blocks: &[Block]) -> Result<Vec<u8>, String> {
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new().top(1_417).bottom(1_417).left(MARGIN_LEFT).right(MARGIN_RIGHT),
        )
        .default_fonts(fonts("仿宋"))
        .default_size(32);
    let body = |text: &str| {
        Paragraph::new()
            .add_run(run(text, "仿宋", 32, false))
            .indent(None, Some(docx_rs::SpecialIndentType::FirstLine(640)), None, None)
            .line_spacing(LineSpacing::new().line(560))
    };
    for b in blocks {
        doc = match b {
            Block::Title(t) => doc.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(run(t, "宋体", 44, true))
                    .line_spacing(LineSpacing::new().after(400)),
            ),
            Block::Heading(t) => doc.add_paragraph(
                Paragraph::new()
                    .add_run(run(t, "黑体", 32, false))
                    .indent(None, Some(docx_rs::SpecialIndentType::FirstLine(640)), None, None)
                    .line_spacing(LineSpacing::new().line(560)),
            ),
            Block::SubHeading(t) => doc.add_paragraph(
                Paragraph::new()
                    .add_run(run(t, "楷体", 32, true))
                    .indent(None, Some(docx_rs::SpecialIndentType::FirstLine(640)), None, None)
                    .line_spacing(LineSpacing::new().line(560)),
            ),
            Block::Paragraph(t) => doc.add_paragraph(body(t)),
            Block::Table(g) => doc.add_table(table(g)).add_paragraph(Paragraph::new()),
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| format!("writing the document: {e}"))?;
    Ok(out.into_inner())
}
