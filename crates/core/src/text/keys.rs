//! Matching keys that undo look-alike letters and homophones.
//!
//! - [`latin_key`] applies the Unicode UTS #39 skeleton (Cyrillic "Р" and Latin "P" become one
//!   prototype) *before* lower-casing, so that "PayPaI" (capital i) still reads "paypal", then
//!   folds the digit and letter swaps scammers use ("p0lice", "App1e", "1cbc"): 0→o, 1/i/|→l,
//!   3→e, 4/@→a, 5/$→s, 7→t, 8→b. Both sides of a comparison go through it, so "icbc" and "1cbc"
//!   share the key "lcbc".
//! - [`pinyin_syllables`] spells CJK runs as toneless pinyin with a `|` between syllables, so
//!   that "公按局" and "公安局" meet at "|gong|an|ju|" and matches stay on syllable boundaries.
//! - [`pinyin_key`] spells a Chinese name as unbroken pinyin ("gonganju"), for names typed in pinyin.

use super::{is_cjk, is_ignorable};
use pinyin::ToPinyin;
use unicode_normalization::UnicodeNormalization;

/// The look-alike-insensitive key of `text`: letters and digits only.
pub fn latin_key(text: &str) -> String {
    let lowered: Vec<char> = if text.is_ascii() {
        // On ASCII the skeleton only maps I→l and m→rn (and digits, kept apart below), which the
        // folding step does anyway: skip the Unicode machinery.
        text.chars()
            .map(|c| c.to_ascii_lowercase())
            .filter(keep)
            .collect()
    } else {
        skeleton_lowered(text)
    };
    let mut out = String::with_capacity(lowered.len());
    for (i, &c) in lowered.iter().enumerate() {
        let letter_near = |j: Option<usize>| {
            j.and_then(|j| lowered.get(j))
                .is_some_and(|n| n.is_ascii_alphabetic())
        };
        let near = letter_near(i.checked_sub(1)) || letter_near(Some(i + 1));
        let mapped = match c {
            'i' => 'l',
            // The skeleton of "m" is "rn"; lower-casing after the skeleton can bring an "m" back.
            'm' => {
                out.push('r');
                'n'
            }
            '|' | '!' => {
                if near {
                    'l'
                } else {
                    continue;
                }
            }
            '@' => {
                if near {
                    'a'
                } else {
                    continue;
                }
            }
            '$' => {
                if near {
                    's'
                } else {
                    continue;
                }
            }
            '0' if near => 'o',
            '1' if near => 'l',
            '3' if near => 'e',
            '4' if near => 'a',
            '5' if near => 's',
            '7' if near => 't',
            '8' if near => 'b',
            other => other,
        };
        out.push(mapped);
    }
    out
}

fn keep(c: &char) -> bool {
    c.is_alphanumeric() || matches!(c, '@' | '$' | '|' | '!')
}

/// NFKC, invisible characters stripped, UTS #39 skeleton on everything but ASCII digits, then
/// lower case.
fn skeleton_lowered(text: &str) -> Vec<char> {
    let pre: String = text
        .nfkc()
        .filter(|c| !is_ignorable(*c) && keep(c))
        .collect();
    // The skeleton maps digits to letters (1→l, 0→O); keep digits out of it so that "110" stays
    // a number, and decide by their neighbours which digits are letters in disguise.
    let mut skel = String::with_capacity(pre.len());
    for run in DigitRuns::new(&pre) {
        if run.starts_with(|c: char| c.is_ascii_digit()) {
            skel.push_str(run);
        } else {
            skel.extend(unicode_security::skeleton(run));
        }
    }
    // Lower-case after the skeleton so that capital I is already its prototype (l).
    skel.chars()
        .flat_map(char::to_lowercase)
        .filter(keep)
        .collect()
}

/// Splits a string into alternating runs of ASCII digits and everything else.
struct DigitRuns<'a> {
    rest: &'a str,
}

