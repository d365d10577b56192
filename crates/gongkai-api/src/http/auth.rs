//! Bearer tokens: verification, the caller (`Principal`) and authorization checks.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::PgConnection;
use gongkai_core::auth::{Action, Reach, Role, authorize};
use gongkai_store::{Actor, StoreError, service_tokens, units};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::http::error::ApiError;
use crate::http::state::{AppState, db};

/// The audience every token must name.
pub const AUDIENCE: &str = "gongkai-api";
/// The default issuer.
pub const DEFAULT_ISSUER: &str = "gongkai";
/// Clock skew tolerated on `exp` and `iat`, in seconds.
pub const LEEWAY_SECONDS: u64 = 30;

/// The claims of a Gongkai token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    /// One audience, or (from identity providers) several: the signature check has
    /// already required that ours is among them.
    #[serde(deserialize_with = "our_audience")]
    pub aud: String,
    pub sub: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<i64>,
    pub iat: i64,
    pub exp: i64,
}

/// Reads `aud` as a string or an array of strings, keeping ours when it is there.
fn our_audience<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Aud {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Aud::deserialize(d)? {
        Aud::One(a) => a,
        Aud::Many(list) => {
            list.iter().find(|a| *a == AUDIENCE).or(list.first()).cloned().unwrap_or_default()
        }
    })
}

/// How tokens are checked: the shared secret, an optional identity-provider key, the
/// expected issuer.
#[derive(Clone)]
pub struct TokenVerifier {
    secret: DecodingKey,
    public: Option<(DecodingKey, Algorithm)>,
    issuer: String,
}

impl TokenVerifier {
    /// A verifier for HS256 tokens signed with `secret`, and, when given, RS256 or ES256
    /// tokens signed by the holder of the PEM `public_key`.
    pub fn new(secret: &[u8], public_key_pem: Option<&str>, issuer: &str) -> Result<Self, String> {
        if secret.len() < 32 {
            return Err("GONGKAI_JWT_SECRET must be at least 32 bytes".into());
        }
        let public = match public_key_pem {
            None => None,
            Some(pem) => {
                if let Ok(k) = DecodingKey::from_rsa_pem(pem.as_bytes()) {
                    Some((k, Algorithm::RS256))
                } else if let Ok(k) = DecodingKey::from_ec_pem(pem.as_bytes()) {
                    Some((k, Algorithm::ES256))
                } else {
                    return Err(
                        "GONGKAI_JWT_PUBLIC_KEY is neither an RSA nor a P-256 public key in PEM form"
                            .into(),
                    );
                }
            }
        };
        Ok(TokenVerifier {
            secret: DecodingKey::from_secret(secret),
            public,
            issuer: issuer.into(),
        })
    }

    /// Verifies a token: algorithm pinned per key, signature, `exp`, `iat`, `iss`, `aud`
    /// and `sub` required. Any failure is a 401 whose detail says what was wrong.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let unauthorized = |detail: &str| ApiError::Unauthorized { detail: detail.to_string() };
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| unauthorized("the bearer token is malformed"))?;
        let (key, alg) = match header.alg {
            Algorithm::HS256 => (&self.secret, Algorithm::HS256),
            alg => match &self.public {
                Some((k, a)) if *a == alg => (k, alg),
                _ => return Err(unauthorized("the token's signing algorithm is not accepted")),
            },
        };
        let mut v = Validation::new(alg);
        v.set_audience(&[AUDIENCE]);
        v.set_issuer(&[self.issuer.as_str()]);
        v.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        v.leeway = LEEWAY_SECONDS;
        v.validate_nbf = true;
        let data = jsonwebtoken::decode::<Claims>(token, key, &v).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            unauthorized(match e.kind() {
                K::ExpiredSignature => "the token has expired",
                K::InvalidAudience => "the token is not meant for this API (aud)",
                K::InvalidIssuer => "the token's issuer is not accepted (iss)",
                K::InvalidSignature => "the token's signature is not valid",
                K::MissingRequiredClaim(_) => "the token lacks a required claim",
                K::InvalidAlgorithm => "the token's signing algorithm is not accepted",
                K::ImmatureSignature => "the token is not valid yet (nbf)",
                _ => "the token is not valid",
            })
        })?;
        let claims = data.claims;
        let now = chrono::Utc::now().timestamp();
        if claims.iat > now + i64::try_from(LEEWAY_SECONDS).unwrap_or(0) {
            return Err(unauthorized("the token was issued in the future (iat)"));
        }
        if claims.sub.trim().is_empty() {
            return Err(unauthorized("the token's subject (sub) is empty"));
        }
        Ok(claims)
    }
}

