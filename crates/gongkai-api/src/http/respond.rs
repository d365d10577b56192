//! Successful answers: JSON with an `ETag` computed from the representation.

use actix_web::HttpResponse;
use std::time::SystemTime;

use actix_web::http::header::{self, TryIntoHeaderValue};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The strong ETag of a representation: a hash of its JSON.
pub fn etag_of<T: Serialize>(value: &T) -> String {
    etag_of_bytes(&serde_json::to_vec(value).unwrap_or_default())
}

/// The strong ETag of a body as sent (JSON or another representation such as CSV).
pub fn etag_of_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    header::EntityTag::new_strong(hex::encode(&digest[..16])).to_string()
}

/// 200 with the JSON and its ETag; the value is serialized once (answers such as a
/// plan's compliance run to megabytes).
pub fn ok<T: Serialize>(value: &T) -> HttpResponse {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag_of_bytes(&bytes)))
        .content_type("application/json")
        .body(bytes)
}

/// 201 with the JSON, its ETag and where it lives.
pub fn created<T: Serialize>(value: &T, location: String) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::ETAG, etag_of(value)))
        .insert_header((header::LOCATION, location))
        .json(value)
}

/// 200 with a body serialized beforehand (JSON or CSV) and its ETag.
pub fn ok_bytes(bytes: Vec<u8>, content_type: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag_of_bytes(&bytes)))
        .content_type(content_type)
        .body(bytes)
}

/// How long shared caches and browsers may keep a public answer without asking again.
pub const PUBLIC_CACHE_CONTROL: &str = "public, max-age=60";

/// 200 for the public API: the JSON, its ETag, `Last-Modified` (when what it shows last
/// changed; left out when nothing it shows exists yet) and `Cache-Control: public,
/// max-age=60`.
pub fn public_ok<T: Serialize>(value: &T, last_modified: Option<DateTime<Utc>>) -> HttpResponse {
    let mut res = ok(value);
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static(PUBLIC_CACHE_CONTROL));
    let date = last_modified.map(|at| header::HttpDate::from(SystemTime::from(at)));
    if let Some(Ok(v)) = date.map(TryIntoHeaderValue::try_into_value) {
        headers.insert(header::LAST_MODIFIED, v);
    }
    res
}
