//! Plain word lists (one entry a line, `#` comments) and the protected brand domains.

use super::LexiconError;
use crate::text::{self, latin_key};
use aho_corasick::AhoCorasick;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Registrable domains of protected brands.
pub const BUILTIN_BRANDS: &str = include_str!("../../data/brand_domains.txt");
/// URL shortener hosts.
pub const BUILTIN_SHORTENERS: &str = include_str!("../../data/shorteners.txt");
/// Top-level domains favoured for throwaway scam sites.
pub const BUILTIN_RISKY_TLDS: &str = include_str!("../../data/risky_tlds.txt");
/// Consumer e-mail providers.
pub const BUILTIN_MAIL_PROVIDERS: &str = include_str!("../../data/mail_providers.txt");
/// Hosts under brands' domains where anyone can publish.
pub const BUILTIN_CONTENT_HOSTS: &str = include_str!("../../data/content_hosts.txt");
/// Screen-sharing, meeting and remote-control apps.
pub const BUILTIN_REMOTE_APPS: &str = include_str!("../../data/remote_apps.txt");

fn entries(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, l)| {
        let l = l.split('#').next().unwrap_or("").trim();
        (!l.is_empty()).then_some((i + 1, l))
    })
}

/// A set of words, matched exactly (lower case) or as substrings of compact text.
#[derive(Debug, Clone)]
pub struct WordList {
    words: HashSet<String>,
    originals: Vec<String>,
    finder: AhoCorasick,
}

impl WordList {
    /// Parses one entry a line; `#` starts a comment.
    pub fn parse(text: &str, _source_name: &str) -> WordList {
        let originals: Vec<String> = entries(text).map(|(_, l)| l.to_string()).collect();
        let words = originals.iter().map(|w| w.to_lowercase()).collect();
        let compacts: Vec<String> = originals.iter().map(|w| text::compact(w)).collect();
        WordList {
            words,
            finder: AhoCorasick::new(&compacts).expect("word list compiles"),
            originals,
        }
    }

    /// Whether `word` (any case) is on the list.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(&word.to_lowercase())
    }

    /// The first entry found inside `compact` text (see [`crate::text::Normalised::compact`]).
    pub fn find_in(&self, compact: &str) -> Option<&str> {
        self.finder
            .find(compact)
            .map(|m| self.originals[m.pattern().as_usize()].as_str())
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.originals.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.originals.is_empty()
    }
}

/// Registrable domains of protected brands, with their labels for look-alike checks.
#[derive(Debug, Clone)]
pub struct BrandDomains {
    domains: HashSet<String>,
    /// Brand label ("icbc" of icbc.com.cn) → its domain.
    labels: HashMap<String, String>,
    /// Look-alike key of each label → its domain.
    keys: HashMap<String, String>,
    /// Every label with its [`latin_key`] and domain, in label order: scanned whole for a
    /// one-edit look-alike, so the keys are made once here rather than per link.
    names: Vec<BrandName>,
    /// Finds labels of four letters or more inside a longer word ("icbcpay"); pattern `i` is
    /// `names[glued[i]]`.
    glued_finder: AhoCorasick,
    glued: Vec<usize>,
}

/// One brand label, as [`BrandDomains`] keeps it.
#[derive(Debug, Clone)]
struct BrandName {
    label: String,
    key: String,
    domain: String,
}

impl BrandDomains {
    /// Parses one registrable domain a line. Every malformed line is reported; so is a
    /// subdomain (the built-in list must name registrable domains).
    pub fn parse(text: &str, source_name: &str) -> Result<BrandDomains, LexiconError> {
        Self::read(text, source_name, false).map(|(b, _)| b)
    }

    /// Parses an operator's list, where a line may name a host under a registrable domain
    /// ("launchpad.ethereum.org"): the registrable domain ("ethereum.org") is protected instead,
    /// since anyone who owns a domain can make any host under it. Returns the list and one note
    /// per line read that way, for the operator to see.
    pub fn parse_user(
        text: &str,
        source_name: &str,
    ) -> Result<(BrandDomains, Vec<String>), LexiconError> {
        Self::read(text, source_name, true)
    }

