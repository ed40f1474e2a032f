//! `scamguard signing-key generate --out DIR`: a P-256 key pair for signing calls (an
//! organisation), registry exports or risk assertions (an operator). Not an API key: those are
//! `scamguard keys`. `keys generate`, the old spelling, still works and is hidden.
//!
//! Writes `DIR/private.pem` (PKCS#8, mode 0600) and `DIR/public.pem` (SPKI). Existing files
//! are never overwritten: losing a private key that is enrolled somewhere is worse than
//! having to pick another directory.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use scamguard_server::risk::keys::{PRIVATE_FILE, PUBLIC_FILE};

#[derive(Subcommand, Debug)]
pub enum SigningKeyCommand {
    /// Generate a P-256 key pair for signing calls, registry exports or risk assertions:
    /// DIR/private.pem (PKCS#8, mode 0600) and DIR/public.pem (SPKI, to enrol). Never
    /// overwrites.
    Generate(GenerateArgs),
}

/// Runs a `scamguard signing-key` command.
pub fn run_command(cmd: SigningKeyCommand) -> Result<ExitCode> {
    match cmd {
        SigningKeyCommand::Generate(a) => run(a),
    }
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Directory to write private.pem and public.pem into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Writes a new key pair into `args.out`, refusing to overwrite anything.
pub fn run(args: GenerateArgs) -> Result<ExitCode> {
    let private_path = args.out.join(PRIVATE_FILE);
    let public_path = args.out.join(PUBLIC_FILE);
    for p in [&private_path, &public_path] {
        if p.exists() {
            bail!(
                "{} exists; refusing to overwrite a key: choose another --out or move it away",
                p.display()
            );
        }
    }
    // The check above names the file; this refuses too if one appeared meanwhile.
    scamguard_server::risk::keys::write_pair(&args.out)?;
    eprintln!(
        "wrote {} (keep it secret) and {} (enrol it with `scamguard registry add --key {}`)",
        private_path.display(),
        public_path.display(),
        public_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Reads a P-256 private key (PKCS#8 `BEGIN PRIVATE KEY`, or SEC1 `BEGIN EC PRIVATE KEY` as
/// OpenSSL writes it) and returns it as PKCS#8 PEM.
pub fn read_private_key(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the private key {}", path.display()))?;
    let key = if text.contains("BEGIN EC PRIVATE KEY") {
        p256::SecretKey::from_sec1_pem(&text).ok()
    } else {
        p256::SecretKey::from_pkcs8_pem(&text).ok()
    };
    let Some(key) = key else {
        if text.contains("BEGIN PUBLIC KEY") {
            bail!(
                "{} is a public key; sign with the private.pem next to it",
                path.display()
            );
        }
        bail!(
            "{} is not a P-256 private key in PEM (PKCS#8 \"BEGIN PRIVATE KEY\"); make one with \
             `scamguard signing-key generate --out DIR`",
            path.display()
        );
    };
    Ok(key
        .to_pkcs8_pem(LineEnding::LF)
        .context("cannot encode the private key")?
        .to_string())
}

/// Reads a P-256 public key in SPKI PEM.
pub fn read_public_key(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the public key {}", path.display()))?;
    if scamguard_core::passport::public_point(&text).is_none() {
        if text.contains("PRIVATE KEY") {
            bail!(
                "{} is a private key: give the public.pem next to it (the private key never \
                 leaves the organisation)",
                path.display()
            );
        }
        bail!(
            "{} is not a P-256 public key in PEM (SPKI \"BEGIN PUBLIC KEY\"); make a pair with \
             `scamguard signing-key generate --out DIR`",
            path.display()
        );
    }
    Ok(text.trim().to_string() + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_match_and_files_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("org");
        run(GenerateArgs { out: out.clone() }).unwrap();
        let private = read_private_key(&out.join(PRIVATE_FILE)).unwrap();
        let public = read_public_key(&out.join(PUBLIC_FILE)).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(out.join(PRIVATE_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // What one signs, the other verifies.
        let doc = scamguard_core::passport::RegistryDocument::new(vec![], 1);
        let jws = scamguard_core::passport::sign_document(&doc, "op", private.as_bytes()).unwrap();
        assert_eq!(
            scamguard_core::passport::open_document(&jws, &[&public]).unwrap(),
            doc
        );
        let before = std::fs::read(out.join(PRIVATE_FILE)).unwrap();
        let err = run(GenerateArgs { out: out.clone() }).unwrap_err();
        assert!(err.to_string().contains("refusing to overwrite"), "{err}");
        assert_eq!(std::fs::read(out.join(PRIVATE_FILE)).unwrap(), before);
        // Each key file read as the other kind says what to do.
        let err = read_public_key(&out.join(PRIVATE_FILE)).unwrap_err();
        assert!(err.to_string().contains("is a private key"), "{err}");
        let err = read_private_key(&out.join(PUBLIC_FILE)).unwrap_err();
        assert!(err.to_string().contains("is a public key"), "{err}");
        let other = dir.path().join("other");
        run(GenerateArgs { out: other.clone() }).unwrap();
        assert_ne!(
            std::fs::read(other.join(PRIVATE_FILE)).unwrap(),
            before,
            "each pair is new"
        );
    }
}
