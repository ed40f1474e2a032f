//! Feature extraction: the hashed n-grams and the few dense features the classifier reads.
//!
//! Everything is computed from the engine's [`Normalised`] view, so that the classifier sees
//! the same text the rules see (full-width folded, traditional → simplified, invisible
//! characters gone):
//!
//! - **CJK n-grams**: character 1-, 2- and 3-grams of every run of ideographs in `compact`.
//!   Chinese has no spaces, and `compact` also drops the separators that scammers insert
//!   ("公-安-局"), so a run of ideographs is the natural unit.
//! - **Latin words**: each non-CJK piece of a token of `words`, with ASCII digits folded to
//!   `0` so that "£1000" and "£2000" or two phone numbers share features. Unigrams, bigrams of
//!   neighbouring words, and character 3- to 5-grams of the word padded with `<` and `>`, which
//!   survive misspellings, inflections and txt-speak ("pls", "urgnt").
//! - **Dense features**: whether the text has a link, whether it names a currency, its share
//!   of digits, its length bucket and its main script: weak cues that no n-gram carries.
//!
//! Each feature is hashed (FNV-1a with a per-kind seed, then a multiply-shift finaliser) into
//! `2^bits` buckets. Extraction never allocates: a word is padded and digit-folded in a stack
//! buffer, and features are handed to a [`Sink`] one at a time. The sink also receives the
//! feature's place in the text ([`Origin`]), which the hot path ignores and the explanation
//! uses to name the words behind a score.

use crate::text::{is_cjk, Normalised};
use serde::{Deserialize, Serialize};

/// Version of the feature scheme. A model file records the version it was trained with; a
/// change to anything in this module that moves a feature to another bucket must bump it.
pub const FEATURE_VERSION: u32 = 1;

/// How often an n-gram occurs in a text turns into its value, before the text's vector is
/// scaled to unit length.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tf {
    /// Each occurrence counts 1 (the scheme of the first models): value `count / sqrt(n)`
    /// with `n` the text's number of occurrences, which scoring sums as it hashes.
    #[default]
    Raw,
    /// Sublinear: `1 + ln(count)`, as scikit-learn's `sublinear_tf`.
    Log,
    /// Presence: 1 however often the n-gram occurs.
    Binary,
}

/// The options of the feature scheme, recorded in a model's header. The default is the
/// scheme every model was trained with before options existed, so a file without them scores
/// exactly as it always did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    /// How repeated n-grams of a text count.
    #[serde(default)]
    pub tf: Tf,
    /// Keep ASCII digits in words, bigrams and character n-grams as written instead of
    /// folding them to `0` (short codes such as "*141#" then stay apart).
    #[serde(default)]
    pub keep_digits: bool,
    /// Weigh each n-gram by its inverse document frequency in the training texts (stored
    /// per bucket in the model file) before the text's vector is scaled to unit length.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idf: bool,
    /// What is scaled to unit length: the text's whole vector, or each [`Family`] of n-grams
    /// on its own.
    #[serde(default, skip_serializing_if = "Norm::is_text")]
    pub norm: Norm,
}

/// What a text's sparse vector is scaled to unit length over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Norm {
    /// The whole vector: each occurrence is worth `1 / sqrt(n)` with `n` the text's n-grams
    /// (the scheme of every model before options existed). A Latin word brings about ten
    /// character n-grams, so word unigrams and bigrams carry a tenth of the vector's length.
    #[default]
    Text,
    /// Each family on its own (word unigrams and bigrams; character n-grams of words;
    /// ideograph n-grams), each occurrence worth `1 / sqrt(n_family)`: the weighting of
    /// scikit-learn's union of a word and a character vectoriser, where words and character
    /// n-grams each make up one unit of length.
    Families,
}

impl Norm {
    fn is_text(&self) -> bool {
        *self == Norm::Text
    }
}

/// The families of sparse n-grams that [`Norm::Families`] scales apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Family {
    /// Latin word unigrams and bigrams.
    Words = 0,
    /// Character 3–5-grams of Latin words.
    CharGrams = 1,
    /// Character 1–3-grams of ideograph runs.
    Ideographs = 2,
}

