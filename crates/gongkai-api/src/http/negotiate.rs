//! Content negotiation: which representation a read answers with, chosen by `Accept`
//! (RFC 9110 §12.5.1) among those the operation offers, and 406 when the caller accepts
//! none of them.
//!
//! A read offering more than JSON calls [`choose`] with its formats (JSON first: it is
//! the answer when the caller states no preference). Every other operation answers JSON
//! only, and [`refuse_unacceptable`] checks that for them: a write before it runs (so a
//! refusal changes nothing), a read by the type of its answer.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::{HttpRequest, ResponseError};

use crate::http::error::ApiError;

/// A representation the service can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/json`
    Json,
    /// `text/csv`, UTF-8 with a byte-order mark so spreadsheets read the Chinese text.
    Csv,
    /// An Excel workbook (Office Open XML).
    Xlsx,
    /// `text/html`, a page ready to print or paste into the portal.
    Html,
    /// A Word document (Office Open XML).
    Docx,
}

impl Format {
    /// The media type (without parameters) the format is asked for and answered as.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Html => "text/html",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    /// The `Content-Type` of an answer in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            other => other.media_type(),
        }
    }

    /// The file-name extension of a download in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// One media range of an `Accept` header with its weight.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    subtype: String,
    q: f32,
}

impl Range {
    /// How specifically this range names `media` (`type/subtype`): 2 exactly, 1 by
    /// `type/*`, 0 by `*/*`; `None` when it does not cover it.
    fn specificity(&self, media: &str) -> Option<u8> {
        let (kind, subtype) = media.split_once('/')?;
        match (self.kind.as_str(), self.subtype.as_str()) {
            ("*", "*") => Some(0),
            (k, "*") if k == kind => Some(1),
            (k, s) if k == kind && s == subtype => Some(2),
            _ => None,
        }
    }
}

