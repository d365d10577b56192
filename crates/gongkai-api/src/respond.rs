//! Successful answers: JSON with an `ETag` computed from the representation.

use actix_web::HttpResponse;
use actix_web::http::header;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The strong ETag of a representation: a hash of its JSON.
pub fn etag_of<T: Serialize>(value: &T) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// 200 with the JSON and its ETag.
pub fn ok<T: Serialize>(value: &T) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::ETAG, etag_of(value))).json(value)
}

/// 201 with the JSON, its ETag and where it lives.
pub fn created<T: Serialize>(value: &T, location: String) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::ETAG, etag_of(value)))
        .insert_header((header::LOCATION, location))
        .json(value)
}
