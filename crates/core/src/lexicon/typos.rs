//! Typed slips of English brand names: "Pyapal Support", "Amazn", "Barlcays Bank".
//!
//! A scammer who cannot register a brand's exact name, or whose filter it trips, types it one
//! slip away so it still reads as the brand: a letter dropped, a letter doubled, two neighbouring
//! letters swapped, or a letter replaced by its neighbour on a QWERTY keyboard. The first letter
//! is never changed (a word that starts differently reads as another word: "Morton" is no
//! "Norton"), and only brands of [`MIN_BRAND`] letters or more are kept, since a short brand one
//! slip away is an everyday word ("Apple" and "Ample", "Chase" and "Chose").
//!
//! Candidates are found the symmetric-delete way: every brand is stored under each spelling
//! with one letter deleted, so a slip is found by a few hash look-ups of the typed word and its
//! own one-letter deletions, never by comparing against every brand.

use rustc_hash::FxHashMap as HashMap;

/// The fewest letters a brand's name needs before its slips are read as the brand.
pub const MIN_BRAND: usize = 6;

/// The most letters a brand key may have (longer names are not typed as one word).
const MAX_BRAND: usize = 24;

/// English brand names by their letters, and each one's one-letter deletions.
#[derive(Debug, Clone, Default)]
pub struct BrandSlips {
    /// The brands' keys (lower-case ASCII letters) and what each stands for.
    brands: Vec<(String, usize)>,
    /// A brand key with one letter deleted → the brands it comes from.
    deletions: HashMap<String, Vec<u32>>,
    /// The key itself → its brand (a word with a letter too many deletes to it).
    whole: HashMap<String, u32>,
    /// Bit `len` of `lengths[first letter]`: some brand of that first letter has `len`
    /// letters. Most words are turned away by this check alone.
    lengths: [u32; 26],
}

impl BrandSlips {
    /// Adds the brand key `key` (lower-case ASCII letters), standing for `value`. Keys too short
    /// or too long are left out; a key given twice keeps its first value.
    pub fn add(&mut self, key: &str, value: usize) {
        if !(MIN_BRAND..=MAX_BRAND).contains(&key.len())
            || !key.bytes().all(|b| b.is_ascii_lowercase())
            || self.whole.contains_key(key)
        {
            return;
        }
        let id = self.brands.len() as u32;
        self.brands.push((key.to_string(), value));
        self.whole.insert(key.to_string(), id);
        self.lengths[(key.as_bytes()[0] - b'a') as usize] |= 1 << key.len();
        // Deleting the first letter would change it, which no slip here does.
        for at in 1..key.len() {
            let mut d = String::with_capacity(key.len() - 1);
            d.push_str(&key[..at]);
            d.push_str(&key[at + 1..]);
            let ids = self.deletions.entry(d).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }

    /// The brand `word` (lower-case ASCII letters) is one slip of, if any: what it stands for.
    /// `buf` is reused between calls so that looking costs no allocation.
    pub fn slip_of(&self, word: &str, buf: &mut String) -> Option<usize> {
        let len = word.len();
        let first = *word.as_bytes().first()?;
        if !first.is_ascii_lowercase() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        // A slip is one letter shorter, as long, or one letter longer than its brand.
        let lens = self.lengths[(first - b'a') as usize];
        let near = (len.saturating_sub(1)..=len + 1).any(|l| l < 32 && lens & (1 << l) != 0);
        if !near || self.whole.contains_key(word) {
            return None;
        }
        let found = |id: u32| {
            let (key, value) = &self.brands[id as usize];
            is_slip(word, key).then_some(*value)
        };
        // A letter dropped: the word is one of a brand's deletions.
        if let Some(v) = self
            .deletions
            .get(word)
            .and_then(|ids| ids.iter().find_map(|&id| found(id)))
        {
            return Some(v);
        }
        for at in 1..len {
            buf.clear();
            buf.push_str(&word[..at]);
            buf.push_str(&word[at + 1..]);
            // A letter too many: deleting it leaves the brand.
            if let Some(v) = self.whole.get(buf.as_str()).and_then(|&id| found(id)) {
                return Some(v);
            }
            // A letter replaced or two swapped: word and brand share a deletion.
            if let Some(v) = self
                .deletions
                .get(buf.as_str())
                .and_then(|ids| ids.iter().find_map(|&id| found(id)))
            {
                return Some(v);
            }
        }
        None
    }
}

/// Whether `typed` is `brand` with one slip that keeps its first letter: a letter dropped, a
/// letter doubled, two neighbouring letters swapped, or a letter replaced by (or an extra one
/// typed beside it from) a neighbouring key.
pub fn is_slip(typed: &str, brand: &str) -> bool {
    let (t, b) = (typed.as_bytes(), brand.as_bytes());
    if t.is_empty() || b.is_empty() || t[0] != b[0] || t == b {
        return false;
    }
    // The common prefix and suffix; what lies between is the slip.
    let pre = t.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max_suf = t.len().min(b.len()) - pre;
    let suf = t
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suf)
        .take_while(|(x, y)| x == y)
        .count();
    let (tm, bm) = (&t[pre..t.len() - suf], &b[pre..b.len() - suf]);
    match (tm.len(), bm.len()) {
        // Dropped: "netflx" for "netflix".
        (0, 1) => true,
        // Doubled, or a neighbouring key pressed with the right one: "amazzon", "amazpon".
        (1, 0) => {
            let extra = tm[0];
            let before = pre.checked_sub(1).map(|i| t[i]);
            let after = t.get(pre + 1).copied();
            [before, after]
                .into_iter()
                .flatten()
                .any(|c| c == extra || keys_touch(c, extra))
        }
        // Replaced by a neighbouring key: "amazin" for "amazon".
        (1, 1) => keys_touch(tm[0], bm[0]),
        // Swapped: "barlcays" for "barclays".
        (2, 2) => tm[0] == bm[1] && tm[1] == bm[0],
        _ => false,
    }
}