/// Signs tokens with the shared secret (for `gongkai issue-token` and tests).
pub struct TokenIssuer {
    key: EncodingKey,
    issuer: String,
}

impl TokenIssuer {
    /// An issuer signing HS256 with `secret`.
    pub fn new(secret: &[u8], issuer: &str) -> Self {
        TokenIssuer { key: EncodingKey::from_secret(secret), issuer: issuer.into() }
    }

    /// Signs a token for `sub` with `role`, limited to `unit` when given, valid for
    /// `ttl_seconds`.
    pub fn issue(
        &self,
        sub: &str,
        role: Role,
        unit: Option<i64>,
        ttl_seconds: i64,
    ) -> Result<String, String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.into(),
            sub: sub.into(),
            role: role.as_str().into(),
            unit,
            iat: now,
            exp: now + ttl_seconds,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.key)
            .map_err(|e| format!("cannot sign the token: {e}"))
    }
}

/// The prefix of a service token (`gks_` and 43 characters of base64url): tells it from
/// a JWT at a glance, and makes a leaked one easy to search for.
pub const SERVICE_TOKEN_PREFIX: &str = "gks_";

/// True for a token of the service-token form (looked up, not verified by signature).
pub fn is_service_token(token: &str) -> bool {
    token.starts_with(SERVICE_TOKEN_PREFIX)
}

/// What is stored of a secret token (a service token, a calendar feed's): its SHA-256.
/// A token holds 256 random bits, so a plain hash cannot be reversed by guessing.
pub fn service_token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A new secret token: `prefix` and 32 random bytes, base64url.
pub fn mint_secret_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A new service token: the prefix and 32 random bytes, base64url.
pub fn mint_service_token() -> String {
    mint_secret_token(SERVICE_TOKEN_PREFIX)
}

/// The verified caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub sub: String,
    pub role: Role,
    /// The unit the token names; for `unit` it is the caller's unit, for a coordinator or
    /// viewer it limits the caller to that unit's subtree.
    pub unit_id: Option<i64>,
    pub request_id: Option<String>,
}

impl Principal {
    /// The actor recorded in audit events.
    pub fn actor(&self) -> Actor {
        Actor {
            sub: self.sub.clone(),
            role: self.role,
            unit_id: self.unit_id,
            request_id: self.request_id.clone(),
        }
    }

    /// Where `target` (a unit id; None for deployment-wide things) sits relative to the
    /// caller: a `unit` token reaches exactly its unit, a limited coordinator or viewer
    /// its unit's subtree.
    pub async fn reach(&self, state: &AppState, target: Option<i64>) -> Result<Reach, ApiError> {
        match (target, self.unit_id) {
            (None, _) => Ok(Reach::Global),
            (Some(_), None) => Ok(Reach::Other),
            (Some(t), Some(own)) if t == own => Ok(Reach::Own),
            _ => {
                let who = self.clone();
                db(state, move |c| who.reach_in(c, target)).await
            }
        }
    }

    /// [`Principal::reach`] on a connection already held, for handlers that do all of a
    /// request's work in one call to the database.
    pub fn reach_in(
        &self,
        conn: &mut PgConnection,
        target: Option<i64>,
    ) -> Result<Reach, StoreError> {
        let Some(target) = target else { return Ok(Reach::Global) };
        let Some(own) = self.unit_id else { return Ok(Reach::Other) };
        if own == target {
            return Ok(Reach::Own);
        }
        if self.role == Role::Unit {
            let root = units::root_of(conn, own)?;
            let same_city = units::is_within(conn, root, target)?;
            return Ok(if same_city { Reach::City } else { Reach::Other });
        }
        Ok(if units::is_within(conn, own, target)? { Reach::Own } else { Reach::Other })
    }

