//! Request extractors that answer problem+json: JSON bodies read after authorization,
//! `If-Match`, and list paging.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use gongkai_core::validation::{FieldError, TextKind, check_text};
use gongkai_store::{ChangeKey, Changes, PageRequest, StoreError};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

use crate::http::error::ApiError;
use crate::http::messages::{humanize, missing_field};
use crate::http::params::is_id_field;
use crate::http::state::AppState;

/// A request body, read but not yet parsed: handlers authorize first, then parse, so
/// that a caller without the right gets 403 whatever it sent.
pub struct Body {
    bytes: web::Bytes,
    content_type: Option<String>,
}

impl Body {
    fn media_type(&self) -> Option<String> {
        self.content_type
            .as_deref()
            .map(|c| c.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
    }

    /// True when the body is declared JSON (`application/json` or `…+json`).
    pub fn is_json(&self) -> bool {
        self.media_type().is_some_and(|m| m == "application/json" || m.ends_with("+json"))
    }

    /// True when nothing was sent.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Parses the body as JSON into `T`: 415 unless the content type is JSON, 400 when
    /// the JSON is malformed, 422 naming the field when it does not fit `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        match self.media_type() {
            Some(m) if m == "application/json" || m.ends_with("+json") => {}
            _ => {
                return Err(ApiError::UnsupportedMediaType(
                    "the body must be JSON, sent with Content-Type: application/json".into(),
                ));
            }
        }
        // PostgreSQL cannot store the NUL character; refuse it here, clearly, rather
        // than fail when writing.
        if self.bytes.windows(6).any(|w| w == b"\\u0000") {
            return Err(ApiError::field("body", "text cannot contain the NUL character (\\u0000)"));
        }
        let mut tree: serde_json::Value =
            serde_json::from_slice(&self.bytes).map_err(|e| ApiError::BadRequest {
                code: "malformed_json",
                detail: if e.to_string().starts_with("trailing characters") {
                    format!(
                        "the body is not valid JSON: more follows the value (line {}, column {})",
                        e.line(),
                        e.column()
                    )
                } else {
                    format!("the body is not valid JSON (line {}, column {})", e.line(), e.column())
                },
            })?;
        check_tree(&mut tree)?;
        let value: T = serde_path_to_error::deserialize(tree).map_err(|e| {
            let path = e.path().to_string();
            let raw = e.into_inner().to_string();
            ApiError::field(field_of(&path, &raw, "body"), humanize(&raw))
        })?;
        Ok(value)
    }

    /// The body as UTF-8-checked raw bytes for text endpoints: 415 unless the content type
    /// is `text/plain`.
    pub fn text_bytes(&self) -> Result<&[u8], ApiError> {
        match self.media_type() {
            Some(m) if m == "text/plain" => {
                check_plain_text(&self.bytes)?;
                Ok(&self.bytes)
            }
            _ => Err(ApiError::UnsupportedMediaType(
                "the body must be text, sent with Content-Type: text/plain; charset=utf-8 (or JSON where the operation takes it)".into(),
            )),
        }
    }
}

/// The query string parsed into `T`: a value that does not fit answers 422 naming the
/// parameter, in words for a person.
pub struct Query<T>(pub T);

impl<T> Query<T> {
    /// The parsed parameters.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The field a parse failure is about: the path to the value, or for a missing field
/// the path to it; `whole` when the failure is about the input as a whole.
fn field_of(path: &str, message: &str, whole: &str) -> String {
    match (path, missing_field(message)) {
        (".", Some(f)) => f,
        (p, Some(f)) => format!("{p}.{f}"),
        (".", None) => whole.to_string(),
        (p, None) => p.to_string(),
    }
}

/// Parses a query string into `T`, naming the offending parameter.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let raw = e.into_inner().to_string();
        let field = field_of(&path, &raw, "query");
        ApiError::field(field, humanize(&raw))
    })
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

