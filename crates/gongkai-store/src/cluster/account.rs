//! Which operating-system account the cluster runs as, and making its directories
//! reachable by that account.
//!
//! `initdb` and `pg_ctl` refuse to run as root. A process started by root therefore runs
//! them as an unprivileged system account — the owner of an existing cluster, else
//! `postgres` — and hands that account the cluster's directory.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::ClusterError;

/// The account a cluster is made with when root starts it.
pub const DEFAULT_ACCOUNT: &str = "postgres";

/// An account from `/etc/passwd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Its login name.
    pub name: String,
    /// Its user id.
    pub uid: u32,
    /// Its primary group id.
    pub gid: u32,
}

/// Who runs the cluster's programs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunAs {
    /// This process's own user (not root).
    Myself,
    /// Another account, switched to when starting each program (this process is root).
    Account(Account),
}

/// True when this process runs as root.
pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Parses one `/etc/passwd` line: `name:password:uid:gid:gecos:home:shell`.
fn parse_passwd_line(line: &str) -> Option<Account> {
    let mut fields = line.split(':');
    let name = fields.next()?.to_string();
    let uid = fields.nth(1)?.parse().ok()?;
    let gid = fields.next()?.parse().ok()?;
    Some(Account { name, uid, gid })
}

fn passwd_entries() -> Vec<Account> {
    std::fs::read_to_string("/etc/passwd")
        .map(|text| text.lines().filter_map(parse_passwd_line).collect())
        .unwrap_or_default()
}

/// Decides who runs the cluster whose data directory is `data_dir` (which may not exist
/// yet).
pub fn choose(data_dir: &Path) -> Result<RunAs, ClusterError> {
    let owner = std::fs::metadata(data_dir).ok().map(|m| (m.uid(), m.gid()));
    let me = rustix::process::geteuid().as_raw();
    if me != 0 {
        return match owner {
            Some((uid, _)) if uid != me => {
                Err(ClusterError::ForeignOwner { dir: data_dir.to_path_buf(), owner: uid })
            }
            _ => Ok(RunAs::Myself),
        };
    }
    let entries = passwd_entries();
    match owner {
        Some((0, _)) => Err(ClusterError::ForeignOwner { dir: data_dir.to_path_buf(), owner: 0 }),
        Some((uid, gid)) => {
            let name = entries
                .iter()
                .find(|a| a.uid == uid)
                .map_or_else(|| uid.to_string(), |a| a.name.clone());
            Ok(RunAs::Account(Account { name, uid, gid }))
        }
        None => entries
            .into_iter()
            .find(|a| a.name == DEFAULT_ACCOUNT && a.uid != 0)
            .map(RunAs::Account)
            .ok_or(ClusterError::NoAccount),
    }
}

impl RunAs {
    /// A command for `program` that runs as this account, in `dir`, without the `PG*`
    /// variables of the caller's environment (they would point the programs elsewhere).
    pub fn command(&self, program: &Path, dir: &Path) -> Command {
        use std::os::unix::process::CommandExt;
        let mut cmd = Command::new(program);
        cmd.current_dir(dir);
        for var in ["PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS"] {
            cmd.env_remove(var);
        }
        if let RunAs::Account(a) = self {
            // std drops the supplementary groups too when root switches user.
            cmd.uid(a.uid).gid(a.gid);
        }
        cmd
    }

    /// The account's name, for messages.
    pub fn name(&self) -> String {
        match self {
            RunAs::Myself => {
                let me = rustix::process::geteuid().as_raw();
                passwd_entries()
                    .into_iter()
                    .find(|a| a.uid == me)
                    .map_or_else(|| format!("uid {me}"), |a| a.name)
            }
            RunAs::Account(a) => a.name.clone(),
        }
    }

    /// Gives `path` (a directory or file this process made) to the account.
    pub fn hand_over(&self, path: &Path) -> Result<(), ClusterError> {
        if let RunAs::Account(a) = self {
            std::os::unix::fs::chown(path, Some(a.uid), Some(a.gid)).map_err(|e| {
                ClusterError::io(format!("cannot give {} to {}", path.display(), a.name), e)
            })?;
        }
        Ok(())
    }

    /// Makes sure the account can reach `dir`: each directory above it must be searchable
    /// (`x`) by it. Root adds the search bit for others where it is missing (which lets
    /// nobody list those directories) and returns what it changed; anything else that
    /// blocks the way is an error naming the directory.
    pub fn make_reachable(&self, dir: &Path) -> Result<Vec<PathBuf>, ClusterError> {
        let RunAs::Account(a) = self else { return Ok(Vec::new()) };
        let mut changed = Vec::new();
        for ancestor in dir.ancestors().skip(1) {
            let meta = std::fs::metadata(ancestor)
                .map_err(|e| ClusterError::io(format!("cannot read {}", ancestor.display()), e))?;
            let mode = meta.permissions().mode();
            let bit = if meta.uid() == a.uid {
                0o100
            } else if meta.gid() == a.gid {
                0o010
            } else {
                0o001
            };
            if mode & bit != 0 {
                continue;
            }
            std::fs::set_permissions(ancestor, std::fs::Permissions::from_mode(mode | bit))
                .map_err(|source| ClusterError::Unreachable {
                    dir: dir.to_path_buf(),
                    blocking: ancestor.to_path_buf(),
                    account: a.name.clone(),
                    source,
                })?;
            changed.push(ancestor.to_path_buf());
        }
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_lines_are_read() {
        assert_eq!(
            parse_passwd_line(
                "postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash"
            ),
            Some(Account { name: "postgres".into(), uid: 101, gid: 104 })
        );
        assert_eq!(parse_passwd_line("# comment"), None);
        assert_eq!(parse_passwd_line("broken:x:abc:1::/:/bin/sh"), None);
    }
}
