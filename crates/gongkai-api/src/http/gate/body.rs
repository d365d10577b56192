//! Following a request body through the byte stream, to know where the next request
//! head starts. Body bytes pass on unchanged; only their count matters.

use crate::http::gate::head::Framing;

/// The longest chunk-size or trailer line followed; beyond it the stream is passed on
/// without looking (actix then judges it).
const MAX_LINE: usize = 4096;

/// Where in a body the stream is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// This many bytes of a `Content-Length` body to go.
    Length(u64),
    /// Reading a chunk-size line (`1a;ext=…`), of which this much was seen.
    ChunkSize(Vec<u8>),
    /// This many bytes of chunk data to go, then the line end after them.
    ChunkData(u64),
    /// The line end after a chunk's data.
    ChunkEnd,
    /// Trailer lines after the last chunk, up to an empty line; this much of the current.
    Trailers(Vec<u8>),
    /// Everything until the connection ends, or a stream no longer followed.
    UntilClose,
}

/// What feeding bytes to a body left.
#[derive(Debug, PartialEq, Eq)]
pub enum Fed {
    /// The body goes on: all the bytes belong to it.
    More,
    /// The body ended after this many of the bytes; the rest begins the next request.
    Done(usize),
}

impl Body {
    /// The body of a request framed as `framing`; None when it has none.
    pub fn of(framing: Framing) -> Option<Body> {
        match framing {
            Framing::None => None,
            Framing::Length(n) => Some(Body::Length(n)),
            Framing::Chunked => Some(Body::ChunkSize(Vec::new())),
            Framing::UntilClose => Some(Body::UntilClose),
        }
    }

    /// Follows `bytes` through the body.
    pub fn feed(&mut self, bytes: &[u8]) -> Fed {
        let mut i = 0;
        while i < bytes.len() {
            match self {
                Body::UntilClose => return Fed::More,
                Body::Length(rest) => {
                    let take = (*rest).min((bytes.len() - i) as u64);
                    *rest -= take;
                    i += take as usize;
                    if *rest == 0 {
                        return Fed::Done(i);
                    }
                }
                Body::ChunkData(rest) => {
                    let take = (*rest).min((bytes.len() - i) as u64);
                    *rest -= take;
                    i += take as usize;
                    if *rest == 0 {
                        *self = Body::ChunkEnd;
                    }
                }
                Body::ChunkEnd => {
                    if bytes[i] == b'\n' {
                        *self = Body::ChunkSize(Vec::new());
                    }
                    i += 1;
                }
                Body::ChunkSize(line) | Body::Trailers(line) => {
                    let b = bytes[i];
                    i += 1;
                    if b != b'\n' {
                        line.push(b);
                        if line.len() > MAX_LINE {
                            *self = Body::UntilClose;
                        }
                        continue;
                    }
                    let text = String::from_utf8_lossy(line).trim().to_string();
                    if matches!(self, Body::Trailers(_)) {
                        if text.is_empty() {
                            return Fed::Done(i);
                        }
                        *self = Body::Trailers(Vec::new());
                        continue;
                    }
                    let size = text.split(';').next().unwrap_or("").trim();
                    *self = match u64::from_str_radix(size, 16) {
                        Ok(0) => Body::Trailers(Vec::new()),
                        Ok(n) => Body::ChunkData(n),
                        // Not a chunk size: no longer followed.
                        Err(_) => Body::UntilClose,
                    };
                }
            }
        }
        Fed::More
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_length_body_ends_where_it_says() {
        let mut b = Body::of(Framing::Length(5)).unwrap();
        assert_eq!(b.feed(b"abc"), Fed::More);
        assert_eq!(b.feed(b"deGET"), Fed::Done(2));
        assert_eq!(Body::of(Framing::None), None);
    }

    #[test]
    fn a_chunked_body_ends_after_its_last_chunk_and_trailers() {
        let stream = b"4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\nX-T: 1\r\n\r\nGET / HTTP/1.1";
        for split in 0..stream.len() {
            let mut b = Body::of(Framing::Chunked).unwrap();
            let (one, two) = stream.split_at(split);
            let end = match b.feed(one) {
                Fed::Done(n) => n,
                Fed::More => match b.feed(two) {
                    Fed::Done(n) => split + n,
                    Fed::More => panic!("never ended (split {split})"),
                },
            };
            assert_eq!(&stream[end..], b"GET / HTTP/1.1", "split {split}");
        }
        let mut b = Body::of(Framing::Chunked).unwrap();
        assert_eq!(b.feed(b"zz\r\n"), Fed::More);
        assert_eq!(b, Body::UntilClose);
    }
}
