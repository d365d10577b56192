//! Test support: a real, private PostgreSQL database per test.
//!
//! A template database is migrated (and, for seeded tests, seeded) once per set of
//! migrations and seed files; each test clones it with `CREATE DATABASE … TEMPLATE` and
//! drops its clone when it ends. Clones left by crashed test processes are swept, and so
//! are templates of other migration sets beyond the newest few (other checkouts may be
//! testing on the same server at the same time).
//!
//! The server is the one `DATABASE_URL` names; without it, a local cluster (see
//! [`crate::cluster`]) in `<target dir>/gongkai-test-cluster` (or
//! `GONGKAI_TEST_CLUSTER_DIR`), made on first use and started when it is not running.
//! Test processes share it, serialized by a lock file while one of them makes or starts
//! it. It keeps running after the tests (the next run starts at once); `cargo clean`
//! removes it, and the server then shuts itself down.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Once, OnceLock};

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::cluster::{Cluster, Durability, FileLock, Programs};
use crate::pool::{build_pool, quote_ident, run_migrations};
use crate::{DbPool, seed};

static SWEEP: Once = Once::new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database of its own for one test; dropped with the value.
pub struct TestDb {
    /// The URL of the test's database.
    pub url: String,
    name: String,
    admin_url: String,
}

/// The server's URL with `db` as the database.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| i + scheme_end);
    let mut out = format!("{}/{}", &base[..host_end], db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The PostgreSQL server tests run against: `DATABASE_URL`, else the local test cluster.
pub fn server_url() -> String {
    match std::env::var("DATABASE_URL") {
        Ok(u) if !u.trim().is_empty() => u,
        _ => LOCAL_SERVER.get_or_init(local_test_cluster).clone(),
    }
}

static LOCAL_SERVER: OnceLock<String> = OnceLock::new();

/// Where the local test cluster lives: `GONGKAI_TEST_CLUSTER_DIR`, else beside the test
/// binaries in Cargo's target directory (the nearest ancestor holding `CACHEDIR.TAG`).
fn test_cluster_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GONGKAI_TEST_CLUSTER_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let target = exe
        .ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target")));
    target.join("gongkai-test-cluster")
}

/// Makes and starts the local test cluster as needed; returns its server URL.
fn local_test_cluster() -> String {
    let dir = test_cluster_dir();
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let lock = FileLock::acquire(&dir.join("lock"))
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", dir.display()));
    let cluster = Programs::find()
        .and_then(|programs| Cluster::open(&dir.join("postgres"), programs))
        .map(|c| c.with_durability(Durability::Relaxed))
        .and_then(|c| c.ensure_running().map(|_| c))
        .unwrap_or_else(|e| {
            panic!(
                "tests need PostgreSQL: set DATABASE_URL to a server \
                 (e.g. postgres://postgres@127.0.0.1:5432/postgres), or let them make a \
                 local cluster in {}: {e}",
                dir.display()
            )
        });
    drop(lock);
    cluster.url("postgres")
}

fn admin(url: &str) -> PgConnection {
    let admin_url = with_database(url, "postgres");
    PgConnection::establish(&admin_url)
        .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL at {admin_url}: {e}"))
}

/// A fingerprint of the migrations and seed files, naming the template built from them.
fn fingerprint() -> String {
    let mut h = DefaultHasher::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            for f in ["up.sql", "down.sql"] {
                let p = e.path().join(f);
                if let Ok(text) = std::fs::read_to_string(&p) {
                    files.push((p.display().to_string(), text));
                }
            }
        }
    }
    files.sort();
    files.hash(&mut h);
    (seed::KAIPING_2021, seed::KAIPING_2021_PLAN, seed::HOLIDAYS).hash(&mut h);
    format!("{:016x}", h.finish())
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    datname: String,
}