/// Refuses control and bidirectional formatting characters in a text body (free text:
/// line and page breaks and tabs are fine, and so is a byte-order mark at its start),
/// naming the line. Bytes that are not UTF-8 are left to the reader of the text.
fn check_plain_text(bytes: &[u8]) -> Result<(), ApiError> {
    let Ok(text) = std::str::from_utf8(bytes) else { return Ok(()) };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    for (i, line) in text.split('\n').enumerate() {
        if let Err(why) = check_text(line, TextKind::FreeText) {
            return Err(ApiError::field("body", format!("line {}: the text {why}", i + 1)));
        }
    }
    Ok(())
}

/// Checks a JSON body before it is read into its type, by the rules the document states
/// for every body: texts without control or bidirectional-override characters (names
/// stricter than free text), ids (`id`, `…_id`, the items of `…_ids`) from 1 to 2^63−1;
/// and reads a whole number written with a fraction or an exponent (`18.0`, `1e2`) as the
/// integer it is — JSON has one kind of number, and JSON Schema counts 18.0 as an integer.
fn check_tree(tree: &mut serde_json::Value) -> Result<(), ApiError> {
    use serde_json::Value;
    fn walk(value: &mut Value, path: &str, key: &str, kind: TextKind, out: &mut Vec<FieldError>) {
        let field = || if path.is_empty() { "body".to_string() } else { path.to_string() };
        match value {
            Value::String(s) => {
                if let Err(why) = check_text(s, kind) {
                    out.push(FieldError::new(field(), format!("the text {why}")));
                }
            }
            Value::Number(n) => {
                if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                    // 2^63 is the first whole f64 past i64::MAX; below it the cast is exact.
                    let whole = f.fract() == 0.0
                        && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f);
                    if whole {
                        *value = Value::from(f as i64);
                    }
                }
                if is_id_field(key) && value.as_i64().is_some_and(|id| id < 1) {
                    out.push(FieldError::new(field(), crate::http::params::ID_RULE));
                }
            }
            Value::Array(items) => {
                let item_key = key.strip_suffix('s').filter(|k| k.ends_with("_id")).unwrap_or("");
                for (i, item) in items.iter_mut().enumerate() {
                    walk(item, &format!("{path}[{i}]"), item_key, kind, out);
                }
            }
            Value::Object(fields) => {
                for (key, item) in fields.iter_mut() {
                    let kind = if key == "name" || key.ends_with("_name") || key == "title" {
                        TextKind::Name
                    } else {
                        TextKind::FreeText
                    };
                    let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    walk(item, &path, key, kind, out);
                }
            }
            _ => {}
        }
    }
    if !tree.is_object() {
        return Err(ApiError::field(
            "body",
            "the body is a JSON object ({…}) of the fields to set",
        ));
    }
    let mut errors = Vec::new();
    walk(tree, "", "", TextKind::FreeText, &mut errors);
    if errors.is_empty() { Ok(()) } else { Err(ApiError::fields(errors)) }
}

impl FromRequest for Body {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(crate::http::state::DEFAULT_BODY_LIMIT, |s| s.body_limit);
        let content_type =
            req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(String::from);
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge(format!(
                    "the body exceeds the limit of {limit} bytes"
                )));
            }
            Ok(Body { bytes: read_limited(&mut payload, limit).await?, content_type })
        })
    }
}

/// Reads a request body of at most `limit` bytes: 413 beyond it, 400 when the
/// connection fails while reading.
pub async fn read_limited(payload: &mut Payload, limit: usize) -> Result<web::Bytes, ApiError> {
    let mut buf = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest {
            code: "unreadable_body",
            detail: format!("the body could not be read: {e}"),
        })?;
        if buf.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(format!(
                "the body exceeds the limit of {limit} bytes"
            )));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// The `If-Match` header (actix's typed header), required on PATCH and DELETE. Its
/// absence is reported (428) when the write checks it — after authorization, so a caller
/// without the right gets 403 whatever it sent.
pub struct IfMatch(Option<Result<header::IfMatch, ()>>);

impl IfMatch {
    /// The header when the caller sent one: for writes where `If-Match` is optional.
    pub fn given(&self) -> Option<&Self> {
        self.0.is_some().then_some(self)
    }

