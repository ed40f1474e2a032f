//! Normalisation: making text comparable so that disguises do not help.
//!
//! Every detector works on a [`Normalised`] view built once per text:
//! - `folded`: NFKC (full-width → ASCII, Kangxi radicals → ideographs), invisible characters
//!   (zero-width, bidi controls, variation selectors) and emoji removed, lower case, traditional →
//!   simplified Chinese, CJK punctuation → ASCII, whitespace runs → one space;
//! - `compact`: `folded` with everything but letters and digits removed, so that
//!   "公 安 局", "公-安-局" and "公·安·局" all read "公安局";
//! - `words`: `folded` with every run of non-alphanumerics turned into one space and a space at
//!   each end, so that English phrases match at word boundaries.
//!
//! Names get two further, costlier views on demand ([`latin_key`] and [`pinyin_key`]) that undo
//! look-alike letters ("PayPaI", Cyrillic "Роlice", "p0lice") and homophones ("公按局").

mod chars;
mod keys;
pub mod t2s;

pub use chars::{is_authority_emoji, is_cjk, is_emoji, is_ignorable};
pub use keys::{
    latin_key, mixed_pinyin_syllables, pinyin_key, pinyin_readings, pinyin_syllables, Syllable,
};

use unicode_normalization::UnicodeNormalization;

/// What normalisation removed or changed: evidence that someone tried to disguise the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Disguise {
    /// Zero-width, bidi-control or other invisible characters were present.
    pub invisible: bool,
    /// Emoji or pictographs were present.
    pub emoji: bool,
    /// An emoji that mimics police or verification (👮 🚓 ✅) was present.
    pub authority_emoji: bool,
    /// Full-width or other compatibility forms were present (NFKC changed the text).
    pub compatibility: bool,
    /// Traditional characters were present (not a disguise by itself: users in Hong Kong and
    /// Taiwan write this way).
    pub traditional: bool,
}

/// One text, normalised once and viewed three ways.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalised {
    /// NFKC, stripped, lower case, simplified, single spaces.
    pub folded: String,
    /// Letters and digits only.
    pub compact: String,
    /// Alphanumeric runs separated by single spaces, with a leading and trailing space.
    pub words: String,
    /// For each byte of `compact`, the byte offset in `folded` of the character it belongs to
    /// (plus one final entry), so that a match in `compact` can be read in its sentence. Empty
    /// unless built [`with_positions`](Normalised::with_positions).
    pub compact_to_folded: Vec<u32>,
    /// The same for `words`: the byte offset in `folded` behind each byte of `words`.
    pub words_to_folded: Vec<u32>,
    /// What was removed or changed on the way.
    pub disguise: Disguise,
}

impl Normalised {
    /// Normalises `text`, without the position maps (enough for names and keys).
    pub fn new(text: &str) -> Normalised {
        Normalised::build(text, false)
    }

    /// Normalises `text` and records where each `compact` and `words` byte came from in
    /// `folded`, so that matches can be read in their sentence (for negation).
    pub fn with_positions(text: &str) -> Normalised {
        Normalised::build(text, true)
    }

    /// Whether the position maps were recorded.
    pub fn has_positions(&self) -> bool {
        !self.compact_to_folded.is_empty()
    }

