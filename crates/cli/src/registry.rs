//! `scamguard registry`: the organisations that sign their calls, in the service's store.
//!
//! `add` enrols an organisation with its display names, handles, call-back numbers and first
//! public key; `add-key`, `revoke-key`, `suspend`, `activate` and `revoke` change it; `list`
//! and `show` read it; `export` and `import` exchange it with other operators as a signed
//! document (docs/identity-tokens.md). Every change is recorded in the registry audit trail
//! as made by `cli`. A running server picks changes up within its refresh time (5 s).

use crate::settings::{open, ListArgs, StoreArgs};
use crate::signing_key::{read_private_key, read_public_key};
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use scamguard_core::passport::{
    key_validity, open_document, sign_document, valid_kid, DocumentError, KeyStatus, Names, OrgKey,
    OrgStatus, Organisation, RegistryDocument,
};
use scamguard_store::{
    enrol, now_ms, utc, Actor, EnrolError, KeyRevocation, OrganisationRecord, StatusChange, Store,
    StoreError,
};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Who the audit trail names for changes made here.
const WHO: &str = "cli";

/// The `registry` subcommands.
#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Enrol an organisation with its names, handles and first public key.
    Add(Box<AddArgs>),
    /// List enrolled organisations.
    List(ListArgs),
    /// Show one organisation: names, handles, keys and its audit trail.
    Show(ShowArgs),
    /// Suspend an organisation: its tokens fail until it is activated again.
    Suspend(StatusArgs),
    /// Activate a suspended organisation.
    Activate(StatusArgs),
    /// Revoke an organisation for good.
    Revoke(StatusArgs),
    /// Add a public key to an organisation (key rotation).
    AddKey(AddKeyArgs),
    /// Revoke a key: tokens it signs fail with key_not_valid.
    RevokeKey(RevokeKeyArgs),
    /// Print the registry as a signed document (compact JWS) for other operators.
    Export(ExportArgs),
    /// Import another operator's signed registry document.
    Import(ImportArgs),
}

/// Display names: `--name` (language detected) or by language.
#[derive(Args, Debug, Default)]
pub struct NameArgs {
    /// A display name the organisation may show; repeat for several. Chinese with a
    /// traditional-only character is filed as zh-Hant, other Chinese as zh-Hans, the rest as en.
    #[arg(long, value_name = "NAME")]
    pub name: Vec<String>,
    /// A display name in simplified Chinese.
    #[arg(long, value_name = "NAME")]
    pub name_zh_hans: Vec<String>,
    /// A display name in traditional Chinese.
    #[arg(long, value_name = "NAME")]
    pub name_zh_hant: Vec<String>,
    /// A display name in English.
    #[arg(long, value_name = "NAME")]
    pub name_en: Vec<String>,
}

impl NameArgs {
    fn names(&self) -> Names {
        let mut names = Names::default();
        for n in &self.name {
            names.push_detected(n);
        }
        let add = |list: &mut Vec<String>, from: &[String]| {
            for n in from {
                let n = n.trim().to_string();
                if !list.contains(&n) {
                    list.push(n);
                }
            }
        };
        add(&mut names.zh_hans, &self.name_zh_hans);
        add(&mut names.zh_hant, &self.name_zh_hant);
        add(&mut names.en, &self.name_en);
        names
    }
}

/// A public key and its validity.
#[derive(Args, Debug)]
pub struct KeyArgs {
    /// The organisation's public key (SPKI PEM, the public.pem of `signing-key generate`).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// The key's id: what its tokens carry as `kid`. Unique across the registry.
    #[arg(long, value_name = "KEY_ID")]
    pub kid: String,
    /// Days the key is valid [default: 365].
    #[arg(long, value_name = "N", default_value_t = 365)]
    pub valid_days: i64,
    /// Start of validity, Unix seconds [default: now].
    #[arg(long, value_name = "SECS")]
    pub not_before: Option<i64>,
}

