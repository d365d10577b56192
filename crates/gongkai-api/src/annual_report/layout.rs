//! The report laid out once as a document — title, headings, paragraphs and tables with
//! merged cells in the official layout — which the HTML and DOCX renderers both print,
//! so the two always carry the same words and numbers.

use gongkai_core::annual_report::Table2;

use super::types::AnnualReportDto;
use crate::disclosure::report_types::{AppealsTableDto, ApplicationsTableDto};

/// A cell of a table grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    /// A header cell (bold, shaded).
    pub header: bool,
    /// Left-aligned (row labels) rather than centred (numbers, headers).
    pub left: bool,
}

impl Cell {
    fn head(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), colspan: 1, rowspan: 1, header: true, left: false }
    }

    fn label(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), colspan: 1, rowspan: 1, header: false, left: true }
    }

    fn value(text: impl ToString) -> Cell {
        Cell { text: text.to_string(), colspan: 1, rowspan: 1, header: false, left: false }
    }

    fn cols(mut self, n: usize) -> Cell {
        self.colspan = n;
        self
    }

    fn rows(mut self, n: usize) -> Cell {
        self.rowspan = n;
        self
    }
}

/// A table: its column widths (relative) and its rows, each listing only the cells that
/// start in it (a cell spanning rows is listed once, in its first row), as in HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<Cell>>,
}

/// A piece of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Title(String),
    Heading(String),
    /// A sub-heading inside a section (（一）…).
    SubHeading(String),
    Paragraph(String),
    Table(Grid),
}

fn paragraphs(out: &mut Vec<Block>, text: &str) {
    out.extend(
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Block::Paragraph(l.into())),
    );
}

/// Table 二: each block headed by its article, then 信息内容 and its columns; a block of
/// one column spreads it over the three value columns.
pub fn table2_grid(t: &Table2) -> Grid {
    let mut rows = Vec::new();
    for block in &t.blocks {
        rows.push(vec![Cell::head(&block.article).cols(4)]);
        let span = if block.columns.len() == 1 { 3 } else { 1 };
        let mut header = vec![Cell::head(&t.first_column)];
        header.extend(block.columns.iter().map(|c| Cell::head(c).cols(span)));
        rows.push(header);
        for r in &block.rows {
            let mut row = vec![Cell::label(&r.label)];
            row.extend(r.cells.iter().map(|c| Cell::value(c).cols(span)));
            rows.push(row);
        }
    }
    Grid { widths: vec![34, 22, 22, 22], rows }
}

/// Table 三 in the official layout: the corner note over the three label columns, 申请人情况
/// over the seven value columns, 法人或其他组织 over its five; 三、本年度办理结果 down the
/// first column beside its results, and each result with numbered kinds (（三）不予公开, …)
/// down the second beside them.
pub fn table3_grid(t: &ApplicationsTableDto) -> Grid {
    let mut rows = Vec::new();
    let ncols = t.columns.len();
    let grouped: Vec<_> = t.columns.iter().filter(|c| c.group.is_some()).collect();
    let mut r1 = vec![Cell::head(&t.note).cols(3).rows(3)];
    r1.push(Cell::head(&t.heading).cols(ncols));
    rows.push(r1);
    let mut r2 = Vec::new();
    let mut group_done = false;
    for c in &t.columns {
        match &c.group {
            None => r2.push(Cell::head(&c.label).rows(2)),
            Some(g) if !group_done => {
                r2.push(Cell::head(g).cols(grouped.len()));
                group_done = true;
            }
            Some(_) => {}
        }
    }
    rows.push(r2);
    rows.push(grouped.iter().map(|c| Cell::head(&c.label)).collect());

    let values = |r: &crate::disclosure::report_types::ReportRowDto| -> Vec<Cell> {
        t.columns
            .iter()
            .map(|c| {
                let v = r.values.map(|v| match c.key.as_str() {
                    "natural_person" => v.natural_person,
                    "business" => v.business,
                    "research" => v.research,
                    "public_interest_org" => v.public_interest_org,
                    "legal_service" => v.legal_service,
                    "other" => v.other,
                    _ => v.total,
                });
                Cell::value(v.map(|v| v.to_string()).unwrap_or_default())
            })
            .collect()
    };
    // How many printed rows the results take: a result with numbered kinds prints only
    // its kinds; any other result (and （七）总计) one row.
    let has_kinds = |i: usize| t.rows.get(i + 1).is_some_and(|n| n.level == 3);
    let results_rows = (0..t.rows.len())
        .filter(|&i| t.rows[i].level == 3 || (t.rows[i].level == 2 && !has_kinds(i)))
        .count();
    let mut pending_heading: Option<Cell> = None;
    let mut pending_group: Option<Cell> = None;
    for (i, r) in t.rows.iter().enumerate() {
        match r.level {
            1 if r.values.is_none() => {
                pending_heading = Some(Cell::label(&r.title).rows(results_rows));
            }
            1 => {
                let mut row = vec![Cell::label(&r.title).cols(3)];
                row.extend(values(r));
                rows.push(row);
            }
            2 if has_kinds(i) => {
                let kinds = t.rows[i + 1..].iter().take_while(|n| n.level == 3).count();
                pending_group = Some(Cell::label(&r.title).rows(kinds));
            }
            _ => {
                let mut row = Vec::new();
                row.extend(pending_heading.take());
                if r.level == 3 {
                    row.extend(pending_group.take());
                    row.push(Cell::label(&r.title));
                } else {
                    row.push(Cell::label(&r.title).cols(2));
                }
                row.extend(values(r));
                rows.push(row);
            }
        }
    }
    let mut widths = vec![6, 9, 25];
    widths.extend(std::iter::repeat_n(60 / ncols.max(1) as u32, ncols));
    Grid { widths, rows }
}

