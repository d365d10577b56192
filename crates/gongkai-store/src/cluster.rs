//! A private PostgreSQL cluster in a directory of ours, made and run with the PostgreSQL
//! programs installed on the machine: the database of `gongkai serve` when
//! `DATABASE_URL` is unset, and of the tests.
//!
//! Layout of the cluster's directory (owned by the account the cluster runs as, 0700):
//!
//! ```text
//! data/             the cluster (initdb); data/gongkai.conf is rewritten at each start
//! run/              the Unix socket (.s.PGSQL.5432): the only way in, no TCP port
//! postgresql.log    the server's log
//! ```
//!
//! Clients connect as the superuser `postgres` through the socket; authentication is
//! `trust`, and the socket's directory is closed to everyone but the cluster's account
//! (and root). Callers serialize `init`, `start` and `stop` themselves (see [`FileLock`]).

mod account;
mod error;
mod lock;
mod programs;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use account::{Account, DEFAULT_ACCOUNT, RunAs, is_root};
pub use error::ClusterError;
pub use lock::FileLock;
pub use programs::{BIN_DIR_VAR, Programs};

/// The port number the server's socket is named after (no TCP port is opened).
pub const PORT: u16 = 5432;
/// The superuser `initdb` creates.
pub const SUPERUSER: &str = "postgres";
/// The longest Unix socket path the kernel takes (`sun_path` less its terminating NUL).
pub const MAX_SOCKET_PATH: usize = 107;
/// How long `pg_ctl` waits for the server to start or stop, in seconds.
const WAIT_SECONDS: &str = "120";

/// How carefully the cluster writes to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// PostgreSQL's defaults: committed data survives a crash of the machine.
    Full,
    /// No fsync: much faster, for throw-away clusters such as the tests'; a crash of the
    /// machine may corrupt it.
    Relaxed,
}

/// What [`Cluster::ensure_running`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ensured {
    /// The cluster was made (initdb) just now.
    pub created: bool,
    /// The server was started just now (it was not running).
    pub started: bool,
}

/// A local cluster, made or not yet.
#[derive(Debug, Clone)]
pub struct Cluster {
    root: PathBuf,
    programs: Programs,
    run_as: RunAs,
    durability: Durability,
}

/// Percent-encodes a socket directory for a libpq URI's host (every `/` too).
fn uri_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Quotes a value for postgresql.conf.
fn conf_quote(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}

fn describe(out: &Output) -> String {
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let text = text.trim();
    if text.is_empty() { format!("exit status {}", out.status) } else { text.to_string() }
}