impl KeyArgs {
    fn key(&self) -> Result<OrgKey> {
        if !valid_kid(&self.kid) {
            bail!(
                "--kid {:?}: use 1 to 128 letters, digits or '_', '-', '.', ':'",
                self.kid
            );
        }
        let (not_before, not_after) = key_validity(
            now_ms() / 1000,
            self.not_before,
            None,
            Some(self.valid_days),
        )
        .map_err(|p| anyhow::anyhow!("--valid-days {}: {}", self.valid_days, p.message))?;
        Ok(OrgKey {
            kid: self.kid.clone(),
            public_key_pem: read_public_key(&self.key)?,
            not_before,
            not_after,
            revoked: false,
        })
    }
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The organisation's id: letters, digits, '_', '-', '.' (e.g. hz-police).
    #[arg(long, value_name = "ORG")]
    pub id: String,
    #[command(flatten)]
    pub names: NameArgs,
    /// Its legal name [default: the first display name].
    #[arg(long, value_name = "TEXT")]
    pub legal_name: Option<String>,
    /// Its category: police, court, procuratorate, anti_fraud, bank, telecom, … (the
    /// lexicon's categories; authority categories weigh most when impersonated).
    #[arg(long, value_name = "CAT")]
    pub category: String,
    /// A handle it calls or messages from; repeat for several.
    #[arg(long, value_name = "HANDLE", required = true)]
    pub handle: Vec<String>,
    /// An official call-back number; the first is offered to users who get a fake call.
    #[arg(long, value_name = "NUMBER")]
    pub callback: Vec<String>,
    /// An official web domain; repeat for several.
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Vec<String>,
    #[command(flatten)]
    pub key: KeyArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The organisation's id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The organisation's id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Why, for the audit trail.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct AddKeyArgs {
    /// The organisation's id.
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub key: KeyArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct RevokeKeyArgs {
    /// The key's id.
    #[arg(value_name = "KID")]
    pub kid: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The operator's private key (PKCS#8 PEM) to sign the document with.
    #[arg(long, value_name = "FILE")]
    pub signing_key: PathBuf,
    /// The operator key's id, put in the document's header.
    #[arg(long, value_name = "KEY_ID")]
    pub kid: String,
    /// Write the document here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The signed document (`registry export` output), or `-` for standard input.
    #[arg(value_name = "FILE")]
    pub document: PathBuf,
    /// A public key (SPKI PEM) of the operator who signed it; repeat to trust several.
    #[arg(long, value_name = "FILE", required = true)]
    pub trust: Vec<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs one `registry` subcommand against the store.
pub fn run(cmd: RegistryCommand) -> Result<ExitCode> {
    crate::settings::block_on(async move {
        match cmd {
            RegistryCommand::Add(a) => add(*a).await,
            RegistryCommand::List(a) => list(a).await,
            RegistryCommand::Show(a) => show(a).await,
            RegistryCommand::Suspend(a) => set_status(a, OrgStatus::Suspended).await,
            RegistryCommand::Activate(a) => set_status(a, OrgStatus::Active).await,
            RegistryCommand::Revoke(a) => set_status(a, OrgStatus::Revoked).await,
            RegistryCommand::AddKey(a) => add_key(a).await,
            RegistryCommand::RevokeKey(a) => revoke_key(a).await,
            RegistryCommand::Export(a) => export(a).await,
            RegistryCommand::Import(a) => import(a).await,
        }
    })
}

fn by() -> Actor<'static> {
    Actor {
        who: WHO,
        at: now_ms(),
    }
}

/// The flag that sets a record's field, for error messages.
fn flag_for(field: &str) -> &'static str {
    let head = field.split(['[', '.']).next().unwrap_or(field);
    match head {
        "id" => "--id",
        "legal_name" => "--legal-name",
        "category" => "--category",
        "names" => "--name",
        "handles" => "--handle",
        "callback_numbers" => "--callback",
        "domains" => "--domain",
        "keys" if field.ends_with("kid") => "--kid",
        "keys" if field.ends_with("public_key_pem") => "--key",
        "keys" | "not_after" | "not_before" | "valid_days" => "--valid-days",
        // A new key's problems name its fields directly.
        "kid" => "--kid",
        "public_key_pem" => "--key",
        _ => "",
    }
}

/// Fails with what the registry's rules refused, each problem with the flag that fixes it.
fn refuse(result: Result<(), EnrolError>) -> Result<()> {
    match result {
        Ok(()) => Ok(()),
        Err(EnrolError::Invalid(problems)) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| match flag_for(&p.field) {
                    "" => format!("  {p}"),
                    flag => format!("  {flag}: {}", p.message),
                })
                .collect();
            bail!(
                "the organisation is not valid ({} problem(s)):\n{}",
                problems.len(),
                lines.join("\n")
            )
        }
        Err(EnrolError::IdTaken(id)) => bail!(
            "organisation {id:?} is already enrolled; add a key with `scamguard registry \
             add-key {id} --key FILE --kid KEY_ID`"
        ),
        Err(EnrolError::KidTaken { kid, .. }) => {
            bail!("key id {kid:?} is already enrolled; choose another --kid")
        }
        Err(EnrolError::NotFound(id)) => {
            bail!("no organisation with id {id:?}; enrol it first with `scamguard registry add`")
        }
        Err(EnrolError::Store(e)) => Err(e.into()),
    }
}