impl Family {
    /// The family whose `as u8` is `code` (2 or more: ideographs).
    pub fn from_code(code: u8) -> Family {
        match code {
            0 => Family::Words,
            1 => Family::CharGrams,
            _ => Family::Ideographs,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Scheme {
    /// Whether this is the scheme of models written before options existed.
    pub fn is_default(&self) -> bool {
        *self == Scheme::default()
    }

    /// Whether the scheme values a family of n-grams apart from the others.
    pub fn by_family(&self) -> bool {
        self.norm == Norm::Families
    }

    /// Whether a text's n-grams must be counted and valued together (by [`weigh`]) rather
    /// than summed one by one as they are hashed.
    pub fn weighted(&self) -> bool {
        self.tf != Tf::Raw || self.idf
    }
}

/// An IDF is stored per bucket as a `u8` in steps of this size (up to 15.9, which a smoothed
/// IDF reaches only past eight million training texts).
pub const IDF_STEP: f32 = 1.0 / 16.0;

/// The stored IDF of each bucket: `1 + ln((1 + n) / (1 + df))` as scikit-learn smooths it,
/// with `df` the number of the `n` training texts the bucket occurs in. A bucket no training
/// text has gets 0, so that (as an n-gram outside scikit-learn's vocabulary) it neither
/// scores nor counts in a text's length.
pub fn idf_table(df: &[u32], n: u32) -> Vec<u8> {
    df.iter()
        .map(|&d| {
            if d == 0 {
                return 0;
            }
            let idf = 1.0 + ((1.0 + n as f64) / (1.0 + d as f64)).ln();
            (idf / f64::from(IDF_STEP)).round().clamp(1.0, 255.0) as u8
        })
        .collect()
}

/// Where [`tagged`] puts a bucket's [`Family`], above every bucket bit.
const FAMILY_SHIFT: u32 = 28;

/// `bucket` tagged with its family for [`weigh`] under [`Norm::Families`] (the same bucket
/// reached from two families is then two entries, each scaled with its own family).
#[inline]
pub fn tagged(bucket: u32, family: Family) -> u32 {
    bucket | (family as u32) << FAMILY_SHIFT
}

/// The bucket of a [`tagged`] (or untagged) entry.
#[inline]
pub fn untagged(entry: u32) -> u32 {
    entry & ((1 << FAMILY_SHIFT) - 1)
}

/// The sparse buckets of one text (in any order, repeats included), as `(entry, value)`
/// pairs sorted by entry, valued by `tf` (times the bucket's stored IDF when `idf` is given;
/// buckets whose IDF is 0 are left out) and scaled to unit length: over the whole text, or,
/// when the entries are [`tagged`], over each family apart (the entries stay tagged; read
/// their bucket with [`untagged`]). Training and scoring both go through here for every
/// [`Scheme::weighted`] scheme, so their values agree exactly.
pub fn weigh(buckets: &mut [u32], tf: Tf, idf: Option<&[u8]>, out: &mut Vec<(u32, f32)>) {
    out.clear();
    buckets.sort_unstable();
    let mut i = 0;
    while i < buckets.len() {
        let b = buckets[i];
        let mut j = i + 1;
        while j < buckets.len() && buckets[j] == b {
            j += 1;
        }
        let count = (j - i) as f32;
        let v = match tf {
            Tf::Raw => count,
            Tf::Log => 1.0 + count.ln(),
            Tf::Binary => 1.0,
        };
        match idf.map(|t| t[untagged(b) as usize]) {
            None => out.push((b, v)),
            Some(0) => {}
            Some(q) => out.push((b, v * f32::from(q) * IDF_STEP)),
        }
        i = j;
    }
    // Untagged entries all have family 0: one norm for the whole text.
    let mut norms = [0.0f32; 3];
    for p in out.iter() {
        norms[(p.0 >> FAMILY_SHIFT) as usize] += p.1 * p.1;
    }
    let norms = norms.map(f32::sqrt);
    for p in out.iter_mut() {
        let norm = norms[(p.0 >> FAMILY_SHIFT) as usize];
        if norm > 0.0 {
            p.1 /= norm;
        }
    }
}

/// Smallest number of hash bits a model may use.
pub const MIN_BITS: u32 = 16;
/// Largest number of hash bits a model may use.
pub const MAX_BITS: u32 = 24;

/// Longest Latin word, in bytes, whose character n-grams are taken; longer words (base64
/// blobs, run-together URLs) keep only their first bytes for n-grams.
const MAX_WORD_BYTES: usize = 48;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Feature families, each hashed from its own seed so that equal strings of different kinds
/// land in different buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    Cjk = b'C',
    Word = b'W',
    Bigram = b'B',
    CharGram = b'G',
    Dense = b'D',
}

/// FNV-1a over `bytes`, continuing from `h`.
#[inline(always)]
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

#[inline(always)]
fn seed(kind: Kind) -> u64 {
    fnv(FNV_OFFSET, &[kind as u8])
}

/// The bucket of a 64-bit hash. FNV's low bits mix poorly, so the top bits of a
/// multiply-shift are taken instead.
#[inline(always)]
fn bucket(h: u64, bits: u32) -> u32 {
    let h = (h ^ (h >> 31)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> (64 - bits)) as u32
}

/// The hash of `text` as a feature of kind `kind`, before bucketing. Exposed for tests of
/// hash stability.
pub fn feature_hash(kind: char, text: &str) -> u64 {
    fnv(seed_of(kind), text.as_bytes())
}

fn seed_of(kind: char) -> u64 {
    let mut b = [0u8; 4];
    fnv(FNV_OFFSET, kind.encode_utf8(&mut b).as_bytes())
}

/// Where a feature came from: byte offsets into one of the [`Normalised`] views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A CJK n-gram: `compact[start..end]`.
    Cjk {
        /// First byte.
        start: u32,
        /// One past the last byte.
        end: u32,
    },
    /// A Latin word: `words[start..end]`.
    Word {
        /// First byte.
        start: u32,
        /// One past the last byte.
        end: u32,
    },
    /// A character n-gram of the Latin word `words[start..end]`.
    CharGram {
        /// First byte of the word.
        start: u32,
        /// One past the last byte of the word.
        end: u32,
    },
    /// Two neighbouring Latin words: `words[start..end]`.
    Bigram {
        /// First byte of the first word.
        start: u32,
        /// One past the last byte of the second word.
        end: u32,
    },
}

impl Origin {
    /// The family of the n-gram.
    #[inline(always)]
    pub fn family(&self) -> Family {
        match self {
            Origin::Word { .. } | Origin::Bigram { .. } => Family::Words,
            Origin::CharGram { .. } => Family::CharGrams,
            Origin::Cjk { .. } => Family::Ideographs,
        }
    }
}

/// Receives features as they are found.
pub trait Sink {
    /// A sparse n-gram feature in `bucket`, found at `origin`. Its value is `1 / sqrt(n)`
    /// where `n` is the number of sparse features of the text.
    fn sparse(&mut self, bucket: u32, origin: Origin);
    /// A dense feature in `bucket`, with value 1.
    fn dense(&mut self, bucket: u32);
}

/// What extraction counted on the way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Sparse features emitted (the normaliser of their values).
    pub sparse: u32,
    /// Ideographs in the text.
    pub cjk_chars: u32,
    /// Letters of other scripts (Latin, Cyrillic, ...) in the text.
    pub letters: u32,
    /// Letters and digits in the text.
    pub alnum_chars: u32,
    /// Sparse features emitted per [`Family`] (they sum to `sparse`).
    pub families: [u32; 3],
}

