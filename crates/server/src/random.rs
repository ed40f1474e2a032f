//! Randomness for the ids the server gives out (guardians, deliveries, assertions).

/// 128 random bits in hex: the unguessable part of an id.
pub(crate) fn random_hex() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS has randomness");
    hex::encode(b)
}

/// A uniformly random fraction in `[0, 1)`, for jittering a wait.
pub(crate) fn fraction() -> f64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("the OS has randomness");
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}