impl Cluster {
    /// Opens the cluster in `root`, creating the directory (but not the cluster) when
    /// missing, and deciding which account runs it.
    pub fn open(root: &Path, programs: Programs) -> Result<Cluster, ClusterError> {
        use std::os::unix::fs::DirBuilderExt;
        if !root.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(root)
                .map_err(|e| ClusterError::io(format!("cannot create {}", root.display()), e))?;
        }
        let root = root
            .canonicalize()
            .map_err(|e| ClusterError::io(format!("cannot resolve {}", root.display()), e))?;
        let run_as = account::choose(&root.join("data"))?;
        let cluster = Cluster { root, programs, run_as, durability: Durability::Full };
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&cluster.root, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| {
                    ClusterError::io(format!("cannot protect {}", cluster.root.display()), e)
                })?;
        }
        cluster.run_as.hand_over(&cluster.root)?;
        cluster.make_reachable()?;
        Ok(cluster)
    }

    /// The same cluster with another durability (it applies from the next start).
    pub fn with_durability(mut self, durability: Durability) -> Cluster {
        self.durability = durability;
        self
    }

    /// The cluster's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The cluster's data directory (what `initdb -D` made).
    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    /// The directory of the server's Unix socket.
    pub fn socket_dir(&self) -> PathBuf {
        self.root.join("run")
    }

    /// The server's log file.
    pub fn log_file(&self) -> PathBuf {
        self.root.join("postgresql.log")
    }

    /// Who runs the cluster's programs.
    pub fn run_as(&self) -> &RunAs {
        &self.run_as
    }

    /// The PostgreSQL programs the cluster is run with.
    pub fn programs(&self) -> &Programs {
        &self.programs
    }

    /// The URL of `database` in this cluster, through its socket. The socket's directory
    /// is the URL's host, percent-encoded (as libpq reads it), so that the URL has the
    /// usual shape `postgres://user@host:port/database` for whatever takes it apart.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@{}:{PORT}/{database}",
            uri_encode(&self.socket_dir().to_string_lossy())
        )
    }

    /// True once `initdb` has made the cluster.
    pub fn is_initialized(&self) -> bool {
        self.data_dir().join("PG_VERSION").is_file()
    }

    fn command(&self, program: &Path) -> Command {
        self.run_as.command(program, &self.root)
    }

    fn run(&self, what: &str, cmd: &mut Command) -> Result<Output, ClusterError> {
        let out = cmd.output().map_err(|e| ClusterError::io(format!("cannot run {what}"), e))?;
        if out.status.success() {
            Ok(out)
        } else {
            Err(ClusterError::Program { what: what.into(), detail: describe(&out) })
        }
    }

    fn make_reachable(&self) -> Result<(), ClusterError> {
        for dir in self.run_as.make_reachable(&self.root)? {
            tracing::warn!(
                dir = %dir.display(),
                account = %self.run_as.name(),
                "made the directory searchable by others so that the cluster's account can reach its data"
            );
        }
        Ok(())
    }

    /// Makes the cluster with `initdb` (superuser `postgres`, UTF-8, C locale, trust on the
    /// socket) unless it exists.
    pub fn init(&self) -> Result<(), ClusterError> {
        if self.is_initialized() {
            return Ok(());
        }
        let data = self.data_dir();
        if data.exists() {
            // What a failed initdb left behind: initdb only works in an empty directory.
            std::fs::remove_dir_all(&data).map_err(|e| {
                ClusterError::io(
                    format!("cannot clear the unfinished cluster {}", data.display()),
                    e,
                )
            })?;
        }
        self.run(
            "initdb",
            self.command(&self.programs.initdb())
                .arg("--pgdata")
                .arg(&data)
                .args(["--username", SUPERUSER, "--auth", "trust", "--encoding", "UTF8"])
                .arg("--no-locale"),
        )?;
        let conf = data.join("postgresql.conf");
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&conf)
            .map_err(|e| ClusterError::io(format!("cannot open {}", conf.display()), e))?;
        file.write_all(
            b"\n# Gongkai's settings (socket, durability), rewritten at each start:\n\
              include_if_exists = 'gongkai.conf'\n",
        )
        .map_err(|e| ClusterError::io(format!("cannot write {}", conf.display()), e))?;
        Ok(())
    }

    /// True while the cluster's server runs (`pg_ctl status`).
    pub fn is_running(&self) -> Result<bool, ClusterError> {
        if !self.is_initialized() {
            return Ok(false);
        }
        let out = self
            .command(&self.programs.pg_ctl())
            .arg("status")
            .arg("--pgdata")
            .arg(self.data_dir())
            .output()
            .map_err(|e| ClusterError::io("cannot run pg_ctl status", e))?;
        match out.status.code() {
            Some(0) => Ok(true),
            Some(3) => Ok(false),
            _ => {
                Err(ClusterError::Program { what: "pg_ctl status".into(), detail: describe(&out) })
            }
        }
    }

    fn write_settings(&self) -> Result<(), ClusterError> {
        let socket_dir = self.socket_dir();
        let socket = socket_dir.join(format!(".s.PGSQL.{PORT}"));
        let len = socket.as_os_str().len();
        if len > MAX_SOCKET_PATH {
            return Err(ClusterError::SocketPathTooLong { path: socket, len });
        }
        if !socket_dir.exists() {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new().mode(0o700).create(&socket_dir).map_err(|e| {
                ClusterError::io(format!("cannot create {}", socket_dir.display()), e)
            })?;
            self.run_as.hand_over(&socket_dir)?;
        }
        // The directory list is comma-separated; double quotes keep a comma in a path.
        let dir = format!("\"{}\"", socket_dir.to_string_lossy());
        let mut settings = format!(
            "# Written by gongkai at each start; put your own settings in postgresql.conf.\n\
             listen_addresses = ''\n\
             port = {PORT}\n\
             unix_socket_directories = {}\n\
             unix_socket_permissions = 0700\n",
            conf_quote(&dir)
        );
        if self.durability == Durability::Relaxed {
            settings.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        let path = self.data_dir().join("gongkai.conf");
        std::fs::write(&path, settings)
            .map_err(|e| ClusterError::io(format!("cannot write {}", path.display()), e))?;
        self.run_as.hand_over(&path)
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.log_file()).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(10)..].join("\n")
    }

    /// Starts the server unless it runs; returns true when it started it. The server
    /// detaches from this process (its own session), so stop it with [`Cluster::stop`].
    pub fn start(&self) -> Result<bool, ClusterError> {
        if self.is_running()? {
            return Ok(false);
        }
        self.make_reachable()?;
        self.write_settings()?;
        let started = self.run(
            "pg_ctl start",
            self.command(&self.programs.pg_ctl())
                .arg("start")
                .arg("--pgdata")
                .arg(self.data_dir())
                .arg("--log")
                .arg(self.log_file())
                .args(["--wait", "--timeout", WAIT_SECONDS, "--silent"]),
        );
        match started {
            Ok(_) => Ok(true),
            Err(ClusterError::Program { what, detail }) => Err(ClusterError::Program {
                what,
                detail: format!(
                    "{detail}\nthe end of {}:\n{}",
                    self.log_file().display(),
                    self.log_tail()
                ),
            }),
            Err(e) => Err(e),
        }
    }

    /// Stops the server (fast shutdown: open sessions are ended) if it runs.
    pub fn stop(&self) -> Result<(), ClusterError> {
        if !self.is_running()? {
            return Ok(());
        }
        self.run(
            "pg_ctl stop",
            self.command(&self.programs.pg_ctl())
                .arg("stop")
                .arg("--pgdata")
                .arg(self.data_dir())
                .args(["--mode", "fast", "--wait", "--timeout", WAIT_SECONDS, "--silent"]),
        )?;
        Ok(())
    }

    /// Makes the cluster if needed and starts it if it does not run.
    pub fn ensure_running(&self) -> Result<Ensured, ClusterError> {
        let created = !self.is_initialized();
        self.init()?;
        let started = self.start()?;
        Ok(Ensured { created, started })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_urls_and_settings_are_escaped() {
        assert_eq!(uri_encode("/tmp/a b/c&d"), "%2Ftmp%2Fa%20b%2Fc%26d");
        assert_eq!(conf_quote("\"/it's\""), "'\"/it''s\"'");
    }
}