    fn read(
        text: &str,
        source_name: &str,
        widen: bool,
    ) -> Result<(BrandDomains, Vec<String>), LexiconError> {
        let mut problems = Vec::new();
        let mut notes = Vec::new();
        let mut domains = HashSet::default();
        for (line, d) in entries(text) {
            let d = d.to_ascii_lowercase();
            let ok = d.contains('.')
                && d.split('.').all(|l| {
                    !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                });
            if !ok {
                problems.push(format!("line {line}: {d:?} is not a domain name"));
                continue;
            }
            match psl::domain_str(&d) {
                Some(reg) if reg == d => {
                    domains.insert(d);
                }
                Some(reg) if widen => {
                    notes.push(format!(
                        "{source_name}: line {line}: {d:?} is a host under {reg:?}; protecting {reg:?}"
                    ));
                    domains.insert(reg.to_string());
                }
                Some(reg) => problems.push(format!(
                    "line {line}: {d:?} is not registrable on its own; use {reg:?}"
                )),
                None => problems.push(format!(
                    "line {line}: {d:?} is a public suffix, not a domain"
                )),
            }
        }
        if !problems.is_empty() {
            return Err(LexiconError::Invalid {
                source_name: source_name.to_string(),
                problems,
            });
        }
        Ok((BrandDomains::from_domains(domains), notes))
    }

    fn from_domains(domains: HashSet<String>) -> BrandDomains {
        let mut labels = HashMap::default();
        let mut keys = HashMap::default();
        // A label shared by several domains (amazon.com, amazon.fr) names the brand by its
        // main one: a .com first, then the shortest, then alphabetically, so that the choice
        // does not depend on the set's order.
        let mut ordered: Vec<&String> = domains.iter().collect();
        ordered.sort_by_key(|d| (!d.ends_with(".com"), d.len(), d.as_str()));
        for d in ordered {
            let label = brand_label(d);
            labels.entry(label.to_string()).or_insert_with(|| d.clone());
            if label.len() >= 4 {
                keys.entry(domain_key(label)).or_insert_with(|| d.clone());
            }
        }
        let mut names: Vec<BrandName> = labels
            .iter()
            .map(|(label, domain)| BrandName {
                label: label.clone(),
                key: latin_key(label),
                domain: domain.clone(),
            })
            .collect();
        names.sort_by(|a, b| a.label.cmp(&b.label));
        let glued: Vec<usize> = (0..names.len())
            .filter(|&i| names[i].label.len() >= 4)
            .collect();
        let glued_finder = AhoCorasick::new(glued.iter().map(|&i| &names[i].label))
            .expect("brand labels are short ASCII words");
        BrandDomains {
            domains,
            labels,
            keys,
            names,
            glued_finder,
            glued,
        }
    }

    /// Whether `registrable` is a protected brand's own domain.
    pub fn is_official(&self, registrable: &str) -> bool {
        self.domains.contains(registrable)
    }

    /// The brand domain whose label is exactly `label`.
    pub fn by_label(&self, label: &str) -> Option<&str> {
        self.labels.get(label).map(String::as_str)
    }

    /// The brand domain whose label has the same look-alike key as `label`.
    pub fn by_key(&self, label: &str) -> Option<&str> {
        self.keys.get(&domain_key(label)).map(String::as_str)
    }

    /// Every brand label with its domain, in label order.
    pub fn labels(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names
            .iter()
            .map(|n| (n.label.as_str(), n.domain.as_str()))
    }

    /// Every brand label with its [`latin_key`] and its domain, in label order.
    pub fn label_keys(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.names
            .iter()
            .map(|n| (n.label.as_str(), n.key.as_str(), n.domain.as_str()))
    }

    /// The labels of four letters or more found inside `word`, with their domains, each once,
    /// the longest first ("citibank" before "citi" in "secure3citibank"), then in label order.
    pub fn labels_within(&self, word: &str) -> Vec<(&str, &str)> {
        let mut found: Vec<usize> = self
            .glued_finder
            .find_overlapping_iter(word)
            .map(|m| self.glued[m.pattern().as_usize()])
            .collect();
        found.sort_unstable_by_key(|&i| (std::cmp::Reverse(self.names[i].label.len()), i));
        found.dedup();
        found
            .into_iter()
            .map(|i| (self.names[i].label.as_str(), self.names[i].domain.as_str()))
            .collect()
    }

    /// How many domains.
    pub fn len(&self) -> usize {
        self.domains.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }
}