/// Table 四: 行政复议 over its five columns, 行政诉讼 over its two blocks of five.
pub fn table4_grid(t: &AppealsTableDto) -> Grid {
    let n = t.columns.len();
    let mut r1 = Vec::new();
    let mut r2 = Vec::new();
    let mut r3 = Vec::new();
    let mut lawsuit_done = false;
    for g in &t.groups {
        match &g.group {
            None => {
                r1.push(Cell::head(&g.label).cols(n));
                r2.extend(t.columns.iter().map(|c| Cell::head(&c.label).rows(2)));
            }
            Some(parent) => {
                if !lawsuit_done {
                    let count = t.groups.iter().filter(|x| x.group.is_some()).count();
                    r1.push(Cell::head(parent).cols(n * count));
                    lawsuit_done = true;
                }
                r2.push(Cell::head(&g.label).cols(n));
                r3.extend(t.columns.iter().map(|c| Cell::head(&c.label)));
            }
        }
    }
    let values = t
        .groups
        .iter()
        .flat_map(|g| {
            let v = g.values;
            [v.upheld, v.corrected, v.other, v.pending, v.total]
        })
        .map(Cell::value)
        .collect();
    let cols = n * t.groups.len();
    Grid { widths: vec![1; cols], rows: vec![r1, r2, r3, values] }
}

fn small_table(header: &[&str], widths: Vec<u32>, body: Vec<Vec<String>>) -> Grid {
    let mut rows = vec![header.iter().map(|h| Cell::head(*h)).collect::<Vec<_>>()];
    for r in body {
        rows.push(
            r.into_iter()
                .enumerate()
                .map(|(i, t)| if i == 0 { Cell::label(t) } else { Cell::value(t) })
                .collect(),
        );
    }
    Grid { widths, rows }
}

/// Section 六: fees collected, then the plan's implementation.
fn other_matters(out: &mut Vec<Block>, r: &AnnualReportDto) {
    let fees = &r.other.fees;
    out.push(Block::SubHeading("（一）收取信息处理费情况".into()));
    out.push(Block::Paragraph(if fees.count == 0 {
        "本年度未收取政府信息公开信息处理费。".into()
    } else {
        format!(
            "本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{}件，金额{}万元（{}元）。",
            fees.count, fees.amount_wan_yuan, fees.amount_yuan
        )
    }));
    out.push(Block::SubHeading("（二）年度政务公开工作要点落实情况".into()));
    let Some(p) = &r.other.plan else {
        out.push(Block::Paragraph("本年度未制定政务公开工作要点。".into()));
        return;
    };
    out.push(Block::Paragraph(format!(
        "《{}》共{}项任务，已完成{}项，推进中{}项，未启动{}项。",
        p.plan_title, p.tasks, p.completed, p.in_progress, p.not_started
    )));
    let mut body: Vec<Vec<String>> = p
        .sections
        .iter()
        .map(|s| {
            vec![
                format!("{}. {}", s.number, s.title),
                s.tasks.to_string(),
                s.completed.to_string(),
                s.in_progress.to_string(),
                s.not_started.to_string(),
            ]
        })
        .collect();
    body.push(vec![
        "合计".into(),
        p.tasks.to_string(),
        p.completed.to_string(),
        p.in_progress.to_string(),
        p.not_started.to_string(),
    ]);
    out.push(Block::Table(small_table(
        &["工作要点部分", "任务数", "已完成", "推进中", "未启动"],
        vec![52, 12, 12, 12, 12],
        body,
    )));
    if !p.quotas.is_empty() {
        out.push(Block::Paragraph("量化指标年度完成情况：".into()));
        let body = p
            .quotas
            .iter()
            .map(|q| {
                vec![
                    format!("第{}项任务（指标{}）", q.task_number, q.quota_id),
                    q.met.to_string(),
                    q.met_late.to_string(),
                    (q.missed + q.overdue).to_string(),
                    q.pending.to_string(),
                    q.label.clone(),
                ]
            })
            .collect();
        out.push(Block::Table(small_table(
            &["指标", "达标", "逾期完成", "未达标", "进行中", "年度结果"],
            vec![35, 11, 11, 11, 11, 21],
            body,
        )));
    }
    match &p.look_back {
        None => out.push(Block::Paragraph("本年度未开展“回头看”。".into())),
        Some(lb) => {
            out.push(Block::Paragraph(format!(
                "{}开展“回头看”，检查任务和责任单位{}项次，发现问题{}个，整改事项{}项。",
                lb.as_of.format("%Y年%-m月%-d日"),
                lb.entries,
                lb.findings.len(),
                p.rectifications.len()
            )));
            if !p.rectifications.is_empty() {
                let body = p
                    .rectifications
                    .iter()
                    .map(|x| {
                        vec![
                            format!("第{}项任务", x.task_number),
                            x.unit.clone(),
                            x.finding.clone(),
                            x.due.to_string(),
                            x.label.clone(),
                        ]
                    })
                    .collect();
                out.push(Block::Table(small_table(
                    &["任务", "责任单位", "发现的问题", "整改时限", "整改状态"],
                    vec![14, 16, 44, 14, 12],
                    body,
                )));
            }
        }
    }
    if p.carried_over.is_empty() {
        out.push(Block::Paragraph("本年度工作要点无结转下年度事项。".into()));
    } else {
        out.push(Block::Paragraph(format!("结转下年度继续推进事项{}项：", p.carried_over.len())));
        for (i, c) in p.carried_over.iter().enumerate() {
            out.push(Block::Paragraph(format!("{}. {}", i + 1, c.text)));
        }
    }
}

