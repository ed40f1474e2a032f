//! Protected identities: the bodies scammers claim to be, and a fast index to find them in names.
//!
//! The data (`data/identities.toml`) lists each body's names in simplified Chinese, traditional
//! Chinese and English, its abbreviations, pinyin and common misspellings, the service numbers
//! it owns, and its official call-back number or domain where that fact is verified.
//!
//! The index compiles every term four ways, cheapest first, and a name is only looked at the
//! costlier ways when the cheaper ones found nothing:
//! 1. `direct`: substring of the compact name ("厦门市公安局-王警官" holds "公安局");
//! 2. `tokens`: short or ambiguous terms ("ga", "平安") only as a whole word or the whole name;
//! 3. `latin`: look-alike keys (UTS #39 skeleton and digit swaps) for Latin names ("PayPaI");
//! 4. `slips`: an English brand typed one slip away ("Pyapal Support", "Amazn"), only as the
//!    whole name or beside a service or desk word ([`super::typos`]);
//! 5. `pinyin`: toneless pinyin syllables for Chinese homophones ("公按局"), and pinyin spelt
//!    into the characters ("反zha中心"); a two-character name only when part of it is spelt and
//!    the characters written are its own ("刑jing", "抖yin官方"), since two syllables alone
//!    are also many people's names (王晶 sounds like 网警).
//!
//! A name found only inside a phrase of `data/name_innocent.txt` ("公安大学", "police fan") is
//! not a claim.

use super::typos::BrandSlips;
use super::LexiconError;
use crate::event::Locale;
use crate::text::{
    self, latin_key, mixed_pinyin_syllables, pinyin_key, pinyin_readings, pinyin_syllables,
    Normalised,
};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind as AcMatchKind};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// The identities compiled into the engine.
pub const BUILTIN: &str = include_str!("../../data/identities.toml");

/// Categories an identity may have (`data/identity_categories.txt`).
pub static CATEGORIES: std::sync::LazyLock<&'static [&'static str]> =
    std::sync::LazyLock::new(super::words::identity_categories);

/// How much a claim weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tier {
    /// Authorities that never contact people over internet calls or messages.
    A,
    /// Real organisations that contact customers through their own official channels.
    B,
    /// Generic roles with no specific body behind them.
    C,
}

impl Tier {
    /// "A", "B" or "C".
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::A => "A",
            Tier::B => "B",
            Tier::C => "C",
        }
    }
}

/// Where to reach the real body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Callback {
    /// Official telephone number.
    #[serde(default)]
    pub number: Option<String>,
    /// Official website domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// Where the fact comes from.
    pub source: String,
}

/// One body that scammers claim to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtectedIdentity {
    /// Stable snake_case id with a region prefix.
    pub id: String,
    /// One of [`CATEGORIES`].
    pub category: String,
    /// Weight class.
    pub tier: Tier,
    /// Where it operates (CN, HK, TW, SG, US, UK, INTL).
    pub region: String,
    /// Names in simplified Chinese.
    #[serde(default)]
    pub zh_hans: Vec<String>,
    /// Names in traditional Chinese.
    #[serde(default)]
    pub zh_hant: Vec<String>,
    /// Names in English.
    #[serde(default)]
    pub en: Vec<String>,
    /// Abbreviations, pinyin, misspellings.
    #[serde(default)]
    pub variants: Vec<String>,
    /// Short or ambiguous forms matched only as a whole word or the whole name.
    #[serde(default)]
    pub exact: Vec<String>,
    /// Two-syllable pinyin that is also a common personal name ("gongan" is 公安 and 龚安):
    /// a claim only when no person would write it so, joined to a number in one word
    /// ("gongan110"), beside a number ("gongan 110") or in full-width letters ("ＧＯＮＧＡＮ").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_pinyin: Vec<String>,
    /// Short names that claim the body only with an office's name after them, and only in a
    /// display name: "法務部" is also a company's legal department and "財政部" signs the
    /// ministry's own notices; "法務部行政執行署" and "財政部關務署" are the ministry's bureaux.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heads: Vec<String>,
    /// Service numbers it owns.
    #[serde(default)]
    pub numbers: Vec<String>,
    /// Official registrable domains.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Official call-back channel.
    #[serde(default)]
    pub callback: Option<Callback>,
}

impl ProtectedIdentity {
    /// The canonical name for a reader of `locale`, falling back to any name it has.
    pub fn name_in(&self, locale: Locale) -> &str {
        let pick = match locale {
            Locale::ZhHans => self.zh_hans.first().or(self.zh_hant.first()),
            Locale::ZhHant => self.zh_hant.first().or(self.zh_hans.first()),
            Locale::En => self.en.first(),
        };
        pick.or(self.zh_hans.first())
            .or(self.en.first())
            .or(self.zh_hant.first())
            .map(String::as_str)
            .unwrap_or(&self.id)
    }

    /// Whether `host` (lower case) is one of its official domains or under one: its mail
    /// comes from `hmrc.gov.uk` or `noreply.hmrc.gov.uk`.
    pub fn owns_domain(&self, host: &str) -> bool {
        let under = |d: &str| crate::url::is_within(host, d);
        self.domains.iter().any(|d| under(d))
            || self
                .callback
                .as_ref()
                .and_then(|c| c.domain.as_deref())
                .is_some_and(under)
    }

    /// Whether `number` (digits only) is one of its service numbers.
    pub fn owns_number(&self, digits: &str) -> bool {
        self.numbers.iter().any(|n| digits_of(n) == digits)
            || self
                .callback
                .as_ref()
                .and_then(|c| c.number.as_deref())
                .is_some_and(|n| digits_of(n) == digits)
    }

    fn terms(&self) -> impl Iterator<Item = &String> {
        self.zh_hans
            .iter()
            .chain(&self.zh_hant)
            .chain(&self.en)
            .chain(&self.variants)
    }
}

/// How a name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The term appears as written.
    Direct,
    /// The term appears once separators, emoji or invisible characters are removed.
    Separated,
    /// A short term is a whole word of the name.
    Token,
    /// The term appears once look-alike letters and digit swaps are undone.
    LookAlike,
    /// A Chinese term appears by sound (homophone characters).
    Homophone,
    /// A Chinese term appears spelt in pinyin.
    Pinyin,
}

impl MatchKind {
    /// Whether the match needed undoing a disguise.
    pub fn is_disguised(self) -> bool {
        matches!(
            self,
            MatchKind::Separated | MatchKind::LookAlike | MatchKind::Homophone
        )
    }
}

/// One identity found in a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityMatch {
    /// Index into the index's identities.
    pub index: usize,
    /// The lexicon term that matched.
    pub term: String,
    /// How it matched.
    pub kind: MatchKind,
}

/// A service number found in a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceNumber {
    /// The identity that owns it, if known.
    pub index: Option<usize>,
    /// The number as digits.
    pub number: String,
}

impl ServiceNumber {
    /// Whether the number names its owner even beside other words: a body's own number of five
    /// digits or more ("12315投诉中心", "95511平安", "10000号", "12306 退票", "12345 hotline") is
    /// no person's name. Beside Latin words that are no service word it is a nickname's digits,
    /// glued or apart ("Lily12345", "Tom 12345"): a scammer names the line ("12345热线"), a
    /// person adds digits to their name.
    pub fn names_its_owner(&self, n: &Normalised) -> bool {
        if self.index.is_none() || self.number.len() < 5 {
            return false;
        }
        if !n.compact.bytes().any(|b| b.is_ascii_alphabetic()) {
            return true;
        }
        let mut words = n.words.split(' ').filter(|w| !w.is_empty());
        words.clone().any(|w| w == self.number)
            && (n.has_cjk() || words.any(|w| super::words::name_service_words().contains(&w)))
    }
}

/// A two-character Chinese name and its characters, to be read half spelt in pinyin.
#[derive(Debug, Clone)]
struct ShortTerm {
    pattern: Pattern,
    chars: [char; 2],
}

#[derive(Debug, Clone)]
struct Pattern {
    identity: usize,
    term: String,
    /// How the term reads undisguised in folded text, to tell separators apart.
    plain: String,
    kind: MatchKind,
    /// Whether it is one of the body's English names, which a longer English word may hold
    /// ("Amazonas").
    english: bool,
    /// Whether it claims the body only with an office's name after it
    /// ([`ProtectedIdentity::heads`]).
    needs_office: bool,
    /// The term folded as the body spells it ("t-mobile"): a separator found there is its
    /// spelling, not a disguise. Made once here, not for every match.
    spelt: String,
}

/// The compiled lexicon of protected identities.
#[derive(Debug, Clone)]
pub struct IdentityIndex {
    identities: Vec<ProtectedIdentity>,
    by_id: HashMap<String, usize>,
    direct: AhoCorasick,
    direct_pats: Vec<Pattern>,
    tokens: HashMap<String, Pattern>,
    /// Tokens of three or more letters by their look-alike key, for "1R5" and Cyrillic "ЅSA".
    token_looks: HashMap<String, Pattern>,
    latin: AhoCorasick,
    latin_pats: Vec<Pattern>,
    pinyin: AhoCorasick,
    pinyin_pats: Vec<Pattern>,
    /// Name-like pinyin ([`ProtectedIdentity::name_pinyin`]) by its lower-case spelling.
    name_pinyin: HashMap<String, Pattern>,
    /// Two-character Chinese names by their two syllables ("xing", "jing" for 刑警).
    short: HashMap<(String, String), Vec<ShortTerm>>,
    /// Every pinyin syllable of the homophone keys, to read Latin runs inside Chinese names
    /// (asked once per letter run and length, so a fast hash).
    syllables: rustc_hash::FxHashSet<String>,
    numbers: HashMap<String, usize>,
    /// Ranks that claim a body leading a two-word name ("officer"), `data/name_titles.txt`.
    titles: HashMap<String, Pattern>,
    /// Latin service words ("kefu", "support"), `data/name_service_words.txt`.
    service_words: rustc_hash::FxHashSet<&'static str>,
    /// Chinese names of four to eight characters with one inner character masked
    /// ([`NEAR_MASK`]): "建*银行" finds 建没银行, a one-character typo of 建设银行.
    near: HashMap<String, Pattern>,
    /// Pinyin of China's provinces and cities, `data/name_places.txt`.
    places: rustc_hash::FxHashSet<&'static str>,
    /// Brands' stems of one or two letters ("ee" of "EE Support"), claimed only as a name's
    /// first word before a desk or service word.
    short_stems: HashMap<String, Pattern>,
    /// Whole-word pinyin of tier A bodies ("jingcha"), which a city glued before still names.
    place_tokens: HashMap<String, Pattern>,
    /// English brand names by their letters, to find them typed one slip away.
    slips: BrandSlips,
    /// What each brand in `slips` stands for.
    slip_pats: Vec<Pattern>,
}