/// Whether two lower-case letters sit side by side on a QWERTY keyboard (same row, or the
/// rows above and below within one key).
fn keys_touch(a: u8, b: u8) -> bool {
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let at = |c: u8| {
        ROWS.iter().enumerate().find_map(|(r, row)| {
            row.iter()
                .position(|&k| k == c)
                .map(|i| (r as i32, i as i32))
        })
    };
    let (Some((ra, ia)), Some((rb, ib))) = (at(a), at(b)) else {
        return false;
    };
    // Each row is set half a key to the right of the one above: a key touches the one above
    // it and the one above-right, the one below and the one below-left.
    match rb - ra {
        0 => (ia - ib).abs() == 1,
        1 => ib == ia || ib == ia - 1,
        -1 => ib == ia || ib == ia + 1,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slip_is_one_dropped_doubled_swapped_or_neighbouring_letter() {
        for (typed, brand) in [
            ("papyal", "paypal"),
            ("amazzon", "amazon"),
            ("amazin", "amazon"),
            ("chaesbank", "chasebank"),
            ("netflx", "netflix"),
            ("gooogle", "google"),
            ("micorsoft", "microsoft"),
        ] {
            assert!(is_slip(typed, brand), "{typed} {brand}");
        }
        // Another first letter, the brand itself, a stray key far from its neighbours, a
        // replaced key that does not touch, and two slips.
        for (typed, brand) in [
            ("morton", "norton"),
            ("mazon", "amazon"),
            ("amazon", "amazon"),
            ("amapzon", "amazon"),
            ("goggle", "google"),
            ("amzaom", "amazon"),
        ] {
            assert!(!is_slip(typed, brand), "{typed} {brand}");
        }
    }

    #[test]
    fn finds_a_slip_among_many_brands_and_leaves_short_ones_alone() {
        let mut s = BrandSlips::default();
        for (i, b) in [
            "amazon",
            "paypal",
            "chasebank",
            "netflix",
            "apple",
            "norton",
        ]
        .into_iter()
        .enumerate()
        {
            s.add(b, i);
        }
        let mut buf = String::new();
        assert_eq!(s.slip_of("amazin", &mut buf), Some(0));
        assert_eq!(s.slip_of("paypa", &mut buf), Some(1));
        assert_eq!(s.slip_of("payypal", &mut buf), Some(1));
        assert_eq!(s.slip_of("chaesbank", &mut buf), Some(2));
        assert_eq!(s.slip_of("netfilx", &mut buf), Some(3));
        // The brand itself, a five-letter brand's slip, another first letter, two slips.
        for word in ["amazon", "appel", "morton", "amzaom", "paypalsupport", ""] {
            assert_eq!(s.slip_of(word, &mut buf), None, "{word}");
        }
    }
}
