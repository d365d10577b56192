//! Reading a request head the way actix-http will, so that what it would refuse with
//! an empty answer is refused here first, with a reason.
//!
//! The rules follow actix-http's HTTP/1 decoder (`h1/decoder.rs`): the same parser
//! (httparse, at most 96 headers), the same method and URI checks (`http`'s types), and
//! the same header rules (one `Content-Length` of digits, one `Transfer-Encoding` that is
//! `chunked` and never with `Content-Length`, one `Host`, required in HTTP/1.1, and a
//! length on an HTTP/1.0 POST). A head accepted here is one actix accepts; on top, the
//! request target and the head as a whole have limits of their own, below actix's.

use actix_http::{Method, Uri};

use crate::http::error::ApiError;

/// The longest request target (path and query) read, in bytes.
pub const MAX_TARGET_BYTES: usize = 8 * 1024;
/// The largest request head (request line and headers) read, in bytes.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The most header fields read (actix-http's own limit).
pub const MAX_HEADERS: usize = 96;

/// How the body of an accepted request is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// No body.
    None,
    /// `Content-Length` bytes.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Everything until the connection ends (a protocol upgrade, CONNECT).
    UntilClose,
}

/// What the bytes read so far hold.
#[derive(Debug)]
pub enum Inspection {
    /// A head that is not complete yet.
    NeedMore,
    /// A complete head of `len` bytes that actix will accept.
    Accept { len: usize, framing: Framing },
    /// A head to refuse, with the answer.
    Refuse(ApiError),
}

fn bad(detail: impl Into<String>) -> Inspection {
    Inspection::Refuse(ApiError::BadRequest { code: "malformed_request", detail: detail.into() })
}

fn target_too_long(len: usize) -> Inspection {
    Inspection::Refuse(ApiError::UriTooLong(format!(
        "the request target (path and query) is longer than {MAX_TARGET_BYTES} bytes{}; \
         send long filters in fewer, shorter parameters",
        if len > 0 { format!(" ({len} bytes)") } else { String::new() }
    )))
}

fn head_too_large() -> Inspection {
    Inspection::Refuse(ApiError::HeadersTooLarge(format!(
        "the request's headers are larger than {MAX_HEAD_BYTES} bytes or more than \
         {MAX_HEADERS} fields"
    )))
}

/// Inspects the start of `buf`, which begins with a request head.
pub fn inspect(buf: &[u8]) -> Inspection {
    // Blank lines before a request are ignored by the parser (RFC 9112 §2.2).
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Partial) => {
            let request_line_len = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
            if request_line_len > MAX_TARGET_BYTES + 64 {
                target_too_long(0)
            } else if buf.len() > MAX_HEAD_BYTES {
                head_too_large()
            } else {
                Inspection::NeedMore
            }
        }
        Err(httparse::Error::TooManyHeaders) => head_too_large(),
        Err(e) => {
            let line_done = buf.contains(&b'\n');
            if !line_done && buf.len() > MAX_TARGET_BYTES + 64 {
                return target_too_long(0);
            }
            bad(format!(
                "the request is not valid HTTP/1.1 ({}): check its {}",
                e,
                match e {
                    httparse::Error::HeaderName | httparse::Error::HeaderValue => "headers",
                    _ => "request line (method, target and version)",
                }
            ))
        }
        Ok(httparse::Status::Complete(len)) => {
            let (Some(method), Some(target), Some(version)) = (req.method, req.path, req.version)
            else {
                return bad("the request line is incomplete");
            };
            if target.len() > MAX_TARGET_BYTES {
                return target_too_long(target.len());
            }
            if len > MAX_HEAD_BYTES {
                return head_too_large();
            }
            if !target.is_ascii() {
                return bad("the request target must be ASCII: percent-encode other characters \
                     (UTF-8, e.g. %E5%BC%80)");
            }
            if Uri::try_from(target).is_err() {
                return bad("the request target is not a valid URI");
            }
            let Ok(method) = Method::from_bytes(method.as_bytes()) else {
                return bad("the request method is not valid");
            };
            framing(&method, version == 1, req.headers)
                .map_or_else(bad, |framing| Inspection::Accept { len, framing })
        }
    }
}

