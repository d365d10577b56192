//! What can go wrong with a local cluster; each message says what to do about it.

use std::path::PathBuf;

use super::MAX_SOCKET_PATH;
use super::account::DEFAULT_ACCOUNT;
use super::programs::BIN_DIR_VAR;

/// A failure of the local cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// PostgreSQL is not installed (or not where we look).
    #[error(
        "PostgreSQL's server programs (initdb, pg_ctl, postgres) were not found in \
         {looked_in}. Install PostgreSQL (Debian/Ubuntu: `sudo apt-get install postgresql`), \
         or set {BIN_DIR_VAR} to the directory holding them, or set DATABASE_URL to a \
         PostgreSQL server of your own"
    )]
    NoPrograms {
        /// Where they were looked for.
        looked_in: String,
    },
    /// Root started us and there is no account to run the cluster as.
    #[error(
        "initdb refuses to run as root, and there is no `{DEFAULT_ACCOUNT}` account to run the \
         local cluster as: create one (`useradd --system --user-group {DEFAULT_ACCOUNT}`), run \
         gongkai as an ordinary user, or set DATABASE_URL"
    )]
    NoAccount,
    /// The cluster belongs to someone we cannot run it as.
    #[error(
        "the local cluster in {} belongs to uid {owner}: run gongkai as that user, or use \
         another data directory", dir.display()
    )]
    ForeignOwner {
        /// The cluster's data directory.
        dir: PathBuf,
        /// Its owner.
        owner: u32,
    },
    /// The cluster's account cannot reach its directory.
    #[error(
        "the cluster's account {account} cannot reach {} because {} is not searchable by it, \
         and making it so failed ({source}): choose a data directory it can reach (such as \
         /var/lib/gongkai), or set DATABASE_URL", dir.display(), blocking.display()
    )]
    Unreachable {
        /// The cluster's directory.
        dir: PathBuf,
        /// The directory in the way.
        blocking: PathBuf,
        /// The cluster's account.
        account: String,
        /// Why it could not be changed.
        source: std::io::Error,
    },
    /// The socket's path would be longer than Unix sockets allow.
    #[error(
        "the path of the cluster's socket, {} ({len} bytes), is longer than the {MAX_SOCKET_PATH} \
         bytes Unix sockets allow: choose a data directory with a shorter path",
        path.display()
    )]
    SocketPathTooLong {
        /// The socket's path.
        path: PathBuf,
        /// Its length in bytes.
        len: usize,
    },
    /// A PostgreSQL program failed.
    #[error("{what} failed: {detail}")]
    Program {
        /// What was being done.
        what: String,
        /// What the program (or the server's log) said.
        detail: String,
    },
    /// A file or directory could not be read or written.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
}

impl ClusterError {
    pub(super) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        ClusterError::Io { what: what.into(), source }
    }
}
