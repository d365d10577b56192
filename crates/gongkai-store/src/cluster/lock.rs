//! An exclusive advisory lock on a file (`flock`), released when its holder closes the
//! file or dies: a crashed process never leaves a stale lock behind.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, flock};

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct FileLock {
    file: File,
    path: PathBuf,
}

fn open(path: &Path) -> io::Result<File> {
    // Rust opens files close-on-exec, so the programs we start never inherit the lock.
    OpenOptions::new().read(true).write(true).create(true).truncate(false).mode(0o600).open(path)
}

impl FileLock {
    /// Takes the lock when it is free; `Ok(None)` when another process holds it.
    pub fn try_acquire(path: &Path) -> io::Result<Option<FileLock>> {
        let file = open(path)?;
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(Some(FileLock { file, path: path.to_path_buf() })),
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Waits until the lock is free and takes it.
    pub fn acquire(path: &Path) -> io::Result<FileLock> {
        let file = open(path)?;
        loop {
            match flock(&file, FlockOperation::LockExclusive) {
                Ok(()) => return Ok(FileLock { file, path: path.to_path_buf() }),
                Err(e) if e == rustix::io::Errno::INTR => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Records who holds the lock (such as `serve 1234`), for the messages of others.
    pub fn set_holder(&mut self, holder: &str) -> io::Result<()> {
        self.file.set_len(0)?;
        self.file.seek(SeekFrom::Start(0))?;
        self.file.write_all(format!("{holder}\n").as_bytes())?;
        self.file.flush()
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the current holder of the lock at `path` wrote with [`FileLock::set_holder`];
    /// empty when it wrote nothing (yet).
    pub fn holder(path: &Path) -> String {
        let mut text = String::new();
        if let Ok(mut f) = File::open(path) {
            let _ = f.read_to_string(&mut text);
        }
        text.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_refused_until_the_first_lets_go() {
        let dir = std::env::temp_dir().join(format!("gongkai-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("lock");
        let mut first = FileLock::try_acquire(&path).unwrap().expect("free at first");
        first.set_holder("serve 42").unwrap();
        assert!(FileLock::try_acquire(&path).unwrap().is_none(), "flock is per open file");
        assert_eq!(FileLock::holder(&path), "serve 42");
        drop(first);
        let again = FileLock::try_acquire(&path).unwrap();
        assert!(again.is_some(), "released on drop");
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