/// The look-alike key of a domain label: [`latin_key`] (look-alike letters and digit swaps,
/// "rn" for "m"), and the letter pairs that read as one letter in a lower-case address bar:
/// "vv" for "w" and "cl" for "d" ("vvellsfargo", "clhl-express").
pub fn domain_key(label: &str) -> String {
    let key = latin_key(label);
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        match c {
            'w' => out.push_str("vv"),
            'd' => out.push_str("cl"),
            c => out.push(c),
        }
    }
    out
}

/// The label of a registrable domain without its public suffix: "icbc" for "icbc.com.cn".
pub fn brand_label(registrable: &str) -> &str {
    match psl::suffix_str(registrable) {
        Some(sfx) if registrable.len() > sfx.len() + 1 => {
            &registrable[..registrable.len() - sfx.len() - 1]
        }
        _ => registrable.split('.').next().unwrap_or(registrable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_inside_a_word_come_longest_first_and_once() {
        let b = BrandDomains::parse("citi.com\ncitibank.com\napple.com\nups.com\n", "t").unwrap();
        assert_eq!(
            b.labels_within("secure3citibankcitibank"),
            [("citibank", "citibank.com"), ("citi", "citi.com")]
        );
        // "ups" is under four letters: too short to be found inside a word.
        assert_eq!(b.labels_within("appleupsverify"), [("apple", "apple.com")]);
        assert!(b.labels_within("example").is_empty());
        let keys: Vec<_> = b.label_keys().map(|(l, k, _)| (l, k.to_string())).collect();
        assert_eq!(keys.len(), 4);
        assert!(keys.iter().all(|(l, k)| latin_key(l) == *k));
    }

    #[test]
    fn builtin_lists_load() {
        let b = BrandDomains::parse(BUILTIN_BRANDS, "brands").unwrap();
        assert!(b.len() >= 100);
        assert!(b.is_official("icbc.com.cn"));
        assert_eq!(b.by_label("paypal"), Some("paypal.com"));
        assert_eq!(b.by_key("paypa1"), Some("paypal.com"));
        assert_eq!(b.by_key("vvellsfargo"), Some("wellsfargo.com"));
        assert_eq!(b.by_key("arnazon"), b.by_label("amazon"));
        for list in [
            BUILTIN_CONTENT_HOSTS,
            BUILTIN_SHORTENERS,
            BUILTIN_RISKY_TLDS,
            BUILTIN_MAIL_PROVIDERS,
            BUILTIN_REMOTE_APPS,
        ] {
            assert!(WordList::parse(list, "x").len() >= 10);
        }
    }

    #[test]
    fn brand_labels_drop_the_suffix() {
        assert_eq!(brand_label("icbc.com.cn"), "icbc");
        assert_eq!(brand_label("paypal.com"), "paypal");
        assert_eq!(brand_label("royalmail.co.uk"), "royalmail");
    }

    #[test]
    fn malformed_brand_lines_are_all_reported() {
        let err = BrandDomains::parse(
            "# ok\npaypal.com\nnot a domain\nwww.paypal.com\ncom.cn\n",
            "b.txt",
        )
        .unwrap_err();
        let LexiconError::Invalid { problems, .. } = err else {
            panic!()
        };
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems[0].starts_with("line 3"));
        assert!(problems[1].contains("use \"paypal.com\""));
    }

    #[test]
    fn an_operators_subdomain_protects_its_registrable_domain() {
        let (b, notes) =
            BrandDomains::parse_user("launchpad.ethereum.org\nmetamask.io\n", "mine.txt").unwrap();
        assert!(b.is_official("ethereum.org") && b.is_official("metamask.io"));
        assert_eq!(b.len(), 2);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("line 1") && notes[0].contains("\"ethereum.org\""));
        // Still refused: what is not a domain at all, and a bare public suffix.
        assert!(BrandDomains::parse_user("not a domain\ncom.cn\n", "mine.txt").is_err());
        // The built-in list stays strict.
        assert!(BrandDomains::parse("launchpad.ethereum.org\n", "b.txt").is_err());
    }

    #[test]
    fn word_lists_find_inside_text() {
        let w = WordList::parse("AnyDesk\n向日葵 # Sunlogin\n", "apps");
        assert!(w.contains("anydesk"));
        assert_eq!(w.find_in("请下载anydesk软件"), Some("AnyDesk"));
        assert_eq!(w.find_in("打开向日葵"), Some("向日葵"));
        assert_eq!(w.find_in("nothing"), None);
    }
}
