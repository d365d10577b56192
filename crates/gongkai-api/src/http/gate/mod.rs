//! The connection gate: requests actix-http's parser would refuse with an empty answer
//! are refused here, before it sees them, with problem+json and the right status.
//!
//! actix-http answers what its HTTP/1 parser cannot take — a request target or head too
//! large for its buffer, a malformed request line, a target that is not ASCII — itself,
//! with an empty 400 or 431 that never reaches the application, and it has no setting to
//! change that (its limits are constants, its error answers fixed). So every connection
//! goes through a [`Gate`]: it holds each request head back until it is complete, reads
//! it by the same rules as actix ([`head`]), and passes it on when actix will take it.
//! A head to refuse is replaced by a stand-in request for [`REFUSAL_PATH`] that closes
//! the connection; [`answer_refusals`] answers it with the refusal as problem+json (so
//! it is logged, and carries the security headers, like any answer). Body bytes pass
//! through unchanged; the gate only follows their framing ([`body`]) to find the next
//! head. A head that takes longer than [`HEAD_TIMEOUT`] is refused too (408), in place
//! of actix's own empty 408. After a refusal the gate reads and discards what the client
//! still sends until it closes, so that the answer is not lost to a connection reset.

pub mod body;
pub mod head;

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::ResponseError;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::rt::time::{Sleep, sleep};
use actix_web::web::BytesMut;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::http::error::ApiError;
use crate::http::gate::body::{Body, Fed};
use crate::http::gate::head::{Inspection, inspect};

/// The path of the stand-in request that carries a refusal to the application.
pub const REFUSAL_PATH: &str = "/.well-known/gongkai/refused";
/// How much a refused client may still send before the gate stops reading it.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;
/// How long a request head may take to arrive: counted from the connection's start for
/// its first request, and from a head's first byte for the next ones (between requests,
/// actix's keep-alive timer closes an idle connection).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// The refusal of a connection's last request, for [`answer_refusals`]; kept in the
/// connection's data.
#[derive(Clone, Default)]
pub struct RefusalSlot(Arc<Mutex<Option<ApiError>>>);

impl RefusalSlot {
    fn put(&self, err: ApiError) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(err);
    }

    fn take(&self) -> Option<ApiError> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Where the gate is in the request stream.
enum Stage {
    /// Collecting a request head.
    Head,
    /// Passing a body on.
    Body(Body),
    /// A request was refused: the stand-in went out, what follows is discarded.
    Refused,
}

/// The stand-in for a refused request: answered by [`answer_refusals`], and the last
/// request of its connection.
const STAND_IN: &[u8] = b"GET /.well-known/gongkai/refused HTTP/1.1\r\nHost: gongkai\r\n\
                          Connection: close\r\n\r\n";

/// A connection with its requests read by the gate first.
pub struct Gate<T> {
    io: T,
    stage: Stage,
    /// Bytes of a head not yet complete.
    head: BytesMut,
    /// Bytes passed on and not yet read by actix.
    out: BytesMut,
    /// The client closed its side (or sent more than the gate reads after a refusal).
    eof: bool,
    /// The gate closed its side.
    shut: bool,
    /// Bytes discarded after a refusal or when closing.
    drained: usize,
    /// No request head was passed on yet.
    first: bool,
    /// When the head being read must be complete.
    deadline: Option<Pin<Box<Sleep>>>,
    refusal: RefusalSlot,
}

impl<T> Gate<T> {
    /// Puts a connection behind the gate.
    pub fn new(io: T) -> Self {
        Gate {
            io,
            stage: Stage::Head,
            head: BytesMut::new(),
            out: BytesMut::new(),
            eof: false,
            shut: false,
            drained: 0,
            first: true,
            deadline: None,
            refusal: RefusalSlot::default(),
        }
    }

    /// The slot its refusal is put in, for the connection's data.
    pub fn refusal_slot(&self) -> RefusalSlot {
        self.refusal.clone()
    }

    /// The connection underneath.
    pub fn get_ref(&self) -> &T {
        &self.io
    }

    /// Follows newly read bytes through heads and bodies, passing on what actix may read.
    fn feed(&mut self, bytes: &[u8]) {
        let mut input = BytesMut::from(bytes);
        loop {
            match &mut self.stage {
                Stage::Refused => return,
                Stage::Body(body) => {
                    if input.is_empty() {
                        return;
                    }
                    match body.feed(&input) {
                        Fed::More => {
                            self.out.extend_from_slice(&input);
                            return;
                        }
                        Fed::Done(n) => {
                            self.out.extend_from_slice(&input.split_to(n));
                            self.stage = Stage::Head;
                        }
                    }
                }
                Stage::Head => {
                    let new_line = input.contains(&b'\n');
                    self.head.extend_from_slice(&input);
                    // A head completes, and a malformed line shows, at a line's end; in
                    // between only the limits need a look (so that a head trickling in
                    // byte by byte is not parsed again at every byte).
                    let over_limit = self.head.len() > head::MAX_HEAD_BYTES
                        || (self.head.len() > head::MAX_TARGET_BYTES
                            && !self.head.contains(&b'\n'));
                    if self.head.is_empty() || !(new_line || over_limit) {
                        return;
                    }
                    match inspect(&self.head) {
                        Inspection::NeedMore => return,
                        Inspection::Accept { len, framing } => {
                            self.first = false;
                            self.deadline = None;
                            self.out.extend_from_slice(&self.head.split_to(len));
                            input = self.head.split();
                            self.stage = Body::of(framing).map_or(Stage::Head, Stage::Body);
                        }
                        Inspection::Refuse(err) => {
                            self.refuse(err);
                            return;
                        }
                    }
                }
            }
        }
    }