/// What stands for the changed character in [`IdentityIndex`]'s near-miss keys.
const NEAR_MASK: char = '*';

/// Endings of a brand's Chinese name that leave its short name before them ("圆通快递",
/// "顺丰速运", "淘宝客服"): that short name followed by a desk word (`data/name_desks.txt`) is
/// also the brand's desk ("圆通理赔部").
const BRAND_ENDINGS: [&str; 5] = ["快递", "速递", "速运", "客服", "官方"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    identity: Vec<ProtectedIdentity>,
}

/// Digits of `s`, nothing else.
pub fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn is_short_latin(compact: &str) -> bool {
    compact.is_ascii() && compact.len() <= 3
}

impl IdentityIndex {
    /// Parses and compiles `data/identities.toml`-format text.
    pub fn from_toml(text: &str, source_name: &str) -> Result<IdentityIndex, LexiconError> {
        let file: File = toml::from_str(text).map_err(|e| LexiconError::Syntax {
            source_name: source_name.to_string(),
            message: e.to_string().trim().to_string(),
        })?;
        IdentityIndex::new(file.identity, source_name)
    }

    /// Compiles a list of identities, checking each.
    pub fn new(
        identities: Vec<ProtectedIdentity>,
        source_name: &str,
    ) -> Result<IdentityIndex, LexiconError> {
        let mut problems = Vec::new();
        let mut by_id = HashMap::default();
        for (i, idt) in identities.iter().enumerate() {
            let at = format!("identity[{i}] ({})", idt.id);
            // Registry organisations keep their own ids behind a "reg:" prefix.
            let snake = !idt.id.is_empty()
                && idt
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            let registry_id = idt.id.strip_prefix("reg:").is_some_and(|r| !r.is_empty());
            if !snake && !registry_id {
                problems.push(format!("{at}: id must be snake_case"));
            }
            if by_id.insert(idt.id.clone(), i).is_some() {
                problems.push(format!("{at}: duplicate id"));
            }
            if !CATEGORIES.contains(&idt.category.as_str()) {
                problems.push(format!("{at}: unknown category {:?}", idt.category));
            }
            if idt.zh_hans.is_empty() && idt.zh_hant.is_empty() && idt.en.is_empty() {
                problems.push(format!(
                    "{at}: needs at least one name in zh_hans, zh_hant or en"
                ));
            }
            for t in idt.terms().chain(&idt.exact).chain(&idt.heads) {
                if text::compact(t).is_empty() {
                    problems.push(format!("{at}: term {t:?} has no letters or digits"));
                }
            }
            for p in &idt.name_pinyin {
                if p.len() < 4 || !p.chars().all(|c| c.is_ascii_alphabetic()) {
                    problems.push(format!(
                        "{at}: name_pinyin {p:?} must be Latin letters only, four or more"
                    ));
                }
            }
            for n in &idt.numbers {
                if digits_of(n).len() < 3 {
                    problems.push(format!("{at}: number {n:?} needs at least 3 digits"));
                }
            }
            if let Some(cb) = &idt.callback {
                if cb.number.is_none() && cb.domain.is_none() {
                    problems.push(format!("{at}: callback needs a number or a domain"));
                }
                if cb.source.trim().is_empty() {
                    problems.push(format!("{at}: callback needs a source"));
                }
            }
        }
        if !problems.is_empty() {
            return Err(LexiconError::Invalid {
                source_name: source_name.to_string(),
                problems,
            });
        }

        let mut direct_pats: Vec<Pattern> = Vec::new();
        let mut direct_keys: Vec<String> = Vec::new();
        let mut tokens: HashMap<String, Pattern> = HashMap::default();
        let mut latin_pats = Vec::new();
        let mut latin_keys = Vec::new();
        let mut pinyin_pats = Vec::new();
        let mut pinyin_keys = Vec::new();
        let mut numbers = HashMap::default();
        let mut name_pinyin: HashMap<String, Pattern> = HashMap::default();
        let mut short: HashMap<(String, String), Vec<ShortTerm>> = HashMap::default();
        let mut seen_direct = std::collections::HashSet::new();
        let mut seen_latin = std::collections::HashSet::new();
        let mut seen_pinyin = std::collections::HashSet::new();
        let latin_service: Vec<&'static str> = super::words::name_service_words().to_vec();
        let desks: Vec<String> = super::words::name_desks()
            .iter()
            .map(|w| text::compact(w))
            .collect();
        let mut near: HashMap<String, Pattern> = HashMap::default();
        let mut slips = BrandSlips::default();
        let mut short_stems: HashMap<String, Pattern> = HashMap::default();
        let mut slip_pats = Vec::new();

        for (i, idt) in identities.iter().enumerate() {
            let pat = |term: &str, plain: String, kind| Pattern {
                identity: i,
                term: term.to_string(),
                plain,
                kind,
                english: idt.en.iter().any(|e| e == term),
                needs_office: false,
                spelt: Normalised::new(term).folded,
            };
            // A brand's English names by their letters ("chasebank"), for its typed slips.
            if idt.tier != Tier::C {
                for t in &idt.en {
                    let n = Normalised::new(t);
                    if n.compact.bytes().all(|b| b.is_ascii_lowercase()) {
                        slips.add(&n.compact, slip_pats.len());
                        slip_pats.push(pat(t, n.words.trim().to_string(), MatchKind::LookAlike));
                    }
                }
            }
            for t in idt.terms() {
                let n = Normalised::new(t);
                let c = n.compact.clone();
                let plain = if n.has_cjk() {
                    c.clone()
                } else {
                    n.words.trim().to_string()
                };
                if is_short_latin(&c) {
                    tokens
                        .entry(c)
                        .or_insert_with(|| pat(t, plain, MatchKind::Token));
                    continue;
                }
                // An English name ending with a service word ("Apple Support") is also claimed
                // by its first words and a desk word ("Apple 支援", "Norton Renewal").
                if let Some((stem, last)) = plain.rsplit_once(' ') {
                    let stem_key: String = stem.split(' ').collect();
                    let desk_name = idt.en.iter().any(|e| e == t)
                        && (latin_service.contains(&last)
                            || super::words::name_desks().contains(&last));
                    if desk_name && stem_key.len() >= 3 {
                        for desk in &desks {
                            let key = format!("{stem_key}{desk}");
                            if seen_direct.insert(key.clone()) {
                                direct_keys.push(key);
                                direct_pats.push(pat(t, stem.to_string(), MatchKind::Direct));
                            }
                        }
                    } else if desk_name && !stem_key.is_empty() {
                        // A stem of one or two letters ("EE", "O2") is inside too many words to
                        // be looked for anywhere: [`Self::short_stem_desk`] reads it as a name's
                        // first word before a desk or service word.
                        short_stems
                            .entry(stem_key)
                            .or_insert_with(|| pat(t, stem.to_string(), MatchKind::Token));
                    }
                }
                // A brand's Chinese name before a Chinese desk word ("圆通快递": "圆通理赔部"),
                // and its near misses (one inner character changed: "建没银行").
                let cjk = c.chars().filter(|ch| text::is_cjk(*ch)).count();
                let all_cjk = cjk == c.chars().count();
                if all_cjk && idt.tier != Tier::C && !idt.variants.contains(t) {
                    if let Some(stem) = BRAND_ENDINGS
                        .iter()
                        .find_map(|e| c.strip_suffix(e))
                        .filter(|stem| stem.chars().count() >= 2)
                    {
                        for desk in desks.iter().filter(|d| !d.is_ascii()) {
                            let key = format!("{stem}{desk}");
                            if seen_direct.insert(key.clone()) {
                                direct_keys.push(key.clone());
                                direct_pats.push(pat(t, key, MatchKind::Direct));
                            }
                        }
                    }
                    if (4..=8).contains(&cjk) {
                        let chars: Vec<char> = c.chars().collect();
                        for i in 1..chars.len() - 1 {
                            let key: String = chars
                                .iter()
                                .enumerate()
                                .map(|(j, &ch)| if j == i { NEAR_MASK } else { ch })
                                .collect();
                            near.entry(key)
                                .or_insert_with(|| pat(t, c.clone(), MatchKind::LookAlike));
                        }
                    }
                }
                if seen_direct.insert(c.clone()) {
                    direct_keys.push(c.clone());
                    direct_pats.push(pat(t, plain.clone(), MatchKind::Direct));
                }
                if c.chars().any(|ch| ch.is_ascii_alphabetic()) && c.len() >= 4 {
                    let k = latin_key(t);
                    if seen_latin.insert(k.clone()) {
                        latin_keys.push(k);
                        latin_pats.push(pat(t, plain.clone(), MatchKind::LookAlike));
                    }
                }
                if cjk == 2 && all_cjk {
                    let syl = pinyin_syllables(&c);
                    let mut parts = syl.split('|').filter(|p| !p.is_empty());
                    let mut chars = c.chars();
                    if let (Some(a), Some(b), Some(ca), Some(cb)) =
                        (parts.next(), parts.next(), chars.next(), chars.next())
                    {
                        let at = short.entry((a.to_string(), b.to_string())).or_default();
                        if !at.iter().any(|s| s.chars == [ca, cb]) {
                            at.push(ShortTerm {
                                pattern: pat(t, plain.clone(), MatchKind::Homophone),
                                chars: [ca, cb],
                            });
                        }
                    }
                }
                if cjk >= 3 && all_cjk {
                    let syl = pinyin_syllables(&c);
                    if seen_pinyin.insert(syl.clone()) {
                        pinyin_keys.push(syl);
                        pinyin_pats.push(pat(t, plain.clone(), MatchKind::Homophone));
                    }
                    let flat = pinyin_key(&c);
                    if flat.len() >= 6 && seen_direct.insert(flat.clone()) {
                        direct_keys.push(flat);
                        direct_pats.push(pat(t, plain, MatchKind::Pinyin));
                    }
                }
            }
            for t in &idt.heads {
                let c = text::compact(t);
                if seen_direct.insert(c.clone()) {
                    direct_keys.push(c.clone());
                    direct_pats.push(Pattern {
                        needs_office: true,
                        ..pat(t, c, MatchKind::Direct)
                    });
                }
            }
            for t in &idt.exact {
                let n = Normalised::new(t);
                tokens
                    .entry(n.compact.clone())
                    .or_insert_with(|| pat(t, n.compact.clone(), MatchKind::Token));
                // A brand's short Chinese name, whole-word alone, is its desk before a Chinese
                // desk word ("圆通" is also a temple's name; "圆通理赔部" is the courier's).
                let c = &n.compact;
                if idt.tier != Tier::C && c.chars().count() >= 2 && c.chars().all(text::is_cjk) {
                    for desk in desks.iter().filter(|d| !d.is_ascii()) {
                        let key = format!("{c}{desk}");
                        if seen_direct.insert(key.clone()) {
                            direct_keys.push(key.clone());
                            direct_pats.push(pat(t, key, MatchKind::Direct));
                        }
                    }
                }
            }
            for p in &idt.name_pinyin {
                let key = p.to_ascii_lowercase();
                name_pinyin
                    .entry(key.clone())
                    .or_insert_with(|| pat(p, key, MatchKind::Pinyin));
            }
            for num in &idt.numbers {
                numbers.entry(digits_of(num)).or_insert(i);
            }
        }
        // Pinyin tokens of authorities, of five letters or more ("jingcha"; not initials).
        let place_tokens = tokens
            .iter()
            .filter(|(k, p)| {
                k.len() >= 5
                    && k.bytes().all(|b| b.is_ascii_lowercase())
                    && identities[p.identity].tier == Tier::A
                    && identities[p.identity].exact.iter().any(|e| e == &p.term)
            })
            .map(|(k, p)| (k.clone(), p.clone()))
            .collect();
        let token_looks = tokens
            .iter()
            .filter(|(k, _)| k.len() >= 3 && k.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(|(k, p)| (latin_key(k), p.clone()))
            .collect();
        let syllables = pinyin_keys
            .iter()
            .flat_map(|k| k.split('|'))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .chain(short.keys().flat_map(|(a, b)| [a.clone(), b.clone()]))
            .collect();
        let build = |keys: &[String]| -> AhoCorasick {
            AhoCorasickBuilder::new()
                .match_kind(AcMatchKind::Standard)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(keys)
                .expect("lexicon patterns compile")
        };
        let titles = super::words::name_titles()
            .iter()
            .filter_map(|&(rank, id)| {
                let &identity = by_id.get(id)?;
                Some((
                    rank.to_string(),
                    Pattern {
                        identity,
                        term: rank.to_string(),
                        plain: rank.to_string(),
                        kind: MatchKind::Token,
                        english: false,
                        needs_office: false,
                        spelt: rank.to_string(),
                    },
                ))
            })
            .collect();
        Ok(IdentityIndex {
            direct: build(&direct_keys),
            latin: build(&latin_keys),
            pinyin: build(&pinyin_keys),
            identities,
            by_id,
            direct_pats,
            tokens,
            token_looks,
            latin_pats,
            pinyin_pats,
            name_pinyin,
            short,
            syllables,
            numbers,
            titles,
            service_words: latin_service.into_iter().collect(),
            near,
            places: super::words::name_places().iter().copied().collect(),
            place_tokens,
            short_stems,
            slips,
            slip_pats,
        })
    }

    /// Every identity.
    pub fn identities(&self) -> &[ProtectedIdentity] {
        &self.identities
    }

    /// The identity at `index`.
    pub fn get(&self, index: usize) -> &ProtectedIdentity {
        &self.identities[index]
    }

    /// The identity with `id`.
    pub fn by_id(&self, id: &str) -> Option<&ProtectedIdentity> {
        self.by_id.get(id).map(|&i| &self.identities[i])
    }

    /// The index of the identity with `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// How many identities there are.
    pub fn len(&self) -> usize {
        self.identities.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.identities.is_empty()
    }

    /// Identities a display name claims, best first (tier A before B before C, longer terms first).
    /// `raw` is the name as received, needed for the look-alike key.
    pub fn match_name(&self, n: &Normalised, raw: &str) -> Vec<IdentityMatch> {
        let mut out = Vec::new();
        let whole = n;
        let masked = mask_innocent(n);
        let (n, innocent_keys) = match &masked {
            Some((m, keys)) => (m, keys.as_slice()),
            None => (n, &[][..]),
        };
        let mut apart = Vec::new();
        let mut apart_tokens = Vec::new();
        self.plain_matches(n, &mut out, Some((&mut apart, &mut apart_tokens)));
        // A name read as part of something else is not looked for again in disguise.
        let blanked;
        let mut apart_keys = Vec::new();
        let n = if out.is_empty() && !apart.is_empty() {
            let spans: Vec<(usize, usize)> = apart.iter().map(|&(s, e, _)| (s, e)).collect();
            let pats: Vec<&Pattern> = apart
                .iter()
                .map(|&(_, _, p)| &self.direct_pats[p])
                .collect();
            blanked = blank(n, &spans, pats.iter().map(|p| p.plain.as_str()));
            apart_keys = pats.iter().map(|p| latin_key(&p.term)).collect();
            &blanked
        } else {
            n
        };
        if out.is_empty() {
            self.title_matches(n, &mut out);
        }
        if out.is_empty() {
            self.name_pinyin_matches(n, raw, &mut out);
        }
        if out.is_empty() && raw.chars().any(|c| c.is_alphabetic() && !text::is_cjk(c)) {
            let mut key = latin_key(raw);
            for k in innocent_keys
                .iter()
                .copied()
                .chain(apart_keys.iter().map(String::as_str))
            {
                key = key.replace(k, "|");
            }
            for m in self.latin.find_overlapping_iter(&key) {
                let p = &self.latin_pats[m.pattern().as_usize()];
                push(&mut out, p, MatchKind::LookAlike);
            }
            self.look_alike_tokens(raw, &apart_tokens, &mut out);
        }
        // A brand passed over as running on into a longer word may be a slip of it
        // ("Amazonn"): slips are read in the name as written, not with the brand blanked.
        let unblanked = if masked.is_some() { n } else { whole };
        if out.is_empty() && unblanked.compact.bytes().all(|b| b.is_ascii_lowercase()) {
            self.slip_matches(unblanked, &mut out);
        }
        if out.is_empty() && !self.short_stems.is_empty() {
            self.short_stem_desk(n, &mut out);
        }
        if out.is_empty() && n.has_cjk() {
            let syl = if n.compact.bytes().any(|b| b.is_ascii_alphabetic()) {
                mixed_pinyin_syllables(&n.compact, |run| self.spell(run))
            } else {
                pinyin_syllables(&n.compact)
            };
            for m in self.pinyin.find_overlapping_iter(&syl) {
                let p = &self.pinyin_pats[m.pattern().as_usize()];
                let whole = m.start() == 0 && m.end() == syl.len();
                if whole && sounds_like_but_is_a_person(&n.compact, &p.plain) {
                    continue;
                }
                push(&mut out, p, MatchKind::Homophone);
            }
        }
        if out.is_empty() && n.has_cjk() && n.compact.bytes().any(|b| b.is_ascii_alphabetic()) {
            self.half_spelt_short_names(n, &mut out);
        }
        if out.is_empty() && n.has_cjk() {
            self.sound_alike_after_a_name(n, &mut out);
        }
        if out.is_empty() && n.has_cjk() {
            self.near_miss(n, &mut out);
        }
        // Asked last, of the few names that claim something: a name that presents a person one
        // knows, or a group, claims nothing.
        if !out.is_empty() && (describes_a_person(whole, &out) || names_a_group(whole, &out)) {
            out.clear();
        }
        self.rank(&mut out);
        out
    }

    /// Whether the protected name `p`, found at `start..end` of a display name's compact form,
    /// is part of something else there and so not a claim:
    /// - a word of `data/name_settings.txt` follows it: a place, a market, a group of people,
    ///   a band or a school named after it ("公安县老乡群", "海关新村", "交通银行旁奶茶店",
    ///   "Police Tribute Band");
    /// - the whole name is a person's, a common surname with the protected name as the given
    ///   name ("张建行"), unless that name is a rank or an office ("张警官" is a claim);
    /// - one of the body's English names runs on into a longer word that is not a word
    ///   scammers glue to a brand ("Amazonas Grill"; "AmazonSupport" is a claim).
    fn part_of_something_else(
        &self,
        n: &Normalised,
        start: usize,
        end: usize,
        p: &Pattern,
    ) -> bool {
        p.kind != MatchKind::Pinyin
            && (setting_follows(&n.compact, end)
                || former_precedes(n, start, &p.plain)
                || is_given_name(&n.compact, start, end)
                || p.english && self.runs_on(n, &p.plain))
    }

    /// Whether the English name `term` (its words form) runs on into a longer word wherever
    /// the name holds it ("amazonas", "chase banks"), the rest being neither digits, nor
    /// Chinese, nor a word scammers glue to a brand (`data/link_lure_words.txt`: "support",
    /// "kefu", "pay" ...), nor pinyin of three letters or more ("weixinzhifu" is 微信支付; the
    /// "a" of "Amazona" is a letter, not 啊).
    fn runs_on(&self, n: &Normalised, term: &str) -> bool {
        if term.is_empty() {
            return false;
        }
        let mut rests = n.words.match_indices(term).map(|(at, _)| {
            let after = &n.words[at + term.len()..];
            &after[..after.find(' ').unwrap_or(after.len())]
        });
        let Some(first) = rests.next() else {
            return false;
        };
        let runs = |rest: &str| {
            !rest.is_empty()
                && rest.bytes().all(|b| b.is_ascii_alphabetic())
                && !super::words::link_lure_words()
                    .iter()
                    .any(|g| rest.starts_with(g))
                && (rest.len() < 3 || self.spell(rest).is_none())
        };
        runs(first) && rests.all(runs)
    }

    /// Two-character names written half in characters and half in pinyin ("刑jing", "李jing官",
    /// "客fu"): two syllables in a row that sound like the name, one spelt in Latin letters and
    /// the other written as the name's own character. A sound-alike
    /// character does not count here: two syllables alone are also people's names ("邢jing" is
    /// 邢静, not 刑警).
    fn half_spelt_short_names(&self, n: &Normalised, out: &mut Vec<IdentityMatch>) {
        let readings = pinyin_readings(&n.compact, |run| self.spell(run));
        for pair in readings.windows(2) {
            let (Some(a), Some(b)) = (pair[0], pair[1]) else {
                continue;
            };
            // One syllable spelt and one written: both spelt is a pinyin word ("Wang Jing"
            // glued to a surname), both written is a homophone.
            if a.written.is_some() == b.written.is_some() {
                continue;
            }
            let Some(terms) = self.short.get(&(a.sound.to_string(), b.sound.to_string())) else {
                continue;
            };
            for t in terms {
                let own = |written: Option<char>, c: char| written.is_none_or(|w| w == c);
                if own(a.written, t.chars[0]) && own(b.written, t.chars[1]) {
                    push(out, &t.pattern, MatchKind::Homophone);
                }
            }
        }
    }

    /// Short names ("IRS", "SSA", "AT&T") written with look-alike letters or digits: a word of
    /// the raw name that is not plain letters and whose look-alike key is a token's, unless
    /// that token was found part of something else (`apart`: "ＮＨＳ leavers do").
    fn look_alike_tokens(&self, raw: &str, apart: &[usize], out: &mut Vec<IdentityMatch>) {
        for word in raw.split_whitespace() {
            if word.bytes().all(|b| b.is_ascii_alphabetic()) {
                continue;
            }
            if let Some(p) = self.token_looks.get(&latin_key(word)) {
                if !apart.contains(&p.identity) {
                    push(out, p, MatchKind::LookAlike);
                }
            }
        }
    }

    /// An English brand typed one slip away ([`super::typos`]), as the whole name ("Amazn",
    /// "Barlcays Bank") or as the words beside a service or desk word ("Pyapal Support"): a slip
    /// among other words is more often a person's or a shop's own word.
    fn slip_matches(&self, n: &Normalised, out: &mut Vec<IdentityMatch>) {
        let mut buf = String::new();
        let mut found = self.slips.slip_of(&n.compact, &mut buf);
        if found.is_none() {
            let words = n.words.split(' ').filter(|w| !w.is_empty());
            // Looked up, plural or not ("Refunds"), never searched.
            static BESIDE: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
                std::sync::OnceLock::new();
            let beside = BESIDE.get_or_init(|| {
                super::words::name_service_words()
                    .iter()
                    .chain(super::words::name_desks())
                    .chain(super::words::name_brand_services())
                    .copied()
                    .filter(|w| w.is_ascii())
                    .collect()
            });
            let desk = |w: &str| {
                beside.contains(w) || w.strip_suffix('s').is_some_and(|w| beside.contains(w))
            };
            if words.clone().count() <= 4 && words.clone().any(desk) {
                let core: String = words.filter(|w| !desk(w)).collect();
                found = self.slips.slip_of(&core, &mut buf);
            }
        }
        if let Some(i) = found {
            push(out, &self.slip_pats[i], MatchKind::LookAlike);
        }
    }

    /// A brand's stem of one or two letters as the first word, and a desk or service word
    /// beginning the second ("EE Refunds", "O2 Helpdesk"): the brand's desk. "EE" alone, or
    /// after other words, is too short to be anyone's claim.
    fn short_stem_desk(&self, n: &Normalised, out: &mut Vec<IdentityMatch>) {
        let mut words = n.words.split(' ').filter(|w| !w.is_empty());
        let (Some(first), Some(second)) = (words.next(), words.next()) else {
            return;
        };
        if first.len() > 2 {
            return;
        }
        let Some(p) = self.short_stems.get(first) else {
            return;
        };
        let desk = super::words::name_desks()
            .iter()
            .chain(super::words::name_service_words())
            .any(|d| d.is_ascii() && second.starts_with(d));
        if desk {
            push(out, p, MatchKind::Token);
        }
    }

    /// `run` (lower-case Latin letters inside a Chinese name) split into pinyin syllables that
    /// the lexicon's Chinese names use, if it splits wholly into them.
    fn spell(&self, run: &str) -> Option<Vec<&str>> {
        const LONGEST: usize = 6;
        if run.len() > 4 * LONGEST {
            return None;
        }
        // ways[i]: the length of the syllable that ends a full split of run[..i].
        let mut ways = vec![0usize; run.len() + 1];
        ways[0] = usize::MAX;
        for end in 1..=run.len() {
            // The longest syllable first: "jian" is 监, not "ji" + "an".
            for len in (1..=LONGEST.min(end)).rev() {
                if ways[end - len] != 0 && self.syllables.contains(&run[end - len..end]) {
                    ways[end] = len;
                    break;
                }
            }
        }
        if ways[run.len()] == 0 {
            return None;
        }
        let mut out = Vec::new();
        let mut end = run.len();
        while end > 0 {
            let len = ways[end];
            let syl = self.syllables.get(&run[end - len..end])?;
            out.push(syl.as_str());
            end -= len;
        }
        out.reverse();
        Some(out)
    }

    /// Name-like pinyin written the way no person writes a name: joined to digits in one word,
    /// beside a word of digits or a service word ("huabei kefu", `data/name_service_words.txt`),
    /// or in full-width letters (which NFKC has already folded). Spelt over two words ("wang
    /// jing 110") only beside a body's own number or a service word: "Wang Jing 1990" is a
    /// person with a birth year.
    fn name_pinyin_matches(&self, n: &Normalised, raw: &str, out: &mut Vec<IdentityMatch>) {
        if self.name_pinyin.is_empty() {
            return;
        }
        let words: Vec<&str> = n.words.split(' ').filter(|w| !w.is_empty()).collect();
        // Full-width Latin letters; a full-width comma or digit alone does not count.
        let wide = raw
            .chars()
            .any(|c| matches!(c as u32, 0xFF21..=0xFF3A | 0xFF41..=0xFF5A));
        let number_beside = words
            .iter()
            .any(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_digit()));
        let service_beside = words.iter().any(|w| self.service_words.contains(*w));
        let place_beside = words.iter().any(|w| self.places.contains(*w));
        for w in &words {
            let core = w.trim_matches(|c: char| c.is_ascii_digit());
            let Some(p) = self.name_pinyin.get(core) else {
                // A city glued before it: "HangzhouGongan", "ShanghaiFayuan", "SZjingcha" (a
                // body's pinyin that is a whole word only, `exact`, counts here too).
                for (key, p) in self.name_pinyin.iter().chain(&self.place_tokens) {
                    if core.len() > key.len()
                        && core.ends_with(key.as_str())
                        && self.places.contains(&core[..core.len() - key.len()])
                    {
                        push(out, p, MatchKind::Pinyin);
                    }
                }
                continue;
            };
            if core.len() != w.len() || number_beside || wide || service_beside || place_beside {
                push(out, p, MatchKind::Pinyin);
            }
        }
        // Letters parted by separators ("N·a·n·j·i·n·g·G·o·n·g·a·n") read as one word.
        if out.is_empty() && words.len() > 2 && n.compact.bytes().all(|b| b.is_ascii_lowercase()) {
            for (key, p) in &self.name_pinyin {
                if n.compact.ends_with(key.as_str())
                    && self
                        .places
                        .contains(&n.compact[..n.compact.len() - key.len()])
                {
                    push(out, p, MatchKind::Pinyin);
                }
            }
        }
        if service_beside || place_beside || words.iter().any(|w| self.numbers.contains_key(*w)) {
            for pair in words.windows(2) {
                if pair
                    .iter()
                    .all(|w| w.bytes().all(|b| b.is_ascii_alphabetic()))
                {
                    if let Some(p) = self.name_pinyin.get(&format!("{}{}", pair[0], pair[1])) {
                        push(out, p, MatchKind::Pinyin);
                    }
                }
            }
        }
    }

