//! `scamguard sign`: an enrolled organisation signs one outgoing call or message.
//!
//! Prints a compact JWS in the PASSporT shape with the Rich Call Data extension
//! (docs/identity-tokens.md), to send along with the call as the caller's `identity_token`.

use crate::signing_key::read_private_key;
use anyhow::{bail, Result};
use clap::Args;
use scamguard_core::passport::{self, valid_kid, Claims, Dest, Orig, Rcd};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct SignArgs {
    /// The organisation's private key (PKCS#8 PEM, from `signing-key generate`).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// The key's id, as enrolled in the registry.
    #[arg(long, value_name = "KEY_ID")]
    pub kid: String,
    /// The handle the call comes from (a number or account, e.g. tel:+8657187280110).
    #[arg(long, value_name = "HANDLE")]
    pub orig: String,
    /// A handle being called; repeat for several.
    #[arg(long, value_name = "HANDLE", required = true)]
    pub dest: Vec<String>,
    /// The display name to show; must be one the organisation enrolled.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// Why the organisation calls, shown to the callee (rcd.crn).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Signing time, Unix seconds [default: now].
    #[arg(long, value_name = "SECS")]
    pub iat: Option<i64>,
    /// A unique id for this call [default: a random UUID].
    #[arg(long, value_name = "ID")]
    pub origid: Option<String>,
}

/// Signs one call and prints the token on standard output.
pub fn run(args: SignArgs) -> Result<ExitCode> {
    if !valid_kid(&args.kid) {
        bail!(
            "--kid {:?}: use 1 to 128 letters, digits or '_', '-', '.', ':' (the id the key was \
             enrolled under)",
            args.kid
        );
    }
    if args.name.trim().is_empty() {
        bail!("--name must not be empty: give a display name the organisation enrolled");
    }
    if passport::canonical_handle(&args.orig).is_empty() {
        bail!("--orig {:?} is not a phone number or account", args.orig);
    }
    if let Some(d) = args
        .dest
        .iter()
        .find(|d| passport::canonical_handle(d).is_empty())
    {
        bail!("--dest {d:?} is not a phone number or account");
    }
    let origid = match args.origid {
        Some(id) if id.trim().is_empty() => bail!("--origid must not be empty"),
        Some(id) => id,
        None => random_uuid()?,
    };
    let iat = match args.iat {
        Some(t) => t,
        None => scamguard_server::unix_now()
            .ok_or_else(|| anyhow::anyhow!("the system clock is before 1970"))?,
    };
    let claims = Claims {
        orig: Orig { uri: args.orig },
        dest: Dest { uri: args.dest },
        iat,
        origid,
        rcd: Rcd {
            nam: args.name,
            crn: args.reason,
        },
    };
    let pem = read_private_key(&args.key)?;
    let token = passport::sign(&claims, &args.kid, pem.as_bytes())?;
    writeln!(std::io::stdout().lock(), "{token}")?;
    Ok(ExitCode::SUCCESS)
}

/// A random version-4 UUID, from the operating system's generator.
pub fn random_uuid() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| anyhow::anyhow!("the operating system has no randomness: {e}"))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_look_like_uuids() {
        let a = random_uuid().unwrap();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_ne!(a, random_uuid().unwrap());
    }
}
