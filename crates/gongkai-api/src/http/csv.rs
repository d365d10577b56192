//! CSV answers (`Accept: text/csv`) for reads people open in a spreadsheet: RFC 4180,
//! UTF-8, CRLF line ends, with a header row.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use crate::http::respond::ok_bytes;

/// The media type CSV answers carry.
pub const TEXT_CSV: &str = "text/csv; charset=utf-8";

/// True when the caller prefers CSV: `text/csv` is acceptable (q > 0) and at least as
/// welcome as JSON. `*/*` alone keeps JSON.
pub fn wants_csv(req: &HttpRequest) -> bool {
    let mut csv_q: f32 = 0.0;
    let mut json_q: f32 = 0.0;
    for value in req.headers().get_all(header::ACCEPT).filter_map(|v| v.to_str().ok()) {
        for range in value.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match media.as_str() {
                "text/csv" => csv_q = csv_q.max(q),
                "application/json" | "application/*" | "*/*" => json_q = json_q.max(q),
                _ => {}
            }
        }
    }
    csv_q > 0.0 && csv_q >= json_q
}

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

/// 200 with a CSV body, its ETag, and a file name for downloads.
pub fn csv_response(body: Vec<u8>, filename: &str) -> HttpResponse {
    let mut res = ok_bytes(body, TEXT_CSV);
    if let Ok(v) = header::HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        let mut w = CsvWriter::with_header(&["a", "b"]);
        w.row(["x,y", "say \"hi\""]);
        w.row(["=1+1", "公共服务中心"]);
        assert_eq!(w.finish(), "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n'=1+1,公共服务中心\r\n");
    }

    #[test]
    fn accept_decides() {
        let asks = |accept: &str| {
            wants_csv(&TestRequest::default().insert_header(("accept", accept)).to_http_request())
        };
        assert!(asks("text/csv"));
        assert!(asks("text/csv, application/json;q=0.5"));
        assert!(!asks("application/json, text/csv;q=0.5"));
        assert!(!asks("*/*"));
        assert!(!asks("text/csv;q=0"));
        assert!(!wants_csv(&TestRequest::default().to_http_request()));
    }
}
