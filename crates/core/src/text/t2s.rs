//! Traditional → simplified Chinese, one character at a time.
//!
//! zhconv converts phrase by phrase and is too slow to run on every display name. For matching,
//! a character map is enough ("廣州市公安局" → "广州市公安局"), so we derive one from zhconv's
//! script-only (zh-Hans) tables the first time it is needed and reuse it.

use std::collections::HashMap;
use std::sync::OnceLock;

fn table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let ranges = [0x3400u32..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF];
        // One conversion call for a whole block, with a separator that zhconv leaves alone, is
        // much faster than one call per character.
        let mut map = HashMap::new();
        for range in ranges {
            let chars: Vec<char> = range.filter_map(char::from_u32).collect();
            let mut joined = String::with_capacity(chars.len() * 4);
            for c in &chars {
                joined.push(*c);
                joined.push('\n');
            }
            let converted = zhconv::zhconv(&joined, zhconv::Variant::ZhHans);
            for (orig, conv) in chars.iter().zip(converted.split('\n')) {
                let mut it = conv.chars();
                if let (Some(s), None) = (it.next(), it.next()) {
                    if s != *orig {
                        map.insert(*orig, s);
                    }
                }
            }
        }
        map
    })
}

/// The simplified form of `c`, or `c` itself.
#[inline]
pub fn simplify(c: char) -> char {
    if !super::chars::is_cjk(c) {
        return c;
    }
    table().get(&c).copied().unwrap_or(c)
}

/// Whether `c` is a traditional character that has a different simplified form.
pub fn is_traditional(c: char) -> bool {
    super::chars::is_cjk(c) && table().contains_key(&c)
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