impl Extracted {
    /// The value of each sparse feature: `1 / sqrt(n)`, so that long and short texts produce
    /// vectors of the same length.
    pub fn sparse_value(&self) -> f32 {
        if self.sparse == 0 {
            0.0
        } else {
            1.0 / (self.sparse as f32).sqrt()
        }
    }

    /// The value of each sparse feature of each [`Family`] under `norm`.
    pub fn family_values(&self, norm: Norm) -> [f32; 3] {
        match norm {
            Norm::Text => [self.sparse_value(); 3],
            Norm::Families => self
                .families
                .map(|n| if n == 0 { 0.0 } else { 1.0 / (n as f32).sqrt() }),
        }
    }

    /// Whether ideographs make up at least half of the letters (digits do not count: a
    /// Chinese text full of amounts and phone numbers is still Chinese).
    pub fn mostly_cjk(&self) -> bool {
        self.cjk_chars > 0 && self.cjk_chars >= self.letters
    }

    /// Which scripts a model must know to read the text: (ideographs, other letters), each
    /// needed when it makes up at least a fifth of the letters. A text of digits alone needs
    /// neither (and no model reads it).
    pub fn needs(&self) -> (bool, bool) {
        let all = self.cjk_chars + self.letters;
        (
            self.cjk_chars > 0 && self.cjk_chars * 5 >= all,
            self.letters > 0 && self.letters * 5 >= all,
        )
    }
}

/// Counts ideographs and other letters of `compact` without extracting anything: a cheap
/// first look that lets a model trained on one script skip texts in another.
pub fn script_mix(compact: &str) -> Extracted {
    let mut ex = Extracted::default();
    if compact.is_ascii() {
        ex.alnum_chars = compact.len() as u32;
        ex.letters = compact.bytes().filter(u8::is_ascii_alphabetic).count() as u32;
        return ex;
    }
    for c in compact.chars() {
        ex.alnum_chars += 1;
        if is_cjk(c) {
            ex.cjk_chars += 1;
        } else if !c.is_ascii_digit() {
            ex.letters += 1;
        }
    }
    ex
}