    /// Whether a name in Latin letters reads as a person's: its first word is one pinyin
    /// syllable, a surname ("Zheng Jianhui"), or no pinyin at all.
    fn reads_as_a_person(&self, n: &Normalised) -> bool {
        n.words
            .split(' ')
            .find(|w| !w.is_empty())
            .is_none_or(|w| self.spell(w).is_none_or(|s| s.len() < 2))
    }

    /// A rank leading a two-word name ("Officer Smith", `data/name_titles.txt`).
    fn title_matches(&self, n: &Normalised, out: &mut Vec<IdentityMatch>) {
        let mut words = n.words.split(' ').filter(|w| !w.is_empty());
        if let (Some(rank), Some(name), None) = (words.next(), words.next(), words.next()) {
            if name.bytes().all(|b| b.is_ascii_alphabetic()) {
                if let Some(p) = self.titles.get(rank) {
                    push(out, p, MatchKind::Token);
                }
            }
        }
    }

    /// A whole name of four to eight Chinese characters that is a body's Chinese name with one
    /// inner character changed ("建没银行", "招商很行"): the first and last characters and all
    /// but one between are the body's, so the name still reads as the body to its victim. The
    /// first or the last character changed is another name ("美国银行", "中国电影"), and two
    /// changed are another phrase ("工商管理").
    fn near_miss(&self, n: &Normalised, out: &mut Vec<IdentityMatch>) {
        let count = n.compact.chars().count();
        if !(4..=8).contains(&count) || !n.compact.chars().all(text::is_cjk) {
            return;
        }
        let mut key = String::with_capacity(n.compact.len());
        for i in 1..count - 1 {
            key.clear();
            key.extend(
                n.compact
                    .chars()
                    .enumerate()
                    .map(|(j, c)| if j == i { NEAR_MASK } else { c }),
            );
            if let Some(p) = self.near.get(&key) {
                push(out, p, MatchKind::LookAlike);
                return;
            }
        }
    }

