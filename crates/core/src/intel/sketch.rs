//! Near-identical text: MinHash signatures of the caller's words, cut into bands.
//!
//! A ring reads the same script to every victim, with a name or an amount changed. Two texts
//! whose character shingles overlap by a Jaccard index `s` agree on one band of [`ROWS`]
//! MinHash values with probability `s^ROWS`, and on at least one of [`BANDS`] bands with
//! probability `1 - (1 - s^ROWS)^BANDS`: with 14 bands of 9 rows that is 99.9 % at s = 0.9,
//! 87 % at 0.8, 44 % at 0.7, 3 % at 0.5 and 0.03 % at 0.3. A ring's script read again with
//! another city, name and amount is about 0.8; scripts of two rings that share some stock
//! sentences are about 0.5. The numbers were chosen on generated traffic (docs/evaluation.md):
//! 18 bands of 7 rows joined more rings that share sentences (pairwise precision 0.936
//! against 0.976, recall 1.000 for both). Each band is an indicator, so near-identical
//! texts meet in the same index as shared accounts and domains, with no pairwise comparison.
//!
//! The signatures come from gaoya's `MinHasher32` with a fixed seed and a fixed hasher, so the
//! bands are the same in every process and after a restart (they are stored).

use crate::text::Normalised;
use gaoya::minhash::{MinHasher, MinHasher32};
use rustc_hash::FxHasher;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::OnceLock;

/// Bands per signature.
pub const BANDS: usize = 14;
/// MinHash values per band.
pub const ROWS: usize = 9;
/// Characters per shingle.
pub const SHINGLE: usize = 4;
/// Texts shorter than this (after normalisation) are not sketched: short sentences are stock
/// phrases every ring says ("请把资金转到安全账户#核查", "ok, thanks"), not a ring's script.
pub const MIN_CHARS: usize = 40;
/// Only the first this many characters are read: scripts repeat themselves early.
pub const MAX_CHARS: usize = 2_000;
/// Fixed, so that stored bands stay comparable.
const SEED: u64 = 0x5ca3_6a4d;

fn hasher() -> &'static MinHasher32<BuildHasherDefault<FxHasher>> {
    static H: OnceLock<MinHasher32<BuildHasherDefault<FxHasher>>> = OnceLock::new();
    H.get_or_init(|| {
        MinHasher32::new_with_hasher_and_seed(BANDS * ROWS, BuildHasherDefault::default(), SEED)
    })
}

/// The characters a sketch reads: normalised (case, width, script, separators), with every
/// run of digits masked as one `#`, so that a changed amount, account or case number neither
/// hides the template nor makes a stock phrase look long.
pub fn sketch_chars(text: &str) -> Vec<char> {
    let n = Normalised::new(text);
    let mut out = Vec::with_capacity(n.compact.len().min(MAX_CHARS));
    for c in n.compact.chars() {
        if out.len() >= MAX_CHARS {
            break;
        }
        if c.is_ascii_digit() {
            if out.last() != Some(&'#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The band values of `text` (`b03:9f…`), or none when it is too short to tell.
pub fn bands(text: &str) -> Vec<String> {
    let chars = sketch_chars(text);
    if chars.len() < MIN_CHARS {
        return Vec::new();
    }
    let sig = hasher().create_signature(chars.windows(SHINGLE));
    sig.chunks(ROWS)
        .enumerate()
        .map(|(i, rows)| {
            let mut h = FxHasher::default();
            rows.hash(&mut h);
            format!("b{i:02}:{:016x}", h.finish())
        })
        .collect()
}

/// The Jaccard index of two texts' shingle sets, estimated from their signatures (for tests
/// and evaluation).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (sketch_chars(a), sketch_chars(b));
    let h = hasher();
    let (sa, sb) = (
        h.create_signature(a.windows(SHINGLE)),
        h.create_signature(b.windows(SHINGLE)),
    );
    let same = sa.iter().zip(&sb).filter(|(x, y)| x == y).count();
    same as f64 / sa.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = "您好，这里是上海市公安局刑侦支队，您名下的银行卡涉嫌一起洗钱案件，涉案金额 380000 元，请您配合调查，不要告诉任何人。";

    #[test]
    fn the_same_script_with_another_amount_shares_bands() {
        let other = SCRIPT
            .replace("380000", "125000")
            .replace("上海市", "杭州市");
        let (a, b) = (bands(SCRIPT), bands(&other));
        assert_eq!(a.len(), BANDS);
        assert!(a.iter().any(|x| b.contains(x)), "{a:?} {b:?}");
        assert!(similarity(SCRIPT, &other) > 0.7);
    }

    #[test]
    fn different_texts_share_none() {
        let a = bands(SCRIPT);
        let b = bands("明天下午三点我们在公司楼下的咖啡店见面，记得带上合同和发票的复印件。");
        assert!(!a.iter().any(|x| b.contains(x)));
    }

    #[test]
    fn bands_are_stable() {
        // Stored bands must not change between builds: this value is part of the format.
        let first = &bands(SCRIPT)[0];
        assert_eq!(first, "b00:28bd7500f3a3451b");
    }

    #[test]
    fn short_text_is_not_sketched() {
        assert!(bands("好的，谢谢").is_empty());
        assert!(bands("").is_empty());
    }
}