/// The body's framing by the header rules actix-http applies, or why they are broken.
fn framing(
    method: &Method,
    http11: bool,
    headers: &[httparse::Header<'_>],
) -> Result<Framing, String> {
    let mut content_length: Option<u64> = None;
    let mut transfer_encoding: Option<String> = None;
    let mut host = false;
    let mut websocket = false;
    for h in headers {
        let value = std::str::from_utf8(h.value).map(str::trim);
        if h.name.eq_ignore_ascii_case("content-length") {
            if content_length.is_some() {
                return Err("the request has more than one Content-Length".into());
            }
            match value.ok().filter(|v| !v.starts_with('+')).and_then(|v| v.parse().ok()) {
                Some(n) => content_length = Some(n),
                None => return Err("Content-Length is not a number of bytes".into()),
            }
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            if transfer_encoding.is_some() {
                return Err("the request has more than one Transfer-Encoding".into());
            }
            let Ok(v) = value else {
                return Err("Transfer-Encoding is not readable".into());
            };
            if http11 && !v.eq_ignore_ascii_case("chunked") && !v.eq_ignore_ascii_case("identity") {
                return Err(format!("Transfer-Encoding `{v}` is not supported; use chunked"));
            }
            transfer_encoding = Some(v.to_ascii_lowercase());
        } else if h.name.eq_ignore_ascii_case("host") {
            if host {
                return Err("the request has more than one Host".into());
            }
            host = true;
        } else if h.name.eq_ignore_ascii_case("upgrade") {
            websocket |= value.is_ok_and(|v| v.eq_ignore_ascii_case("websocket"));
        }
    }
    if http11 && !host {
        return Err("an HTTP/1.1 request needs a Host header".into());
    }
    let chunked = match transfer_encoding.as_deref() {
        None => false,
        Some(_) if !http11 => {
            return Err("Transfer-Encoding is not allowed in an HTTP/1.0 request".into());
        }
        Some(v) if v != "chunked" => {
            return Err("a request's Transfer-Encoding must be chunked".into());
        }
        Some(_) if content_length.is_some() => {
            return Err("a request cannot have both Content-Length and Transfer-Encoding".into());
        }
        Some(_) => true,
    };
    if !http11 && method == Method::POST && content_length.is_none() {
        return Err("an HTTP/1.0 POST needs a Content-Length".into());
    }
    Ok(if chunked {
        Framing::Chunked
    } else if websocket {
        Framing::UntilClose
    } else {
        match content_length {
            Some(n) if n > 0 => Framing::Length(n),
            _ if method == Method::CONNECT => Framing::UntilClose,
            _ => Framing::None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(buf: &[u8]) -> Option<u16> {
        use actix_web::ResponseError;
        match inspect(buf) {
            Inspection::Refuse(e) => Some(e.status_code().as_u16()),
            _ => None,
        }
    }

    #[test]
    fn a_good_head_is_accepted_with_its_framing() {
        let head =
            b"POST /api/v1/units HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n{\"a\": 1}";
        match inspect(head) {
            Inspection::Accept { len, framing } => {
                assert_eq!(&head[len..], b"{\"a\": 1}");
                assert_eq!(framing, Framing::Length(12));
            }
            other => panic!("{other:?}"),
        }
        let chunked = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert!(matches!(inspect(chunked), Inspection::Accept { framing: Framing::Chunked, .. }));
        let get = b"GET /healthz HTTP/1.0\r\n\r\n";
        assert!(matches!(inspect(get), Inspection::Accept { framing: Framing::None, .. }));
        assert!(matches!(inspect(b"GET /healthz HTTP/1.1\r\nHost"), Inspection::NeedMore));
    }

    #[test]
    fn what_actix_would_refuse_silently_is_refused_with_a_status() {
        let long = format!("GET /?q={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100_000));
        assert_eq!(status(long.as_bytes()), Some(414));
        // Refused before the request line is even complete.
        assert_eq!(status(&long.as_bytes()[..20_000]), Some(414));
        let path = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "p".repeat(9_000));
        assert_eq!(status(path.as_bytes()), Some(414));
        let many: String = (0..100).map(|i| format!("X-H{i}: v\r\n")).collect();
        assert_eq!(
            status(format!("GET / HTTP/1.1\r\nHost: x\r\n{many}\r\n").as_bytes()),
            Some(431)
        );
        let big = format!("GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "b".repeat(70_000));
        assert_eq!(status(big.as_bytes()), Some(431));
        assert_eq!(status(&big.as_bytes()[..66_000]), Some(431));
        assert_eq!(status(b"GET /\xe5\xbc\x80 HTTP/1.1\r\nHost: x\r\n\r\n"), Some(400));
        assert_eq!(status(b"GET /\xff HTTP/1.1\r\nHost: x\r\n\r\n"), Some(400));
        assert_eq!(status(b"NOT A REQUEST\r\n\r\n"), Some(400));
        assert_eq!(status(b"GET / HTTP/9.9\r\n\r\n"), Some(400));
        assert_eq!(status(b"GET / HTTP/1.1\r\n\r\n"), Some(400), "HTTP/1.1 needs Host");
        let both = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(status(both), Some(400));
        assert_eq!(status(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\n"), Some(400));
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"),
            Some(400)
        );
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
            Some(400)
        );
        assert_eq!(status(b"POST / HTTP/1.0\r\n\r\n"), Some(400));
        assert_eq!(status(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), Some(400));
        assert_eq!(status(b"GET / HTTP/1.1\r\nBad Header: x\r\nHost: a\r\n\r\n"), Some(400));
    }
}
