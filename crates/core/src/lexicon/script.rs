//! Scam-script stages: phrases and co-occurrence clues for each step of a scam script.
//!
//! `data/script.toml` lists, per stage (accusation, secrecy, safe account, ...), Chinese phrases
//! matched in the compact view, English phrases matched at word boundaries in the words view,
//! and `near` clues (a term from `a` within `window` characters of a term from `b`, optionally
//! within one clause). A phrase ending in `{id}` counts only when an account id follows it
//! ("加微信{id}" finds "加微信 dk8899", not "加微信了解详情").
//!
//! Genuine warnings use the same words negated ("公安机关不会要求转账到安全账户", "never share
//! this code") or inside a warning about others ("如有人要求您共享屏幕，请立即举报", "anyone who
//! asks you to share your screen is a scammer"), and news, notices and victims' accounts retell
//! them about someone else ("骗子自称民警，称其涉嫌洗钱", "the caller told her to buy gift
//! cards"), so such a hit is set aside and counted as protective advice instead. A retold
//! sentence that speaks to the reader ("你", "请", "you") is the scam's own.

use super::{words, LexiconError};
use crate::signal::codes;
use crate::text::{self, Normalised};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

/// The script lexicon compiled into the engine.
pub const BUILTIN: &str = include_str!("../../data/script.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    stage: Vec<RawStage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    code: String,
    #[serde(default)]
    zh: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    near: Vec<RawNear>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNear {
    a: Vec<String>,
    b: Vec<String>,
    window: usize,
    /// Both terms in one clause: no comma, full stop or the like between them.
    #[serde(default)]
    clause: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Phrase,
    NearA(usize),
    NearB(usize),
}

#[derive(Debug, Clone)]
struct Term {
    stage: usize,
    role: Role,
    text: String,
    /// Counts only when an account id follows (a phrase written with `{id}`).
    needs_id: bool,
}

/// The marker at the end of a phrase that must be followed by an account id.
const ID_MARKER: &str = "{id}";

#[derive(Debug, Clone)]
struct Near {
    stage: usize,
    /// In bytes of the view it is matched in.
    window: usize,
    cjk: bool,
    clause: bool,
}

/// A stage found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptHit {
    /// The stage's signal code.
    pub code: String,
    /// The phrase or pair of terms that matched.
    pub evidence: String,
    /// Whether a negation came just before it ("不会要求…", "never ..."), or it sits in a
    /// warning or a retelling about someone else.
    pub negated: bool,
}

/// The compiled script lexicon.
#[derive(Debug, Clone)]
pub struct ScriptLexicon {
    codes: Vec<String>,
    zh: AhoCorasick,
    zh_terms: Vec<Vec<Term>>,
    en: AhoCorasick,
    en_terms: Vec<Vec<Term>>,
    nears: Vec<Near>,
}