/// Extracts every feature of `n` into `sink` with the default [`Scheme`], hashing into
/// `2^bits` buckets.
pub fn extract<S: Sink>(n: &Normalised, bits: u32, sink: &mut S) -> Extracted {
    extract_with(n, bits, Scheme::default(), sink)
}

/// Extracts every feature of `n` into `sink` under `scheme`, hashing into `2^bits` buckets.
/// (The scheme's `tf` is applied by whoever sums the features: see [`weigh`].)
#[inline]
pub fn extract_with<S: Sink>(n: &Normalised, bits: u32, scheme: Scheme, sink: &mut S) -> Extracted {
    debug_assert!((MIN_BITS..=MAX_BITS).contains(&bits));
    let mut ex = Extracted::default();
    cjk_ngrams(&n.compact, bits, sink, &mut ex);
    let digits = if scheme.keep_digits {
        latin_words::<S, false>(&n.words, bits, sink, &mut ex)
    } else {
        latin_words::<S, true>(&n.words, bits, sink, &mut ex)
    };
    dense(n, bits, digits, sink, &ex);
    ex
}

/// Character 1–3-grams of each run of ideographs in `compact`; counts letters on the way.
#[inline]
fn cjk_ngrams<S: Sink>(compact: &str, bits: u32, sink: &mut S, ex: &mut Extracted) {
    if compact.is_ascii() {
        ex.alnum_chars += compact.len() as u32;
        return;
    }
    let s = seed(Kind::Cjk);
    let bytes = compact.as_bytes();
    // The n-grams ending at an ideograph extend those ending at the one before it, and FNV
    // extends to the right: so each ideograph's bytes are hashed three times (onto the seed,
    // the previous 1-gram and the previous 2-gram), not once per byte of every n-gram.
    // (start, hash) of the 1- and 2-gram ending at the previous ideograph of the run.
    let mut prev1: Option<(u32, u64)> = None;
    let mut prev2: Option<(u32, u64)> = None;
    for (at, c) in compact.char_indices() {
        ex.alnum_chars += 1;
        if !is_cjk(c) {
            prev1 = None;
            prev2 = None;
            continue;
        }
        ex.cjk_chars += 1;
        let (start, end) = (at as u32, (at + c.len_utf8()) as u32);
        let this = &bytes[start as usize..end as usize];
        let mut emit = |from: u32, h: u64| {
            sink.sparse(bucket(h, bits), Origin::Cjk { start: from, end });
            ex.sparse += 1;
            ex.families[Family::Ideographs as usize] += 1;
        };
        let h1 = fnv(s, this);
        emit(start, h1);
        let h2 = prev1.map(|(from, h)| (from, fnv(h, this)));
        if let Some((from, h)) = h2 {
            emit(from, h);
            if let Some((from, h)) = prev2 {
                emit(from, fnv(h, this));
            }
        }
        prev2 = h2;
        prev1 = Some((start, h1));
    }
}

/// Unigrams, bigrams and character 3–5-grams of the Latin (non-CJK) pieces of `words`, with
/// ASCII digits folded to `0` when `FOLD`. Returns how many ASCII digits the pieces held.
#[inline]
fn latin_words<S: Sink, const FOLD: bool>(
    words: &str,
    bits: u32,
    sink: &mut S,
    ex: &mut Extracted,
) -> u32 {
    let bytes = words.as_bytes();
    let mut digits = 0u32;
    // The previous word's hash and start, while the next piece is its neighbour.
    let mut prev: Option<(u64, u32)> = None;
    let mut i = 0usize;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let tok_end = bytes[i..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(bytes.len(), |p| i + p);
        let token = &words[i..tok_end];
        if token.is_ascii() {
            digits += latin_piece::<S, FOLD>(words, i, tok_end, bits, sink, ex, &mut prev);
        } else {
            // Split into CJK and non-CJK pieces; the CJK ones were covered from `compact`.
            let mut piece_start: Option<usize> = None;
            for (off, c) in token.char_indices() {
                let at = i + off;
                if is_cjk(c) {
                    if let Some(ps) = piece_start.take() {
                        digits += latin_piece::<S, FOLD>(words, ps, at, bits, sink, ex, &mut prev);
                    }
                    prev = None;
                } else if piece_start.is_none() {
                    piece_start = Some(at);
                }
            }
            if let Some(ps) = piece_start {
                digits += latin_piece::<S, FOLD>(words, ps, tok_end, bits, sink, ex, &mut prev);
            }
        }
        i = tok_end;
    }
    digits
}