    /// A protected name followed by a two-character name of the lexicon in sound-alike
    /// characters ("菜鸟客福": 菜鸟, then 客服 by sound). The name before it says whose desk is
    /// meant, so the sound-alike is a disguise, not a person's given name.
    fn sound_alike_after_a_name(&self, n: &Normalised, out: &mut Vec<IdentityMatch>) {
        let c = n.compact.as_str();
        // Four Chinese characters or more (three bytes each).
        if c.len() < 12 {
            return;
        }
        let mut tail = c.char_indices().rev();
        let (Some((_, b)), Some((at, a))) = (tail.next(), tail.next()) else {
            return;
        };
        let head = &c[..at];
        if head.chars().count() < 2 || !text::is_cjk(a) || !text::is_cjk(b) {
            return;
        }
        let whole = || {
            self.direct
                .find_overlapping_iter(head)
                .find(|m| m.start() == 0 && m.end() == head.len())
                .map(|m| &self.direct_pats[m.pattern().as_usize()])
                .filter(|p| p.kind == MatchKind::Direct && !p.needs_office)
        };
        let Some(p) = self.tokens.get(head).or_else(whole) else {
            return;
        };
        let syl = pinyin_syllables(&c[at..]);
        let mut sounds = syl.split('|').filter(|s| !s.is_empty());
        let (Some(sa), Some(sb)) = (sounds.next(), sounds.next()) else {
            return;
        };
        if self
            .short
            .get(&(sa.to_string(), sb.to_string()))
            .is_some_and(|terms| terms.iter().any(|t| t.chars != [a, b]))
        {
            push(out, p, MatchKind::Homophone);
        }
    }