/// The whole report as a document.
pub fn document(r: &AnnualReportDto) -> Vec<Block> {
    let mut out = vec![Block::Title(r.title.clone())];
    out.push(Block::Paragraph(format!(
        "本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）编制，报告中所列数据统计期限为{}年1月1日至{}年12月31日。",
        r.year, r.year
    )));
    out.push(Block::Heading(r.overview.title.clone()));
    paragraphs(&mut out, &r.overview.text);
    out.push(Block::Heading(r.proactive.title.clone()));
    out.push(Block::Table(table2_grid(&r.proactive)));
    out.push(Block::Heading(r.applications.title.clone()));
    out.push(Block::Table(table3_grid(&r.applications)));
    out.push(Block::Heading(r.appeals.title.clone()));
    out.push(Block::Table(table4_grid(&r.appeals)));
    out.push(Block::Heading(r.problems.title.clone()));
    paragraphs(&mut out, &r.problems.text);
    out.push(Block::Heading(r.other.title.clone()));
    other_matters(&mut out, r);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::annual_report::Figures;
    use gongkai_core::annual_report::table2::table2;
    use gongkai_core::disclosure::appeals::table4;
    use gongkai_core::disclosure::report::{ReportFormat, table3};

    /// Every row of a grid covers the same number of columns once the cells spanning
    /// rows from above are counted.
    fn assert_rectangular(g: &Grid) {
        let width = g.widths.len();
        let mut carried: Vec<(usize, usize)> = Vec::new(); // (colspan, rows left)
        for (i, row) in g.rows.iter().enumerate() {
            let from_above: usize = carried.iter().map(|(c, _)| c).sum();
            let own: usize = row.iter().map(|c| c.colspan).sum();
            assert_eq!(from_above + own, width, "row {i}: {row:?}");
            carried =
                carried.into_iter().filter(|(_, n)| *n > 1).map(|(c, n)| (c, n - 1)).collect();
            carried
                .extend(row.iter().filter(|c| c.rowspan > 1).map(|c| (c.colspan, c.rowspan - 1)));
        }
        assert!(carried.is_empty(), "a cell spans past the last row");
    }

    #[test]
    fn the_grids_are_rectangular() {
        let t3 = ApplicationsTableDto::new(table3(2021, ReportFormat::Format2021, &[]), None);
        let g3 = table3_grid(&t3);
        assert_rectangular(&g3);
        // Three header rows, 一 and 二, 22 result rows (（一）, （二）, the 8 + 3 + 5 + 3
        // kinds of （三）–（六）, （七）), 四.
        assert_eq!(g3.rows.len(), 3 + 2 + 22 + 1);
        assert_eq!(
            g3.rows[0][0].text,
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        );
        let t2019 = ApplicationsTableDto::new(table3(2021, ReportFormat::Format2019, &[]), None);
        assert_rectangular(&table3_grid(&t2019));
        let t4 = AppealsTableDto::new(table4(2021, &[]), None);
        assert_rectangular(&table4_grid(&t4));
        assert_rectangular(&table2_grid(&table2(Figures::default(), vec![], vec![])));
    }
}
