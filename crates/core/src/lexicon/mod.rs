//! Lexicons: the reviewable data the detectors match against.
//!
//! Each ships in `crates/core/data/` as text and is compiled in; an operator can replace each
//! from a file. Loading checks every entry and reports all problems with the file and entry.

pub mod identities;
pub mod lists;
pub mod script;
pub mod typos;
pub mod words;

pub use identities::{IdentityIndex, IdentityMatch, MatchKind, ProtectedIdentity, Tier};
pub use lists::{BrandDomains, WordList};
pub use script::{ScriptHit, ScriptLexicon};

/// A lexicon that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexiconError {
    /// The file is not valid TOML or does not fit the schema.
    #[error("{source_name}: {message}")]
    Syntax {
        /// Where it came from.
        source_name: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// Entries are individually wrong; every one is listed.
    #[error("{source_name}: {} problem(s):\n  - {}", problems.len(), problems.join("\n  - "))]
    Invalid {
        /// Where it came from.
        source_name: String,
        /// Each problem, naming the entry.
        problems: Vec<String>,
    },
}

/// Every lexicon the engine uses.
#[derive(Debug, Clone)]
pub struct Lexicons {
    /// Protected identities.
    pub identities: IdentityIndex,
    /// Scam-script stages.
    pub script: ScriptLexicon,
    /// Registrable domains of protected brands.
    pub brands: BrandDomains,
    /// URL shortener hosts.
    pub shorteners: WordList,
    /// Top-level domains that are cheap and favoured for throwaway scam sites.
    pub risky_tlds: WordList,
    /// Consumer e-mail providers (a personal mailbox cannot be a police station's handle).
    pub mail_providers: WordList,
    /// Screen-sharing, meeting and remote-control apps scammers push.
    pub remote_apps: WordList,
    /// Hosts under brands' domains where anyone can publish (forms, documents, pages).
    pub content_hosts: WordList,
}

impl Lexicons {
    /// The built-in lexicons, built once for all the unit tests that read them.
    #[cfg(test)]
    pub(crate) fn shared_for_tests() -> &'static Lexicons {
        static L: std::sync::OnceLock<Lexicons> = std::sync::OnceLock::new();
        L.get_or_init(|| Lexicons::builtin().unwrap())
    }

    /// The lexicons compiled into the engine.
    pub fn builtin() -> Result<Lexicons, LexiconError> {
        Ok(Lexicons {
            identities: IdentityIndex::from_toml(identities::BUILTIN, "built-in identities.toml")?,
            script: ScriptLexicon::from_toml(script::BUILTIN, "built-in script.toml")?,
            brands: BrandDomains::parse(lists::BUILTIN_BRANDS, "built-in brand_domains.txt")?,
            shorteners: WordList::parse(lists::BUILTIN_SHORTENERS, "built-in shorteners.txt"),
            risky_tlds: WordList::parse(lists::BUILTIN_RISKY_TLDS, "built-in risky_tlds.txt"),
            mail_providers: WordList::parse(
                lists::BUILTIN_MAIL_PROVIDERS,
                "built-in mail_providers.txt",
            ),
            remote_apps: WordList::parse(lists::BUILTIN_REMOTE_APPS, "built-in remote_apps.txt"),
            content_hosts: WordList::parse(
                lists::BUILTIN_CONTENT_HOSTS,
                "built-in content_hosts.txt",
            ),
        })
    }
}
