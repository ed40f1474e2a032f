//! The model file format: small, versioned, and rejected cleanly when damaged.
//!
//! ```text
//! offset  size            field
//! 0       8               magic "SGMODEL\0"
//! 8       4               format version, u32 little-endian: 1, or 2 when the header
//!                         records feature-scheme options (`features`), so that a build
//!                         that knows no options refuses such a file instead of misreading it,
//!                         or 3 when those options include `idf`, or 4 when they scale
//!                         each family of n-grams apart (`"norm": "families"`, with or
//!                         without `idf`)
//! 12      4               header length H, u32 little-endian
//! 16      H               header: UTF-8 JSON (`ModelInfo`: bits, classes, bias, scales,
//!                         thresholds, languages, how it was trained, dev metrics)
//! 16+H    2 * 2^bits      weights: per bucket, spam then scam, i8 (times the header's scale)
//! ...     2^bits          (version 3, and 4 with `idf`) IDF per bucket, u8 (times
//!                         `features::IDF_STEP`)
//! end-8   8               FNV-1a 64 checksum of every byte before it, u64 little-endian
//! ```
//!
//! The header is JSON so that `head -c 4000 model.bin` tells an operator what a model is,
//! and so that fields can be added without a new format version. The weights are `i8`
//! because a linear model over hashed n-grams loses nothing measurable at that precision (the
//! trainer checks on dev) and the default model then fits in 2 MiB.

use super::{Model, ModelInfo};

/// First bytes of every model file.
pub const MAGIC: &[u8; 8] = b"SGMODEL\0";
/// The newest format version this build writes and reads (it reads every version from 1).
pub const VERSION: u32 = 4;
/// The format version of a model whose feature scheme is the default one.
const PLAIN_VERSION: u32 = 1;
/// The format version of a model with scheme options but no IDF table.
const OPTIONS_VERSION: u32 = 2;
/// The format version of a model with an IDF table.
const IDF_VERSION: u32 = 3;
/// The format version of a model that scales each family of n-grams apart (scored by
/// other sums than before, so a build that knows no families must refuse it).
const FAMILIES_VERSION: u32 = 4;
/// Largest header accepted, so that a corrupt length cannot ask for gigabytes.
const MAX_HEADER: usize = 1 << 20;

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The file does not start with the model magic number.
    #[error("not a scamguard model file (bad magic number)")]
    BadMagic,
    /// The file is a model, but of a format version this build cannot read.
    #[error(
        "model format version {found} is not supported (this build reads versions 1 to {supported})"
    )]
    UnsupportedVersion {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        supported: u32,
    },
    /// The file ends before a part it announces.
    #[error(
        "model file is truncated: the {part} needs {needed} bytes but only {available} remain"
    )]
    Truncated {
        /// The part being read.
        part: &'static str,
        /// Bytes it needs.
        needed: u64,
        /// Bytes left in the file.
        available: u64,
    },
    /// The header is not valid JSON of the expected shape.
    #[error("model header is invalid: {0}")]
    Header(String),
    /// The model was trained with another feature scheme.
    #[error("model was trained with feature scheme {found}; this build computes scheme {supported}: retrain it")]
    FeatureVersion {
        /// Scheme in the file.
        found: u32,
        /// Scheme of this build.
        supported: u32,
    },
    /// The checksum does not match: the file was damaged after it was written.
    #[error("model file checksum does not match: the file is damaged")]
    Checksum,
    /// The parts are well-formed but inconsistent.
    #[error("invalid model: {0}")]
    Invalid(String),
}

/// FNV-1a 64 over `bytes`.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Reads `n` bytes at `*at`, naming `part` if the file is too short.
fn take<'a>(
    bytes: &'a [u8],
    at: &mut usize,
    n: usize,
    part: &'static str,
) -> Result<&'a [u8], ModelError> {
    let available = bytes.len().saturating_sub(*at);
    if n > available {
        return Err(ModelError::Truncated {
            part,
            needed: n as u64,
            available: available as u64,
        });
    }
    let s = &bytes[*at..*at + n];
    *at += n;
    Ok(s)
}

