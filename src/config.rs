//! Configuration from the environment (a flag of the same meaning wins).

use std::net::SocketAddr;

use anyhow::{Context, Result, bail};

/// The least length of the JWT secret and the data key, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

/// What `gongkai serve` needs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub database_url: String,
    pub addr: SocketAddr,
    pub jwt_secret: String,
    pub data_key: String,
    pub jwt_public_key: Option<String>,
    pub jwt_issuer: String,
    pub cors_origins: Vec<String>,
    pub pool_size: u32,
}

/// An environment variable, None when unset or blank.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The database URL; this release needs `DATABASE_URL`.
pub fn database_url() -> Result<String> {
    env("DATABASE_URL").context(
        "DATABASE_URL is not set: point it at PostgreSQL, e.g. \
         DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai",
    )
}

/// A secret of at least 32 bytes from `name`; refuses to start without it.
pub fn secret(name: &str, what: &str) -> Result<String> {
    let Some(v) = env(name) else {
        bail!(
            "{name} is not set: with DATABASE_URL set, {what} must be configured \
             (at least {MIN_SECRET_BYTES} bytes; e.g. `openssl rand -hex 32`)"
        );
    };
    if v.len() < MIN_SECRET_BYTES {
        bail!("{name} is too short: it must be at least {MIN_SECRET_BYTES} bytes");
    }
    Ok(v)
}

/// `GONGKAI_JWT_PUBLIC_KEY`: the PEM itself, or the path of a file holding it.
pub fn jwt_public_key() -> Result<Option<String>> {
    match env("GONGKAI_JWT_PUBLIC_KEY") {
        None => Ok(None),
        Some(v) if v.trim_start().starts_with("-----BEGIN") => Ok(Some(v)),
        Some(path) => std::fs::read_to_string(&path)
            .map(Some)
            .with_context(|| format!("GONGKAI_JWT_PUBLIC_KEY: cannot read the PEM file {path}")),
    }
}

/// The issuer tokens must name (`iss`).
pub fn jwt_issuer() -> String {
    env("GONGKAI_JWT_ISSUER").unwrap_or_else(|| "gongkai".into())
}

impl ServeConfig {
    /// Reads the configuration; `addr` overrides `GONGKAI_ADDR`.
    pub fn from_env(addr: Option<String>) -> Result<Self> {
        let addr = addr.or_else(|| env("GONGKAI_ADDR")).unwrap_or_else(|| "127.0.0.1:8080".into());
        let addr: SocketAddr = addr.parse().with_context(|| {
            format!("GONGKAI_ADDR `{addr}` is not an address such as 127.0.0.1:8080")
        })?;
        let pool_size = match env("GONGKAI_DB_POOL_SIZE") {
            None => 10,
            Some(v) => v
                .parse()
                .ok()
                .filter(|n| (1..=200).contains(n))
                .context("GONGKAI_DB_POOL_SIZE must be a number from 1 to 200")?,
        };
        Ok(ServeConfig {
            database_url: database_url()?,
            addr,
            jwt_secret: secret("GONGKAI_JWT_SECRET", "the token signing secret")?,
            data_key: secret(
                "GONGKAI_DATA_KEY",
                "the key protecting applicants' identity numbers",
            )?,
            jwt_public_key: jwt_public_key()?,
            jwt_issuer: jwt_issuer(),
            cors_origins: env("GONGKAI_CORS_ORIGINS")
                .map(|v| {
                    v.split(',').map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect()
                })
                .unwrap_or_default(),
            pool_size,
        })
    }
}