/// One Latin word `words[start..end]`: its unigram, its bigram with the previous word and its
/// character n-grams. Returns its count of ASCII digits.
#[inline]
fn latin_piece<S: Sink, const FOLD: bool>(
    words: &str,
    start: usize,
    end: usize,
    bits: u32,
    sink: &mut S,
    ex: &mut Extracted,
    prev: &mut Option<(u64, u32)>,
) -> u32 {
    let word = &words.as_bytes()[start..end];
    // `<` + word with digits folded to `0` + `>`, in a stack buffer.
    let mut buf = [0u8; MAX_WORD_BYTES + 2];
    buf[0] = b'<';
    let mut len = 1usize;
    let mut digits = 0u32;
    let mut whole = seed(Kind::Word);
    for &b in word {
        let b = if b.is_ascii_digit() {
            digits += 1;
            if FOLD {
                b'0'
            } else {
                b
            }
        } else {
            b
        };
        whole = fnv(whole, &[b]);
        if len <= MAX_WORD_BYTES {
            buf[len] = b;
            len += 1;
        }
    }
    if !word.is_ascii() {
        // Count characters, not bytes; and if the word was cut, cut the n-gram buffer back to
        // a character boundary.
        let chars = std::str::from_utf8(word).map_or(0, |w| w.chars().count()) as u32;
        ex.letters += chars.saturating_sub(digits);
        let mut last = len - 1;
        while last > 1 && (buf[last] & 0xC0) == 0x80 {
            last -= 1;
        }
        if last + utf8_width(buf[last]) > len {
            len = last;
        }
    } else {
        ex.letters += word.len() as u32 - digits;
    }
    buf[len] = b'>';
    len += 1;

    let origin = Origin::Word {
        start: start as u32,
        end: end as u32,
    };
    sink.sparse(bucket(whole, bits), origin);
    ex.sparse += 1;
    ex.families[Family::Words as usize] += 1;
    if let Some((ph, pstart)) = *prev {
        let h = fnv(seed(Kind::Bigram), &ph.to_le_bytes());
        let h = fnv(h, &whole.to_le_bytes());
        sink.sparse(
            bucket(h, bits),
            Origin::Bigram {
                start: pstart,
                end: end as u32,
            },
        );
        ex.sparse += 1;
        ex.families[Family::Words as usize] += 1;
    }
    *prev = Some((whole, start as u32));

    // Character 3–5-grams of the padded word: from each character start, extend one character
    // at a time and emit at lengths 3, 4 and 5.
    let origin = Origin::CharGram {
        start: start as u32,
        end: end as u32,
    };
    let g = seed(Kind::CharGram);
    let buf = &buf[..len];
    if word.is_ascii() {
        // One byte, one character: the same hashes without decoding widths.
        let mut emitted = 0u32;
        for from in 0..len - 2 {
            let mut h = fnv(g, &buf[from..from + 3]);
            sink.sparse(bucket(h, bits), origin);
            emitted += 1;
            for &b in buf[from + 3..].iter().take(2) {
                h = fnv(h, &[b]);
                sink.sparse(bucket(h, bits), origin);
                emitted += 1;
            }
        }
        ex.sparse += emitted;
        ex.families[Family::CharGrams as usize] += emitted;
        return digits;
    }
    let mut from = 0usize;
    while from < len {
        let mut h = g;
        let mut at = from;
        let mut chars = 0;
        while at < len && chars < 5 {
            let w = utf8_width(buf[at]).min(len - at);
            h = fnv(h, &buf[at..at + w]);
            at += w;
            chars += 1;
            if chars >= 3 {
                sink.sparse(bucket(h, bits), origin);
                ex.sparse += 1;
                ex.families[Family::CharGrams as usize] += 1;
            }
        }
        if chars < 3 {
            break;
        }
        from += utf8_width(buf[from]);
    }
    digits
}

