//! Secrets generated for the local-cluster mode and kept in the data directory, readable
//! by their owner only (0600): the token signing secret and the data key.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rand::TryRngCore;

use crate::config::MIN_SECRET_BYTES;

/// The file holding the token signing secret (`GONGKAI_JWT_SECRET`).
pub const JWT_SECRET_FILE: &str = "jwt-secret";
/// The file holding the key protecting applicants' identity numbers (`GONGKAI_DATA_KEY`).
pub const DATA_KEY_FILE: &str = "data-key";

/// 32 random bytes from the operating system, hex-encoded (64 characters).
fn generate() -> Result<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| anyhow::anyhow!("cannot get random bytes from the operating system: {e}"))?;
    Ok(hex::encode(bytes))
}

/// Reads the secret kept in `dir/file`; None when there is none yet.
pub fn load(dir: &Path, file: &str) -> Result<Option<String>> {
    let path = dir.join(file);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let mode = std::fs::metadata(&path)?.permissions().mode();
    if mode & 0o077 != 0 {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot make {} private (0600)", path.display()))?;
        tracing::warn!(file = %path.display(), "the secret was readable by others: made it 0600");
    }
    let secret = text.trim().to_string();
    if secret.len() < MIN_SECRET_BYTES {
        bail!("{} is too short: it must hold at least {MIN_SECRET_BYTES} bytes", path.display());
    }
    Ok(Some(secret))
}

/// Reads the secret kept in `dir/file`, generating and keeping one when there is none.
/// Two processes doing this at once end up with the same secret: it is written to a file
/// of its own first and then linked into place, which fails when another was first.
pub fn load_or_generate(dir: &Path, file: &str) -> Result<String> {
    if let Some(secret) = load(dir, file)? {
        return Ok(secret);
    }
    let path = dir.join(file);
    let draft: PathBuf = dir.join(format!(".{file}.{}", std::process::id()));
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&draft)
            .with_context(|| format!("cannot write {}", draft.display()))?;
        writeln!(f, "{}", generate()?)?;
        f.sync_all()?;
    }
    let linked = std::fs::hard_link(&draft, &path);
    let _ = std::fs::remove_file(&draft);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
    load(dir, file)?.with_context(|| format!("{} vanished", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_generated_once_private_and_then_kept() {
        let dir = std::env::temp_dir().join(format!("gongkai-secrets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(load(&dir, JWT_SECRET_FILE).unwrap().is_none());
        let first = load_or_generate(&dir, JWT_SECRET_FILE).unwrap();
        assert_eq!(first.len(), 64);
        assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
        let mode = std::fs::metadata(dir.join(JWT_SECRET_FILE)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(load_or_generate(&dir, JWT_SECRET_FILE).unwrap(), first);
        assert_ne!(load_or_generate(&dir, DATA_KEY_FILE).unwrap(), first);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
