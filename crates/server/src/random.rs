//! Randomness for the ids the server gives out (guardians, deliveries, assertions).

/// 128 random bits in hex: the unguessable part of an id.
pub(crate) fn random_hex() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS has randomness");
    hex::encode(b)
}
