//! Handles (phone numbers, e-mail addresses) are personal data: the store keeps only a keyed
//! hash of each, so records can be grouped by caller without revealing who the caller is.
//!
//! The key is a secret generated into the data directory on first start (`handle.key`) or
//! given by the operator. Several nodes that share a database must share the key, or the same
//! caller hashes differently on each.

use crate::StoreError;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;

/// The file in the data directory that holds the generated key.
pub const HANDLE_KEY_FILE: &str = "handle.key";

/// Hashes handles with HMAC-SHA256 under a secret key.
#[derive(Clone)]
pub struct HandleHasher {
    key: Vec<u8>,
}

impl std::fmt::Debug for HandleHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HandleHasher(..)")
    }
}

impl HandleHasher {
    /// A hasher keyed by an operator-supplied secret.
    pub fn from_secret(secret: &str) -> Result<HandleHasher, StoreError> {
        if secret.len() < 16 {
            return Err(StoreError::config(
                "handle key: at least 16 characters are needed",
            ));
        }
        Ok(HandleHasher {
            key: secret.as_bytes().to_vec(),
        })
    }

    /// The key in `dir/handle.key`, created with 32 random bytes on first use.
    pub fn load_or_create(dir: &Path) -> Result<HandleHasher, StoreError> {
        let path = dir.join(HANDLE_KEY_FILE);
        let io = |source| StoreError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let key = hex::decode(text.trim())
                    .map_err(|_| StoreError::config(format!("{}: expected hex", path.display())))?;
                if key.len() < 16 {
                    return Err(StoreError::config(format!(
                        "{}: key is too short",
                        path.display()
                    )));
                }
                Ok(HandleHasher { key })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(io)?;
                let mut key = vec![0u8; 32];
                getrandom::fill(&mut key)
                    .map_err(|e| StoreError::config(format!("no randomness: {e}")))?;
                write_private(&path, &hex::encode(&key)).map_err(io)?;
                Ok(HandleHasher { key })
            }
            Err(e) => Err(io(e)),
        }
    }

    /// The hash of `handle` after [`normalise_handle`], as 64 hex digits.
    pub fn hash(&self, handle: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(normalise_handle(handle).as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The form of a handle that is hashed, so that `+86 138-0000-0000` and `+8613800000000` are
/// one caller: phone numbers keep only `+` and digits; anything else is trimmed and lowercased.
pub fn normalise_handle(handle: &str) -> String {
    let h = handle.trim();
    let phone_like = !h.is_empty()
        && h.chars()
            .all(|c| c.is_ascii_digit() || " +-().\u{a0}".contains(c));
    if phone_like {
        h.chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    } else {
        h.to_lowercase()
    }
}

/// Writes a secret readable by its owner only (where the platform has permissions).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_hash_alike_and_keys_persist() {
        let dir = tempfile::tempdir().unwrap();
        let h = HandleHasher::load_or_create(dir.path()).unwrap();
        assert_eq!(h.hash("+86 138-0000-0000"), h.hash("+8613800000000"));
        assert_eq!(h.hash("Scam@Example.com "), h.hash("scam@example.com"));
        assert_ne!(h.hash("+8613800000000"), h.hash("+8613800000001"));
        assert_eq!(h.hash("x").len(), 64);
        let again = HandleHasher::load_or_create(dir.path()).unwrap();
        assert_eq!(h.hash("a@b.c"), again.hash("a@b.c"));
        let other = HandleHasher::from_secret("another secret key!").unwrap();
        assert_ne!(h.hash("a@b.c"), other.hash("a@b.c"));
        assert!(HandleHasher::from_secret("short").is_err());
    }
}
