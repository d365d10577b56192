//! Where the database is: the server `DATABASE_URL` names, or else the private local
//! cluster in the data directory (`GONGKAI_DATA_DIR`).
//!
//! Whoever holds the data directory's lock (`gongkai.lock`, flock) owns the local
//! cluster: it makes it if needed, starts it, and stops it when done — `serve` for as
//! long as it serves, a command such as `issue-token` for a moment. A command that finds
//! a server holding the lock uses the cluster that server runs; a second server is
//! refused.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use diesel::Connection;
use gongkai_store::cluster::{Cluster, FileLock, Programs, is_root};

use crate::config::DatabaseSource;

/// The lock file in the data directory.
pub const LOCK_FILE: &str = "gongkai.lock";
/// The cluster's directory in the data directory.
pub const CLUSTER_DIR: &str = "postgres";
/// The database Gongkai keeps its data in, in the local cluster.
pub const DATABASE_NAME: &str = "gongkai";
/// How long a command waits for another process to let go of the data directory, or for
/// a server's cluster to answer.
const PATIENCE: Duration = Duration::from_secs(60);

/// What the database is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `serve`: make the cluster if needed and run it while serving; one server at a time.
    Serve,
    /// `migrate`: make the cluster if needed; use a running server's.
    Migrate,
    /// Another command: needs a cluster that `serve` made; uses a running server's.
    Use,
}

impl Purpose {
    fn word(self) -> &'static str {
        match self {
            Purpose::Serve => "serve",
            Purpose::Migrate => "migrate",
            Purpose::Use => "command",
        }
    }
}

/// The local cluster this process started, stopped again on drop.
struct Owned {
    cluster: Cluster,
    _lock: FileLock,
    announce: bool,
}

/// An open database: its URL, and the local cluster this process owns, if any.
pub struct Database {
    url: String,
    local: Option<Cluster>,
    owned: Option<Owned>,
}

/// Creates the data directory when missing: private to its owner, and searchable (not
/// listable) by others when root runs the cluster as another account.
pub fn create_data_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.exists() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(if is_root() { 0o711 } else { 0o700 })
        .create(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))
}

fn wait_until_answering(url: &str) -> Result<()> {
    let started = Instant::now();
    loop {
        match diesel::PgConnection::establish(url) {
            Ok(_) => return Ok(()),
            Err(e) if started.elapsed() > PATIENCE => {
                bail!("the running server's local cluster does not answer: {e}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(250)),
        }
    }
}

impl Database {
    /// Opens the database `source` names for `purpose`.
    pub fn open(source: &DatabaseSource, purpose: Purpose) -> Result<Database> {
        match source {
            DatabaseSource::Url(url) => Ok(Database { url: url.clone(), local: None, owned: None }),
            DatabaseSource::Local(dir) => Self::open_local(dir, purpose),
        }
    }

    fn open_local(dir: &Path, purpose: Purpose) -> Result<Database> {
        let programs = Programs::find()?;
        create_data_dir(dir)?;
        let dir =
            dir.canonicalize().with_context(|| format!("cannot resolve {}", dir.display()))?;
        let lock_path = dir.join(LOCK_FILE);
        let started = Instant::now();
        loop {
            let lock = FileLock::try_acquire(&lock_path)
                .with_context(|| format!("cannot open the lock file {}", lock_path.display()))?;
            if let Some(mut lock) = lock {
                lock.set_holder(&format!("{} {}", purpose.word(), std::process::id()))?;
                return Self::own(&dir, programs, lock, purpose);
            }
            let holder = FileLock::holder(&lock_path);
            if let Some(pid) = holder.strip_prefix("serve ") {
                if purpose == Purpose::Serve {
                    bail!(
                        "another gongkai server (pid {pid}) is using the data directory {}: \
                         stop it first, or give this one a data directory of its own \
                         (GONGKAI_DATA_DIR)",
                        dir.display()
                    );
                }
                return Self::attach(&dir, programs);
            }
            if started.elapsed() > PATIENCE {
                bail!(
                    "the data directory {} stays busy ({}): try again later",
                    dir.display(),
                    if holder.is_empty() { "another gongkai process" } else { &holder }
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Runs the cluster ourselves: we hold the lock.
    fn own(dir: &Path, programs: Programs, lock: FileLock, purpose: Purpose) -> Result<Database> {
        let cluster = Cluster::open(&dir.join(CLUSTER_DIR), programs)?;
        if !cluster.is_initialized() {
            if purpose == Purpose::Use {
                bail!(
                    "there is no local database in {} yet: start `gongkai serve` once (it makes \
                     and seeds it), or point GONGKAI_DATA_DIR at the directory it uses",
                    dir.display()
                );
            }
            eprintln!(
                "gongkai: making a private PostgreSQL cluster in {} (first start)",
                cluster.root().display()
            );
        }
        // Owned before starting, so that whatever fails from here on stops the cluster.
        let db = Database {
            url: cluster.url(DATABASE_NAME),
            local: Some(cluster.clone()),
            owned: Some(Owned { cluster, _lock: lock, announce: purpose == Purpose::Serve }),
        };
        if let Some(owned) = &db.owned {
            owned.cluster.ensure_running()?;
        }
        Ok(db)
    }

    /// Uses the cluster a running server owns.
    fn attach(dir: &Path, programs: Programs) -> Result<Database> {
        let cluster = Cluster::open(&dir.join(CLUSTER_DIR), programs)?;
        wait_until_answering(&cluster.url("postgres"))?;
        Ok(Database { url: cluster.url(DATABASE_NAME), local: Some(cluster), owned: None })
    }

    /// The database's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The local cluster, when the database is in one.
    pub fn local_cluster(&self) -> Option<&Cluster> {
        self.local.as_ref()
    }

    /// The data directory, when the database is in the local cluster.
    pub fn data_dir(&self) -> Option<PathBuf> {
        self.local.as_ref().and_then(|c| c.root().parent().map(Path::to_path_buf))
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let Some(owned) = self.owned.take() else { return };
        match owned.cluster.stop() {
            Ok(()) if owned.announce => eprintln!("gongkai: stopped the local PostgreSQL cluster"),
            Ok(()) => tracing::debug!("stopped the local PostgreSQL cluster"),
            Err(e) => eprintln!(
                "gongkai: could not stop the local PostgreSQL cluster in {}: {e}",
                owned.cluster.root().display()
            ),
        }
    }
}
