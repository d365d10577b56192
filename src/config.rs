//! Configuration from the environment (a flag of the same meaning wins).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::secrets;

use gongkai_api::webhooks::guard::AllowHosts;

/// The least length of the JWT secret and the data key, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;
/// The data directory when `GONGKAI_DATA_DIR` is unset (relative to the working directory).
pub const DEFAULT_DATA_DIR: &str = ".gongkai";

/// What `gongkai serve` needs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    pub jwt_secret: String,
    pub data_key: String,
    pub jwt_public_key: Option<String>,
    pub jwt_issuer: String,
    pub cors_origins: Vec<String>,
    pub pool_size: u32,
    /// Requests a minute per client address on `/public/v1`; 0: unlimited.
    pub public_rate_limit: u32,
    /// Hosts webhooks may reach whatever their addresses.
    pub webhook_allow_hosts: AllowHosts,
}

/// Where the database is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseSource {
    /// The PostgreSQL server `DATABASE_URL` names.
    Url(String),
    /// `DATABASE_URL` is unset: the private local cluster in this data directory.
    Local(PathBuf),
}

/// An environment variable, None when unset or blank.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// `GONGKAI_DATA_DIR`, else `./.gongkai`, as an absolute path.
pub fn data_dir() -> Result<PathBuf> {
    let dir = env("GONGKAI_DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into());
    std::path::absolute(&dir).with_context(|| format!("GONGKAI_DATA_DIR: cannot resolve {dir}"))
}

/// `DATABASE_URL` when set, else the local cluster in the data directory. A URL whose
/// password is a placeholder is refused.
pub fn database_source() -> Result<DatabaseSource> {
    match env("DATABASE_URL") {
        Some(url) => {
            if let Some(password) = url_password(&url)
                && is_placeholder(password)
            {
                bail!(
                    "DATABASE_URL holds a placeholder password (it contains `change-me`, as in \
                     example.env): anyone who has read example.env knows it. Give the database \
                     a password of its own (e.g. `openssl rand -hex 32`) and put it in \
                     POSTGRES_PASSWORD and DATABASE_URL"
                );
            }
            Ok(DatabaseSource::Url(url))
        }
        None => Ok(DatabaseSource::Local(data_dir()?)),
    }
}

/// The password in a `postgres://user:password@host/…` URL.
fn url_password(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let userinfo = rest.split_once('@')?.0;
    userinfo.split_once(':').map(|(_, password)| password)
}

/// True for a value copied from example.env without being replaced: its placeholders
/// all contain `change-me`.
pub fn is_placeholder(value: &str) -> bool {
    value.to_ascii_lowercase().contains("change-me")
}

/// Refuses the example.env placeholders in `GONGKAI_JWT_SECRET` and `GONGKAI_DATA_KEY`,
/// before anything is started.
pub fn refuse_placeholder_secrets() -> Result<()> {
    for name in ["GONGKAI_JWT_SECRET", "GONGKAI_DATA_KEY"] {
        if let Some(v) = env(name) {
            check_not_placeholder(name, &v)?;
        }
    }
    Ok(())
}

fn check_not_placeholder(name: &str, value: &str) -> Result<()> {
    if is_placeholder(value) {
        bail!(
            "{name} is a placeholder (it contains `change-me`, as in example.env): anyone who \
             has read example.env could use it. Make a secret with `openssl rand -hex 32` and \
             set {name} to it"
        );
    }
    Ok(())
}

/// A secret of at least 32 bytes: the variable `name` when set; else, with the local
/// cluster, the one kept in the data directory's `file` (generated when missing and
/// `generate` is true); with `DATABASE_URL` set, it must be configured.
pub fn secret(
    name: &str,
    what: &str,
    file: &str,
    source: &DatabaseSource,
    generate: bool,
) -> Result<String> {
    if let Some(v) = env(name) {
        check_not_placeholder(name, &v)?;
        if v.len() < MIN_SECRET_BYTES {
            bail!(
                "{name} is too short: it must be at least {MIN_SECRET_BYTES} bytes \
                 (`openssl rand -hex 32` makes a good one)"
            );
        }
        return Ok(v);
    }
    match source {
        DatabaseSource::Url(_) => bail!(
            "{name} is not set: with DATABASE_URL set, {what} must be configured \
             (at least {MIN_SECRET_BYTES} bytes; e.g. `openssl rand -hex 32`)"
        ),
        DatabaseSource::Local(dir) if generate => secrets::load_or_generate(dir, file),
        DatabaseSource::Local(dir) => secrets::load(dir, file)?.with_context(|| {
            format!(
                "{name} is not set, and {} holds no generated one: start `gongkai serve` \
                 once (it makes the local database and its secrets), point GONGKAI_DATA_DIR \
                 at the directory it uses, or set {name}",
                dir.display()
            )
        }),
    }
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
    /// Reads the rest of the configuration; the address and the pool size come from the
    /// command line (clap reads `GONGKAI_ADDR` and `GONGKAI_DB_POOL_SIZE` for them). With
    /// the local cluster, the secrets not set in the environment come from the data
    /// directory (generated on first start).
    pub fn from_env(addr: SocketAddr, pool_size: u32, source: &DatabaseSource) -> Result<Self> {
        Ok(ServeConfig {
            addr,
            jwt_secret: secret(
                "GONGKAI_JWT_SECRET",
                "the token signing secret",
                secrets::JWT_SECRET_FILE,
                source,
                true,
            )?,
            data_key: secret(
                "GONGKAI_DATA_KEY",
                "the key protecting applicants' identity numbers",
                secrets::DATA_KEY_FILE,
                source,
                true,
            )?,
            jwt_public_key: jwt_public_key()?,
            jwt_issuer: jwt_issuer(),
            cors_origins: cors_origins()?,
            pool_size,
            public_rate_limit: public_rate_limit()?,
            webhook_allow_hosts: AllowHosts::parse(
                &env("GONGKAI_WEBHOOK_ALLOW_HOSTS").unwrap_or_default(),
            ),
        })
    }
}

/// `GONGKAI_PUBLIC_RATE_LIMIT`: requests a minute per client address on the public API
/// (default 120; 0 lifts the limit).
pub fn public_rate_limit() -> Result<u32> {
    match env("GONGKAI_PUBLIC_RATE_LIMIT") {
        None => Ok(gongkai_api::http::rate_limit::DEFAULT_PER_MINUTE),
        Some(v) => v.trim().parse().ok().filter(|n| *n <= 1_000_000).with_context(|| {
            format!(
                "GONGKAI_PUBLIC_RATE_LIMIT `{v}` is not a number of requests a minute from 0 (no limit) to 1000000"
            )
        }),
    }
}

/// `GONGKAI_CORS_ORIGINS`: exact origins such as `https://www.kaiping.gov.cn`, comma
/// separated. A wildcard is refused: the API carries bearer tokens of a government.
/// (The public API under `/public/v1` is open to every origin whatever this says.)
pub fn cors_origins() -> Result<Vec<String>> {
    let Some(raw) = env("GONGKAI_CORS_ORIGINS") else { return Ok(Vec::new()) };
    let mut origins = Vec::new();
    for o in raw.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let rest = o.strip_prefix("https://").or_else(|| o.strip_prefix("http://"));
        let valid = rest.is_some_and(|host| {
            !host.is_empty() && !host.contains('/') && !host.contains('*') && !host.contains(' ')
        });
        if !valid {
            bail!(
                "GONGKAI_CORS_ORIGINS: `{o}` is not an origin; list exact origins such as \
                 https://www.kaiping.gov.cn (scheme and host, no path, no wildcard)"
            );
        }
        origins.push(o.to_string());
    }
    Ok(origins)
}