    /// Names as written: whole terms, then each word and the compact form as a token. In a
    /// display name (`apart` given), terms passed over as part of something else are put in
    /// its first list ([`Self::direct_matches`]) and the identities of tokens passed over in
    /// its second.
    fn plain_matches(
        &self,
        n: &Normalised,
        out: &mut Vec<IdentityMatch>,
        apart: Option<PassedOver<'_>>,
    ) {
        let (apart, mut apart_tokens) = match apart {
            Some((terms, tokens)) => (Some(terms), Some(tokens)),
            None => (None, None),
        };
        let in_name = apart.is_some();
        self.direct_matches(n, out, apart);
        // Where each word starts in the compact form (the words without their spaces).
        let mut at = 0;
        let words = n.words.split(' ').filter(|t| !t.is_empty()).map(|w| {
            at += w.len();
            (w, Some(at - w.len()))
        });
        for (tok, start) in words.chain(std::iter::once((n.compact.as_str(), None))) {
            if let Some(p) = self.tokens.get(tok) {
                // In a display name, a short name followed by a setting or after a former
                // ("NHS leavers do", "Ex-IRS") is part of something else, as a longer one is.
                let apart = in_name
                    && start.is_some_and(|s| {
                        setting_follows(&n.compact, s + tok.len())
                            || former_precedes(n, s, &p.plain)
                    });
                if !apart {
                    push(out, p, MatchKind::Token);
                } else if let Some(passed) = apart_tokens.as_deref_mut() {
                    passed.push(p.identity);
                }
            }
            // A short Latin name glued to Chinese ("EMS快递", "ETC客服") is a word of its own.
            if !tok.is_ascii() && tok.bytes().any(|b| b.is_ascii_alphabetic()) {
                for run in tok
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|r| r.bytes().any(|b| b.is_ascii_alphabetic()))
                {
                    if let Some(p) = self.tokens.get(run) {
                        push(out, p, MatchKind::Token);
                    }
                }
            }
        }
    }

    /// Identities a short piece of text names as written (no look-alike or homophone pass):
    /// for message signatures and self-introductions, where disguise is not the point.
    pub fn match_plain(&self, n: &Normalised) -> Vec<IdentityMatch> {
        let mut out = Vec::new();
        self.plain_matches(n, &mut out, None);
        self.rank(&mut out);
        out
    }

    /// Identities named in running text (speech or a message), best first. Only plain and
    /// pinyin matches of longer terms count: running text is not disguised the way names are,
    /// and short terms are too common in it.
    pub fn find_in_text(&self, n: &Normalised) -> Vec<IdentityMatch> {
        let mut out = Vec::new();
        self.direct_matches(n, &mut out, None);
        out.retain(|m| {
            let idt = &self.identities[m.index];
            idt.tier != Tier::C && m.term.chars().count() >= 3
        });
        self.rank(&mut out);
        out
    }

    /// Whole terms found in the compact text. In a display name (`apart` given), a term that
    /// is part of something else there ([`Self::part_of_something_else`]) is passed over with the
    /// shorter terms inside it ("交警" inside "交警大队旁"), and its span and pattern are put
    /// in `apart`.
    fn direct_matches(
        &self,
        n: &Normalised,
        out: &mut Vec<IdentityMatch>,
        mut apart: Option<&mut Vec<(usize, usize, usize)>>,
    ) {
        let before = out.len();
        let passed_before = apart.as_deref().map_or(0, Vec::len);
        self.direct_pass(n, out, apart.as_deref_mut(), &[]);
        // Rarely anything is passed over; then the terms inside it go too, in a second pass.
        if let Some(apart) = apart {
            if apart.len() > passed_before {
                out.truncate(before);
                let spans: Vec<(usize, usize)> = apart.iter().map(|&(s, e, _)| (s, e)).collect();
                self.direct_pass(n, out, None, &spans);
            }
        }
    }

    /// One pass of [`Self::direct_matches`]: terms inside a span of `inside` are left out.
    fn direct_pass(
        &self,
        n: &Normalised,
        out: &mut Vec<IdentityMatch>,
        mut apart: Option<&mut Vec<(usize, usize, usize)>>,
        inside: &[(usize, usize)],
    ) {
        let in_name = apart.is_some() || !inside.is_empty();
        for m in self.direct.find_overlapping_iter(&n.compact) {
            let p = &self.direct_pats[m.pattern().as_usize()];
            if inside.iter().any(|&(s, e)| s <= m.start() && m.end() <= e)
                || p.needs_office && (!in_name || !office_follows(&n.compact, m.end()))
            {
                continue;
            }
            if let Some(apart) = apart.as_deref_mut() {
                if self.part_of_something_else(n, m.start(), m.end(), p) {
                    apart.push((m.start(), m.end(), m.pattern().as_usize()));
                    continue;
                }
            }
            // Pinyin spelt out must sit inside one word: "gonganju" is a claim, but the
            // person's name "Zheng Jianhui" only spells 证监会 across a space. A display name
            // whose first word is more than a surname is no person's ("jinrong jianguan").
            if p.kind == MatchKind::Pinyin
                && !n
                    .words
                    .split(' ')
                    .any(|w| w.contains(&n.compact[m.start()..m.end()]))
                && (!in_name || self.reads_as_a_person(n))
            {
                continue;
            }
            // Folded text that is already compact holds every unspaced term found in it. A
            // separator the body itself writes ("T-Mobile", "7-ELEVEN", "E-ZPass") is its
            // spelling, not a disguise.
            let unchanged = n.folded.len() == n.compact.len() && !p.plain.contains(' ');
            let kind = if p.kind == MatchKind::Direct
                && !unchanged
                && !n.folded.contains(&p.plain)
                && !n.folded.contains(p.spelt.as_str())
            {
                MatchKind::Separated
            } else {
                p.kind
            };
            push(out, p, kind);
        }
    }

    fn rank(&self, out: &mut [IdentityMatch]) {
        out.sort_by(|a, b| {
            let (ta, tb) = (self.identities[a.index].tier, self.identities[b.index].tier);
            ta.cmp(&tb)
                .then(b.term.chars().count().cmp(&a.term.chars().count()))
        });
    }

    /// A service number shown in a name ("110", "0731-110", "+86 96110", "95588"). `allow_letters`
    /// says whether a number next to other words still counts; a bare number always does.
    pub fn service_number(&self, n: &Normalised) -> Option<ServiceNumber> {
        if !n.compact.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        let letters = n.compact.chars().any(|c| !c.is_ascii_digit());
        let runs = n
            .folded
            .split(|c: char| !c.is_ascii_digit())
            .filter(|r| !r.is_empty());
        for run in runs.clone() {
            if let Some(&i) = self.numbers.get(run) {
                return Some(ServiceNumber {
                    index: Some(i),
                    number: run.to_string(),
                });
            }
        }
        if let Some(sn) = runs.clone().find_map(|r| self.after_area_code(r)) {
            return Some(sn);
        }
        if !letters {
            let all = digits_of(&n.compact);
            if let Some(&i) = self.numbers.get(all.as_str()) {
                return Some(ServiceNumber {
                    index: Some(i),
                    number: all,
                });
            }
            if let Some(sn) = self.after_area_code(&all) {
                return Some(sn);
            }
        }
        // Unknown numbers of the shapes reserved for services: 95xxx(x) bank and platform lines,
        // 100xx carriers, 12xxx government hotlines.
        runs.into_iter()
            .find(|r| {
                (r.len() == 5 || r.len() == 6) && r.starts_with("95")
                    || r.len() == 5 && (r.starts_with("100") || r.starts_with("12"))
            })
            .map(|number| ServiceNumber {
                index: None,
                number: number.to_string(),
            })
    }

    /// A body's short number with an area code glued before it ("0755110", "021110"): a city's
    /// own line, written as no landline is (a landline has seven or eight digits after its code).
    fn after_area_code(&self, run: &str) -> Option<ServiceNumber> {
        if !run.starts_with('0') || !(6..=9).contains(&run.len()) {
            return None;
        }
        [3, 4].into_iter().find_map(|code| {
            let &i = self.numbers.get(&run[code..])?;
            Some(ServiceNumber {
                index: Some(i),
                number: run[code..].to_string(),
            })
        })
    }

    /// The identity that owns service number `digits`.
    pub fn owner_of_number(&self, digits: &str) -> Option<usize> {
        self.numbers.get(digits).copied()
    }
}

/// Whether `compact`, a whole name that sounds like the protected name `term`, reads as a
/// person's name instead: two or three Chinese characters starting with a common surname
/// (`data/surnames.txt`) that is not the protected name's own first character. 王安居 sounds
/// like 网安局 but is a person; 网安菊 is the cyber police in a sound-alike disguise.
fn sounds_like_but_is_a_person(compact: &str, term: &str) -> bool {
    let surnames = surnames();
    let mut chars = compact.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let len = 1 + chars.clone().count();
    (2..=3).contains(&len)
        && chars.all(text::is_cjk)
        && surnames.contains(&first)
        && !term.starts_with(first)
}

/// The common surnames of `data/surnames.txt`.
fn surnames() -> &'static std::collections::HashSet<char> {
    static SURNAMES: std::sync::OnceLock<std::collections::HashSet<char>> =
        std::sync::OnceLock::new();
    SURNAMES.get_or_init(|| {
        super::words::surname_lines()
            .iter()
            .flat_map(|l| l.chars())
            .filter(|c| text::is_cjk(*c))
            .collect()
    })
}

/// Last characters that make a two-character protected name a rank or an office rather than a
/// given name: 张警官, 李法官 and 王交警 are claims, 张建行 and 李国安 are people.
const OFFICE_ENDINGS: &str = "官警察方服院队隊局署委部侦偵票私检檢关關";

/// Last characters of an office's name: a bureau, an agency, a department, a division.
const OFFICE_NAME_ENDINGS: &str = "署局司处所";

/// Whether an office's name follows byte `at` of `compact`: a run of Chinese characters, up
/// to ten, ending in one of [`OFFICE_NAME_ENDINGS`] ("调查局", "行政执行署"), not the office
/// word alone.
fn office_follows(compact: &str, at: usize) -> bool {
    compact[at..]
        .chars()
        .take_while(|c| text::is_cjk(*c))
        .take(10)
        .enumerate()
        .any(|(i, c)| i > 0 && OFFICE_NAME_ENDINGS.contains(c))
}

