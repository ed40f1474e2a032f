//! Character classes the normaliser needs: what to strip, what is an emoji, what is CJK.
//!
//! NFKC keeps zero-width and bidi controls, so we strip Default_Ignorable_Code_Point and
//! Bidi_Control ourselves. Emoji are dropped from the matching text but remembered, because a
//! police-car emoji or a check mark in a display name is itself a tell.

/// Whether `c` is invisible formatting that disguises text: zero-width characters, bidi controls,
/// variation selectors, tag characters, soft hyphens and fillers (Default_Ignorable_Code_Point
/// and Bidi_Control in Unicode).
pub fn is_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Whether `c` is an emoji or pictographic symbol (approximate Extended_Pictographic plus
/// keycaps, skin tones, stars, check marks and other dingbats).
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x20E3 | 0x2122 | 0x2139 | 0x2190..=0x21FF
        | 0x2300..=0x23FF | 0x24C2 | 0x25A0..=0x25FF | 0x2600..=0x27BF | 0x2900..=0x297F
        | 0x2B00..=0x2BFF | 0x3030 | 0x303D | 0x3297 | 0x3299 | 0x1F000..=0x1FAFF)
}

/// Emoji that mimic authority or verification (police cars, sirens, badges, check marks).
pub fn is_authority_emoji(c: char) -> bool {
    matches!(
        c as u32,
        0x1F46E      // 👮 police officer
        | 0x1F693    // 🚓 police car
        | 0x1F694    // 🚔 oncoming police car
        | 0x1F6A8    // 🚨 siren
        | 0x2705     // ✅
        | 0x2611     // ☑
        | 0x2714     // ✔
        | 0x1F6E1    // 🛡
        | 0x1F3DB    // 🏛
        | 0x2696     // ⚖
        | 0x1F396    // 🎖
        | 0x1F4DB // 📛
    )
}

/// Whether `c` is a CJK ideograph (unified, extensions A–F, compatibility).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2EBEF | 0x30000..=0x3134F)
}

/// Characters that separate clauses but that NFKC leaves alone (CJK punctuation), mapped to
/// their ASCII counterparts so that URL and sentence handling sees one form.
pub fn ascii_punctuation(c: char) -> Option<char> {
    Some(match c {
        '。' | '｡' | '．' => '.',
        '，' => ',',
        // The enumeration comma joins the items of a list and does not end a clause.
        '、' | '､' => '/',
        '：' => ':',
        '；' => ';',
        '！' => '!',
        '？' => '?',
        '（' | '【' | '〔' | '［' | '「' | '『' | '〈' | '《' => '(',
        '）' | '】' | '〕' | '］' | '」' | '』' | '〉' | '》' => ')',
        '“' | '”' | '„' | '″' => '"',
        '‘' | '’' | '′' => '\'',
        '—' | '–' | '‐' | '‑' | '‒' | '―' => '-',
        '·' | '•' | '・' | '‧' | '∙' => '.',
        '\u{3000}' => ' ',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_ignorable('\u{200B}'));
        assert!(is_ignorable('\u{202E}'));
        assert!(is_ignorable('\u{FE0F}'));
        assert!(!is_ignorable('a'));
        assert!(is_emoji('👮'));
        assert!(is_emoji('⭐'));
        assert!(is_emoji('✅'));
        assert!(!is_emoji('公'));
        assert!(is_authority_emoji('🚓'));
        assert!(is_cjk('公'));
        assert!(!is_cjk('a'));
        assert_eq!(ascii_punctuation('。'), Some('.'));
        assert_eq!(ascii_punctuation('a'), None);
    }
}
