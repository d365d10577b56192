//! The connection pool, migrations, and making sure the database exists.

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::StoreError;

/// The migrations of `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// A pool of PostgreSQL connections.
pub type DbPool = Pool<ConnectionManager<PgConnection>>;
/// A connection taken from the pool.
pub type DbConn = PooledConnection<ConnectionManager<PgConnection>>;

/// How long a request waits for a connection before the API answers 503.
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(3);

/// Builds a pool without connecting yet: the service starts, and recovers, whether or not
/// the database answers at this moment.
///
/// Connections are not tested on check-out (that cost a `SELECT 1` per request): a
/// connection that died with its server fails its next query, which answers 503, and
/// the pool drops it as broken when it is returned, so the retry gets a fresh one.
pub fn build_pool(url: &str, max_size: u32) -> DbPool {
    let manager = ConnectionManager::<PgConnection>::new(local_without_tls(url));
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(0))
        .connection_timeout(CHECKOUT_TIMEOUT)
        .test_on_check_out(false)
        .build_unchecked(manager)
}

/// A URL naming a server on this host (a Unix socket, `localhost`, `127.0.0.1`, `[::1]`)
/// without an `sslmode` gets `sslmode=disable`: TLS to the same machine only costs CPU.
/// Any other server keeps libpq's default (`prefer`), and an explicit `sslmode` is kept.
pub fn local_without_tls(url: &str) -> String {
    if url.contains("sslmode=") {
        return url.to_string();
    }
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme.split(['/', '?']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| format!("{h}]")).unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or("").to_string()
    };
    let query_host_socket = url.contains("host=/");
    let local =
        matches!(host.as_str(), "" | "localhost" | "127.0.0.1" | "[::1]") || query_host_socket;
    if !local {
        return url.to_string();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}sslmode=disable")
}

#[cfg(test)]
mod tls_tests {
    use super::local_without_tls;

    #[test]
    fn same_host_servers_skip_tls_others_keep_the_default() {
        let cases = [
            (
                "postgres://postgres@127.0.0.1:5432/db",
                "postgres://postgres@127.0.0.1:5432/db?sslmode=disable",
            ),
            (
                "postgres://u:p@localhost/db?application_name=x",
                "postgres://u:p@localhost/db?application_name=x&sslmode=disable",
            ),
            ("postgres://[::1]:5432/db", "postgres://[::1]:5432/db?sslmode=disable"),
            (
                "postgres:///db?host=/var/run/postgresql",
                "postgres:///db?host=/var/run/postgresql&sslmode=disable",
            ),
            ("postgres://db.example.gov.cn/gongkai", "postgres://db.example.gov.cn/gongkai"),
            ("postgres://127.0.0.1/db?sslmode=require", "postgres://127.0.0.1/db?sslmode=require"),
        ];
        for (given, used) in cases {
            assert_eq!(local_without_tls(given), used, "{given}");
        }
    }
}

/// The advisory lock that servers starting together on one database take turns on
/// while migrating.
const MIGRATION_LOCK: i64 = 471_100_007;

/// Applies pending migrations; returns the versions applied. Several processes starting
/// at once on one database take turns: the first applies them, the others find nothing
/// left to do.
pub fn run_migrations(conn: &mut PgConnection) -> Result<Vec<String>, StoreError> {
    diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})")).execute(conn)?;
    let done = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|done| done.iter().map(|v| v.to_string()).collect())
        .map_err(|e| StoreError::Internal(format!("migration failed: {e}")));
    let unlocked =
        diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})")).execute(conn);
    let done = done?;
    unlocked?;
    Ok(done)
}

/// Reverts every applied migration (used by the migration round-trip test).
pub fn revert_all_migrations(conn: &mut PgConnection) -> Result<(), StoreError> {
    conn.revert_all_migrations(MIGRATIONS)
        .map_err(|e| StoreError::Internal(format!("migration revert failed: {e}")))?;
    Ok(())
}

/// True when a trivial query answers.
pub fn ping(conn: &mut PgConnection) -> bool {
    diesel::sql_query("SELECT 1").execute(conn).is_ok()
}

/// Creates the database named in `url` when it does not exist yet, by connecting to the
/// server's `postgres` database. Returns true when it created it.
pub fn ensure_database(url: &str) -> Result<bool, StoreError> {
    if PgConnection::establish(url).is_ok() {
        return Ok(false);
    }
    let (admin_url, name) = split_database(url).ok_or_else(|| {
        StoreError::Unavailable(format!("cannot reach the database at {}", redact(url)))
    })?;
    let mut admin = PgConnection::establish(&admin_url).map_err(|e| {
        StoreError::Unavailable(format!("cannot reach PostgreSQL at {}: {e}", redact(url)))
    })?;
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let found: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<diesel::sql_types::Text, _>(&name)
            .get_result(&mut admin)?;
    if found.exists {
        // It exists but refused us: report the original failure.
        return Err(StoreError::Unavailable(format!(
            "cannot connect to the database at {}",
            redact(url)
        )));
    }
    match diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(&name))).execute(&mut admin) {
        Ok(_) => Ok(true),
        // Another process starting at the same moment made it first.
        Err(_) if PgConnection::establish(url).is_ok() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Splits `postgres://…/name?opts` into the same URL naming the `postgres` database, and
/// the name.
fn split_database(url: &str) -> Option<(String, String)> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://")? + 3;
    let slash = base[scheme_end..].find('/')? + scheme_end;
    let name = &base[slash + 1..];
    if name.is_empty() || name == "postgres" {
        return None;
    }
    let mut admin = format!("{}/postgres", &base[..slash]);
    if let Some(q) = query {
        admin.push('?');
        admin.push_str(q);
    }
    Some((admin, name.to_string()))
}

/// Quotes an SQL identifier.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}@{}", &url[..s + 3], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_name_is_split_off() {
        assert_eq!(
            split_database("postgres://u:p@h:5432/gongkai?sslmode=disable"),
            Some(("postgres://u:p@h:5432/postgres?sslmode=disable".into(), "gongkai".into()))
        );
        assert_eq!(split_database("postgres://h/postgres"), None);
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u@h/db");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }
}