#[cfg(test)]
mod placeholder_tests {
    #[test]
    fn placeholders_and_their_passwords_are_recognised() {
        assert!(super::is_placeholder("change-me-a-long-random-secret-of-32-bytes"));
        assert!(super::is_placeholder("my-CHANGE-ME-secret"));
        assert!(!super::is_placeholder("9f2c6a0e4b1d7c3a8e5f9b2d4c6a8e0f"));
        assert_eq!(super::url_password("postgres://gongkai:pw@db:5432/gongkai"), Some("pw"));
        assert_eq!(super::url_password("postgres://postgres@127.0.0.1/postgres"), None);
        assert_eq!(super::url_password("postgres:///gongkai?host=/run"), None);
    }
}

#[cfg(test)]
mod cors_tests {
    #[test]
    fn origins_are_exact() {
        let check = |v: &str| {
            // SAFETY: only this test sets this variable, and no other test of this
            // binary reads it.
            unsafe { std::env::set_var("GONGKAI_CORS_ORIGINS", v) };
            let r = super::cors_origins();
            unsafe { std::env::remove_var("GONGKAI_CORS_ORIGINS") };
            r
        };
        assert_eq!(
            check(" https://www.kaiping.gov.cn, http://127.0.0.1:3000 ").unwrap(),
            ["https://www.kaiping.gov.cn", "http://127.0.0.1:3000"]
        );
        for bad in ["*", "www.kaiping.gov.cn", "https://*.gov.cn", "https://a.cn/path"] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