    /// [`Principal::require`] on a connection already held.
    pub fn require_in(
        &self,
        conn: &mut PgConnection,
        action: Action,
        target: Option<i64>,
    ) -> Result<(), ApiError> {
        let reach = self.reach_in(conn, target)?;
        authorize(self.role, self.unit_id.is_some(), action, reach)
            .map_err(|d| ApiError::Forbidden(d.0))
    }

    /// The subtree lists are limited to: a `unit` token's city (the tree of its top-level
    /// government), a limited coordinator's or viewer's unit; None for everything.
    pub async fn list_root(&self, state: &AppState) -> Result<Option<i64>, ApiError> {
        match (self.role, self.unit_id) {
            (Role::Unit, Some(own)) => Ok(Some(db(state, move |c| units::root_of(c, own)).await?)),
            (Role::Admin, _) | (_, None) => Ok(None),
            (_, Some(own)) => Ok(Some(own)),
        }
    }

    /// Refuses with 403 unless the caller may perform `action` on `target`.
    pub async fn require(
        &self,
        state: &AppState,
        action: Action,
        target: Option<i64>,
    ) -> Result<(), ApiError> {
        let reach = self.reach(state, target).await?;
        authorize(self.role, self.unit_id.is_some(), action, reach)
            .map_err(|d| ApiError::Forbidden(d.0))
    }

    /// Refuses with 403 unless the caller may perform `action` at all (deployment-wide).
    pub fn require_global(&self, action: Action) -> Result<(), ApiError> {
        authorize(self.role, self.unit_id.is_some(), action, Reach::Global)
            .map_err(|d| ApiError::Forbidden(d.0))
    }
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized {
            detail: "this endpoint needs an Authorization: Bearer token".into(),
        })?
        .to_str()
        .map_err(|_| ApiError::Unauthorized {
            detail: "the Authorization header is malformed".into(),
        })?;
    let mut parts = value.splitn(2, ' ');
    match (parts.next(), parts.next()) {
        (Some(scheme), Some(token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_string())
        }
        _ => Err(ApiError::Unauthorized {
            detail: "the Authorization header must be `Bearer <token>`".into(),
        }),
    }
}

/// The caller behind a service token: looked up by its hash on every request, so a
/// revoked or expired token is refused at once, on every instance.
async fn service_principal(
    state: &AppState,
    token: &str,
    request_id: Option<String>,
) -> Result<Principal, ApiError> {
    let hash = service_token_hash(token);
    let today = crate::http::clock::today();
    let found = db(state, move |c| service_tokens::authenticate(c, &hash, today)).await?;
    let t = found.ok_or_else(|| ApiError::Unauthorized {
        detail: "the service token is not known, has been revoked or has expired".into(),
    })?;
    Ok(Principal {
        sub: format!("service-token:{}", t.id),
        role: t.role(),
        unit_id: t.unit_id,
        request_id,
    })
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        let request_id =
            req.extensions().get::<tracing_actix_web::RequestId>().map(|r| r.to_string());
        Box::pin(async move {
            let state =
                state.ok_or_else(|| ApiError::Internal("application state missing".into()))?;
            let token = token?;
            if is_service_token(&token) {
                return service_principal(&state, &token, request_id).await;
            }
            let claims = state.verifier.verify(&token)?;
            let role = Role::parse(&claims.role).ok_or_else(|| ApiError::Unauthorized {
                detail: format!("the token's role `{}` is not known", claims.role),
            })?;
            if role == Role::Unit && claims.unit.is_none() {
                return Err(ApiError::Unauthorized {
                    detail: "a token with role `unit` must name its unit".into(),
                });
            }
            if let Some(unit) = claims.unit {
                let known = state.known_units.read().is_ok_and(|k| k.contains(&unit));
                let exists = known || db(&state, move |c| units::exists(c, unit)).await?;
                if exists
                    && !known
                    && let Ok(mut k) = state.known_units.write()
                {
                    k.insert(unit);
                }
                if !exists {
                    return Err(ApiError::Unauthorized {
                        detail: format!("the token names unit {unit}, which does not exist"),
                    });
                }
            }
            Ok(Principal { sub: claims.sub, role, unit_id: claims.unit, request_id })
        })
    }
}