/// Whether the display name presents a person its owner knows, so that a body in it is where
/// that person works rather than a claim to be the body ([`names_a_relative`]), or one who is
/// described: a kinship or acquaintance word (`data/name_acquaintances.txt`) as a word after
/// the first ("Sam (UPS driver, neighbour)", "小雨-法院书记员(同学)", "my cousin at the police"),
/// 的 and such a word at the end ("在招行上班的表姐"), or a workplace phrase
/// (`data/name_work_words.txt`: "Kim - works at HSBC", "张姐(在税务局上班)"). A kinship word
/// that is part of the body's own name ("MOM Singapore") is not one.
fn describes_a_person(n: &Normalised, out: &[IdentityMatch]) -> bool {
    let kin = kin_or_acquaintance();
    // Whether `word` is a word of a matched term ("mom" of "mom singapore").
    let in_a_term = |word: &str| {
        out.iter().any(|m| {
            m.term
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|t| t == word)
        })
    };
    let mut words = n.words.split(' ').filter(|w| !w.is_empty());
    let Some(first) = words.next() else {
        return false;
    };
    let mut rest = words.peekable();
    if rest.peek().is_some() && names_a_relative(n) && !in_a_term(first) {
        return true;
    }
    // "Ann the UPS driver": a first name, then a word that begins a description of them.
    if first.bytes().all(|b| b.is_ascii_alphabetic()) && !in_a_term(first) {
        let mut ahead = rest.clone();
        if let (Some(second), Some(_)) = (ahead.next(), ahead.next()) {
            if super::words::name_epithets().contains(&second) {
                return true;
            }
        }
    }
    // A Chinese word ending with one is one too ("初中同学", "我表姐"): its last two to four
    // characters are looked up.
    let holds_kin = |w: &str| {
        kin.contains(w)
            || !w.is_ascii()
                && w.char_indices()
                    .rev()
                    .skip(1)
                    .take(3)
                    .any(|(at, _)| at > 0 && kin.contains(&w[at..]))
    };
    if rest.any(|w| holds_kin(w) && !in_a_term(w)) {
        return true;
    }
    let c = n.compact.as_str();
    if let Some(at) = c.rfind('的') {
        if kin.contains(&c[at + '的'.len_utf8()..]) {
            return true;
        }
    }
    // "works at" as words of their own, with a word after them; one automaton pass, as most
    // names that reach here claim something and hold no work words.
    static LATIN_WORK: std::sync::OnceLock<AhoCorasick> = std::sync::OnceLock::new();
    let latin_work = LATIN_WORK.get_or_init(|| {
        AhoCorasick::new(
            super::words::name_work_words()
                .iter()
                .filter(|w| w.is_ascii()),
        )
        .expect("work words compile")
    });
    let words = n.words.as_str();
    if latin_work.find_overlapping_iter(words).any(|m| {
        (m.start() == 0 || words.as_bytes()[m.start() - 1] == b' ')
            && words[m.end()..].starts_with(' ')
    }) {
        return true;
    }
    // "在" right before a matched name, a work word after it.
    c.contains('在')
        && super::words::name_work_words().iter().any(|&w| {
            !w.is_ascii()
                && c.contains(w)
                && out.iter().any(|m| {
                    let term = Normalised::new(&m.term).compact;
                    c.match_indices(term.as_str())
                        .any(|(at, _)| c[..at].ends_with('在') && c[at + term.len()..].contains(w))
                })
        })
}

/// Whether the display name is a relative's or an acquaintance's, saved by who they are: its
/// first word is a word of `data/name_kin.txt` ("老爸", "二叔", "表妹", "Dad", "Cousin") or
/// `data/name_acquaintances.txt` ("老同学", "邻居", "Neighbour") and more words follow, which then
/// say who that person is or where they work ("老爸(警察)", "表姐-银行", "Cousin Dan (FedEx)",
/// "老同学 交警 小王"). Such a name presents someone known, so a job in it is no claim to be the
/// body; a stranger's "公安局", a rank ("张警官") or a staff name with a brand ("客服小王")
/// still is.
fn names_a_relative(n: &Normalised) -> bool {
    // The words form has single spaces between words: a second word follows the first space.
    let words = n.words.trim_matches(' ');
    let Some(end) = words.find(' ') else {
        return false;
    };
    let first = &words[..end];
    kin_or_acquaintance().contains(first)
}

/// The words that present a person by who they are to the user: kinship (`data/name_kin.txt`)
/// and acquaintance (`data/name_acquaintances.txt`) words, one set for every check that reads them.
fn kin_or_acquaintance() -> &'static rustc_hash::FxHashSet<&'static str> {
    static KIN: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    KIN.get_or_init(|| {
        super::words::name_kin()
            .iter()
            .chain(super::words::name_acquaintances())
            .copied()
            .collect()
    })
}

/// Whether the display name is a group's, a club's or an outing's named after a product or a
/// brand: it ends with a word of `data/name_groups.txt` ("Netflix & chill crew", "微信读书打卡群")
/// that is not the end of the body's own name ("Geek Squad", "Nationwide Building Society"),
/// holds no desk or service word ("微信客服群" claims), and no body found in it is an office
/// ("公安局反诈群", "反诈中心群" claim).
fn names_a_group(n: &Normalised, out: &[IdentityMatch]) -> bool {
    let words = n.words.trim_matches(' ');
    let last = words.rsplit(' ').next().unwrap_or(words);
    let c = n.compact.as_str();
    let listed = |w: &&str| {
        if w.is_ascii() {
            words.split(' ').any(|x| x == *w)
        } else {
            c.contains(*w)
        }
    };
    // A last word of the body's own name ("Nationwide Building Society") is not a group's.
    static GROUPS: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    let groups = GROUPS.get_or_init(|| super::words::name_groups().iter().copied().collect());
    // Looked up, not searched: the last word, or the compact name's last one to five
    // characters (the longest Chinese group word has three).
    let ends = if groups.contains(last) && last.is_ascii() {
        !out.iter().any(|m| m.term.to_lowercase().ends_with(last))
    } else {
        c.char_indices()
            .rev()
            .take(5)
            .any(|(at, _)| groups.contains(&c[at..]) && !c[at..].is_ascii())
    };
    ends && !super::words::name_desks().iter().any(&listed)
        && !super::words::name_service_words().iter().any(&listed)
        && !out.iter().any(|m| {
            let term = Normalised::new(&m.term).compact;
            term.ends_with(|ch: char| OFFICE_ENDINGS.contains(ch)) || term.ends_with("中心")
        })
}

/// Whether a word of `data/name_former.txt` ("ex", "former", "退休") comes right before the
/// protected name at byte `start` of the compact name, whose words form is `plain`: the body
/// is someone's past workplace ("Ex-Barclays lot", "退休警察老张"), not the caller.
fn former_precedes(n: &Normalised, start: usize, plain: &str) -> bool {
    let before = &n.compact[..start];
    !before.is_empty()
        && super::words::name_former().iter().any(|&w| {
            before.ends_with(w)
                && (!w.is_ascii() || {
                    // A Latin word must be a word of its own ("Apex" is not "ex").
                    let first = plain.split(' ').next().unwrap_or(plain);
                    n.words.contains(&format!(" {w} {first}"))
                })
        })
}

/// Whether a word of `data/name_settings.txt` starts at byte `at` of `compact`.
fn setting_follows(compact: &str, at: usize) -> bool {
    static SETTINGS: std::sync::OnceLock<AhoCorasick> = std::sync::OnceLock::new();
    let settings = SETTINGS.get_or_init(|| {
        AhoCorasickBuilder::new()
            .start_kind(aho_corasick::StartKind::Anchored)
            .build(
                super::words::name_settings()
                    .iter()
                    .map(|w| Normalised::new(w).compact),
            )
            .expect("setting words compile")
    });
    at < compact.len()
        && settings
            .find(
                aho_corasick::Input::new(compact)
                    .range(at..)
                    .anchored(aho_corasick::Anchored::Yes),
            )
            .is_some()
}

/// Whether `compact[start..end]`, two Chinese characters, is the given name of a whole name
/// that starts with a common surname ("张建行"), and not a rank or an office.
fn is_given_name(compact: &str, start: usize, end: usize) -> bool {
    let Some(first) = compact.chars().next() else {
        return false;
    };
    let given = &compact[start..end];
    start == first.len_utf8()
        && end == compact.len()
        && given.chars().count() == 2
        && given.chars().all(text::is_cjk)
        && surnames().contains(&first)
        && !given.ends_with(|c: char| OFFICE_ENDINGS.contains(c))
}

/// The innocent phrases (`data/name_innocent.txt`): a matcher over their compact forms, and
/// for each its words form and its look-alike key.
struct Innocent {
    compact: AhoCorasick,
    words: Vec<String>,
    latin: Vec<String>,
}

fn innocent() -> &'static Innocent {
    static INNOCENT: std::sync::OnceLock<Innocent> = std::sync::OnceLock::new();
    INNOCENT.get_or_init(|| {
        let phrases = super::words::name_innocent();
        let forms: Vec<Normalised> = phrases.iter().map(|p| Normalised::new(p)).collect();
        Innocent {
            compact: AhoCorasickBuilder::new()
                .build(forms.iter().map(|f| &f.compact))
                .expect("innocent phrases compile"),
            words: forms.iter().map(|f| f.words.trim().to_string()).collect(),
            latin: phrases.iter().map(|p| latin_key(p)).collect(),
        }
    })
}

/// `n` with the innocent phrases it holds blanked out of its compact and words views, and the
/// look-alike keys to blank out of the raw name's, or `None` when it holds none.
fn mask_innocent(n: &Normalised) -> Option<(Normalised, Vec<&'static str>)> {
    let inn = innocent();
    let hits: Vec<_> = inn.compact.find_overlapping_iter(&n.compact).collect();
    if hits.is_empty() {
        return None;
    }
    let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start(), h.end())).collect();
    let forms = hits
        .iter()
        .map(|h| inn.words[h.pattern().as_usize()].as_str());
    let keys = hits
        .iter()
        .map(|h| inn.latin[h.pattern().as_usize()].as_str())
        .collect();
    Some((blank(n, &spans, forms), keys))
}

/// `n` with the byte spans `spans` of its compact view blanked to a space, and the words forms
/// `words` blanked out of its words view.
fn blank<'a>(
    n: &Normalised,
    spans: &[(usize, usize)],
    words: impl Iterator<Item = &'a str>,
) -> Normalised {
    let mut covered = vec![false; n.compact.len()];
    for &(start, end) in spans {
        covered[start..end].iter_mut().for_each(|c| *c = true);
    }
    let mut compact = String::with_capacity(n.compact.len());
    for (at, c) in n.compact.char_indices() {
        if !covered[at] {
            compact.push(c);
        } else if !compact.ends_with(' ') {
            compact.push(' ');
        }
    }
    let mut blanked = n.words.clone();
    for w in words.filter(|w| !w.is_empty()) {
        blanked = blanked.replace(w, " ");
    }
    Normalised {
        compact,
        words: blanked,
        ..n.clone()
    }
}

/// What the plain pass of a display name passed over as part of something else: the terms'
/// spans and patterns (`(start, end, pattern)`), and the identities of the short names.
type PassedOver<'a> = (&'a mut Vec<(usize, usize, usize)>, &'a mut Vec<usize>);