fn u32_at(bytes: &[u8], at: &mut usize, part: &'static str) -> Result<u32, ModelError> {
    let b = take(bytes, at, 4, part)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl Model {
    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut at = 0usize;
        let magic = take(bytes, &mut at, MAGIC.len(), "magic number")?;
        if magic != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let version = u32_at(bytes, &mut at, "format version")?;
        if !(PLAIN_VERSION..=VERSION).contains(&version) {
            return Err(ModelError::UnsupportedVersion {
                found: version,
                supported: VERSION,
            });
        }
        let header_len = u32_at(bytes, &mut at, "header length")? as usize;
        if header_len > MAX_HEADER {
            return Err(ModelError::Header(format!(
                "header of {header_len} bytes is larger than the {MAX_HEADER} allowed"
            )));
        }
        let header = take(bytes, &mut at, header_len, "header")?;
        let info: ModelInfo =
            serde_json::from_slice(header).map_err(|e| ModelError::Header(e.to_string()))?;
        if version == PLAIN_VERSION && !info.features.is_default() {
            return Err(ModelError::Invalid(
                "a version 1 file cannot record feature-scheme options".into(),
            ));
        }
        if !(super::features::MIN_BITS..=super::features::MAX_BITS).contains(&info.bits) {
            return Err(ModelError::Invalid(format!(
                "bits must be between {} and {}, found {}",
                super::features::MIN_BITS,
                super::features::MAX_BITS,
                info.bits
            )));
        }
        if (version == FAMILIES_VERSION) != info.features.by_family() {
            return Err(ModelError::Invalid(format!(
                "a version {version} file {} scale n-gram families apart",
                if info.features.by_family() {
                    "cannot"
                } else {
                    "must"
                }
            )));
        }
        if version != FAMILIES_VERSION && (version == IDF_VERSION) != info.features.idf {
            return Err(ModelError::Invalid(format!(
                "a version {version} file {} an IDF table",
                if info.features.idf {
                    "cannot have"
                } else {
                    "must have"
                }
            )));
        }
        let rows = 1usize << info.bits;
        let table = take(bytes, &mut at, rows * 2, "weight table")?;
        let idf = if info.features.idf {
            take(bytes, &mut at, rows, "IDF table")?.to_vec()
        } else {
            Vec::new()
        };
        let body_end = at;
        let sum = take(bytes, &mut at, 8, "checksum")?;
        if at != bytes.len() {
            return Err(ModelError::Invalid(format!(
                "{} unexpected bytes after the checksum",
                bytes.len() - at
            )));
        }
        let mut want = [0u8; 8];
        want.copy_from_slice(sum);
        if u64::from_le_bytes(want) != checksum(&bytes[..body_end]) {
            return Err(ModelError::Checksum);
        }
        let weights = table
            .chunks_exact(2)
            .map(|p| [p[0] as i8, p[1] as i8])
            .collect();
        Model::from_parts(info, weights, idf)
    }

    /// Writes the model file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header =
            serde_json::to_vec(&self.info).expect("a model header always serialises to JSON");
        let mut out = Vec::with_capacity(16 + header.len() + self.weights.len() * 2 + 8);
        out.extend_from_slice(MAGIC);
        let version = if self.info.features.by_family() {
            FAMILIES_VERSION
        } else if self.info.features.idf {
            IDF_VERSION
        } else if self.info.features.is_default() {
            PLAIN_VERSION
        } else {
            OPTIONS_VERSION
        };
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        for w in &self.weights {
            out.push(w[0] as u8);
            out.push(w[1] as u8);
        }
        out.extend_from_slice(&self.idf);
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Languages, Thresholds, TrainingInfo};
    use super::*;

    fn tiny() -> Model {
        let info = ModelInfo {
            feature_version: super::super::features::FEATURE_VERSION,
            bits: 16,
            features: Default::default(),
            classes: vec!["ham".into(), "spam".into(), "scam".into()],
            bias: [-1.0, -2.0],
            scale: [0.01, 0.02],
            thresholds: Thresholds {
                scam: 0.6,
                spam: 0.4,
            },
            thresholds_cjk: None,
            languages: Languages {
                cjk: false,
                latin: true,
            },
            training: TrainingInfo::default(),
        };
        let weights = (0..1u32 << 16)
            .map(|i| [(i % 251) as i8, (i % 127) as i8 - 60])
            .collect();
        Model::from_parts(info, weights, Vec::new()).unwrap()
    }

    /// `bytes` under format `version`, with the checksum made to match, so that only the
    /// version check can refuse it.
    fn restamped(bytes: &[u8], version: u32) -> Vec<u8> {
        let mut out = bytes.to_vec();
        out[8..12].copy_from_slice(&version.to_le_bytes());
        let body = out.len() - 8;
        let sum = checksum(&out[..body]);
        out[body..].copy_from_slice(&sum.to_le_bytes());
        out
    }

    #[test]
    fn round_trip() {
        let m = tiny();
        let bytes = m.to_bytes();
        assert_eq!(&bytes[..8], MAGIC);
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.to_bytes(), bytes);
    }

    #[test]
    fn scheme_options_are_written_as_version_2_and_read_back() {
        let plain = tiny().to_bytes();
        assert_eq!(plain[8..12], PLAIN_VERSION.to_le_bytes());
        let mut m = tiny();
        m.info.features = super::super::features::Scheme {
            tf: super::super::features::Tf::Log,
            keep_digits: true,
            ..Default::default()
        };
        let bytes = m.to_bytes();
        assert_eq!(bytes[8..12], 2u32.to_le_bytes());
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.to_bytes(), bytes);
        // The same header under version 1 is refused: a build without options would have
        // scored it with the wrong features.
        assert!(matches!(
            Model::from_bytes(&restamped(&bytes, PLAIN_VERSION)),
            Err(ModelError::Invalid(_))
        ));
    }

    #[test]
    fn an_idf_table_is_written_as_version_3_and_read_back() {
        let mut m = tiny();
        m.info.features.idf = true;
        m.idf = (0..m.weights.len()).map(|i| (i % 200) as u8).collect();
        let bytes = m.to_bytes();
        assert_eq!(bytes[8..12], 3u32.to_le_bytes());
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.to_bytes(), bytes);
        // Under version 2 the table is refused, not read as trailing bytes.
        assert!(matches!(
            Model::from_bytes(&restamped(&bytes, 2)),
            Err(ModelError::Invalid(_))
        ));
        // A table cut short is refused.
        let mut short = bytes[..bytes.len() - 9].to_vec();
        let sum = checksum(&short);
        short.extend_from_slice(&sum.to_le_bytes());
        assert!(Model::from_bytes(&short).is_err());
    }

    #[test]
    fn the_default_model_round_trips() {
        let bytes = super::super::DEFAULT_MODEL;
        let m = Model::from_bytes(bytes).unwrap();
        assert_eq!(m.to_bytes(), bytes);
        assert!(
            bytes.len() < 4 << 20,
            "the default model must stay under 4 MiB"
        );
    }

    #[test]
    fn truncated_files_are_rejected() {
        let bytes = tiny().to_bytes();
        for cut in [0, 4, 8, 10, 14, 20, bytes.len() / 2, bytes.len() - 1] {
            let err = Model::from_bytes(&bytes[..cut]).unwrap_err();
            assert!(
                matches!(err, ModelError::Truncated { .. } | ModelError::Header(_)),
                "cut at {cut}: {err:?}"
            );
        }
        let err = Model::from_bytes(&bytes[..bytes.len() - 3]).unwrap_err();
        assert!(matches!(
            err,
            ModelError::Truncated {
                part: "checksum",
                ..
            }
        ));
        assert!(err.to_string().contains("truncated"), "{err}");
    }

    #[test]
    fn wrong_magic_is_rejected() {
        let mut bytes = tiny().to_bytes();
        bytes[0] = b'X';
        assert_eq!(Model::from_bytes(&bytes), Err(ModelError::BadMagic));
        assert_eq!(
            Model::from_bytes(b"{\"not\": \"a model\"}"),
            Err(ModelError::BadMagic)
        );
    }

    #[test]
    fn wrong_version_is_rejected() {
        let mut bytes = tiny().to_bytes();
        bytes[8..12].copy_from_slice(&7u32.to_le_bytes());
        assert_eq!(
            Model::from_bytes(&bytes),
            Err(ModelError::UnsupportedVersion {
                found: 7,
                supported: VERSION
            })
        );
    }

    #[test]
    fn damage_is_detected() {
        let mut bytes = tiny().to_bytes();
        let mid = bytes.len() - 1000;
        bytes[mid] ^= 0x55;
        assert_eq!(Model::from_bytes(&bytes), Err(ModelError::Checksum));
        let mut bytes = tiny().to_bytes();
        bytes.push(0);
        assert!(matches!(
            Model::from_bytes(&bytes),
            Err(ModelError::Invalid(_))
        ));
    }

    #[test]
    fn families_scaled_apart_are_written_as_version_4_and_read_back() {
        let mut m = tiny();
        m.info.features.keep_digits = true;
        m.info.features.norm = super::super::features::Norm::Families;
        let bytes = m.to_bytes();
        assert_eq!(bytes[8..12], 4u32.to_le_bytes());
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.to_bytes(), bytes);
        // Under version 2 (what a build without families would accept) it is refused, and a
        // version 4 file must say it scales families apart.
        assert!(matches!(
            Model::from_bytes(&restamped(&bytes, 2)),
            Err(ModelError::Invalid(_))
        ));
        let plain = tiny();
        let mut options = tiny();
        options.info.features.keep_digits = true;
        for other in [plain, options] {
            assert!(matches!(
                Model::from_bytes(&restamped(&other.to_bytes(), 4)),
                Err(ModelError::Invalid(_))
            ));
        }
        // Families with an IDF table: version 4 too, the table after the weights.
        let mut idf = m.clone();
        idf.info.features.idf = true;
        idf.idf = vec![16; idf.weights.len()];
        let bytes = idf.to_bytes();
        assert_eq!(bytes[8..12], 4u32.to_le_bytes());
        assert_eq!(Model::from_bytes(&bytes).unwrap(), idf);
        assert!(Model::from_bytes(&restamped(&bytes, 3)).is_err());
    }

    #[test]
    fn bad_headers_are_rejected() {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        let header = b"{\"bits\": 3}";
        bytes.extend_from_slice(&(header.len() as u32).to_le_bytes());
        bytes.extend_from_slice(header);
        assert!(matches!(
            Model::from_bytes(&bytes),
            Err(ModelError::Header(_))
        ));
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            Model::from_bytes(&bytes),
            Err(ModelError::Header(_))
        ));
    }
}