    /// Refuses (428) without the header or with one that is not an ETag list, (412)
    /// unless `*` or one of the tags the caller sent matches the current ETag. Comparison is strong: weak tags never match.
    pub fn check(&self, current: &str) -> Result<(), StoreError> {
        let stale = || {
            StoreError::PreconditionFailed(format!(
                "the resource has changed since you read it (its ETag is now {current}); read it again and retry"
            ))
        };
        let current: header::EntityTag = current.parse().map_err(|_| stale())?;
        match &self.0 {
            None => Err(StoreError::PreconditionRequired(
                "this change needs an If-Match header with the ETag you last read".into(),
            )),
            // A header that names no ETag is no precondition at all: asked for again (428).
            Some(Err(())) => Err(StoreError::PreconditionRequired(
                "If-Match must be `*` or a list of quoted ETags, such as \"3f2a…\"".into(),
            )),
            Some(Ok(header::IfMatch::Any)) => Ok(()),
            Some(Ok(header::IfMatch::Items(tags))) => {
                if tags.iter().any(|t| t.strong_eq(&current)) { Ok(()) } else { Err(stale()) }
            }
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let given = req.headers().contains_key(header::IF_MATCH).then(|| {
            use actix_web::http::header::Header;
            // The parser skips what is not an ETag: a header left with none (empty,
            // unquoted) names nothing, and is asked for again (428), never taken as stale.
            match header::IfMatch::parse(req) {
                Ok(header::IfMatch::Items(tags)) if tags.is_empty() => Err(()),
                parsed => parsed.map_err(|_| ()),
            }
        });
        std::future::ready(Ok(IfMatch(given)))
    }
}

/// The largest page a list answers.
pub const MAX_LIMIT: i64 = 500;
/// The page size when none is asked for.
pub const DEFAULT_LIMIT: i64 = 50;

/// Paging of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Items per page: 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the page before (opaque: only cursors this API handed out
    /// are accepted; another is refused with 422 naming `cursor`).
    #[param(min_length = 1, max_length = 200, pattern = "^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
}

impl Paging {
    fn limit(&self) -> Result<i64, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::field(
                "limit",
                format!("limit must be between 1 and {MAX_LIMIT}"),
            ));
        }
        Ok(limit)
    }

    /// Checks the limit and decodes the cursor (422 naming the parameter otherwise).
    pub fn page(&self) -> Result<PageRequest, ApiError> {
        let limit = self.limit()?;
        let after = match &self.cursor {
            None => None,
            Some(c) => Some(decode_cursor(c).ok_or_else(|| match decode_change_cursor(c) {
                Some(_) => ApiError::field(
                    "cursor",
                    "this cursor continues a read with updated_since: pass updated_since again",
                ),
                None => ApiError::field("cursor", "the cursor is not one this API handed out"),
            })?),
        };
        Ok(PageRequest { after, limit })
    }

    /// The page of a list that takes `updated_since`: without it, as [`Paging::page`];
    /// with it, a read of changes (oldest change first) continuing after the cursor's
    /// change key.
    pub fn window(&self, since: &UpdatedSince) -> Result<Window, ApiError> {
        let Some(since) = since.updated_since else {
            return Ok(Window { page: self.page()?, changes: None });
        };
        let limit = self.limit()?;
        let after = match &self.cursor {
            None => None,
            Some(c) => Some(decode_change_cursor(c).ok_or_else(|| {
                ApiError::field(
                    "cursor",
                    "the cursor is not one a read with updated_since handed out",
                )
            })?),
        };
        Ok(Window {
            page: PageRequest { after: None, limit },
            changes: Some(ReadOfChanges { since, after }),
        })
    }
}

/// `updated_since`: only what changed after an instant.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpdatedSince {
    /// Only items changed after this instant (RFC 3339, such as `2021-03-15T08:00:00Z`;
    /// write `+` in an offset as `%2B`). The items then come oldest change first
    /// (`updated_at`, then id) and the cursor pages through them stably: an item changed
    /// meanwhile moves to the end. Keep the largest `updated_at` seen for the next poll.
    #[serde(default, deserialize_with = "instant")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub updated_since: Option<DateTime<Utc>>,
}