#[inline(always)]
fn utf8_width(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

/// Dense ids: group and value, hashed like any feature.
fn dense_feature<S: Sink>(group: u8, value: u8, bits: u32, sink: &mut S) {
    sink.dense(bucket(fnv(seed(Kind::Dense), &[group, value]), bits));
}

/// Whether the text holds a link ("://", "www.", ".com", ".ly/" or ".cn/") and whether it
/// names a currency (£ $ € ¥), in one pass over its bytes.
fn link_and_money(f: &[u8]) -> (bool, bool) {
    let (mut link, mut money) = (false, false);
    let next = |i: usize, s: &[u8]| f.get(i + 1..i + 1 + s.len()) == Some(s);
    for (i, &b) in f.iter().enumerate() {
        match b {
            b':' => link |= next(i, b"//"),
            b'w' => link |= next(i, b"ww."),
            b'.' => link |= next(i, b"com") || next(i, b"ly/") || next(i, b"cn/"),
            b'$' => money = true,
            // £ is C2 A3, ¥ is C2 A5, € is E2 82 AC.
            0xC2 => money |= next(i, &[0xA3]) || next(i, &[0xA5]),
            0xE2 => money |= next(i, &[0x82, 0xAC]),
            _ => {}
        }
        if link && money {
            break;
        }
    }
    (link, money)
}

/// The dense features: link, currency, digit share, length and script.
fn dense<S: Sink>(n: &Normalised, bits: u32, digits: u32, sink: &mut S, ex: &Extracted) {
    let (link, money) = link_and_money(n.folded.as_bytes());
    if link {
        dense_feature(b'L', 1, bits, sink);
    }
    if money {
        dense_feature(b'$', 1, bits, sink);
    }
    let alnum = ex.alnum_chars.max(1);
    let share = digits * 100 / alnum;
    let digit_bucket = match share {
        0 => 0,
        1..=5 => 1,
        6..=15 => 2,
        16..=30 => 3,
        _ => 4,
    };
    dense_feature(b'%', digit_bucket, bits, sink);
    let length_bucket = match ex.alnum_chars {
        0..=15 => 0,
        16..=40 => 1,
        41..=80 => 2,
        81..=160 => 3,
        161..=320 => 4,
        _ => 5,
    };
    dense_feature(b'#', length_bucket, bits, sink);
    let script = if ex.cjk_chars + ex.letters == 0 {
        0
    } else if ex.mostly_cjk() {
        1
    } else {
        2
    };
    dense_feature(b'S', script, bits, sink);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect {
        sparse: Vec<(u32, Origin)>,
        dense: Vec<u32>,
    }

    impl Sink for Collect {
        fn sparse(&mut self, bucket: u32, origin: Origin) {
            self.sparse.push((bucket, origin));
        }
        fn dense(&mut self, bucket: u32) {
            self.dense.push(bucket);
        }
    }

    fn collect(text: &str) -> (Normalised, Collect, Extracted) {
        let n = Normalised::new(text);
        let mut c = Collect::default();
        let ex = extract(&n, 20, &mut c);
        (n, c, ex)
    }

    fn texts(n: &Normalised, c: &Collect) -> Vec<String> {
        c.sparse
            .iter()
            .map(|(_, o)| match *o {
                Origin::Cjk { start, end } => n.compact[start as usize..end as usize].to_string(),
                Origin::Word { start, end }
                | Origin::CharGram { start, end }
                | Origin::Bigram { start, end } => {
                    n.words[start as usize..end as usize].to_string()
                }
            })
            .collect()
    }

    #[test]
    fn hashing_is_stable() {
        // Pinned values: a change here silently invalidates every trained model, so it must
        // come with a bump of FEATURE_VERSION.
        assert_eq!(fnv(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv(FNV_OFFSET, b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(feature_hash('W', "free"), fnv(seed(Kind::Word), b"free"));
        assert_eq!(bucket(feature_hash('W', "free"), 20), PINNED_FREE);
        assert_eq!(bucket(feature_hash('C', "安全"), 20), PINNED_ANQUAN);
        let (_, a, _) = collect("Free prize");
        let (_, b, _) = collect("free   PRIZE!");
        assert_eq!(a.sparse, b.sparse);
    }

    const PINNED_FREE: u32 = 45_208;
    const PINNED_ANQUAN: u32 = 906_203;

    #[test]
    fn cjk_runs_give_one_to_three_grams() {
        let (n, c, ex) = collect("安全账户");
        let t = texts(&n, &c);
        for g in ["安", "安全", "全账", "安全账", "账户", "全账户", "户"] {
            assert!(t.contains(&g.to_string()), "{g} missing from {t:?}");
        }
        assert!(!t.contains(&"安全账户".to_string()));
        assert_eq!(ex.sparse, 4 + 3 + 2);
        assert_eq!(ex.cjk_chars, 4);
        // Separators do not split a run.
        let (n2, c2, _) = collect("安-全 账·户");
        assert_eq!(texts(&n2, &c2), t);
        assert_eq!(
            c2.sparse.iter().map(|x| x.0).collect::<Vec<_>>(),
            c.sparse.iter().map(|x| x.0).collect::<Vec<_>>()
        );
    }

    #[test]
    fn latin_words_give_words_bigrams_and_char_grams() {
        let (n, c, _) = collect("Claim your PRIZE");
        let t = texts(&n, &c);
        assert!(t.contains(&"claim".to_string()));
        assert!(t.contains(&"claim your".to_string()));
        assert!(t.contains(&"your prize".to_string()));
        // "<claim>" has 7 characters: 5 + 4 + 3 n-grams of lengths 3, 4 and 5.
        let claim = t.iter().filter(|s| *s == "claim").count();
        assert_eq!(claim, 1 + 5 + 4 + 3);
    }

    #[test]
    fn digits_fold_together() {
        let (_, a, _) = collect("call 09061701461 now");
        let (_, b, _) = collect("call 08712300220 now");
        let ba: Vec<u32> = a.sparse.iter().map(|x| x.0).collect();
        let bb: Vec<u32> = b.sparse.iter().map(|x| x.0).collect();
        assert_eq!(ba, bb);
        assert_eq!(a.dense, b.dense);
    }

    #[test]
    fn families_count_their_own_ngrams() {
        let (n, c, ex) = collect("win a prize 公安局");
        assert_eq!(ex.families.iter().sum::<u32>(), ex.sparse);
        for (f, want) in [
            (Family::Words, 5),                                 // three words, two bigrams
            (Family::CharGrams, (3 + 2 + 1) + 1 + (5 + 4 + 3)), // "<win>", "<a>", "<prize>"
            (Family::Ideographs, 3 + 2 + 1),
        ] {
            let got = c.sparse.iter().filter(|s| s.1.family() == f).count() as u32;
            assert_eq!(got, want, "{f:?} in {:?}", texts(&n, &c));
            assert_eq!(ex.families[f as usize], want, "{f:?}");
        }
        // Under the whole-text norm every family is worth the same; scaled apart, each
        // family's occurrences make up one unit of length.
        assert_eq!(ex.family_values(Norm::Text), [ex.sparse_value(); 3]);
        let v = ex.family_values(Norm::Families);
        for (n, v) in ex.families.iter().zip(v) {
            let len = *n as f32 * v * v;
            assert!((len - 1.0).abs() < 1e-5, "{n} n-grams: {len}");
        }
        let (_, _, latin) = collect("hello there");
        assert_eq!(
            latin.family_values(Norm::Families)[Family::Ideographs as usize],
            0.0
        );
    }

    #[test]
    fn keeping_digits_tells_numbers_apart_and_changes_nothing_else() {
        let keep = Scheme {
            keep_digits: true,
            ..Scheme::default()
        };
        let buckets = |text: &str, scheme: Scheme| {
            let n = Normalised::new(text);
            let mut c = Collect::default();
            let ex = extract_with(&n, 20, scheme, &mut c);
            (
                c.sparse.iter().map(|x| x.0).collect::<Vec<_>>(),
                c.dense,
                ex,
            )
        };
        let (a, _, _) = buckets("dial *141# now", keep);
        let (b, _, _) = buckets("dial *786# now", keep);
        assert_ne!(a, b);
        assert_eq!(a.len(), b.len());
        // Without digits the option changes nothing; with them, the counts stay the same.
        let (plain, dense, ex) = buckets("call me later", Scheme::default());
        assert_eq!(buckets("call me later", keep), (plain, dense, ex));
        let (folded, dense, ex) = buckets("call 0800 123 456", Scheme::default());
        let (kept, kept_dense, kept_ex) = buckets("call 0800 123 456", keep);
        assert_ne!(folded, kept);
        assert_eq!((dense, ex), (kept_dense, kept_ex));
        // `extract` is the default scheme.
        let n = Normalised::new("call 0800 123 456");
        let mut c = Collect::default();
        extract(&n, 20, &mut c);
        assert_eq!(c.sparse.iter().map(|x| x.0).collect::<Vec<_>>(), folded);
    }

    #[test]
    fn weighing_counts_repeats_by_the_scheme_and_scales_to_unit_length() {
        let mut out = Vec::new();
        let norm = |out: &[(u32, f32)]| out.iter().map(|p| p.1 * p.1).sum::<f32>().sqrt();
        weigh(&mut [7, 3, 7, 7, 9], Tf::Binary, None, &mut out);
        assert_eq!(out.iter().map(|p| p.0).collect::<Vec<_>>(), [3, 7, 9]);
        assert!(out.iter().all(|p| (p.1 - 1.0 / 3f32.sqrt()).abs() < 1e-6));
        weigh(&mut [7, 3, 7, 7, 9], Tf::Log, None, &mut out);
        assert!(
            (out[1].1 / out[0].1 - (1.0 + 3f32.ln())).abs() < 1e-5,
            "{out:?}"
        );
        assert!((norm(&out) - 1.0).abs() < 1e-6);
        weigh(&mut [7, 3, 7, 7, 9], Tf::Raw, None, &mut out);
        assert!((out[1].1 / out[0].1 - 3.0).abs() < 1e-5, "{out:?}");
        weigh(&mut [], Tf::Log, None, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn tagged_families_are_scaled_apart() {
        let (w, c) = (Family::Words, Family::CharGrams);
        // Bucket 7 reached as a word twice and as a character n-gram once: two entries.
        let mut entries = [tagged(7, w), tagged(7, w), tagged(3, w), tagged(7, c)];
        let mut out = Vec::new();
        weigh(&mut entries, Tf::Log, None, &mut out);
        assert_eq!(out.len(), 3);
        assert_eq!(
            out.iter().map(|p| untagged(p.0)).collect::<Vec<_>>(),
            [3, 7, 7]
        );
        // Each family has unit length: words (1, 1 + ln 2), character n-grams (1).
        let words: f32 = out[..2].iter().map(|p| p.1 * p.1).sum();
        assert!((words - 1.0).abs() < 1e-6, "{out:?}");
        assert_eq!(out[2], (tagged(7, c), 1.0));
        assert!(out[1].1 > out[0].1);
        // Untagged, the same buckets share one norm, as before families existed.
        weigh(&mut [7, 7, 3, 7], Tf::Log, None, &mut out);
        assert_eq!(out.len(), 2);
        let all: f32 = out.iter().map(|p| p.1 * p.1).sum();
        assert!((all - 1.0).abs() < 1e-6, "{out:?}");
    }

    #[test]
    fn idf_scales_each_bucket_and_drops_unseen_ones() {
        // Ten texts: bucket 0 in all, 1 in one, 2 in none.
        let table = idf_table(&[10, 1, 0], 10);
        assert_eq!(table[0], 16, "in every text: idf 1");
        assert_eq!(table[1], ((1.0 + (11f32 / 2.0).ln()) * 16.0).round() as u8);
        assert_eq!(table[2], 0);
        let mut out = Vec::new();
        weigh(&mut [2, 1, 0, 0], Tf::Raw, Some(&table), &mut out);
        assert_eq!(out.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        let want = f32::from(table[1]) / 32.0;
        assert!((out[1].1 / out[0].1 - want).abs() < 1e-5, "{out:?}");
        let norm = out.iter().map(|p| p.1 * p.1).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-6);
        weigh(&mut [2, 2], Tf::Raw, Some(&table), &mut out);
        assert!(out.is_empty(), "only unseen buckets: an empty vector");
    }

    #[test]
    fn mixed_tokens_split_at_script_changes() {
        let (n, c, ex) = collect("请加QQ123456领取");
        let t = texts(&n, &c);
        assert!(t.contains(&"qq123456".to_string()), "{t:?}");
        assert!(t.contains(&"领取".to_string()), "{t:?}");
        assert!(ex.mostly_cjk());
    }

    #[test]
    fn long_and_odd_words_do_not_panic() {
        let long = "x".repeat(500);
        let (_, c, _) = collect(&long);
        assert!(!c.sparse.is_empty());
        let (_, c, _) = collect(&"é".repeat(100));
        assert!(!c.sparse.is_empty());
        let (_, c, ex) = collect("");
        assert!(c.sparse.is_empty());
        assert_eq!(ex.sparse_value(), 0.0);
        let (_, c, _) = collect("Ünïcødé мир ok");
        assert!(!c.sparse.is_empty());
    }

    #[test]
    fn links_and_money_are_found_in_one_pass() {
        for (text, want) in [
            ("see http://x.org", (true, false)),
            ("www.prize.co.uk", (true, false)),
            ("go to bank.com now", (true, false)),
            ("bit.ly/abc", (true, false)),
            ("a.cn/x", (true, false)),
            ("win £1000", (false, true)),
            ("¥500 or €20 or $3", (false, true)),
            ("www.win.com £5", (true, true)),
            ("nothing here. w. com", (false, false)),
        ] {
            assert_eq!(link_and_money(text.as_bytes()), want, "{text}");
        }
    }

    #[test]
    fn dense_features_read_links_and_money() {
        let (_, a, _) = collect("win £1000 at www.prize.com");
        let (_, b, _) = collect("win a lot at the prize desk");
        assert_eq!(a.dense.len(), 5);
        assert_eq!(b.dense.len(), 3);
    }
}