fn push(out: &mut Vec<IdentityMatch>, p: &Pattern, kind: MatchKind) {
    if !out
        .iter()
        .any(|m| m.index == p.identity && m.term == p.term)
    {
        out.push(IdentityMatch {
            index: p.identity,
            term: p.term.clone(),
            kind,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> IdentityIndex {
        IdentityIndex::from_toml(BUILTIN, "identities.toml").unwrap()
    }

    fn claim(idx: &IdentityIndex, name: &str) -> Option<(String, MatchKind)> {
        let n = Normalised::new(name);
        idx.match_name(&n, name)
            .first()
            .map(|m| (idx.get(m.index).category.clone(), m.kind))
    }

    /// The id of the body a display name claims first.
    fn claimed_id<'a>(idx: &'a IdentityIndex, name: &str) -> Option<&'a str> {
        let n = Normalised::new(name);
        idx.match_name(&n, name)
            .first()
            .map(|m| idx.get(m.index).id.as_str())
    }

    #[test]
    fn the_builtin_lexicon_is_large_and_valid() {
        let idx = index();
        assert!(idx.len() >= 150, "{} identities", idx.len());
        for locale in Locale::ALL {
            for idt in idx.identities() {
                assert!(!idt.name_in(locale).is_empty());
            }
        }
    }

    #[test]
    fn finds_plain_claims() {
        let idx = index();
        assert_eq!(claim(&idx, "厦门市公安局").unwrap().0, "police");
        assert_eq!(claim(&idx, "XX市公安局-王警官").unwrap().0, "police");
        assert_eq!(claim(&idx, "国家反诈中心").unwrap().0, "anti_fraud");
        assert_eq!(claim(&idx, "微信客服").unwrap().1, MatchKind::Direct);
        assert_eq!(claim(&idx, "Metropolitan Police").unwrap().0, "police");
        assert!(claim(&idx, "王建国").is_none());
        assert!(
            claim(&idx, "Zheng Jianhui").is_none(),
            "a person's name in pinyin is not 证监会"
        );
        assert!(claim(&idx, "Guo Anju").is_none());
        for innocent in [
            "公安大学同学群",
            "police fan",
            "Chase Lane Vet",
            "海关路小吃街",
        ] {
            assert!(claim(&idx, innocent).is_none(), "{innocent}");
        }
        // A claim beside an innocent phrase still counts.
        assert_eq!(claim(&idx, "公安大学 公安局").unwrap().0, "police");
        assert!(claim(&idx, "Mom").is_none());
        assert!(claim(&idx, "").is_none());
    }

    #[test]
    fn sees_through_disguises() {
        let idx = index();
        for name in ["公 安 局", "公-安-局", "公安⭐局", "公·安·局"] {
            let (cat, kind) = claim(&idx, name).unwrap_or_else(|| panic!("{name:?} not matched"));
            assert_eq!(cat, "police", "{name:?}");
            assert_eq!(kind, MatchKind::Separated, "{name:?}");
        }
        // Invisible characters are stripped before matching; the name detector reports them.
        for name in ["公\u{200b}安局", "反\u{202e}诈中心"] {
            assert!(claim(&idx, name).is_some(), "{name:?} not matched");
        }
        assert_eq!(claim(&idx, "廣州市公安局").unwrap().0, "police");
        assert_eq!(claim(&idx, "ＧＯＮＧＡＮＪＵ").unwrap().0, "police");
        assert!(matches!(
            claim(&idx, "gonganju").unwrap().1,
            MatchKind::Direct | MatchKind::Pinyin
        ));
        assert_eq!(
            claim(&idx, "公按局").unwrap(),
            ("police".into(), MatchKind::Homophone)
        );
        assert_eq!(
            claim(&idx, "\u{0420}\u{043e}lice").unwrap(),
            ("police".into(), MatchKind::LookAlike)
        );
        assert_eq!(
            claim(&idx, "p0lice").unwrap(),
            ("police".into(), MatchKind::LookAlike)
        );
        assert_eq!(
            claim(&idx, "PayPaI").unwrap(),
            ("payment".into(), MatchKind::LookAlike)
        );
        assert_eq!(claim(&idx, "1R5").unwrap().1, MatchKind::LookAlike);
        assert_eq!(claim(&idx, "反zha中心").unwrap().0, "anti_fraud");
        assert_eq!(claim(&idx, "EMS快递").unwrap().0, "courier");
        assert!(claim(&idx, "英语Amy老师").is_none());
    }

    #[test]
    fn reads_two_character_names_half_spelt_in_pinyin() {
        let idx = index();
        for (name, category) in [
            ("刑jing", "police"),
            ("网jing", "police"),
            ("李jing官", "police"),
            ("抖yin官方", "platform"),
            ("菜鸟客fu", "generic_role"),
            ("中通ke服", "generic_role"),
        ] {
            let (cat, kind) = claim(&idx, name).unwrap_or_else(|| panic!("{name:?} not matched"));
            assert_eq!(cat, category, "{name:?}");
            assert_eq!(kind, MatchKind::Homophone, "{name:?}");
        }
        // A person's surname with the given name in pinyin, a sound-alike person's name, and
        // pinyin both ways are names, not claims.
        for name in [
            "邢jing",
            "王jing",
            "王晶",
            "李xingjing",
            "张Wei",
            "Li Jing",
            "王jing88",
        ] {
            assert!(claim(&idx, name).is_none(), "{name:?}");
        }
    }

    #[test]
    fn a_person_who_sounds_like_a_body_is_a_person() {
        let idx = index();
        for name in ["王安居", "郭安居", "龚安居"] {
            assert!(claim(&idx, name).is_none(), "{name:?}");
        }
        // The body's own first character, or a name longer than a person's, is still a claim.
        for name in ["网安菊", "公按局", "王安居网警"] {
            assert!(claim(&idx, name).is_some(), "{name:?}");
        }
    }

    #[test]
    fn knows_the_wider_bodies() {
        let idx = index();
        for (name, id) in [
            ("中信信用卡", "cn_citic"),
            ("广发卡中心", "cn_cgb"),
            ("多多支付", "cn_pinduoduo"),
            ("短信报警12110", "cn_12110"),
            ("住房公积金", "cn_housing_fund"),
            ("gongjijin", "cn_housing_fund"),
            ("人保财险", "cn_picc"),
            ("US Customs", "us_cbp"),
            ("Canada Border Services Agency", "ca_cbsa"),
            ("CRA", "ca_cra"),
            ("Australian Taxation Office", "au_ato"),
            ("Europol", "intl_europol"),
            ("Norton Support", "intl_norton"),
            ("Australia Post", "au_australia_post"),
            ("Delta Air Lines", "us_delta"),
        ] {
            assert_eq!(claimed_id(&idx, name), Some(id), "{name:?}");
        }
        // Everyday words and people's names beside the new brands stay quiet.
        for name in [
            "Ed Norton",
            "Delta Jones",
            "Ato Mensah",
            "Basic Bob",
            "Gazelle Fitness",
            "Home Office Dad",
            "Gong Jijin",
            "阳光小区业主群",
            "中信广场保安",
        ] {
            assert!(claim(&idx, name).is_none(), "{name:?}");
        }
    }

    #[test]
    fn each_name_and_number_belongs_to_one_body() {
        let idx = index();
        let mut owner: HashMap<String, &str> = HashMap::default();
        let mut twice = Vec::new();
        for idt in idx.identities() {
            let names = idt.terms().chain(&idt.exact).map(|t| text::compact(t));
            let numbers = idt.numbers.iter().map(|n| format!("#{}", digits_of(n)));
            let mut own: Vec<String> = names.chain(numbers).collect();
            own.sort();
            own.dedup();
            for key in own {
                if let Some(first) = owner.insert(key.clone(), &idt.id) {
                    twice.push(format!("{key}: {first} and {}", idt.id));
                }
            }
        }
        assert!(twice.is_empty(), "listed twice: {twice:#?}");
    }

    #[test]
    fn a_protected_word_in_a_place_a_group_or_a_person_is_not_a_claim() {
        let idx = index();
        for name in [
            "公安县老乡群",
            "公安县美食",
            "海关新村菜市场",
            "交通银行旁奶茶店",
            "警察故事影迷",
            "税务局公交站",
            "张建行",
            "李京东",
            "Police Tribute Band",
            "The Police fans",
            "Amazonas Grill",
            "Amazona Parrot Rescue",
            "Chase Banks",
        ] {
            assert!(claim(&idx, name).is_none(), "{name:?}");
        }
        for name in [
            "公安县公安局",
            "张警官",
            "李法官",
            "海关缉私局",
            "交通银行客服",
            "AmazonSupport",
            "Amazon Security",
            "Police Department",
        ] {
            assert!(claim(&idx, name).is_some(), "{name:?}");
        }
    }

    #[test]
    fn reads_pinyin_titles_and_sound_alikes_that_no_person_writes() {
        let idx = index();
        for (name, id) in [
            ("jinrong jianguan", "cn_nfra"),
            ("huabei kefu", "cn_ant_group"),
            ("ＨＵＡＢＥＩ　ＫＥＦＵ", "cn_ant_group"),
            ("ＦＡＮＺＨＡ　ＣＥＮＴＥＲ", "cn_anti_fraud_center"),
            ("wang jing 110", "cn_cyber_police"),
            ("Officer Smith", "intl_police"),
            ("Ｏｆｆｉｃｅｒ　Ｓｍｉｔｈ", "intl_police"),
            ("Apple 支援", "intl_apple"),
            ("Microsoft客服", "intl_microsoft"),
            ("菜鸟客福", "cn_cainiao"),
            ("ICA Singapore", "sg_ica"),
        ] {
            assert_eq!(claimed_id(&idx, name), Some(id), "{name:?}");
        }
        for name in [
            "Zheng Jianhui",
            "Hua Bei",
            "Fan Zha",
            "Wang Jing 1990",
            "ＷＡＮＧ　ＪＩＮＧ",
            "Officer",
            "Monica Singapore",
            "菜鸟小王",
            "平安是福",
        ] {
            assert!(claim(&idx, name).is_none(), "{name:?}");
        }
        // A loan officer is the lender's role, not the police.
        assert_eq!(claim(&idx, "Loan Officer Jane").unwrap().0, "generic_role");
    }

    #[test]
    fn a_relative_saved_with_a_job_is_not_a_claim() {
        let idx = index();
        for name in [
            "老爸(警察)",
            "姐夫-交警",
            "舅舅（法官）",
            "二叔-建行",
            "表妹 顺丰",
            "小姨 公安局",
            "Dad (police)",
            "Mum (NHS)",
            "Cousin Dan (FedEx)",
            "Uncle Raj - HMRC",
        ] {
            assert!(claim(&idx, name).is_none(), "{name:?}");
        }
        // A stranger's body, a rank, a staff name with a brand, and the words said to
        // strangers ("警察叔叔", "客服小姐姐") still claim; so does a kinship word inside a
        // longer first word.
        for name in [
            "公安局",
            "Police Department",
            "张警官",
            "Dan (FedEx)",
            "警察叔叔",
            "淘宝客服小姐姐",
            "叔叔 公安局",
            "爸爸公安局",
        ] {
            assert!(claim(&idx, name).is_some(), "{name:?}");
        }
    }

    #[test]
    fn a_bodys_building_staff_life_and_former_staff_are_not_claims() {
        let idx = index();
        for name in [
            "海关大楼食堂",
            "法院宿舍群",
            "税务局退休干部群",
            "刑侦剧追剧群",
            "反诈宣传志愿者群",
            "美团跑腿小哥",
            "退休警察老张",
            "HMRC leavers drinks",
            "Ex-Barclays lot",
            "Former HMRC colleagues",
            "Police Football Club",
            "NHS leavers do",
            "ＮＨＳ　ｌｅａｖｅｒｓ　ｄｏ",
            "Ex-IRS",
        ] {
            assert!(claim(&idx, name).is_none(), "{name:?}");
        }
        for name in [
            "海关缉私局",
            "HMRC",
            "Barclays Fraud Team",
            "Apex Police",
            "NHS",
            "IRS Agent",
        ] {
            assert!(claim(&idx, name).is_some(), "{name:?}");
        }
    }

    #[test]
    fn knows_ministry_bureaux_district_police_units_and_malaysia_and_singapore() {
        let idx = index();
        // A bureau after its ministry claims one or the other: both are the state.
        for (name, ids) in [
            ("衛福部健保署", &["tw_mohw", "tw_nhia"][..]),
            ("財政部國稅局", &["tw_mof", "tw_ntb"]),
            ("內政部移民署", &["tw_moi", "tw_immigration"]),
            ("內政部警政署", &["tw_npa"]),
            ("法務部調查局", &["tw_mjib"]),
            ("法務部行政執行署", &["tw_moj"]),
            ("法務部矯正署", &["tw_moj"]),
            ("勞動部勞保局", &["tw_mol"]),
            ("經濟部標準檢驗局", &["tw_moea"]),
            ("經濟部商業司", &["tw_moea"]),
            ("交通部公路局監理站", &["tw_motc"]),
            ("朝阳分局治安大队", &["cn_police"]),
            ("海淀分局", &["cn_police"]),
            ("禁毒支队李警官", &["cn_police"]),
            ("Polis Diraja Malaysia", &["my_pdrm"]),
            ("PDRM Bukit Aman", &["my_pdrm"]),
            ("Bank Negara Malaysia", &["my_bnm"]),
            ("LHDN", &["my_lhdn"]),
            ("Kastam Diraja Malaysia", &["my_customs"]),
            ("MAS Singapore", &["sg_mas"]),
            ("IRAS", &["sg_iras"]),
            ("CPF Board", &["sg_cpf"]),
            ("SPF", &["sg_police"]),
        ] {
            let id = claimed_id(&idx, name);
            assert!(id.is_some_and(|id| ids.contains(&id)), "{name:?}: {id:?}");
        }
        // A ministry's short name alone signs its notices, or is a company's legal department.
        for name in [
            "法务部小王",
            "法務部 Amy",
            "法务部",
            "经济部李记者",
            "財政部",
            "衛福部",
            "Mas Ayu",
            "Iris Tan",
        ] {
            assert!(claim(&idx, name).is_none(), "{name:?}");
        }
    }

    #[test]
    fn a_person_described_by_their_workplace_or_a_group_named_after_a_brand_is_not_a_claim() {
        let idx = index();
        for name in [
            "在招行上班的表姐",
            "在工商银行工作的舅舅",
            "张姐(在税务局上班)",
            "李哥（在海关实习）",
            "公安局的老同学",
            "阿强-顺丰快递员(邻居)",
            "老周-交警(初中同学)",
            "Kim - works at HSBC",
            "Raj works for Barclays",
            "my cousin at the police",
            "Tom (FedEx driver, neighbour)",
            "Lucy (PayPal colleague)",
            "Netflix & chill crew",
            "Spotify playlist club",
            "PayPal weekend trip",
            "Amazon book club",
            "微信读书打卡群",
            "微信运动排行群",
            "支付宝集五福群",
            "支付宝蚂蚁庄园互助",
            "抖音博主阿May",
            "反诈知识竞赛小组",
        ] {
            assert!(claim(&idx, name).is_none(), "{name:?}");
        }
        // A stranger's desk, an office, a desk word in a group's name, and a kinship word of
        // the body's own name still claim.
        for name in [
            "招商银行客服",
            "HSBC Fraud Team",
            "微信客服群",
            "支付宝退款群",
            "公安局反诈群",
            "反诈中心群",
            "Geek Squad",
            "MOM Singapore",
            "Singapore MOM",
            "Police Department",
            "在线客服",
        ] {
            assert!(claim(&idx, name).is_some(), "{name:?}");
        }
    }

    #[test]
    fn finds_city_pinyin_near_misses_desks_and_the_wider_brands() {
        let idx = index();
        let missed = [
            ("HangzhouGongan", "cn_police"),
            ("Hangzhou Gong An", "cn_police"),
            ("Shenzhen Gongan", "cn_police"),
            ("ShanghaiFayuan", "cn_court"),
            ("N·a·n·j·i·n·g·G·o·n·g·a·n", "cn_police"),
            ("AVG Renewal", "intl_avg"),
            ("建没银行", "cn_ccb"),
            ("招商很行", "cn_cmb"),
            ("工商银杭", "cn_icbc"),
            ("圆通理赔部", "cn_yto"),
            ("中通理赔中心", "cn_zto"),
            ("航班改签中心", "cn_airline_service"),
            ("Flight Change Centre", "cn_airline_service"),
            ("司警", "mo_judiciary_police"),
            ("澳門司法警察局", "mo_judiciary_police"),
            ("领事保护中心", "cn_consular_protection"),
            ("Norton Renewal", "intl_norton"),
            ("Norton Billing", "intl_norton"),
            ("McAfee Renewal", "intl_mcafee"),
            ("Disney+ Support", "intl_disney_plus"),
            ("Revolut Support", "intl_revolut"),
            ("Vodafone", "intl_vodafone"),
            ("Telstra Billing", "au_telstra"),
        ]
        .into_iter()
        .filter(|&(name, id)| claimed_id(&idx, name) != Some(id))
        .map(|(name, _)| (name, claimed_id(&idx, name)))
        .collect::<Vec<_>>();
        assert!(missed.is_empty(), "{missed:?}");
        // People, a place's own names and other phrases stay clean: bare pinyin, a person
        // saved with a city after the name, a first or last character changed, two changed.
        let wrong: Vec<_> = [
            "Gong An",
            "Hangzhou Lily",
            "Hangzhou Hotpot House",
            "韩国电信",
            "中国电影",
            "工商管理",
            "建设新村",
            "招商证券",
            "圆通寺",
            "Walt Disney",
            "Norton Smith",
            "Orange Juice Bar",
            "Starling murmuration",
            "Chime Bells",
        ]
        .into_iter()
        .filter(|name| claim(&idx, name).is_some())
        .collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn finds_brand_slips_city_short_forms_and_the_hong_kong_and_taiwan_bodies() {
        let idx = index();
        let missed: Vec<_> = [
            ("Netflx Support", "intl_netflix"),
            ("Barlcays Bank", "uk_barclays"),
            ("Microsfot Support", "intl_microsoft"),
            ("Amazn", "intl_amazon"),
            ("Amazonn Refunds", "intl_amazon"),
            ("SZ-Gongan", "cn_police"),
            ("BJfayuan", "cn_court"),
            ("GZjingcha", "cn_police"),
            ("玉山銀行客服", "tw_esun_bank"),
            ("恆生銀行", "hk_hang_seng_bank"),
            ("中華電信客服", "tw_chunghwa_telecom"),
            ("強積金管理局", "hk_mpfa"),
            ("SmarTone 客服", "hk_smartone"),
            ("ATO Refunds", "au_ato"),
            ("Australian Tax Office", "au_ato"),
            ("EE Refunds", "uk_ee"),
            ("Unpaid Tolls", "intl_toll_services"),
            ("Antivirus Renewal", "intl_antivirus_renewal"),
        ]
        .into_iter()
        .filter(|&(name, id)| claimed_id(&idx, name) != Some(id))
        .map(|(name, _)| (name, claimed_id(&idx, name)))
        .collect();
        assert!(missed.is_empty(), "{missed:?}");
        // Ordinary words one slip from a short brand, another first letter, a slip among a
        // person's words, a person saved with their job, a building, a staff body, a team.
        let wrong: Vec<_> = [
            "Appel",
            "Morton",
            "Nortin Smith",
            "Gong An",
            "SZ Lily",
            "玉山",
            "Smart One Tutoring",
            "Ato Mensah",
            "EE",
            "Jo the DHL courier",
            "Kate our Barclays manager",
            "邻居 交警 老赵",
            "Crown Court Residences",
            "Police Benevolent Fund",
            "HSBC Staff Association",
            "DHL bowling league",
            "Amazon 5-a-side",
        ]
        .into_iter()
        .filter(|name| claim(&idx, name).is_some())
        .collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn a_long_service_number_beside_words_names_its_owner() {
        let idx = index();
        for (name, yes) in [
            ("12315投诉中心", true),
            ("95511平安", true),
            ("10000号", true),
            ("12306 退票", true),
            ("12345热线", true),
            ("市民热线12345", true),
            ("12345 hotline", true),
            ("Tom 12345", false),
            ("12345 Tom", false),
            ("Lily12345", false),
            ("Room 110 study group", false),
            ("宿舍110", false),
        ] {
            let n = Normalised::new(name);
            let named = idx
                .service_number(&n)
                .is_some_and(|sn| sn.names_its_owner(&n));
            assert_eq!(named, yes, "{name:?}");
        }
    }

    #[test]
    fn finds_service_numbers() {
        let idx = index();
        for (name, num) in [
            ("110", "110"),
            ("0731-110", "110"),
            ("+86 96110", "96110"),
            ("１１０", "110"),
            ("0755110", "110"),
            ("95588", "95588"),
        ] {
            let sn = idx
                .service_number(&Normalised::new(name))
                .unwrap_or_else(|| panic!("{name}"));
            assert_eq!(sn.number, num);
        }
        assert!(idx
            .service_number(&Normalised::new("+1 213 555 0147"))
            .is_none());
        assert!(idx.service_number(&Normalised::new("王建国")).is_none());
    }

    #[test]
    fn reports_bad_entries() {
        let bad = r#"
            [[identity]]
            id = "Bad Id"
            category = "wizards"
            tier = "A"
            region = "CN"
            variants = ["---"]
            numbers = ["1"]
            callback = { source = "" }
        "#;
        let err = IdentityIndex::from_toml(bad, "bad.toml").unwrap_err();
        let LexiconError::Invalid { problems, .. } = err else {
            panic!()
        };
        assert_eq!(problems.len(), 7, "{problems:#?}");
        let err = IdentityIndex::from_toml("[[identity]]\nid = 5", "bad.toml").unwrap_err();
        assert!(matches!(err, LexiconError::Syntax { .. }));
    }
}