fn database_exists(conn: &mut PgConnection, name: &str) -> bool {
    diesel::sql_query("SELECT datname FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .load::<Name>(conn)
        .map(|r| !r.is_empty())
        .unwrap_or(false)
}

/// How many templates of other migration sets are kept: checkouts of other branches
/// running their tests on the same server at the same time need theirs.
const OTHER_TEMPLATES_KEPT: usize = 8;

fn sweep(conn: &mut PgConnection, current_prefix: &str) {
    // Newest first (database oids grow), so that the oldest other templates go first.
    let names: Vec<Name> = diesel::sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'gongkai\\_test\\_%' OR datname LIKE 'gongkai\\_tpl\\_%' ORDER BY oid DESC",
    )
    .load(conn)
    .unwrap_or_default();
    let mut others = 0;
    for Name { datname } in names {
        let stale = if let Some(rest) = datname.strip_prefix("gongkai_test_") {
            // gongkai_test_<pid>_<n>: stale when that process is gone.
            let pid = rest.split('_').next().unwrap_or("");
            !std::path::Path::new(&format!("/proc/{pid}")).exists()
        } else if datname.starts_with(current_prefix) {
            false
        } else {
            others += 1;
            others > OTHER_TEMPLATES_KEPT
        };
        if stale {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident(&datname)
            ))
            .execute(conn);
        }
    }
}

/// Makes sure the template exists, building it under a lock when missing.
fn template(url: &str, seeded: bool) -> String {
    let prefix = format!("gongkai_tpl_{}", fingerprint());
    let name = if seeded { format!("{prefix}_seeded") } else { prefix.clone() };
    let mut conn = admin(url);
    SWEEP.call_once(|| {
        diesel::sql_query("SELECT pg_advisory_lock(471100001)").execute(&mut conn).ok();
        sweep(&mut conn, &prefix);
        diesel::sql_query("SELECT pg_advisory_unlock(471100001)").execute(&mut conn).ok();
    });
    if database_exists(&mut conn, &name) {
        return name;
    }
    diesel::sql_query("SELECT pg_advisory_lock(471100001)")
        .execute(&mut conn)
        .expect("advisory lock");
    if !database_exists(&mut conn, &name) {
        let building = format!("{name}_building_{}", std::process::id());
        diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(&building)
        ))
        .execute(&mut conn)
        .expect("drop leftover template");
        diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(&building)))
            .execute(&mut conn)
            .expect("create template");
        {
            let mut t = PgConnection::establish(&with_database(url, &building))
                .expect("connect to template");
            run_migrations(&mut t).expect("migrate template");
            if seeded {
                seed::load_if_empty(&mut t).expect("seed template");
            }
        }
        diesel::sql_query(format!(
            "ALTER DATABASE {} RENAME TO {}",
            quote_ident(&building),
            quote_ident(&name)
        ))
        .execute(&mut conn)
        .expect("publish template");
    }
    diesel::sql_query("SELECT pg_advisory_unlock(471100001)").execute(&mut conn).ok();
    name
}

impl TestDb {
    fn create(seeded: bool) -> TestDb {
        let url = server_url();
        let name = format!(
            "gongkai_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut conn = admin(&url);
        // Another test process on the same server may have swept the template a moment
        // ago: it is then built again.
        let mut attempt = 0;
        loop {
            let tpl = template(&url, seeded);
            let created = diesel::sql_query(format!(
                "CREATE DATABASE {} TEMPLATE {}",
                quote_ident(&name),
                quote_ident(&tpl)
            ))
            .execute(&mut conn);
            match created {
                Ok(_) => break,
                Err(_) if attempt < 3 && !database_exists(&mut conn, &tpl) => attempt += 1,
                Err(e) => panic!("cannot create test database {name}: {e}"),
            }
        }
        TestDb { url: with_database(&url, &name), name, admin_url: with_database(&url, "postgres") }
    }

    /// A migrated, empty database.
    pub fn empty() -> TestDb {
        Self::create(false)
    }

    /// A migrated database holding the seed (the Kaiping 2021 plan and the calendar).
    pub fn seeded() -> TestDb {
        Self::create(true)
    }

    /// A fresh database with nothing in it, not even the schema.
    pub fn blank() -> TestDb {
        let url = server_url();
        let name = format!(
            "gongkai_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut conn = admin(&url);
        diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(&name)))
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        TestDb { url: with_database(&url, &name), name, admin_url: with_database(&url, "postgres") }
    }

    /// A small pool on the test's database.
    pub fn pool(&self) -> DbPool {
        build_pool(&self.url, 4)
    }

    /// A direct connection to the test's database.
    pub fn conn(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to test database")
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident(&self.name)
            ))
            .execute(&mut conn);
        }
    }
}