/// The ranges of every `Accept` header of the request; `None` when there is none (or
/// only blank ones), which accepts anything. A range whose weight does not parse counts
/// as `q=1`, as most servers read it.
fn ranges(req_headers: &header::HeaderMap) -> Option<Vec<Range>> {
    let mut out = Vec::new();
    for value in req_headers.get_all(header::ACCEPT) {
        let Ok(value) = value.to_str() else { continue };
        for range in value.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let Some((kind, subtype)) = media.split_once('/') else { continue };
            let q = parts
                .filter_map(|p| {
                    let (name, value) = p.split_once('=')?;
                    (name.trim().eq_ignore_ascii_case("q")).then(|| value.trim().parse().ok())?
                })
                .next()
                .unwrap_or(1.0_f32)
                .clamp(0.0, 1.0);
            out.push(Range { kind: kind.trim().into(), subtype: subtype.trim().into(), q });
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The weight the ranges give `media`: that of the most specific range covering it, 0
/// when none does.
fn weight(ranges: &[Range], media: &str) -> f32 {
    ranges
        .iter()
        .filter_map(|r| r.specificity(media).map(|s| (s, r.q)))
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map_or(0.0, |(_, q)| q)
}

/// The format to answer with: among `offered` (in the operation's order of preference),
/// the one `Accept` weighs highest, the earlier on a tie; the first when there is no
/// `Accept`. 406 `not_acceptable` when the caller accepts none of them.
pub fn choose(req: &HttpRequest, offered: &[Format]) -> Result<Format, ApiError> {
    choose_from(req.headers(), offered)
}

fn choose_from(headers: &header::HeaderMap, offered: &[Format]) -> Result<Format, ApiError> {
    let first = offered.first().copied().unwrap_or(Format::Json);
    let Some(ranges) = ranges(headers) else { return Ok(first) };
    let mut best: Option<(Format, f32)> = None;
    for &format in offered {
        let q = weight(&ranges, format.media_type());
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((format, q));
        }
    }
    best.map(|(f, _)| f).ok_or_else(|| not_acceptable(offered))
}

/// 406 naming what the operation can answer with.
pub fn not_acceptable(offered: &[Format]) -> ApiError {
    let types: Vec<&str> = offered.iter().map(|f| f.media_type()).collect();
    ApiError::NotAcceptable(format!(
        "the Accept header names no type this operation can answer with; it answers {}",
        types.join(", ")
    ))
}

/// Whether `Accept` takes a JSON answer: `application/json` or the error type
/// `application/problem+json` (or a wildcard covering them).
fn takes_json(headers: &header::HeaderMap) -> bool {
    ranges(headers).is_none_or(|r| {
        weight(&r, "application/json") > 0.0 || weight(&r, "application/problem+json") > 0.0
    })
}

/// Whether `Accept` takes an answer of `content_type` (parameters ignored).
fn takes(headers: &header::HeaderMap, content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media == "application/json" {
        return takes_json(headers);
    }
    ranges(headers).is_none_or(|r| weight(&r, &media) > 0.0)
}

/// Refuses with 406 what the caller would not accept: a write whose caller does not take
/// JSON, before it runs; a successful read whose answer's type the caller does not take
/// (reads that offer several formats refuse by themselves through [`choose`]). Errors
/// stay problem+json whatever `Accept` says.
pub async fn refuse_unacceptable(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let read = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !read && !takes_json(req.headers()) {
        return Ok(req.into_response(not_acceptable(&[Format::Json]).error_response()));
    }
    let res = next.call(req).await?;
    let refused = read
        && res.status().is_success()
        && res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| !takes(res.request().headers(), ct));
    if !refused {
        return Ok(res.map_into_boxed_body());
    }
    let answered = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .to_string();
    let (req, _) = res.into_parts();
    let err = ApiError::NotAcceptable(format!(
        "the Accept header names no type this operation can answer with; it answers {answered}"
    ));
    Ok(ServiceResponse::new(req, err.error_response()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderMap, HeaderValue};

    fn accept(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(header::ACCEPT, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    const LISTS: &[Format] = &[Format::Json, Format::Csv, Format::Xlsx];

    #[test]
    fn chooses_by_weight_then_by_the_operations_order() {
        let xlsx = Format::Xlsx.media_type();
        let cases: &[(&[&str], Option<Format>)] = &[
            (&[], Some(Format::Json)),
            (&[""], Some(Format::Json)),
            (&["*/*"], Some(Format::Json)),
            (&["text/csv"], Some(Format::Csv)),
            (&["TEXT/CSV; charset=utf-8"], Some(Format::Csv)),
            (&["text/*"], Some(Format::Csv)),
            (&[xlsx], Some(Format::Xlsx)),
            (&["application/json;q=0.5, text/csv"], Some(Format::Csv)),
            (&["application/json, text/csv"], Some(Format::Json)),
            (&["text/csv;q=0.2", "application/json;q=0.1"], Some(Format::Csv)),
            // The most specific range decides: */* does not revive text/csv;q=0.
            (&["text/csv;q=0, */*"], Some(Format::Json)),
            (&["application/json;q=0, text/csv;q=0, */*;q=0.3"], Some(Format::Xlsx)),
            (&["text/calendar"], None),
            (&["application/json;q=0"], None),
            (&["image/png, text/html"], None),
        ];
        for (values, want) in cases {
            let got = choose_from(&accept(values), LISTS).ok();
            assert_eq!(got, *want, "Accept: {values:?}");
        }
    }

    #[test]
    fn a_refusal_names_what_the_operation_offers() {
        let err = choose_from(&accept(&["text/calendar"]), LISTS).unwrap_err();
        assert_eq!(err.code(), "not_acceptable");
        let detail = err.to_string();
        assert!(detail.contains("application/json") && detail.contains("text/csv"), "{detail}");
    }

    #[test]
    fn json_answers_and_problem_json() {
        assert!(takes_json(&accept(&[])));
        assert!(takes_json(&accept(&["application/problem+json"])));
        assert!(takes_json(&accept(&["application/*"])));
        assert!(!takes_json(&accept(&["text/csv"])));
        assert!(takes(&accept(&["text/calendar"]), "text/calendar; charset=utf-8"));
        assert!(!takes(&accept(&["text/calendar"]), "application/json"));
    }
}