impl ScriptLexicon {
    /// Parses and compiles `data/script.toml`-format text.
    pub fn from_toml(text: &str, source_name: &str) -> Result<ScriptLexicon, LexiconError> {
        let file: File = toml::from_str(text).map_err(|e| LexiconError::Syntax {
            source_name: source_name.to_string(),
            message: e.to_string().trim().to_string(),
        })?;
        let mut problems = Vec::new();
        let mut codes_seen = Vec::new();
        let mut zh_keys: Vec<String> = Vec::new();
        let mut zh_terms: Vec<Vec<Term>> = Vec::new();
        let mut en_keys: Vec<String> = Vec::new();
        let mut en_terms: Vec<Vec<Term>> = Vec::new();
        let mut nears = Vec::new();

        let add = |keys: &mut Vec<String>, terms: &mut Vec<Vec<Term>>, key: String, term: Term| {
            match keys.iter().position(|k| *k == key) {
                Some(i) => terms[i].push(term),
                None => {
                    keys.push(key);
                    terms.push(vec![term]);
                }
            }
        };

        for (si, st) in file.stage.iter().enumerate() {
            let at = format!("stage[{si}] ({})", st.code);
            if codes::family(&st.code) != Some("script") {
                problems.push(format!("{at}: {:?} is not a script signal code", st.code));
            }
            if codes_seen.contains(&st.code) {
                problems.push(format!("{at}: stage appears twice"));
            }
            codes_seen.push(st.code.clone());
            for p in &st.zh {
                let (p, needs_id) = id_marked(p);
                let key = text::compact(p);
                if key.is_empty() {
                    problems.push(format!("{at}: zh phrase {p:?} has no letters"));
                    continue;
                }
                add(
                    &mut zh_keys,
                    &mut zh_terms,
                    key,
                    Term {
                        stage: si,
                        role: Role::Phrase,
                        text: p.to_string(),
                        needs_id,
                    },
                );
            }
            for p in &st.en {
                let (p, needs_id) = id_marked(p);
                match en_key(p) {
                    Some(key) => add(
                        &mut en_keys,
                        &mut en_terms,
                        key,
                        Term {
                            stage: si,
                            role: Role::Phrase,
                            text: p.to_string(),
                            needs_id,
                        },
                    ),
                    None => problems.push(format!("{at}: en phrase {p:?} has no letters")),
                }
            }
            for (ni, near) in st.near.iter().enumerate() {
                if near.a.is_empty() || near.b.is_empty() || near.window == 0 {
                    problems.push(format!(
                        "{at}.near[{ni}]: needs terms in a and b and a window above 0"
                    ));
                    continue;
                }
                let cjk = near
                    .a
                    .iter()
                    .chain(&near.b)
                    .any(|t| t.chars().any(text::is_cjk));
                let id = nears.len();
                nears.push(Near {
                    stage: si,
                    // CJK characters are three bytes in UTF-8.
                    window: if cjk { near.window * 3 } else { near.window },
                    cjk,
                    clause: near.clause,
                });
                for (list, role) in [(&near.a, Role::NearA(id)), (&near.b, Role::NearB(id))] {
                    for t in list {
                        let term = Term {
                            stage: si,
                            role,
                            text: t.clone(),
                            needs_id: false,
                        };
                        if cjk {
                            let key = text::compact(t);
                            if key.is_empty() {
                                problems
                                    .push(format!("{at}.near[{ni}]: term {t:?} has no letters"));
                            } else {
                                add(&mut zh_keys, &mut zh_terms, key, term);
                            }
                        } else {
                            match en_key(t) {
                                Some(key) => add(&mut en_keys, &mut en_terms, key, term),
                                None => problems
                                    .push(format!("{at}.near[{ni}]: term {t:?} has no letters")),
                            }
                        }
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(LexiconError::Invalid {
                source_name: source_name.to_string(),
                problems,
            });
        }
        let build = |keys: &[String]| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(keys)
                .expect("script patterns compile")
        };
        Ok(ScriptLexicon {
            codes: file.stage.into_iter().map(|s| s.code).collect(),
            zh: build(&zh_keys),
            zh_terms,
            en: build(&en_keys),
            en_terms,
            nears,
        })
    }

    /// The stage codes, in file order.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    /// Every stage found in `n`, negated ones included (marked). `n` should be built
    /// [`with_positions`](Normalised::with_positions); it is rebuilt if not.
    pub fn scan(&self, n: &Normalised) -> Vec<ScriptHit> {
        if !n.has_positions() && !n.folded.is_empty() {
            return self.scan(&Normalised::with_positions(&n.folded));
        }
        let mut hits: Vec<ScriptHit> = Vec::new();
        // (near id, is a, start, end, term) per view.
        let mut near_hits: Vec<(usize, bool, usize, usize, &str, bool)> = Vec::new();
        // Most texts warn about nothing: look for the frame around each hit only when the text
        // has an opener or a verdict at all.
        let warning = may_warn(n);
        // Likewise for a retelling's frame ("据报道", "骗子自称", "the caller claimed").
        let retold = may_retell(n);
        for (view, ac, terms, cjk) in [
            (n.compact.as_str(), &self.zh, &self.zh_terms, true),
            (n.words.as_str(), &self.en, &self.en_terms, false),
        ] {
            if view.trim().is_empty() {
                continue;
            }
            let to_folded = if cjk {
                &n.compact_to_folded
            } else {
                &n.words_to_folded
            };
            for m in ac.find_overlapping_iter(view) {
                // An English key starts with the space before its first word; that space
                // stands for whatever separated the words (". "), so the phrase starts after it:
                // in "…won't let me in. I'll pay you back" the negation is the last sentence's.
                let first = if !cjk && view.as_bytes()[m.start()] == b' ' {
                    m.start() + 1
                } else {
                    m.start()
                };
                let at = to_folded[first.min(to_folded.len() - 1)] as usize;
                let negated = if cjk {
                    zh_negated(&n.folded, at)
                } else {
                    en_negated(&n.folded, at)
                } || (warning && in_warning(&n.folded, at, cjk))
                    || (retold && in_retelling(&n.folded, at));
                for t in &terms[m.pattern().as_usize()] {
                    match t.role {
                        // An id phrase that is the tail of a longer word ("bigqq12345") is
                        // not one.
                        Role::Phrase
                            if t.needs_id
                                && (!id_follows(&view[m.end()..], cjk)
                                    || (cjk
                                        && view.as_bytes()[..m.start()]
                                            .last()
                                            .is_some_and(u8::is_ascii_alphanumeric))) => {}
                        Role::Phrase => push_hit(&mut hits, &self.codes[t.stage], &t.text, negated),
                        Role::NearA(id) | Role::NearB(id) if self.nears[id].cjk == cjk => {
                            near_hits.push((
                                id,
                                matches!(t.role, Role::NearA(_)),
                                m.start(),
                                m.end(),
                                &t.text,
                                negated,
                            ));
                        }
                        _ => {}
                    }
                }
            }
        }
        // Pair each `a` term with the `b` terms around it. Matches arrive in text order, so the
        // `b`s of one clue are sorted and a binary search finds the few within reach: an
        // enormous text full of clue words costs n log n, not n².
        let mut bs: Vec<&(usize, bool, usize, usize, &str, bool)> =
            near_hits.iter().filter(|h| !h.1).collect();
        bs.sort_by_key(|h| (h.0, h.2));
        for a in near_hits.iter().filter(|a| a.1) {
            let near = &self.nears[a.0];
            // A `b` that ends within reach starts at most one term length (under 256 bytes)
            // before that.
            let lo = a.2.saturating_sub(near.window + 256);
            let from = bs.partition_point(|b| (b.0, b.2) < (a.0, lo));
            for b in bs[from..]
                .iter()
                .take_while(|b| b.0 == a.0 && b.2 <= a.3 + near.window)
            {
                // Characters between the two terms; zero when they touch or overlap.
                let gap = b.2.saturating_sub(a.3).max(a.2.saturating_sub(b.3));
                if gap <= near.window
                    && (!near.clause || one_clause(n, near.cjk, a.2.min(b.2), a.3.max(b.3)))
                {
                    // A negation counts before the clue as a whole: in "不要告诉任何人这件事"
                    // the "不要" belongs to the first term, not to the clue being advice. Within
                    // one clause it may also sit between them ("账户不会被冻结").
                    let negated = if a.2 <= b.2 { a.5 } else { b.5 } || (near.clause && a.5 | b.5);
                    push_hit(
                        &mut hits,
                        &self.codes[near.stage],
                        &format!("{} … {}", a.4, b.4),
                        negated,
                    );
                    break;
                }
            }
        }
        hits
    }
}

fn push_hit(hits: &mut Vec<ScriptHit>, code: &str, evidence: &str, negated: bool) {
    // One entry per code and polarity: a code counts once, with the first evidence found.
    if hits.iter().any(|h| h.code == code && h.negated == negated) {
        return;
    }
    hits.push(ScriptHit {
        code: code.to_string(),
        evidence: evidence.to_string(),
        negated,
    });
}

/// A phrase without its trailing [`ID_MARKER`], and whether it had one.
fn id_marked(p: &str) -> (&str, bool) {
    match p.trim_end().strip_suffix(ID_MARKER) {
        Some(head) => (head.trim_end(), true),
        None => (p, false),
    }
}

/// Whether an account id (a WeChat id, a QQ or phone number) starts `rest`, the view just after
/// a phrase: at least five letters and digits, three of them digits ("dk8899", "2845 1190",
/// "+44 7700 900123"). In the words view the id may be split into groups of digits.
fn id_follows(rest: &str, cjk: bool) -> bool {
    let mut id = String::new();
    if cjk {
        id.extend(rest.chars().take_while(|c| c.is_ascii_alphanumeric()));
    } else {
        for (i, token) in rest.split(' ').filter(|t| !t.is_empty()).enumerate() {
            let has_digit = token.chars().any(|c| c.is_ascii_digit());
            let alnum = token.chars().all(|c| c.is_ascii_alphanumeric());
            // The first token may be a handle with letters; groups after it are digits.
            if !alnum || !has_digit || (i > 0 && !token.chars().all(|c| c.is_ascii_digit())) {
                break;
            }
            id.push_str(token);
            if i >= 4 {
                break;
            }
        }
    }
    id.len() >= 5 && id.chars().filter(char::is_ascii_digit).count() >= 3
}

/// Whether the folded text from `start` to `end` (bytes of the compact or words view) holds no
/// clause break.
fn one_clause(n: &Normalised, cjk: bool, start: usize, end: usize) -> bool {
    let map = if cjk {
        &n.compact_to_folded
    } else {
        &n.words_to_folded
    };
    // The last byte of the second term, not the byte after it: that may follow a comma.
    let last = end.saturating_sub(1).min(map.len() - 1);
    let (from, to) = (map[start.min(last)] as usize, map[last] as usize);
    // A words-view term starts and ends with the space a mark may have become.
    !n.folded
        .get(from..to)
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .contains([',', '.', ';', '!', '?', ':'])
}

/// Whether `n` holds any opener or verdict of a warning about someone else's request.
fn may_warn(n: &Normalised) -> bool {
    static ANY: std::sync::OnceLock<AnyWord> = std::sync::OnceLock::new();
    ANY.get_or_init(|| {
        AnyWord::new(
            words::warning_openers()
                .iter()
                .chain(words::warning_verdicts())
                .copied(),
        )
    })
    .is_in(n)
}

/// Whether a text holds any word of a list, asked of every message: one automaton pass over
/// each view (the compact view for Chinese words, the spaced words for English ones, as
/// `holds_any` reads them) instead of a search per word.
struct AnyWord {
    chinese: AhoCorasick,
    english: AhoCorasick,
}

impl AnyWord {
    fn new<'a>(list: impl Iterator<Item = &'a str> + Clone) -> Self {
        let build = |pats: Vec<String>| AhoCorasick::new(pats).expect("word lists compile");
        AnyWord {
            chinese: build(
                list.clone()
                    .filter(|w| !words::is_english(w))
                    .map(String::from)
                    .collect(),
            ),
            english: build(
                list.filter(|w| words::is_english(w))
                    .map(|w| format!(" {w} "))
                    .collect(),
            ),
        }
    }

    fn is_in(&self, n: &Normalised) -> bool {
        self.chinese.is_match(&n.compact) || self.english.is_match(&n.words)
    }
}

/// Whether the phrase at byte `at` of `folded` sits inside a warning about someone else's
/// request: in its sentence, an opener before it ("如有人", "if anyone") and a closer after it
/// ("请举报", "hang up"), or a verdict after it ("…的都是诈骗").
fn in_warning(folded: &str, at: usize, cjk: bool) -> bool {
    let at = at.min(folded.len());
    let (start, end) = sentence_around(folded, at);
    let view = |s: &str| {
        let n = Normalised::new(s);
        if cjk {
            n.compact
        } else {
            n.words
        }
    };
    let (before, after) = (view(&folded[start..at]), view(&folded[at..end]));
    // A closer or verdict that is itself negated is the scammer's instruction, not a warning:
    // "…转到安全账户，不要报警", "…and do not hang up", "这不是诈骗".
    let has = |list: &[&str], s: &str, affirmed: bool| {
        list.iter()
            .filter(|w| words::is_english(w) != cjk)
            .any(|w| {
                let key = if cjk { w.to_string() } else { format!(" {w} ") };
                s.match_indices(&key)
                    .any(|(i, _)| !affirmed || !negated_just_before(&s[..i], cjk))
            })
    };
    (has(words::warning_openers(), &before, false) && has(words::warning_closers(), &after, true))
        || has(words::warning_verdicts(), &after, true)
}

/// The sentence around byte `at` of `folded` (which is at most `folded.len()`), and at most
/// 300 bytes of it on each side: a warning or a retold step is short.
fn sentence_around(folded: &str, at: usize) -> (usize, usize) {
    let ends = ['.', '!', '?', ';'];
    let boundary = |mut i: usize| {
        while !folded.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let start = folded[..at]
        .rfind(ends)
        .map_or(0, |i| i + 1)
        .max(boundary(at.saturating_sub(300)));
    let end = folded[at..]
        .find(ends)
        .map_or(folded.len(), |i| at + i)
        .min(boundary((at + 300).min(folded.len())));
    (start, end)
}

/// Whether `n` holds an entry of `list`: Chinese entries in its compact view, English ones as
/// whole words.
fn holds_any(list: &[&str], n: &Normalised) -> bool {
    list.iter().any(|w| {
        if words::is_english(w) {
            n.words.contains(&format!(" {w} "))
        } else {
            n.compact.contains(w)
        }
    })
}

/// Whether `n` names a retelling's frame or a scammer in the third person at all. Asked of
/// every text, so the three lists are searched at once, as [`holds_any`] would read them.
fn may_retell(n: &Normalised) -> bool {
    static ANY: std::sync::OnceLock<AnyWord> = std::sync::OnceLock::new();
    ANY.get_or_init(|| {
        AnyWord::new(
            words::retell_frames()
                .iter()
                .chain(words::retell_speakers())
                .chain(words::retell_victims())
                .copied(),
        )
    })
    .is_in(n)
}

/// Whether the phrase at byte `at` of `folded` is retold rather than asked: a frame before it
/// in its sentence ("据报道", "骗子自称…", "the caller claimed…", "she was told", or "被害人"
/// in a text that has not yet spoken to the reader) and nothing in that sentence that speaks to
/// the reader ("你", "您", "请", "you"). A scam that borrows the frame still addresses its
/// victim: "有骗子冒充我行，请立即转入安全账户".
fn in_retelling(folded: &str, at: usize) -> bool {
    let at = at.min(folded.len());
    let (start, end) = sentence_around(folded, at);
    let head = &folded[start..at];
    let head_n = Normalised::new(head);
    let framed = frames_retelling(head, &head_n)
        || (holds_any(words::retell_victims(), &head_n) && !addresses_reader(&folded[..start]));
    framed && !addresses_reader(&folded[start..end])
}

/// Whether `head`, the sentence before a phrase, opens a retelling: a frame of
/// `retell_frames.txt`, or in one clause a speaker of `retell_speakers.txt` that is not denied
/// ("不是骗子") followed closely by a verb of `retell_verbs.txt`. `head_n` is `head`
/// normalised.
fn frames_retelling(head: &str, head_n: &Normalised) -> bool {
    if holds_any(words::retell_frames(), head_n) {
        return true;
    }
    head.split([',', ':', '(', ')']).any(|clause| {
        let c = Normalised::new(clause);
        words::retell_speakers().iter().any(|sp| {
            if words::is_english(sp) {
                let key = format!(" {sp} ");
                c.words.match_indices(&key).any(|(i, _)| {
                    let before: Vec<&str> = c.words[..i].split_whitespace().collect();
                    let denied = matches!(before.last(), Some(&("not" | "no" | "t")));
                    let after: Vec<&str> = c.words[i + key.len()..]
                        .split_whitespace()
                        .take(3)
                        .collect();
                    !denied
                        && words::retell_verbs()
                            .iter()
                            .any(|v| words::is_english(v) && after.contains(v))
                })
            } else {
                c.compact.match_indices(sp).any(|(i, _)| {
                    let denied = ["不是", "不是个", "并非", "不是什么"]
                        .iter()
                        .any(|d| c.compact[..i].ends_with(d));
                    let rest = &c.compact[i + sp.len()..];
                    !denied
                        && words::retell_verbs()
                            .iter()
                            .filter(|v| !words::is_english(v))
                            .any(|v| {
                                rest.find(v)
                                    .is_some_and(|at| rest[..at].chars().count() <= 4)
                            })
                })
            }
        })
    })
}

/// Whether `sentence` speaks to the reader: a word of `retell_address.txt`, where 请 asks the
/// reader only when no third person follows it ("请其配合" is reported).
fn addresses_reader(sentence: &str) -> bool {
    let n = Normalised::new(sentence);
    words::retell_address().iter().any(|w| {
        if words::is_english(w) {
            n.words.contains(&format!(" {w} "))
        } else {
            n.compact.match_indices(w).any(|(i, _)| {
                let rest = &n.compact[i + w.len()..];
                !(w.starts_with('请')
                    && ["其", "他", "她", "对方", "被害", "受害", "事主"]
                        .iter()
                        .any(|p| rest.starts_with(p)))
            })
        }
    })
}

/// Whether `head`, the view just before a closer, ends in a negation ("不要", "别", "do not").
fn negated_just_before(head: &str, cjk: bool) -> bool {
    if cjk {
        // The last two characters.
        let from = head.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
        let tail = &head[from..];
        let last = tail.chars().last();
        matches!(last, Some('不' | '别' | '勿' | '没' | '非' | '莫'))
            || [
                "不要", "不用", "不必", "不能", "不会", "无需", "无须", "千万",
            ]
            .contains(&tail)
    } else {
        matches!(
            head.split(' ').rfind(|w| !w.is_empty()),
            Some("not" | "t" | "never" | "dont" | "nor")
        )
    }
}

/// The words-view key of an English phrase: " phrase " (or " prefix" for a trailing `*`).
fn en_key(p: &str) -> Option<String> {
    let prefix = p.trim_end().ends_with('*');
    let n = Normalised::new(p.trim_end().trim_end_matches('*'));
    let core = n.words.trim();
    if core.is_empty() {
        return None;
    }
    Some(if prefix {
        format!(" {core}")
    } else {
        format!(" {core} ")
    })
}

/// The negations of `data/negations.txt` in one language: English ones padded with spaces
/// (whole words in the words view), Chinese ones as written (the compact view).
fn negations(en: bool) -> &'static AhoCorasick {
    static ZH: std::sync::OnceLock<AhoCorasick> = std::sync::OnceLock::new();
    static EN: std::sync::OnceLock<AhoCorasick> = std::sync::OnceLock::new();
    let build = |en: bool| {
        let pats: Vec<String> = words::negations()
            .iter()
            .filter(|n| words::is_english(n) == en)
            .map(|n| if en { format!(" {n} ") } else { n.to_string() })
            .collect();
        AhoCorasick::new(pats).expect("negations compile")
    };
    if en {
        EN.get_or_init(|| build(true))
    } else {
        ZH.get_or_init(|| build(false))
    }
}

/// Whether a negation in `before` is not followed by reassurance ("别担心", "don't worry")
/// and is not something else that looks like one: in Chinese the middle of an A-不-A question
/// ("能不能借我", "要不要"), in English a purpose ("to avoid suspension, verify…"), which is
/// the threat itself.
fn negates(before: &str, en: bool) -> bool {
    let reassurance = words::reassurance()
        .iter()
        .filter(|r| words::is_english(r) == en);
    negations(en).find_overlapping_iter(before).any(|m| {
        let (head, word) = (&before[..m.start()], &before[m.start()..]);
        let not_negation = if en {
            word.starts_with(" avoid ") && head.ends_with(" to")
        } else {
            word.starts_with('不') && head.chars().next_back() == word.chars().nth(1)
        };
        let after = before[m.end()..].trim_start();
        !not_negation && !reassurance.clone().any(|r| after.starts_with(r))
    })
}

fn zh_negated(folded: &str, start: usize) -> bool {
    let head = &folded[..start.min(folded.len())];
    // The last `most` letters and digits of `head`, back to a clause break.
    let back = |most: usize, list_ends_clause: bool| {
        let mut from = head.len();
        let mut kept = 0;
        for (i, c) in head.char_indices().rev() {
            let ends = matches!(c, ',' | '.' | ';' | '!' | '?' | ':' | '(' | ')')
                || (list_ends_clause && c == '/');
            if ends || kept >= most {
                break;
            }
            from = i;
            kept += usize::from(c.is_alphanumeric());
        }
        head[from..]
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    // Up to ten characters back, within the same clause and list item.
    if negates(&back(10, true), false) {
        return true;
    }
    // "不会以任何理由要求您提供验证码、下载远程软件或转到安全账户": a negated request governs
    // every item of its list, so it is looked for further back, across enumeration commas.
    let clause = back(40, false);
    words::never_ask().iter().any(|(neg, verb)| {
        clause
            .match_indices(neg)
            .any(|(i, _)| clause[i + neg.len()..].contains(verb))
    })
}

fn en_negated(folded: &str, start: usize) -> bool {
    // Look back up to eight words in the folded text, within the same clause: in "to avoid
    // fees, update your billing" the negation belongs to the clause before the comma. A phrase
    // that opens its clause is the next item of a list ("never pay by gift card, prepaid card
    // or crypto") and reads with the clause before, unless a subject opens a clause of its own
    // ("won't let me in, I'll pay you back"); a sentence's end always ends a negation.
    let start = start.min(folded.len());
    let head = &folded[..start];
    let sentence = head.rsplit(['.', '!', '?', ';']).next().unwrap_or(head);
    let mut clauses = sentence.rsplit([':', ',']);
    let last = clauses.next().unwrap_or(sentence);
    let first_word = folded[start..]
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let subject = matches!(
        first_word,
        "i" | "you" | "we" | "he" | "she" | "they" | "it" | "this" | "that"
    );
    let clause = if last.chars().any(char::is_alphanumeric) || subject {
        last
    } else {
        clauses.next().unwrap_or(last)
    };
    let words: Vec<&str> = clause
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let tail = format!(" {} ", words[words.len().saturating_sub(8)..].join(" "));
    negates(&tail, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> ScriptLexicon {
        ScriptLexicon::from_toml(BUILTIN, "script.toml").unwrap()
    }

    fn found(lex: &ScriptLexicon, text: &str) -> Vec<String> {
        lex.scan(&Normalised::with_positions(text))
            .into_iter()
            .filter(|h| !h.negated)
            .map(|h| h.code)
            .collect()
    }

    fn negated(lex: &ScriptLexicon, text: &str) -> Vec<String> {
        lex.scan(&Normalised::new(text))
            .into_iter()
            .filter(|h| h.negated)
            .map(|h| h.code)
            .collect()
    }

    #[test]
    fn the_builtin_lexicon_covers_every_script_code() {
        let lex = lexicon();
        for (code, family) in codes::ALL {
            if *family == "script" && *code != codes::SCRIPT_PROTECTIVE_ADVICE {
                assert!(lex.codes().iter().any(|c| c == code), "no stage for {code}");
            }
        }
    }

    #[test]
    fn finds_stages_in_chinese_and_english() {
        let lex = lexicon();
        assert!(found(&lex, "你需要把钱转到安全账户进行资金核查")
            .contains(&"script_safe_account".to_string()));
        assert!(found(&lex, "這是保密案件，不要告訴家人").contains(&"script_secrecy".to_string()));
        assert!(
            found(&lex, "Please move your savings to a safe account today")
                .contains(&"script_safe_account".to_string())
        );
        assert!(
            found(&lex, "把刚收到的验证码念给我").contains(&"script_credential_ask".to_string())
        );
        assert!(found(&lex, "你好，今晚一起吃饭吗").is_empty());
        assert!(found(&lex, "").is_empty());
    }

    #[test]
    fn a_charge_cancelled_at_the_atm_is_a_transfer_out() {
        let lex = lexicon();
        let code = "script_cancel_by_transfer".to_string();
        assert!(found(
            &lex,
            "要取消分期的話，請您到附近的ATM，照專員指示操作就可以取消"
        )
        .contains(&code));
        assert!(found(&lex, "请用网银操作取消分期，我一步一步教你").contains(&code));
        assert!(found(
            &lex,
            "Go to an ATM and we will cancel the instalments together"
        )
        .contains(&code));
        // News and notices that name an ATM and a cancelled fee instruct nobody.
        assert!(!found(&lex, "多家银行宣布取消ATM跨行取款手续费").contains(&code));
        assert!(!found(&lex, "本行ATM暂停服务，取消的交易将自动退回").contains(&code));
    }

    #[test]
    fn negated_phrases_are_advice() {
        let lex = lexicon();
        let t = "公安机关不会要求您转账到安全账户";
        assert!(
            !found(&lex, t).contains(&"script_safe_account".to_string()),
            "{:?}",
            found(&lex, t)
        );
        assert!(negated(&lex, t).contains(&"script_safe_account".to_string()));
        let t = "【工商银行】验证码123456，请勿告诉他人";
        assert!(
            !found(&lex, t).contains(&"script_credential_ask".to_string()),
            "{:?}",
            found(&lex, t)
        );
        let t = "We will never ask you to move money to a safe account.";
        assert!(
            !found(&lex, t).contains(&"script_safe_account".to_string()),
            "{:?}",
            found(&lex, t)
        );
    }

    #[test]
    fn a_negation_covers_the_items_of_its_list() {
        let lex = lexicon();
        let t = "The tax office will never ask you to pay by gift card, prepaid card or cryptocurrency.";
        assert!(found(&lex, t).is_empty(), "{:?}", found(&lex, t));
        assert!(negated(&lex, t).contains(&"script_gift_card".to_string()));
        // A clause of its own after the comma is not the list.
        let t = "Don't panic, just buy a prepaid card and read me the numbers";
        assert!(found(&lex, t).contains(&"script_gift_card".to_string()));
    }

    #[test]
    fn a_negation_ends_with_its_sentence() {
        let lex = lexicon();
        let t = "My banking app won't let me in on this phone. I'll pay you back Friday";
        assert!(found(&lex, t).contains(&"script_third_party_transfer".to_string()));
        assert!(negated(&lex, t).is_empty(), "{:?}", negated(&lex, t));
        let t = "My banking app won't let me in, I'll pay you back Friday";
        assert!(found(&lex, t).contains(&"script_third_party_transfer".to_string()));
    }

    #[test]
    fn a_retold_scam_is_no_ask() {
        let lex = lexicon();
        for t in [
            "骗子自称公安局民警，称其涉嫌洗钱，要求将资金转入安全账户。",
            "據報導，詐騙集團假冒檢察官，稱被害人涉嫌洗錢，要求被害人把存款轉到安全帳戶。",
            "The caller claimed to be from HMRC and told her to buy gift cards.",
            "Police said the fraudsters then asked him to move his savings to a safe account.",
            "妈，我今天接到个电话，对方自称是公安局的，说我涉嫌洗钱，让我把钱转到安全账户，我直接挂了。",
        ] {
            assert!(
                found(&lex, t).iter().all(|c| c == "script_authority_claim"),
                "{t}: {:?}",
                found(&lex, t)
            );
            assert!(!negated(&lex, t).is_empty(), "{t}");
        }
    }

    #[test]
    fn a_retelling_that_speaks_to_the_reader_is_the_scam() {
        let lex = lexicon();
        for (t, code) in [
            // The frame's words in the scammer's own mouth.
            (
                "这不是骗子电话，你涉嫌洗钱，请把资金转入安全账户。",
                "script_safe_account",
            ),
            (
                "有骗子冒充我行盗刷，请立即将资金转入安全账户。",
                "script_safe_account",
            ),
            (
                "骗子称你涉嫌洗钱，所以要把钱转到安全账户。",
                "script_safe_account",
            ),
            // A "grandson" passes on the other party's demand: 对方 without a verb of
            // pretending frames nothing.
            (
                "對方說要私了，要八萬，叫我匯到這個帳戶，是對方家屬的。",
                "script_third_party_transfer",
            ),
            (
                "The caller said you must move your savings to a safe account.",
                "script_safe_account",
            ),
            (
                "I'm not a scammer, said it twice: buy gift cards and read me the numbers.",
                "script_gift_card",
            ),
        ] {
            assert!(
                found(&lex, t).contains(&code.to_string()),
                "{t}: {:?}",
                found(&lex, t)
            );
        }
        // A frame in an earlier sentence does not reach the ask.
        let t = "据报道骗子很多。把钱转到安全账户。";
        assert!(found(&lex, t).contains(&"script_safe_account".to_string()));
        assert!(!frames_retelling(
            "这不是骗子电话",
            &Normalised::new("这不是骗子电话")
        ));
        assert!(frames_retelling(
            "骗子在电话中称",
            &Normalised::new("骗子在电话中称")
        ));
        assert!(!addresses_reader("骗子要求被害人转账，并请其配合调查"));
        assert!(addresses_reader("请立即转账"));
        // The victim in the third person, after the text has spoken to the reader.
        let t = "您好，我们是防控中心。为了证明清白，首先就是将事主本人的银行卡卡号提供给公安机关进行资金核查。";
        assert!(
            found(&lex, t).contains(&"script_safe_account".to_string()),
            "{:?}",
            found(&lex, t)
        );
    }

    #[test]
    fn a_clue_is_negated_only_before_its_first_term() {
        let lex = lexicon();
        let t = "请按我的要求操作：首先不要告诉任何人这件事情，然后加QQ";
        assert!(
            found(&lex, t).contains(&"script_secrecy".to_string()),
            "{:?}",
            found(&lex, t)
        );
    }

    #[test]
    fn reassurance_is_not_negation() {
        assert!(!zh_negated("别担心把验证码", "别担心把".len()));
        assert!(zh_negated("请勿告诉", "请勿".len()));
        let t = "你不要告诉别人,把钱转到安全账户";
        assert!(
            !zh_negated(t, t.find("安全").unwrap()),
            "a negation in the previous clause does not count"
        );
        let t = "公安机关不会要求您转账到安全账户";
        assert!(zh_negated(t, t.find("安全").unwrap()));
        let t = "如果你方便的话能不能先借我一些";
        assert!(
            !zh_negated(t, t.find("先借我").unwrap()),
            "an A-不-A question is not a negation"
        );
        let t = "你不能先借我一些";
        assert!(zh_negated(t, t.find("先借我").unwrap()));
        let t = "don't worry, just read me the code";
        assert!(!en_negated(t, t.find("read").unwrap()));
        let t = "never share your code";
        assert!(en_negated(t, t.find("share").unwrap()));
        let t = "we will never ask you to move money to a safe account";
        assert!(en_negated(t, t.find("safe").unwrap()));
        let t = "in order to avoid fees, update your billing information";
        assert!(
            !en_negated(t, t.find("update").unwrap()),
            "a negation in the previous clause does not count"
        );
        let t = "to avoid suspension update your billing information";
        assert!(
            !en_negated(t, t.find("update").unwrap()),
            "a purpose (\"to avoid\") is not advice"
        );
        let t = "to avoid fraud never share your code";
        assert!(en_negated(t, t.find("share").unwrap()));
        let t = "avoid clicking links that ask you to update your billing information";
        assert!(en_negated(t, t.find("update").unwrap()));
        let t = "don't tell anyone. move money to a safe account";
        assert!(
            !en_negated(t, t.find("safe").unwrap()),
            "a negation in the previous sentence does not count"
        );
    }

    #[test]
    fn an_account_and_its_freeze_count_within_one_clause() {
        let lex = lexicon();
        let threat = "script_account_threat".to_string();
        for t in [
            "您的账户因异常操作已被冻结",
            "您的帳戶因系統檢測到風險已暫時凍結，請聯繫專員",
            "Notice: your account has now been frozen due to a login problem.",
        ] {
            assert!(
                found(&lex, t).contains(&threat),
                "{t}: {:?}",
                found(&lex, t)
            );
        }
        for t in [
            "您的账户余额充足，冻结的额度已恢复",
            "您的账户不会被冻结",
            "Your account is fine. Frozen pipes caused the delay.",
        ] {
            assert!(
                !found(&lex, t).contains(&threat),
                "{t}: {:?}",
                found(&lex, t)
            );
        }
    }

    #[test]
    fn a_negated_request_governs_its_whole_list() {
        let lex = lexicon();
        for (t, code) in [
            (
                "本行工作人员不会以任何理由要求您提供短信验证码、下载远程控制软件或把资金转到安全账户。",
                "script_safe_account",
            ),
            (
                "公安机关不会通过电话、微信或QQ要求您共享屏幕、提供验证码或转账到所谓的安全账户。",
                "script_screen_share_ask",
            ),
        ] {
            assert!(!found(&lex, t).contains(&code.to_string()), "{t}: {:?}", found(&lex, t));
        }
        // Each item with its own imperative is no negated list, and a full comma ends the clause.
        for t in [
            "不要挂电话、不要告诉家人、马上把钱转到安全账户。",
            "我们不会要求你转账给个人，你只需要把钱转到安全账户。",
        ] {
            assert!(
                found(&lex, t).contains(&"script_safe_account".to_string()),
                "{t}: {:?}",
                found(&lex, t)
            );
        }
    }

    #[test]
    fn an_id_must_follow_a_channel_phrase_marked_for_one() {
        let lex = lexicon();
        let moved = "script_channel_move".to_string();
        for t in [
            "详询加微信 dk8899",
            "请+QQ 3345 6789",
            "加V：jd66889咨询",
            "Message us on Telegram quickcash2024 to apply",
            "our agent on WhatsApp +44 7700 900123",
        ] {
            assert!(found(&lex, t).contains(&moved), "{t}: {:?}", found(&lex, t));
        }
        for t in [
            "加微信了解详情",
            "我的QQ坏了",
            "I use WhatsApp a lot, 2 groups",
            "order ref BIGQQ12345 shipped",
        ] {
            assert!(
                !found(&lex, t).contains(&moved),
                "{t}: {:?}",
                found(&lex, t)
            );
        }
    }

    #[test]
    fn a_warning_about_others_requests_is_advice() {
        let lex = lexicon();
        for (t, code) in [
            (
                "如有人以关闭保障为由要求您转账或共享屏幕，请立即举报。",
                "script_screen_share_ask",
            ),
            (
                "自称银行要求您下载远程控制软件、分享屏幕的，都是诈骗。",
                "script_screen_share_ask",
            ),
            (
                "If anyone asks you to share your screen, hang up and report it.",
                "script_screen_share_ask",
            ),
        ] {
            assert!(!found(&lex, t).contains(&code.to_string()), "{t}");
            assert!(negated(&lex, t).contains(&code.to_string()), "{t}");
        }
        // An opener without a closer is no warning: the scammer's own cover story.
        let t = "如果有人问你为什么转账，就说是买房，然后把钱转到安全账户。";
        assert!(found(&lex, t).contains(&"script_safe_account".to_string()));
        // A negated closer or verdict is the scammer's own instruction.
        for t in [
            "如有人问起，你就说是自己的钱，然后转到安全账户，不要报警。",
            "如有人问起，把钱转到安全账户，这不是诈骗。",
            "If anyone calls, move the money to the safe account and do not hang up.",
        ] {
            assert!(
                found(&lex, t).contains(&"script_safe_account".to_string()),
                "{t}: {:?}",
                found(&lex, t)
            );
        }
        // A closer in another sentence does not reach back.
        let t = "请共享屏幕。如有问题请举报。";
        assert!(found(&lex, t).contains(&"script_screen_share_ask".to_string()));
    }

    #[test]
    fn bad_stages_are_reported() {
        let bad = "[[stage]]\ncode = \"claims_authority\"\nzh = [\"，\"]\n[[stage.near]]\na = []\nb = [\"x\"]\nwindow = 3\n";
        let LexiconError::Invalid { problems, .. } =
            ScriptLexicon::from_toml(bad, "s.toml").unwrap_err()
        else {
            panic!()
        };
        assert_eq!(problems.len(), 3, "{problems:#?}");
    }
}
