//! CSV answers (`Accept: text/csv`) for reads people open in a spreadsheet: RFC 4180,
//! UTF-8 after a byte-order mark, CRLF line ends, with a header row.

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::http::respond::ok_bytes;

/// The media type CSV answers carry.
pub const TEXT_CSV: &str = "text/csv; charset=utf-8";

/// Builds a CSV document row by row (RFC 4180 through the `csv` crate, CRLF line ends).
pub struct CsvWriter {
    out: csv::Writer<Vec<u8>>,
}

impl CsvWriter {
    /// A document starting with the header row.
    pub fn with_header(columns: &[&str]) -> Self {
        let out =
            csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        let mut w = CsvWriter { out };
        w.row(columns.iter().copied());
        w
    }

    /// Appends one row. A field a spreadsheet would run as a formula (starting with `=`,
    /// `+`, `-`, `@`, tab or CR) gets a leading `'`: titles and names come from users.
    pub fn row<S: AsRef<str>>(&mut self, fields: impl IntoIterator<Item = S>) {
        let record = fields.into_iter().map(|f| {
            let f = f.as_ref();
            if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{f}")
            } else {
                f.to_string()
            }
        });
        // Writing to memory cannot fail.
        let _ = self.out.write_record(record);
    }

    /// The document.
    pub fn finish(self) -> String {
        let bytes = self.out.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// The UTF-8 byte-order mark: without it Excel reads a CSV file in the local code page
/// and shows Chinese text garbled.
pub const UTF8_BOM: &str = "\u{feff}";

/// 200 with a CSV body (after the UTF-8 byte-order mark), its ETag, and a file name for
/// downloads.
pub fn csv_response(body: Vec<u8>, filename: &str) -> HttpResponse {
    let mut bytes = Vec::with_capacity(body.len() + UTF8_BOM.len());
    bytes.extend_from_slice(UTF8_BOM.as_bytes());
    bytes.extend_from_slice(&body);
    let mut res = ok_bytes(bytes, TEXT_CSV);
    if let Ok(v) = header::HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        let mut w = CsvWriter::with_header(&["a", "b"]);
        w.row(["x,y", "say \"hi\""]);
        w.row(["=1+1", "公共服务中心"]);
        assert_eq!(w.finish(), "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n'=1+1,公共服务中心\r\n");
    }
}
