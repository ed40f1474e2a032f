//! Traditional → simplified Chinese, one character at a time.
//!
//! zhconv converts phrase by phrase and is too slow to run on every display name. For matching,
//! a character map is enough ("廣州市公安局" → "广州市公安局"), so we derive one from zhconv's
//! script-only (zh-Hans) tables the first time it is needed and reuse it.

use std::sync::OnceLock;

/// The CJK blocks covered: Extension A, the unified block, and compatibility ideographs.
const BLOCKS: [(u32, u32); 3] = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)];

/// One slot per code point of [`BLOCKS`], in order: the simplified form, or 0 for "unchanged".
/// A flat table is a single index per character, far cheaper than hashing.
fn table() -> &'static [u32] {
    static TABLE: OnceLock<Vec<u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Vec::new();
        for (lo, hi) in BLOCKS {
            let chars: Vec<char> = (lo..=hi).filter_map(char::from_u32).collect();
            // One conversion call per block, with a separator zhconv leaves alone, is much faster
            // than one call per character.
            let mut joined = String::with_capacity(chars.len() * 4);
            for c in &chars {
                joined.push(*c);
                joined.push('\n');
            }
            let converted = zhconv::zhconv(&joined, zhconv::Variant::ZhHans);
            let mut out = converted.split('\n');
            for c in &chars {
                let conv = out.next().unwrap_or("");
                let mut it = conv.chars();
                let mapped = match (it.next(), it.next()) {
                    (Some(s), None) if s != *c => s as u32,
                    _ => 0,
                };
                table.push(mapped);
            }
        }
        table
    })
}

fn slot(c: char) -> Option<usize> {
    let u = c as u32;
    let mut base = 0usize;
    for (lo, hi) in BLOCKS {
        if (lo..=hi).contains(&u) {
            return Some(base + (u - lo) as usize);
        }
        base += (hi - lo + 1) as usize;
    }
    None
}

/// The simplified form of `c`, or `c` itself.
#[inline]
pub fn simplify(c: char) -> char {
    match slot(c).map(|i| table()[i]) {
        Some(m) if m != 0 => char::from_u32(m).unwrap_or(c),
        _ => c,
    }
}

/// Whether `c` is a traditional character that has a different simplified form.
pub fn is_traditional(c: char) -> bool {
    slot(c).is_some_and(|i| table()[i] != 0)
}

/// Loads the table now, so that the first request does not pay for it.
pub fn warm_up() {
    let _ = table();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplifies_common_characters() {
        let s: String = "廣州市公安局國家反詐中心檢察院銀行"
            .chars()
            .map(simplify)
            .collect();
        assert_eq!(s, "广州市公安局国家反诈中心检察院银行");
        assert_eq!(simplify('a'), 'a');
        assert!(is_traditional('國'));
        assert!(!is_traditional('国'));
    }
}
