//! Limits on input sizes and the field readers that enforce them.
//!
//! Lengths count characters (Unicode scalar values), which is what JSON Schema's `maxLength`
//! counts, so the OpenAPI document states each limit exactly. Each reader is named after what
//! it reads and is used as `#[serde(deserialize_with = "limits::text")]`, so a limit is broken
//! with the field's path in the error: `events[3].text: too long: …`.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::Deserialize;
use std::fmt;

/// Longest speech, message or OTP text accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 64 * 1024;
/// Longest display name, handle, app name, sender or event id accepted, in characters.
pub const MAX_NAME_CHARS: usize = 1024;
/// Longest URL accepted, in characters.
pub const MAX_URL_CHARS: usize = 8 * 1024;
/// Longest identity token accepted, in characters.
pub const MAX_TOKEN_CHARS: usize = 8 * 1024;
/// Longest currency code accepted, in characters.
pub const MAX_CURRENCY_CHARS: usize = 16;
/// Most events in one case.
pub const MAX_EVENTS: usize = 10_000;

/// Why `text` is over `max` characters, or `None` when it is within.
pub fn too_long(text: &str, max: usize) -> Option<String> {
    // Bytes bound characters from above: most texts are decided without counting.
    if text.len() <= max {
        return None;
    }
    let n = text.chars().count();
    (n > max).then(|| format!("too long: {n} characters; at most {max} are accepted"))
}

fn bounded<'de, D: Deserializer<'de>>(d: D, max: usize) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    match too_long(&s, max) {
        Some(why) => Err(de::Error::custom(why)),
        None => Ok(s),
    }
}

fn bounded_opt<'de, D: Deserializer<'de>>(d: D, max: usize) -> Result<Option<String>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(s) => match too_long(&s, max) {
            Some(why) => Err(de::Error::custom(why)),
            None => Ok(Some(s)),
        },
        None => Ok(None),
    }
}

/// Reads a speech, message or OTP text.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    bounded(d, MAX_TEXT_CHARS)
}

/// Reads an optional text.
pub fn text_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    bounded_opt(d, MAX_TEXT_CHARS)
}

/// Reads a name, app name or callee handle.
pub fn name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    bounded(d, MAX_NAME_CHARS)
}

/// Reads an optional name.
pub fn name_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    bounded_opt(d, MAX_NAME_CHARS)
}

/// Reads the remote party's handle: a name that is not blank.
pub fn handle<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = bounded(d, MAX_NAME_CHARS)?;
    if s.trim().is_empty() {
        return Err(de::Error::custom("must not be empty"));
    }
    Ok(s)
}

/// Reads a URL.
pub fn url<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    bounded(d, MAX_URL_CHARS)
}

/// Reads an optional URL.
pub fn url_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    bounded_opt(d, MAX_URL_CHARS)
}

/// Reads an optional identity token.
pub fn token_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    bounded_opt(d, MAX_TOKEN_CHARS)
}

/// Reads an optional currency code.
pub fn currency_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    bounded_opt(d, MAX_CURRENCY_CHARS)
}

/// Reads an optional time: whole, non-negative Unix milliseconds.
pub fn millis_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct Millis;
    impl Visitor<'_> for Millis {
        type Value = i64;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("whole, non-negative Unix milliseconds")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            if v < 0 {
                return Err(E::invalid_value(Unexpected::Signed(v), &self));
            }
            Ok(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
        }
        // JSON Schema counts `28.0` as an integer, so the document's `integer` admits it.
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
            // 2^63 is the first float past i64::MAX; below it a whole float converts exactly.
            if v.fract() == 0.0 && (0.0..9_223_372_036_854_775_808.0).contains(&v) {
                Ok(v as i64)
            } else {
                Err(E::invalid_value(Unexpected::Float(v), &self))
            }
        }
    }
    // Option<i64> would say "expected i64"; read through the visitor to say what is meant.
    struct At(i64);
    impl<'de> Deserialize<'de> for At {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_i64(Millis).map(At)
        }
    }
    Ok(Option::<At>::deserialize(d)?.map(|a| a.0))
}

/// Reads a payment amount: a non-negative number.
pub fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = f64::deserialize(d)?;
    // serde_json never yields an infinity or NaN from JSON text; a Value built in code might.
    if !v.is_finite() || v < 0.0 {
        return Err(de::Error::invalid_value(
            Unexpected::Float(v),
            &"a finite, non-negative number",
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters() {
        assert_eq!(too_long(&"a".repeat(16), 16), None);
        assert_eq!(
            too_long(&"元".repeat(16), 16),
            None,
            "48 bytes, 16 characters"
        );
        assert_eq!(
            too_long(&"元".repeat(17), 16).as_deref(),
            Some("too long: 17 characters; at most 16 are accepted")
        );
    }
}