    fn build(text: &str, positions: bool) -> Normalised {
        let mut disguise = Disguise::default();
        let mut folded = String::with_capacity(text.len());
        let mut last_space = true;
        let ascii = text.is_ascii();
        // Fast path: ASCII needs no NFKC, no stripping and no conversion.
        if ascii {
            for b in text.bytes() {
                let c = b as char;
                push_folded(&mut folded, c.to_ascii_lowercase(), &mut last_space);
            }
        } else {
            let mut fold = |c: char, folded: &mut String, last_space: &mut bool| {
                if is_ignorable(c) {
                    disguise.invisible = true;
                    return;
                }
                if is_emoji(c) {
                    disguise.emoji = true;
                    disguise.authority_emoji |= is_authority_emoji(c);
                    // An emoji between letters acts as a separator.
                    push_folded(folded, ' ', last_space);
                    return;
                }
                let c = chars::ascii_punctuation(c).unwrap_or(c);
                if is_cjk(c) {
                    let s = t2s::simplify(c);
                    disguise.traditional |= s != c;
                    push_folded(folded, fold_simplified(s), last_space);
                } else if c.is_uppercase() {
                    for l in c.to_lowercase() {
                        push_folded(folded, l, last_space);
                    }
                } else {
                    push_folded(folded, c, last_space);
                }
            };
            // NFKC only where it can change something: ASCII and unified CJK ideographs are
            // already in NFKC form unless a combining mark follows, so they skip the
            // decompose-recompose machinery; every other run goes through it.
            let mut chars = text.chars().peekable();
            let mut pending = String::new();
            while let Some(c) = chars.next() {
                let stable = (c.is_ascii()
                    || matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF))
                    && chars.peek().is_none_or(|n| {
                        unicode_normalization::char::canonical_combining_class(*n) == 0
                            && !is_composing(*n)
                    });
                if stable {
                    if !pending.is_empty() {
                        for p in pending.nfkc() {
                            fold(p, &mut folded, &mut last_space);
                        }
                        pending.clear();
                    }
                    fold(c.to_ascii_lowercase(), &mut folded, &mut last_space);
                } else {
                    pending.push(c);
                }
            }
            for p in pending.nfkc() {
                fold(p, &mut folded, &mut last_space);
            }
            disguise.compatibility = text.chars().any(|c| {
                let u = c as u32;
                (0xFF01..=0xFF5E).contains(&u)
                    || (0x2F00..=0x2FDF).contains(&u)
                    || (0xF900..=0xFAFF).contains(&u)
            });
        }
        if folded.ends_with(' ') {
            folded.pop();
        }
        let mut compact = String::with_capacity(folded.len());
        let mut words = String::with_capacity(folded.len() + 2);
        let cap = if positions { folded.len() + 3 } else { 0 };
        let mut compact_to_folded = Vec::with_capacity(cap);
        let mut words_to_folded = Vec::with_capacity(cap);
        words.push(' ');
        if positions {
            words_to_folded.push(0);
        }
        for (at, c) in folded.char_indices() {
            if is_word_char(c) {
                compact.push(c);
                words.push(c);
                if positions {
                    compact_to_folded.extend(std::iter::repeat_n(at as u32, c.len_utf8()));
                    words_to_folded.extend(std::iter::repeat_n(at as u32, c.len_utf8()));
                }
            } else if !words.ends_with(' ') {
                words.push(' ');
                if positions {
                    words_to_folded.push(at as u32);
                }
            }
        }
        if !words.ends_with(' ') {
            words.push(' ');
            if positions {
                words_to_folded.push(folded.len() as u32);
            }
        }
        if positions {
            compact_to_folded.push(folded.len() as u32);
            words_to_folded.push(folded.len() as u32);
        }
        Normalised {
            folded,
            compact,
            words,
            compact_to_folded,
            words_to_folded,
            disguise,
        }
    }

    /// Whether the text holds any CJK ideograph.
    pub fn has_cjk(&self) -> bool {
        !self.compact.is_ascii() && self.compact.chars().any(is_cjk)
    }
}

/// Characters that compose with what precedes them although their combining class is 0
/// (Hangul vowel and final jamo).
fn is_composing(c: char) -> bool {
    matches!(c as u32, 0x1161..=0x11C2)
}

/// Letters and digits, with fast answers for ASCII and CJK.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_cjk(c) || c.is_alphanumeric()
    }
}

#[inline]
fn push_folded(out: &mut String, c: char, last_space: &mut bool) {
    if c.is_whitespace() || c.is_control() {
        if !*last_space {
            out.push(' ');
            *last_space = true;
        }
    } else {
        out.push(c);
        *last_space = false;
    }
}

/// A display name as it should be shown back to the user in a label or explanation: invisible
/// characters removed, right-to-left overrides applied as displayed, whitespace collapsed, and
/// cut to 40 characters.
pub fn display_form(name: &str) -> String {
    // Every name checked is shown back once or twice: no copy unless an override reorders it.
    let visual = if name.contains('\u{202e}') {
        std::borrow::Cow::Owned(visual_order(name))
    } else {
        std::borrow::Cow::Borrowed(name)
    };
    let mut out = String::with_capacity(visual.len());
    for c in visual.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !is_ignorable(c) && !c.is_control() {
            out.push(c);
        }
    }
    // Only a single space can end it (none starts it), and 40 bytes hold at most 40 characters.
    if out.ends_with(' ') {
        out.pop();
    }
    if out.len() > 40 && out.chars().count() > 40 {
        out.chars().take(39).collect::<String>() + "…"
    } else {
        out
    }
}

/// The order in which a right-to-left override (U+202E) displays the text: each overridden run,
/// up to a pop (U+202C) or the end, reversed. "市\u{202e}局安公" shows as "市公安局".
pub fn visual_order(text: &str) -> String {
    if !text.contains('\u{202e}') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<char> = Vec::new();
    let mut overriding = false;
    for c in text.chars() {
        match c {
            '\u{202e}' => {
                out.extend(run.drain(..).rev());
                overriding = true;
            }
            '\u{202c}' if overriding => {
                out.extend(run.drain(..).rev());
                overriding = false;
            }
            c if overriding => run.push(c),
            c => out.push(c),
        }
    }
    out.extend(run.drain(..).rev());
    out
}