impl<'a> DigitRuns<'a> {
    fn new(s: &'a str) -> Self {
        DigitRuns { rest: s }
    }
}

impl<'a> Iterator for DigitRuns<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let first = self.rest.chars().next()?;
        let digit = first.is_ascii_digit();
        let end = self
            .rest
            .find(|c: char| c.is_ascii_digit() != digit)
            .unwrap_or(self.rest.len());
        let (run, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(run)
    }
}

/// The toneless pinyin of CJK character `c` after the syllable `prev`. The pinyin table gives
/// one reading per character; where a common protected name reads a character otherwise (银行
/// is "yin hang", not "yin xing"), the reading is fixed here so that 银航 and "yin行" sound
/// like 银行.
fn reading(prev: Option<&str>, c: char) -> Option<&'static str> {
    if c == '行' && prev == Some("yin") {
        return Some("hang");
    }
    c.to_pinyin().map(|p| p.plain())
}

/// CJK runs of `compact` as toneless pinyin syllables, each followed by `|`, with a leading `|`.
/// Other characters end a run. Returns an empty string when there is no CJK.
pub fn pinyin_syllables(compact: &str) -> String {
    mixed_pinyin_syllables(compact, |_| None)
}

/// [`pinyin_syllables`], where a run of Latin letters inside the text also counts as syllables
/// when `spell` splits it into them: "反zha中心" reads "|fan|zha|zhong|xin|" like 反诈中心.
/// `spell` gets the run in lower case.
pub fn mixed_pinyin_syllables<'a>(
    compact: &str,
    spell: impl Fn(&str) -> Option<Vec<&'a str>>,
) -> String {
    let mut out = String::new();
    for reading in pinyin_readings(compact, spell) {
        match reading {
            Some(syllable) => {
                if !out.ends_with('|') {
                    out.push('|');
                }
                out.push_str(syllable.sound);
                out.push('|');
            }
            // A break: one empty field between the syllables on either side.
            None if !out.is_empty() && !out.ends_with("||") => out.push('|'),
            None => {}
        }
    }
    out
}

/// One syllable of a name read aloud: a CJK character's reading, or a syllable that a Latin run
/// spells (then `written` is `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syllable<'a> {
    /// The toneless pinyin.
    pub sound: &'a str,
    /// The character it was read from, if it was written in characters.
    pub written: Option<char>,
}

/// The syllables of `compact` in order, as [`mixed_pinyin_syllables`] reads them, with where
/// each came from; `None` stands where the reading breaks (a digit, a symbol, a Latin run that
/// `spell` cannot split), so that no word is read across it.
pub fn pinyin_readings<'a>(
    compact: &str,
    spell: impl Fn(&str) -> Option<Vec<&'a str>>,
) -> Vec<Option<Syllable<'a>>> {
    let mut out = Vec::new();
    let mut prev: Option<&str> = None;
    let mut rest = compact;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_alphabetic() {
            let end = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            let run = rest[..end].to_ascii_lowercase();
            rest = &rest[end..];
            prev = None;
            match spell(&run) {
                Some(syllables) => {
                    for sound in syllables {
                        out.push(Some(Syllable {
                            sound,
                            written: None,
                        }));
                        prev = Some(sound);
                    }
                }
                None => out.push(None),
            }
            continue;
        }
        rest = &rest[c.len_utf8()..];
        match reading(prev, c).filter(|_| is_cjk(c)) {
            Some(sound) => {
                out.push(Some(Syllable {
                    sound,
                    written: Some(c),
                }));
                prev = Some(sound);
            }
            None => {
                out.push(None);
                prev = None;
            }
        }
    }
    out
}

