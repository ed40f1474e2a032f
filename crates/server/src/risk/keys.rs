//! The operator's assertion keys on disk: `DATA_DIR/assertion-keys/NAME/private.pem`, one
//! directory per key as `scamguard signing-key generate --out DATA_DIR/assertion-keys/NAME` writes
//! it. The newest key (by when its file was written) signs; the key ring in core decides how
//! long a retired one stays published. Rotation is one `signing-key generate`: the server picks the
//! new key up at its next sweep, without a restart.

use scamguard_core::assertion::{KeyRing, SigningKey};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The directory in the data directory that holds the assertion keys.
pub const ASSERTION_KEYS_DIR: &str = "assertion-keys";
/// The private key's file name in each key's directory.
pub const PRIVATE_FILE: &str = "private.pem";
/// The public key's file name in each key's directory.
pub const PUBLIC_FILE: &str = "public.pem";

/// Why the assertion keys could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// Which.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A key file is not a usable key.
    #[error("{path}: {message}")]
    Invalid {
        /// Which.
        path: String,
        /// Why.
        message: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyFileError + '_ {
    move |source| KeyFileError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Reads every key in `dir` as (Unix second it was written, PKCS#8 PEM), oldest first.
pub fn read_keys(dir: &Path) -> Result<Vec<(i64, String)>, KeyFileError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(dir)(e)),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path().join(PRIVATE_FILE)))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut keys = Vec::with_capacity(files.len());
    for path in files {
        let pem = std::fs::read_to_string(&path).map_err(io(&path))?;
        let made = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .map_err(io(&path))?
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        keys.push((made, pem));
    }
    keys.sort_by_key(|(made, _)| *made);
    Ok(keys)
}

/// The key ring in `dir` at `now`; when `dir` holds no key, a new one is made first (so that
/// the risk lookup works out of the box, as the handle key does).
pub fn load_or_create(dir: &Path, now: i64) -> Result<KeyRing, KeyFileError> {
    if read_keys(dir)?.is_empty() {
        match create(dir, now) {
            Ok(_) => {}
            // Another node sharing the directory made one in the same second: use it.
            Err(KeyFileError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    reload(dir, now)
}

/// The key ring in `dir` at `now`, without making a key: an empty directory is an error.
pub fn reload(dir: &Path, now: i64) -> Result<KeyRing, KeyFileError> {
    let keys = read_keys(dir)?;
    KeyRing::select(&keys, now).map_err(|e| KeyFileError::Invalid {
        path: dir.display().to_string(),
        message: e.to_string(),
    })
}

/// Writes a new key pair into `dir/<now>/`, private key readable by the owner only.
pub fn create(dir: &Path, now: i64) -> Result<PathBuf, KeyFileError> {
    write_pair(&dir.join(now.to_string()))
}

/// Writes a new P-256 key pair as `key_dir/private.pem` (PKCS#8, mode 0600, in a directory
/// of mode 0700) and `key_dir/public.pem` (SPKI), as `scamguard signing-key generate` does.
/// An existing file is never overwritten (an `Io` error of kind `AlreadyExists`): losing a
/// private key that is enrolled somewhere is worse than choosing another directory. Returns
/// the private key's path.
pub fn write_pair(key_dir: &Path) -> Result<PathBuf, KeyFileError> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(key_dir).map_err(io(key_dir))?;
    let (private, public) = loop {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| KeyFileError::Invalid {
            path: key_dir.display().to_string(),
            message: format!("no randomness: {e}"),
        })?;
        if let Some(pair) = SigningKey::pem_pair_from_random(&bytes) {
            break pair;
        }
    };
    let private_path = key_dir.join(PRIVATE_FILE);
    write_new(&private_path, &private, 0o600)?;
    write_new(&key_dir.join(PUBLIC_FILE), &public, 0o644)?;
    Ok(private_path)
}

fn write_new(path: &Path, text: &str, mode: u32) -> Result<(), KeyFileError> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = o.open(path).map_err(io(path))?;
    f.write_all(text.as_bytes()).map_err(io(path))?;
    f.sync_all().map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_on_first_use_and_kept_after() {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join(ASSERTION_KEYS_DIR);
        let first = load_or_create(&keys, 1_800_000_000).unwrap();
        let again = load_or_create(&keys, 1_800_000_100).unwrap();
        assert_eq!(first.signer().kid(), again.signer().kid());
        assert_eq!(
            reload(&keys, 1_800_000_200).unwrap().signer().kid(),
            first.signer().kid()
        );
        // A key made by someone else in the same second is used, not an error.
        assert!(create(&keys, 1_800_000_000).is_err());
        assert!(reload(&dir.path().join("empty"), 0).is_err());
        assert_eq!(read_keys(&keys).unwrap().len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let key_dir = keys.join("1800000000");
            let mode = std::fs::metadata(key_dir.join(PRIVATE_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_broken_key_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("k1")).unwrap();
        std::fs::write(dir.path().join("k1").join(PRIVATE_FILE), "nope").unwrap();
        let err = load_or_create(dir.path(), 1_800_000_000).unwrap_err();
        assert!(err.to_string().contains("PKCS#8"), "{err}");
    }
}