    /// Replaces the request being read by the stand-in carrying `err`.
    fn refuse(&mut self, err: ApiError) {
        self.refusal.put(err);
        self.head.clear();
        self.deadline = None;
        self.out.extend_from_slice(STAND_IN);
        self.stage = Stage::Refused;
    }

    /// Whether a head is awaited now, with a deadline: the first request's from the
    /// start, later ones once their first byte came.
    fn awaiting_head(&self) -> bool {
        matches!(self.stage, Stage::Head) && (self.first || !self.head.is_empty())
    }

    /// True when closing the connection may cut off bytes the client is still sending.
    fn mid_request(&self) -> bool {
        match self.stage {
            Stage::Refused | Stage::Body(_) => true,
            Stage::Head => !self.head.is_empty(),
        }
    }
}

impl<T: AsyncRead + Unpin> Gate<T> {
    /// Reads from the client: Ready(n), where 0 means the client closed its side.
    fn poll_inner(&mut self, cx: &mut Context<'_>, scratch: &mut [u8]) -> Poll<io::Result<usize>> {
        let mut rb = ReadBuf::new(scratch);
        match Pin::new(&mut self.io).poll_read(cx, &mut rb) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(rb.filled().len())),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Reads and discards what the client still sends until it closes its side (or sends
    /// more than [`DRAIN_LIMIT`]).
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut scratch = [0u8; 16 * 1024];
        while !self.eof {
            match self.poll_inner(cx, &mut scratch) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(_)) | Poll::Ready(Ok(0)) => self.eof = true,
                Poll::Ready(Ok(n)) => {
                    self.drained += n;
                    if self.drained > DRAIN_LIMIT {
                        self.eof = true;
                    }
                }
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Gate<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let mut scratch = [0u8; 16 * 1024];
        loop {
            if !this.out.is_empty() || buf.remaining() == 0 {
                let n = this.out.len().min(buf.remaining());
                buf.put_slice(&this.out.split_to(n));
                return Poll::Ready(Ok(()));
            }
            if this.eof {
                return Poll::Ready(Ok(()));
            }
            if let Stage::Refused = this.stage {
                // Nothing more is passed on; the stand-in is answered meanwhile.
                std::task::ready!(this.poll_drain(cx))?;
                continue;
            }
            match this.poll_inner(cx, &mut scratch) {
                Poll::Ready(Ok(0)) => this.eof = true,
                Poll::Ready(Ok(n)) => this.feed(&scratch[..n]),
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => {
                    if !this.awaiting_head() {
                        return Poll::Pending;
                    }
                    let deadline =
                        this.deadline.get_or_insert_with(|| Box::pin(sleep(HEAD_TIMEOUT)));
                    std::task::ready!(deadline.as_mut().poll(cx));
                    this.refuse(ApiError::RequestTimeout(format!(
                        "the request head did not arrive within {} seconds",
                        HEAD_TIMEOUT.as_secs()
                    )));
                }
            }
        }
    }
}

impl<T: AsyncWrite + AsyncRead + Unpin> AsyncWrite for Gate<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    /// Closes the sending side, then — when the client may still be sending (a refused
    /// request, a body not read to its end) — reads and discards until it closes too, so
    /// that unread bytes do not make the connection reset before the answer is read.
    /// actix bounds this wait (`client_disconnect_timeout`).
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !this.shut {
            std::task::ready!(Pin::new(&mut this.io).poll_shutdown(cx))?;
            this.shut = true;
        }
        if this.mid_request() {
            std::task::ready!(this.poll_drain(cx))?;
        }
        Poll::Ready(Ok(()))
    }
}

/// Answers the stand-in of a refused request with its refusal (middleware, for
/// `actix_web::middleware::from_fn`). Other requests, including one that merely names
/// [`REFUSAL_PATH`], go on.
pub async fn answer_refusals(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    if req.path() == REFUSAL_PATH
        && let Some(err) = req.request().conn_data::<RefusalSlot>().and_then(RefusalSlot::take)
    {
        return Ok(req.into_response(err.error_response()));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passed(gate: &mut Gate<()>, bytes: &[u8]) -> Vec<u8> {
        gate.feed(bytes);
        gate.out.split().to_vec()
    }

    #[test]
    fn heads_wait_until_complete_and_bodies_pass_through() {
        let mut g = Gate::new(());
        assert_eq!(passed(&mut g, b"POST /a HTTP/1.1\r\nHost: x\r\nContent-"), b"");
        assert_eq!(
            passed(&mut g, b"Length: 4\r\n\r\nab"),
            b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab"
        );
        // The rest of the body, and the next request's head arriving in pieces.
        assert_eq!(passed(&mut g, b"cdGET /b HTTP/1.1\r\n"), b"cd");
        assert_eq!(passed(&mut g, b"Host: x\r\n\r\n"), b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        // Two requests in one read.
        let two = b"GET /c HTTP/1.1\r\nHost: x\r\n\r\nGET /d HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(passed(&mut g, two), two);
        assert!(g.refusal.take().is_none());
    }

    #[test]
    fn a_bad_head_is_replaced_by_the_stand_in_and_what_follows_is_dropped() {
        let mut g = Gate::new(());
        let good = b"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n";
        let bad = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "x".repeat(20_000));
        let mut stream = good.to_vec();
        stream.extend_from_slice(bad.as_bytes());
        let mut expected = good.to_vec();
        expected.extend_from_slice(STAND_IN);
        assert_eq!(passed(&mut g, &stream), expected);
        assert_eq!(passed(&mut g, b"GET /after HTTP/1.1\r\nHost: x\r\n\r\n"), b"");
        let refusal = g.refusal.take().expect("a refusal");
        assert_eq!(refusal.code(), "uri_too_long");
    }
}
