//! Finding PostgreSQL's server programs (`initdb`, `pg_ctl`, `postgres`) on this machine.
//!
//! Where they are looked for, in order: only `GONGKAI_PG_BIN_DIR` when it is set; else
//! each directory of `PATH`, then `/usr/lib/postgresql/*/bin` (Debian's and Ubuntu's
//! layout), newest version first. All three programs must sit in the same directory,
//! as `pg_ctl` starts the `postgres` beside it.

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::ClusterError;

/// The environment variable naming the directory that holds the programs; when set,
/// nothing else is searched.
pub const BIN_DIR_VAR: &str = "GONGKAI_PG_BIN_DIR";

/// Where Debian and Ubuntu install each PostgreSQL version's programs (`<version>/bin`).
const VERSIONS_ROOT: &str = "/usr/lib/postgresql";

/// The programs a local cluster needs.
const NEEDED: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// A directory holding PostgreSQL's server programs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programs {
    dir: PathBuf,
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn has_all(dir: &Path) -> bool {
    NEEDED.iter().all(|p| is_executable(&dir.join(p)))
}

/// `/usr/lib/postgresql/<version>/bin` directories, newest version first.
fn versioned_dirs(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir(root)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let version: Option<Vec<u32>> =
                        name.split('.').map(|part| part.parse().ok()).collect();
                    version.map(|v| (v, e.path().join("bin")))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found.into_iter().map(|(_, dir)| dir).collect()
}

impl Programs {
    /// Finds the programs as the module documentation says.
    pub fn find() -> Result<Programs, ClusterError> {
        let explicit = std::env::var_os(BIN_DIR_VAR).filter(|v| !v.is_empty()).map(PathBuf::from);
        Self::search(explicit, std::env::var_os("PATH"), Path::new(VERSIONS_ROOT))
    }

    /// The search itself, with its inputs given (so that tests need no real installation).
    fn search(
        explicit: Option<PathBuf>,
        path: Option<OsString>,
        versions_root: &Path,
    ) -> Result<Programs, ClusterError> {
        let (candidates, looked_in) = match explicit {
            Some(dir) => (vec![dir.clone()], format!("{BIN_DIR_VAR}={}", dir.display())),
            None => {
                let mut dirs: Vec<PathBuf> =
                    path.as_deref().map(|p| std::env::split_paths(p).collect()).unwrap_or_default();
                dirs.extend(versioned_dirs(versions_root));
                (dirs, format!("PATH and {}/*/bin", versions_root.display()))
            }
        };
        candidates
            .into_iter()
            .find(|dir| has_all(dir))
            .map(|dir| Programs { dir })
            .ok_or(ClusterError::NoPrograms { looked_in })
    }

    /// The directory holding the programs.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of `initdb`.
    pub fn initdb(&self) -> PathBuf {
        self.dir.join("initdb")
    }

    /// The path of `pg_ctl`.
    pub fn pg_ctl(&self) -> PathBuf {
        self.dir.join("pg_ctl")
    }

    /// The version `postgres --version` reports, such as `15.20`; None when it cannot tell.
    pub fn version(&self) -> Option<String> {
        let out = std::process::Command::new(self.dir.join("postgres")).arg("--version").output();
        let text = String::from_utf8(out.ok()?.stdout).ok()?;
        // "postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
        text.split_whitespace().nth(2).map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn fake_install(dir: &Path, programs: &[&str]) {
        std::fs::create_dir_all(dir).unwrap();
        for p in programs {
            let file = dir.join(p);
            std::fs::write(&file, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    #[test]
    fn path_comes_first_then_the_newest_version() {
        let root = std::env::temp_dir().join(format!("gongkai-programs-{}", std::process::id()));
        let versions = root.join("lib");
        fake_install(&versions.join("9.6/bin"), &NEEDED);
        fake_install(&versions.join("16/bin"), &NEEDED);
        fake_install(&versions.join("15/bin"), &NEEDED);
        fake_install(&root.join("partial"), &["initdb", "pg_ctl"]);
        fake_install(&root.join("onpath"), &NEEDED);

        let path = std::env::join_paths([root.join("partial"), root.join("onpath")]).unwrap();
        let found = Programs::search(None, Some(path), &versions).unwrap();
        assert_eq!(found.dir(), root.join("onpath"));

        let path = std::env::join_paths([root.join("partial")]).unwrap();
        let found = Programs::search(None, Some(path), &versions).unwrap();
        assert_eq!(found.dir(), versions.join("16/bin"), "16 is newer than 15 and 9.6");

        let err = Programs::search(None, None, &root.join("nothing")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("apt-get install postgresql"), "{msg}");
        assert!(msg.contains("DATABASE_URL"), "{msg}");

        // An explicit directory is the only place looked at.
        let err = Programs::search(Some(root.join("partial")), None, &versions).unwrap_err();
        assert!(err.to_string().contains(BIN_DIR_VAR));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