/// `text`'s CJK characters spelt as unbroken toneless pinyin, other letters kept.
pub fn pinyin_key(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 3);
    let mut prev = None;
    for c in compact.chars() {
        prev = match reading(prev, c) {
            Some(p) if is_cjk(c) => {
                out.push_str(p);
                Some(p)
            }
            _ => {
                out.push(c);
                None
            }
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_say_where_each_syllable_came_from() {
        let spell = |run: &str| (run == "jing").then(|| vec!["jing"]);
        let r = pinyin_readings("刑jing9x", spell);
        let sounds: Vec<_> = r.iter().map(|s| s.map(|s| (s.sound, s.written))).collect();
        assert_eq!(
            sounds,
            [Some(("xing", Some('刑'))), Some(("jing", None)), None, None]
        );
        // 银行 reads "yin hang" here as in the keys.
        let r = pinyin_readings("银行", |_| None);
        assert_eq!(r[1].map(|s| s.sound), Some("hang"));
    }

    #[test]
    fn look_alikes_share_a_key() {
        assert_eq!(latin_key("PayPaI"), latin_key("paypal"));
        assert_eq!(latin_key("\u{0420}\u{043e}lice"), latin_key("police"));
        assert_eq!(latin_key("p0lice"), latin_key("police"));
        assert_eq!(latin_key("App1e Support"), latin_key("apple support"));
        assert_eq!(latin_key("1cbc"), latin_key("icbc"));
        assert_eq!(latin_key("Amaz0n"), latin_key("amazon"));
        assert_eq!(latin_key("rnicrosoft"), latin_key("microsoft"));
        assert_ne!(latin_key("paypal"), latin_key("payday"));
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_skeleton() {
        for b in 0x20u8..0x7f {
            let s = format!("a{}b{}", b as char, (b as char).to_ascii_uppercase());
            let fast: Vec<char> = s
                .chars()
                .map(|c| c.to_ascii_lowercase())
                .filter(keep)
                .collect();
            let slow = skeleton_lowered(&s);
            let fold = |v: Vec<char>| latin_key(&v.into_iter().collect::<String>());
            assert_eq!(fold(fast), fold(slow), "{s:?}");
        }
        assert_eq!(latin_key("Microsoft"), latin_key("rnicrosoft"));
        assert_eq!(latin_key("\u{041c}icrosoft"), latin_key("microsoft"));
    }

    #[test]
    fn numbers_stay_numbers() {
        assert_eq!(latin_key("110"), "110");
        assert_eq!(latin_key("0731-110"), "0731110");
    }

    #[test]
    fn homophones_share_syllables() {
        assert_eq!(pinyin_syllables("公按局"), pinyin_syllables("公安局"));
        assert_eq!(pinyin_syllables("公安局"), "|gong|an|ju|");
        assert_eq!(pinyin_syllables("xx反炸中心"), pinyin_syllables("反诈中心"));
        assert_eq!(pinyin_syllables("abc"), "");
        assert_eq!(pinyin_key("公安局"), "gonganju");
        assert_eq!(pinyin_syllables("工商银航"), pinyin_syllables("工商银行"));
        assert_eq!(
            mixed_pinyin_syllables("工商yin行", |r| (r == "yin").then(|| vec!["yin"])),
            pinyin_syllables("工商银行")
        );
        assert_eq!(pinyin_key("银行"), "yinhang");
        assert_eq!(pinyin_key("行人"), "xingren");
    }

    #[test]
    fn latin_runs_are_read_as_syllables_when_spelt_so() {
        let spell = |run: &str| match run {
            "zha" => Some(vec!["zha"]),
            "fanzha" => Some(vec!["fan", "zha"]),
            _ => None,
        };
        assert_eq!(
            mixed_pinyin_syllables("反zha中心", spell),
            pinyin_syllables("反诈中心")
        );
        assert_eq!(
            mixed_pinyin_syllables("国家fanzha中心", spell),
            pinyin_syllables("国家反诈中心")
        );
        // A run that does not spell syllables still ends the CJK run.
        assert_eq!(
            mixed_pinyin_syllables("反amy中心", spell),
            pinyin_syllables("反x中心")
        );
    }
}