/// A CJK character as the folded views write it: simplified, and 帐 (帳, the way Taiwan and
/// Hong Kong write 帳戶 and 轉帳) read as 账, the account word the lexicons use, so that "轉帳到
/// 安全帳戶" reads as "转账到安全账户". No lexicon names a tent (帐篷).
pub fn fold_cjk(c: char) -> char {
    fold_simplified(t2s::simplify(c))
}

/// [`fold_cjk`] of a character already simplified.
fn fold_simplified(s: char) -> char {
    match s {
        '帐' => '账',
        s => s,
    }
}

/// Folds `text` the way [`Normalised::compact`] does. Used for lexicon entries so that both
/// sides of a comparison go through the same steps.
pub fn compact(text: &str) -> String {
    Normalised::new(text).compact
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        Normalised::new(s).compact
    }

    #[test]
    fn separators_and_invisibles_do_not_split_words() {
        assert_eq!(c("公 安 局"), "公安局");
        assert_eq!(c("公-安-局"), "公安局");
        assert_eq!(c("公·安·局"), "公安局");
        assert_eq!(c("公\u{200b}安局"), "公安局");
        assert_eq!(c("反\u{202e}诈中心"), "反诈中心");
        assert_eq!(c("公安⭐局"), "公安局");
        assert_eq!(c("👮XX反诈中心✅"), "xx反诈中心");
        assert_eq!(c("【官方】"), "官方");
    }

    #[test]
    fn every_way_of_writing_the_account_word_folds_to_one() {
        for t in [
            "轉帳到安全帳戶",
            "轉賬到安全賬戶",
            "转帐到安全帐户",
            "转账到安全账户",
        ] {
            assert_eq!(c(t), "转账到安全账户", "{t}");
        }
        assert!(!Normalised::new("转帐到安全帐户").disguise.traditional);
    }

    #[test]
    fn width_case_and_script_are_folded() {
        assert_eq!(c("ＧＯＮＧＡＮ"), "gongan");
        assert_eq!(c("１１０"), "110");
        assert_eq!(c("廣州市公安局"), "广州市公安局");
        assert_eq!(c("國家反詐中心"), "国家反诈中心");
        assert_eq!(c("⼯商银行"), "工商银行");
        assert_eq!(c("PayPal"), "paypal");
        // A combining mark after an ASCII letter still composes.
        assert_eq!(c("e\u{301}"), "é");
        assert_eq!(c("ｅ\u{301}公安"), "é公安");
    }

    #[test]
    fn disguise_is_recorded() {
        let n = Normalised::new("👮公\u{200b}安局");
        assert!(n.disguise.invisible && n.disguise.emoji && n.disguise.authority_emoji);
        assert!(Normalised::new("ＦＢＩ").disguise.compatibility);
        assert!(Normalised::new("廣州").disguise.traditional);
        assert_eq!(Normalised::new("plain").disguise, Disguise::default());
    }

    #[test]
    fn compact_positions_map_back() {
        let n = Normalised::with_positions("不要告诉别人，把钱转到 安全账户");
        let at = n.compact.find("安全").unwrap();
        let f = n.compact_to_folded[at] as usize;
        assert!(n.folded[f..].starts_with("安全"));
        assert_eq!(n.compact_to_folded.len(), n.compact.len() + 1);
        let n = Normalised::with_positions("Never, ever: move it to a SAFE account!");
        assert_eq!(n.words_to_folded.len(), n.words.len() + 1);
        let at = n.words.find("safe").unwrap();
        assert!(n.folded[n.words_to_folded[at] as usize..].starts_with("safe"));
    }

    #[test]
    fn display_forms_are_clean() {
        assert_eq!(display_form("  厦门市\u{200b}公安局 "), "厦门市公安局");
        assert_eq!(display_form("杭州市\u{202e}局安公\u{202c}"), "杭州市公安局");
        assert_eq!(display_form("a\n\tb"), "a b");
        assert_eq!(display_form(&"x".repeat(100)).chars().count(), 40);
    }

    #[test]
    fn words_view_has_boundaries() {
        assert_eq!(
            Normalised::new("Move it to a SAFE-account, now!").words,
            " move it to a safe account now "
        );
        assert_eq!(Normalised::new("").words, " ");
        assert_eq!(Normalised::new("   ").folded, "");
    }
}