/// Reads an RFC 3339 instant, taking a space before the offset's hours (a `+` the query
/// string decoded as a space) for the `+` it was.
fn instant<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let raw = String::deserialize(d)?;
    parse_instant(&raw).map(Some).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "`{raw}` is not an RFC 3339 instant such as 2021-03-15T08:00:00Z or 2021-03-15T16:00:00%2B08:00"
        ))
    })
}

fn parse_instant(raw: &str) -> Option<DateTime<Utc>> {
    let parse = |s: &str| DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc));
    parse(raw).or_else(|| {
        let (head, offset) = raw.rsplit_once(' ')?;
        (head.contains('T') && offset.len() == 5 && offset.as_bytes()[2] == b':')
            .then(|| parse(&format!("{head}+{offset}")))?
    })
}

/// A page of a list that may be a read of changes.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// The page size, and (not reading changes) the key to continue after.
    pub page: PageRequest,
    /// Reading changes: since when, and after which change.
    pub changes: Option<ReadOfChanges>,
}

/// A read of what changed after `since`, continuing after `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOfChanges {
    pub since: DateTime<Utc>,
    pub after: Option<ChangeCursor>,
}

impl ReadOfChanges {
    /// The store's form, for lists keyed by one id.
    pub fn store(&self) -> Changes {
        Changes {
            since: self.since,
            after: self.after.map(|c| ChangeKey { at: c.at, id: c.key.0 }),
        }
    }

    /// True when an item changed at `at` with key `key` belongs to this read.
    pub fn admits(&self, at: DateTime<Utc>, key: (i64, i64)) -> bool {
        at > self.since && self.after.is_none_or(|c| (at, key) > (c.at, c.key))
    }
}

/// Where a read of changes goes on: the last item's `updated_at` and its key (an id; a
/// ledger row: task and unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeCursor {
    pub at: DateTime<Utc>,
    pub key: (i64, i64),
}

impl Window {
    /// The cursor after a page: None on the last page; reading changes, the change key
    /// of the page's last item (`change_key`), else the store's key.
    pub fn next_cursor<T>(
        &self,
        items: &[T],
        store_next: Option<i64>,
        change_key: impl Fn(&T) -> (DateTime<Utc>, (i64, i64)),
    ) -> Option<String> {
        let next = store_next?;
        match self.changes {
            None => Some(encode_cursor(next)),
            Some(_) => items.last().map(|last| {
                let (at, key) = change_key(last);
                encode_change_cursor(ChangeCursor { at, key })
            }),
        }
    }
}

/// Encodes a change key as an opaque cursor.
pub fn encode_change_cursor(c: ChangeCursor) -> String {
    URL_SAFE_NO_PAD.encode(format!("c1:{}:{}:{}", c.at.timestamp_micros(), c.key.0, c.key.1))
}

fn decode_change_cursor(c: &str) -> Option<ChangeCursor> {
    let raw = URL_SAFE_NO_PAD.decode(c).ok()?;
    let s = std::str::from_utf8(&raw).ok()?;
    let mut parts = s.strip_prefix("c1:")?.split(':');
    let at = DateTime::from_timestamp_micros(parts.next()?.parse().ok()?)?;
    let a = parts.next()?.parse().ok()?;
    let b = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some(ChangeCursor { at, key: (a, b) })
}

/// One page of a list held in memory (a few hundred items at most), in its order; the
/// cursor is the position of the page's last item.
pub fn page_in_memory<T>(items: Vec<T>, page: PageRequest) -> (Vec<T>, Option<String>) {
    let start =
        page.after.map_or(0, |a| usize::try_from(a.saturating_add(1)).unwrap_or(usize::MAX));
    let limit = usize::try_from(page.limit).unwrap_or(0);
    let total = items.len();
    let taken: Vec<T> = items.into_iter().skip(start).take(limit).collect();
    let end = start.saturating_add(taken.len());
    let next = (end < total && !taken.is_empty())
        .then(|| encode_cursor(i64::try_from(end - 1).unwrap_or(i64::MAX)));
    (taken, next)
}