async fn add(args: AddArgs) -> Result<ExitCode> {
    let names = args.names.names();
    let legal_name = args
        .legal_name
        .clone()
        .or_else(|| {
            names
                .zh_hans
                .first()
                .or(names.zh_hant.first())
                .or(names.en.first())
                .cloned()
        })
        .unwrap_or_default();
    let org = Organisation {
        id: args.id.clone(),
        legal_name,
        category: args.category.clone(),
        names,
        handles: args.handle.clone(),
        callback_numbers: args.callback.clone(),
        domains: args.domain.clone(),
        keys: vec![args.key.key()?],
        status: OrgStatus::Active,
    };
    let store = open(&args.store).await?;
    let result = enrol(&*store, &org, by()).await;
    store.close().await;
    refuse(result)?;
    let k = &org.keys[0];
    println!(
        "enrolled {} ({}, {}): {} name(s), {} handle(s), key {} valid until {} UTC",
        org.id,
        org.legal_name,
        org.category,
        org.all_names().count(),
        org.handles.len(),
        k.kid,
        utc(k.not_after.saturating_mul(1000))
    );
    Ok(ExitCode::SUCCESS)
}

async fn list(args: ListArgs) -> Result<ExitCode> {
    let store = open(&args.store).await?;
    let records = store.registry_list().await?;
    store.close().await;
    let mut out = std::io::stdout().lock();
    if args.json {
        for r in &records {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let now = now_ms() / 1000;
    writeln!(
        out,
        "{:<20} {:<10} {:<16} {:<6} NAMES",
        "ID", "STATUS", "CATEGORY", "KEYS"
    )?;
    for r in &records {
        let o = &r.organisation;
        let valid = o
            .keys
            .iter()
            .filter(|k| k.status_at(now) == KeyStatus::Valid)
            .count();
        let names: Vec<&str> = o.all_names().map(String::as_str).collect();
        writeln!(
            out,
            "{:<20} {:<10} {:<16} {:<6} {}",
            o.id,
            o.status.as_str(),
            o.category,
            format!("{valid}/{}", o.keys.len()),
            names.join(" / ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(args: ShowArgs) -> Result<ExitCode> {
    let store = open(&args.store).await?;
    let record = store.registry_get(&args.id).await?;
    let audit = store.registry_audit(Some(&args.id), 100).await?;
    store.close().await;
    let Some(record) = record else {
        bail!(
            "no organisation with id {:?}; see `scamguard registry list`",
            args.id
        );
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = serde_json::json!({"organisation": record, "audit": audit});
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    write!(out, "{}", describe(&record, now_ms() / 1000))?;
    if !audit.is_empty() {
        writeln!(out, "audit:")?;
        for a in &audit {
            writeln!(
                out,
                "  {}  {:<10} {}{}",
                utc(a.at),
                a.who,
                a.action,
                a.kid
                    .as_deref()
                    .map(|k| format!(" {k}"))
                    .unwrap_or_default()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An organisation for a person to read.
fn describe(r: &OrganisationRecord, now: i64) -> String {
    let o = &r.organisation;
    let mut s = format!(
        "{}  {}  [{}, {}]\n",
        o.id,
        o.legal_name,
        o.category,
        o.status.as_str()
    );
    let mut names = Vec::new();
    for (lang, list) in [
        ("zh-Hans", &o.names.zh_hans),
        ("zh-Hant", &o.names.zh_hant),
        ("en", &o.names.en),
    ] {
        for n in list {
            names.push(format!("{n} ({lang})"));
        }
    }
    let line = |label: &str, items: &[String]| {
        if items.is_empty() {
            String::new()
        } else {
            format!("{label:<10}{}\n", items.join(", "))
        }
    };
    s += &line("names:", &names);
    s += &line("handles:", &o.handles);
    s += &line("callback:", &o.callback_numbers);
    s += &line("domains:", &o.domains);
    s += &format!(
        "enrolled: {} UTC, changed {} UTC\n",
        utc(r.created),
        utc(r.updated)
    );
    if !o.keys.is_empty() {
        s += "keys:\n";
        for k in &o.keys {
            let status = match k.status_at(now) {
                KeyStatus::Valid => "valid",
                KeyStatus::NotYetValid => "not yet valid",
                KeyStatus::Expired => "expired",
                KeyStatus::Revoked => "revoked",
            };
            s += &format!(
                "  {:<20} {:<14} {} .. {} UTC\n",
                k.kid,
                status,
                utc(k.not_before.saturating_mul(1000)),
                utc(k.not_after.saturating_mul(1000))
            );
        }
    }
    s
}

async fn set_status(args: StatusArgs, status: OrgStatus) -> Result<ExitCode> {
    let store = open(&args.store).await?;
    let outcome = store
        .registry_set_status(&args.id, status, args.reason.as_deref(), by())
        .await?;
    store.close().await;
    match outcome {
        StatusChange::NotFound => bail!(
            "no organisation with id {:?}; see `scamguard registry list`",
            args.id
        ),
        StatusChange::Refused => bail!(
            "organisation {:?} is revoked, which is final; enrol it again under a new id",
            args.id
        ),
        StatusChange::Unchanged => println!("{} is already {}", args.id, status.as_str()),
        StatusChange::Changed { from } => {
            let effect = match status {
                OrgStatus::Active => "its tokens verify again",
                _ => "its tokens now fail with organisation_not_active",
            };
            println!(
                "{} is {} (was {}): {effect}",
                args.id,
                status.as_str(),
                from.as_str()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn add_key(args: AddKeyArgs) -> Result<ExitCode> {
    let key = args.key.key()?;
    let store = open(&args.store).await?;
    let result = add_key_to(&*store, &args.id, &key).await;
    store.close().await;
    result?;
    println!(
        "added key {} to {}, valid until {} UTC",
        key.kid,
        args.id,
        utc(key.not_after.saturating_mul(1000))
    );
    Ok(ExitCode::SUCCESS)
}

async fn add_key_to(store: &dyn Store, id: &str, key: &OrgKey) -> Result<()> {
    refuse(scamguard_store::add_key(store, id, key, by()).await)
}

async fn revoke_key(args: RevokeKeyArgs) -> Result<ExitCode> {
    let store = open(&args.store).await?;
    let outcome = store.registry_revoke_key(&args.kid, by()).await?;
    store.close().await;
    match outcome {
        KeyRevocation::NotFound => bail!(
            "no key with id {:?}; `scamguard registry show ID` lists an organisation's keys",
            args.kid
        ),
        KeyRevocation::AlreadyRevoked => println!("key {} was already revoked", args.kid),
        KeyRevocation::Revoked { org_id } => println!(
            "revoked key {} of {org_id}: tokens it signs now fail with key_not_valid",
            args.kid
        ),
    }
    Ok(ExitCode::SUCCESS)
}

async fn export(args: ExportArgs) -> Result<ExitCode> {
    let pem = read_private_key(&args.signing_key)?;
    let store = open(&args.store).await?;
    let orgs: Vec<Organisation> = store
        .registry_list()
        .await?
        .into_iter()
        .map(|r| r.organisation)
        .collect();
    store.close().await;
    let count = orgs.len();
    let doc = RegistryDocument::new(orgs, now_ms() / 1000);
    let jws = sign_document(&doc, &args.kid, pem.as_bytes())?;
    match &args.out {
        Some(path) => std::fs::write(path, format!("{jws}\n"))
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => writeln!(std::io::stdout().lock(), "{jws}")?,
    }
    eprintln!(
        "exported {count} organisation(s), signed with key {}",
        args.kid
    );
    Ok(ExitCode::SUCCESS)
}

async fn import(args: ImportArgs) -> Result<ExitCode> {
    let text = crate::engine_args::read_input(&args.document)?;
    let trust = args
        .trust
        .iter()
        .map(|p| read_public_key(p))
        .collect::<Result<Vec<_>>>()?;
    let trust_refs: Vec<&str> = trust.iter().map(String::as_str).collect();
    let doc = match open_document(&text, &trust_refs) {
        Ok(d) => d,
        Err(DocumentError::Invalid(problems)) => bail!(
            "{} is signed correctly but has {} problem(s); nothing was imported:\n  {}",
            args.document.display(),
            problems.len(),
            problems.join("\n  ")
        ),
        Err(e) => bail!("{}: {e}; nothing was imported", args.document.display()),
    };
    let store = open(&args.store).await?;
    let source = format!("import of {}", args.document.display());
    let result = store
        .registry_import(&doc.organisations, &source, by())
        .await;
    store.close().await;
    let summary = match result {
        Ok(s) => s,
        Err(StoreError::Conflict(m)) => bail!("{m}; nothing was imported"),
        Err(e) => return Err(e.into()),
    };
    println!(
        "imported {} organisation(s) exported at {} UTC: {} added, {} updated, {} key(s) added, {} revoked",
        doc.organisations.len(),
        utc(doc.exported_at.saturating_mul(1000)),
        summary.added.len(),
        summary.updated.len(),
        summary.keys_added,
        summary.keys_revoked
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_point_at_flags() {
        assert_eq!(flag_for("handles[2]"), "--handle");
        assert_eq!(flag_for("names.en[0]"), "--name");
        assert_eq!(flag_for("keys[0].kid"), "--kid");
        assert_eq!(flag_for("keys[0].public_key_pem"), "--key");
        assert_eq!(flag_for("keys[0].not_after"), "--valid-days");
        let err = refuse(Err(EnrolError::Invalid(vec![
            scamguard_core::passport::FieldProblem {
                field: "category".into(),
                message: "\"wizards\" is unknown".into(),
            },
        ])))
        .unwrap_err();
        assert!(err.to_string().contains("--category: \"wizards\""), "{err}");
    }

    #[test]
    fn names_go_to_their_language() {
        let a = NameArgs {
            name: vec!["杭州市公安局".into(), "Hangzhou PSB".into()],
            name_zh_hant: vec!["杭州市公安局".into()],
            ..NameArgs::default()
        };
        let n = a.names();
        assert_eq!(n.zh_hans, ["杭州市公安局"]);
        assert_eq!(n.zh_hant, ["杭州市公安局"]);
        assert_eq!(n.en, ["Hangzhou PSB"]);
    }
}
