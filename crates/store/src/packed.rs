//! The large JSON columns of events (the verdict and the session's state, about 2.3 KB
//! together) stored compressed on SQLite.
//!
//! Why: SQLite's cost per event grows with the row; at 2.3 KB barely one row fits a 4 KiB
//! page, so every event wrote a page of its own. LZ4 halves the bytes for about a
//! microsecond each way. A packed value starts with a tag no JSON text starts with, so rows
//! written before (plain text) read as they always did.

use crate::StoreError;

/// What a packed value starts with, followed by the text's length (u32 LE) and its LZ4 block.
const TAG: &[u8; 4] = b"\0lz4";
/// The longest text a packed value may claim, against a corrupt length.
const TEXT_MAX: usize = 64 << 20;

/// `text`, packed.
pub(crate) fn pack(text: &str) -> Vec<u8> {
    let raw = text.as_bytes();
    let head = TAG.len() + 4;
    let mut out = vec![0; head + lz4_flex::block::get_maximum_output_size(raw.len())];
    out[..TAG.len()].copy_from_slice(TAG);
    out[TAG.len()..head].copy_from_slice(&(raw.len() as u32).to_le_bytes());
    let n = lz4_flex::block::compress_into(raw, &mut out[head..])
        .expect("the buffer has room for the worst case");
    out.truncate(head + n);
    out
}

/// The text of a stored value, packed or plain; `place` names it in errors.
pub(crate) fn unpack(stored: Vec<u8>, place: &dyn Fn() -> String) -> Result<String, StoreError> {
    let corrupt = |why: String| StoreError::Corrupt(format!("{}: {why}", place()));
    let raw = match stored.strip_prefix(TAG) {
        Some(rest) if rest.len() >= 4 => {
            let len = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
            if len > TEXT_MAX {
                return Err(corrupt(format!("claims {len} bytes")));
            }
            lz4_flex::block::decompress(&rest[4..], len).map_err(|e| corrupt(e.to_string()))?
        }
        Some(_) => return Err(corrupt("truncated".into())),
        None => stored,
    };
    String::from_utf8(raw).map_err(|e| corrupt(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_reads_back_plain_and_packed_text() {
        let verdict = r#"{"action":"block","explanation":"高度疑似诈骗，已为您拦截。公安、检察院、法院不会通过FaceTime联系您。"}"#.repeat(8);
        let packed = pack(&verdict);
        assert!(
            packed.len() < verdict.len() / 2,
            "{} of {}",
            packed.len(),
            verdict.len()
        );
        let place = || "events.verdict".to_string();
        assert_eq!(unpack(packed.clone(), &place).unwrap(), verdict);
        // Rows written before packing are plain UTF-8 and read unchanged.
        assert_eq!(
            unpack(verdict.clone().into_bytes(), &place).unwrap(),
            verdict
        );
        assert_eq!(unpack(pack(""), &place).unwrap(), "");
        // Damage is reported with its place, never a panic or a wrong text.
        for bad in [
            packed[..packed.len() - 3].to_vec(),
            packed[..6].to_vec(),
            [TAG.as_slice(), &u32::MAX.to_le_bytes()].concat(),
            vec![0xff, 0xfe],
        ] {
            let err = unpack(bad, &place).unwrap_err();
            assert!(err.to_string().contains("events.verdict"), "{err}");
        }
    }
}