/// Where an item stands in a read of changes: its `updated_at`, then its key.
type ChangeOrder = (DateTime<Utc>, (i64, i64));

/// One page of a read of changes over items held in memory: those it admits, oldest
/// change first, and the cursor after the page.
pub fn changes_in_memory<T>(
    items: Vec<T>,
    read: ReadOfChanges,
    limit: i64,
    change_key: impl Fn(&T) -> (DateTime<Utc>, (i64, i64)),
) -> (Vec<T>, Option<String>) {
    let mut keyed: Vec<(ChangeOrder, T)> = items
        .into_iter()
        .map(|item| (change_key(&item), item))
        .filter(|((at, key), _)| read.admits(*at, *key))
        .collect();
    keyed.sort_by_key(|(order, _)| *order);
    let limit = usize::try_from(limit).unwrap_or(0);
    let more = keyed.len() > limit;
    keyed.truncate(limit);
    let next = more
        .then(|| {
            keyed
                .last()
                .map(|((at, key), _)| encode_change_cursor(ChangeCursor { at: *at, key: *key }))
        })
        .flatten();
    (keyed.into_iter().map(|(_, item)| item).collect(), next)
}

/// Encodes a page key as an opaque cursor.
pub fn encode_cursor(key: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("k1:{key}"))
}

fn decode_cursor(c: &str) -> Option<i64> {
    let raw = URL_SAFE_NO_PAD.decode(c).ok()?;
    let s = std::str::from_utf8(&raw).ok()?;
    s.strip_prefix("k1:")?.parse().ok()
}

/// True for an `http://` or `https://` address: the only links the API stores, so that
/// none can carry a `javascript:` or `file:` URL to the portal.
pub fn is_http_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// Deserializes a field that may be absent (None), null (Some(None)) or a value.
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_forgeries() {
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        assert_eq!(decode_cursor("bm9wZQ"), None);
        assert_eq!(decode_cursor("!!"), None);
    }

    #[test]
    fn pages_in_memory_follow_the_cursor() {
        let all: Vec<i32> = (0..7).collect();
        let (first, next) = page_in_memory(all.clone(), PageRequest { after: None, limit: 3 });
        assert_eq!(first, [0, 1, 2]);
        let after = decode_cursor(&next.unwrap());
        let (second, next) = page_in_memory(all.clone(), PageRequest { after, limit: 3 });
        assert_eq!(second, [3, 4, 5]);
        let (last, next) =
            page_in_memory(all, PageRequest { after: decode_cursor(&next.unwrap()), limit: 3 });
        assert_eq!(last, [6]);
        assert!(next.is_none());
    }

    #[test]
    fn change_cursors_round_trip_and_are_told_from_key_cursors() {
        let at = DateTime::from_timestamp_micros(1_615_795_200_123_456).unwrap();
        let c = ChangeCursor { at, key: (42, 7) };
        assert_eq!(decode_change_cursor(&encode_change_cursor(c)), Some(c));
        assert_eq!(decode_change_cursor(&encode_cursor(42)), None);
        assert_eq!(decode_cursor(&encode_change_cursor(c)), None);
    }

    #[test]
    fn instants_take_a_decoded_plus_for_what_it_was() {
        let utc = parse_instant("2021-03-15T08:00:00Z").unwrap();
        assert_eq!(parse_instant("2021-03-15T16:00:00+08:00"), Some(utc));
        assert_eq!(parse_instant("2021-03-15T16:00:00 08:00"), Some(utc));
        assert_eq!(parse_instant("2021-03-15"), None);
        assert_eq!(parse_instant("yesterday"), None);
    }

    #[test]
    fn limits_are_checked() {
        let p = |limit| Paging { limit, cursor: None }.page();
        assert_eq!(p(None).unwrap().limit, 50);
        assert!(p(Some(0)).is_err());
        assert!(p(Some(501)).is_err());
        assert_eq!(p(Some(500)).unwrap().limit, 500);
    }
}
