//! Lists as staff open them in Excel or WPS: one [`Sheet`] of typed cells under Chinese
//! column headers, answered as CSV (UTF-8 with a byte-order mark) or as an XLSX workbook
//! (dates as dates, numbers as numbers, a frozen header row). Text that a spreadsheet
//! would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is kept as text: a `'`
//! before it in CSV, a quote-prefixed text cell in XLSX.

use actix_web::HttpResponse;
use actix_web::http::header;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};

use crate::http::csv::{CsvWriter, csv_response};
use crate::http::error::ApiError;
use crate::http::negotiate::Format;
use crate::http::respond::ok_bytes;

/// The formats a list offers: JSON first (the default), then the office formats.
pub const LIST_FORMATS: &[Format] = &[Format::Json, Format::Csv, Format::Xlsx];

/// One cell, typed as the spreadsheet should hold it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing (a missing value).
    Empty,
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number shown with two decimals (amounts such as 万元).
    Amount(f64),
    /// A number as it is (rates, scores).
    Number(f64),
    /// A calendar date.
    Date(NaiveDate),
}

impl Cell {
    /// The cell as CSV writes it: dates ISO 8601, amounts with two decimals.
    fn as_csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Amount(n) => format!("{n:.2}"),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_string())
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<&String> for Cell {
    fn from(v: &String) -> Self {
        Cell::Text(v.clone())
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<i32> for Cell {
    fn from(v: i32) -> Self {
        Cell::Int(v.into())
    }
}
impl From<u32> for Cell {
    fn from(v: u32) -> Self {
        Cell::Int(v.into())
    }
}
impl From<usize> for Cell {
    fn from(v: usize) -> Self {
        Cell::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Cell {
    /// 是 / 否, as the offices write it.
    fn from(v: bool) -> Self {
        Cell::Text(if v { "是" } else { "否" }.into())
    }
}
impl From<NaiveDate> for Cell {
    fn from(v: NaiveDate) -> Self {
        Cell::Date(v)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// A table with a header row: the office form of a list.
#[derive(Debug, Clone)]
pub struct Sheet {
    title: String,
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

/// Whether a spreadsheet would read this text as a formula.
fn formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A worksheet name Excel takes: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    let name: String =
        title.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\')).collect();
    let name: String = name.chars().take(31).collect();
    if name.trim().is_empty() { "Sheet1".into() } else { name }
}

impl Sheet {
    /// An empty sheet named `title` (the worksheet's name) with these column headers.
    pub fn new(title: &str, columns: &[&str]) -> Self {
        Sheet {
            title: title.to_string(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row; missing cells at its end are left empty, extra ones dropped.
    pub fn push(&mut self, mut row: Vec<Cell>) {
        row.resize(self.columns.len(), Cell::Empty);
        self.rows.push(row);
    }

    /// The rows so far.
    pub fn rows(&self) -> &[Vec<Cell>] {
        &self.rows
    }

    /// The sheet as CSV (without the byte-order mark, which [`csv_response`] adds).
    pub fn to_csv(&self) -> String {
        let header: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        let mut w = CsvWriter::with_header(&header);
        for row in &self.rows {
            w.row(row.iter().map(Cell::as_csv));
        }
        w.finish()
    }

    /// The sheet as an XLSX workbook of one worksheet.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, ApiError> {
        let fail = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(format!("xlsx: {e}"));
        let bold = CellFormat::new().set_bold();
        let date = CellFormat::new().set_num_format("yyyy-mm-dd");
        let amount = CellFormat::new().set_num_format("0.00");
        let literal = CellFormat::new().set_quote_prefix();
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&self.title)).map_err(fail)?;
        for (c, name) in self.columns.iter().enumerate() {
            let col =
                u16::try_from(c).map_err(|_| ApiError::Internal("too many columns".into()))?;
            sheet.write_string_with_format(0, col, name, &bold).map_err(fail)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let at =
                u32::try_from(r + 1).map_err(|_| ApiError::Internal("too many rows".into()))?;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(t) if formula_like(t) => {
                        sheet.write_string_with_format(at, col, t, &literal).map_err(fail)?;
                    }
                    Cell::Text(t) => {
                        sheet.write_string(at, col, t).map_err(fail)?;
                    }
                    Cell::Int(n) => {
                        sheet.write_number(at, col, *n as f64).map_err(fail)?;
                    }
                    Cell::Amount(n) => {
                        sheet.write_number_with_format(at, col, *n, &amount).map_err(fail)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(at, col, *n).map_err(fail)?;
                    }
                    Cell::Date(d) => {
                        let day = ExcelDateTime::from_ymd(
                            u16::try_from(d.year()).unwrap_or(1900),
                            d.month() as u8,
                            d.day() as u8,
                        )
                        .map_err(fail)?;
                        sheet.write_date_with_format(at, col, &day, &date).map_err(fail)?;
                    }
                }
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
        sheet.autofit();
        book.save_to_buffer().map_err(fail)
    }
}

/// The sheet in an office `format` (CSV or XLSX) as a download named `{stem}.{ext}`.
/// JSON is the caller's own: it answers JSON itself.
pub fn office_response(
    sheet: &Sheet,
    format: Format,
    stem: &str,
) -> Result<HttpResponse, ApiError> {
    match format {
        Format::Csv => Ok(csv_response(sheet.to_csv().into_bytes(), &format!("{stem}.csv"))),
        Format::Xlsx => {
            let mut res = ok_bytes(sheet.to_xlsx()?, Format::Xlsx.content_type());
            let disposition = format!("attachment; filename=\"{stem}.xlsx\"");
            if let Ok(v) = header::HeaderValue::from_str(&disposition) {
                res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            Ok(res)
        }
        other => Err(ApiError::Internal(format!("{other:?} is not an office list format"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Sheet {
        let mut s =
            Sheet::new("台账: 2021/计划", &["任务", "单位", "件数", "金额（万元）", "日期"]);
        s.push(vec![
            "=HYPERLINK(\"x\")".into(),
            "开平市政务服务数据管理局".into(),
            3_i64.into(),
            Cell::Amount(1.5),
            NaiveDate::from_ymd_opt(2021, 12, 1).into(),
        ]);
        s.push(vec!["-1".into()]);
        s
    }

    #[test]
    fn csv_keeps_formulas_as_text_and_types_as_written() {
        let csv = sample().to_csv();
        let mut lines = csv.split("\r\n");
        assert_eq!(lines.next(), Some("任务,单位,件数,金额（万元）,日期"));
        assert_eq!(
            lines.next(),
            Some("\"'=HYPERLINK(\"\"x\"\")\",开平市政务服务数据管理局,3,1.50,2021-12-01")
        );
        assert_eq!(lines.next(), Some("'-1,,,,"));
    }

    #[test]
    fn xlsx_read_back_has_types_and_no_formulas() {
        use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
        let bytes = sample().to_xlsx().unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("台账 2021计划").unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String("任务".into())));
        assert_eq!(range.get((1, 0)), Some(&Data::String("=HYPERLINK(\"x\")".into())));
        assert_eq!(range.get((1, 2)), Some(&Data::Float(3.0)));
        assert_eq!(range.get((1, 3)), Some(&Data::Float(1.5)));
        match range.get((1, 4)) {
            // Excel's serial day 44531 is 2021-12-01.
            Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 44531.0),
            other => panic!("a date cell, got {other:?}"),
        }
        assert_eq!(range.get((2, 0)), Some(&Data::String("-1".into())));
        let formulas = book.worksheet_formula("台账 2021计划").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula cells");
    }

    #[test]
    fn sheet_names_excel_takes() {
        assert_eq!(sheet_name("台账: 2021/计划"), "台账 2021计划");
        assert_eq!(sheet_name("[]"), "Sheet1");
    }
}
