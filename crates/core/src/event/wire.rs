//! Reading the wire types from JSON with serde, keeping the path of the field at fault.
//!
//! Everything is derived; this module only tracks paths (serde_path_to_error) and turns serde's
//! errors into [`InputError`]s that name the field and never echo input unsafely. Events need
//! one more step: serde reads an internally tagged enum (`{"type": "speech", ...}`) through a
//! buffer and loses the path inside it (dtolnay/path-to-error#1), so an event's fields are read
//! through [`Tagged`], which presents the object as an externally tagged enum of its `type`.

use super::{EventKind, KindFields};
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{DeserializeSeed, EnumAccess, VariantAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_path_to_error::{Segment, Track};

/// A parse or validation failure, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct InputError {
    /// Where the problem is, e.g. `events[2].text` or `from.handle`.
    pub path: String,
    /// What is wrong, in lower case without a trailing period.
    pub message: String,
}

impl InputError {
    /// Builds an error for `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The same error inside `prefix` (`text` inside `events[3]` is `events[3].text`).
    pub fn prefixed(self, prefix: &str) -> Self {
        let path = if prefix.is_empty() {
            self.path
        } else if self.path.is_empty() {
            prefix.to_string()
        } else if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            format!("{prefix}.{}", self.path)
        };
        InputError { path, ..self }
    }
}

/// Reads `T` from `v` with field paths.
pub(super) fn read<'a, T: Deserialize<'a>>(v: &'a Value) -> Result<T, InputError> {
    let mut track = Track::new();
    T::deserialize(serde_path_to_error::Deserializer::new(v, &mut track))
        .map_err(|e| input_error(track, &e))
}

/// Reads a field that has a default, taking `null` as "not given" like a missing key.
pub(super) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Reads the kind of the event object `v`, whose `type` is `ty`.
pub(super) fn read_kind(ty: &str, v: &Value) -> Result<EventKind, InputError> {
    if !EventKind::TYPE_NAMES.contains(&ty) {
        return Err(InputError::new(
            "type",
            format!(
                "unknown event type {}; expected one of {}",
                echo(ty),
                EventKind::TYPE_NAMES.join(", ")
            ),
        ));
    }
    let mut track = Track::new();
    let tagged = Tagged { ty, object: v };
    KindFields::deserialize(serde_path_to_error::Deserializer::new(tagged, &mut track))
        .map_err(|e| input_error(track, &e))
}

fn input_error(track: Track, e: &serde_json::Error) -> InputError {
    let mut path = String::new();
    for segment in &track.path() {
        match segment {
            Segment::Seq { index } => path.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            // The variant is the event's `type`, not a level of the object.
            Segment::Enum { .. } => {}
            Segment::Unknown => path.push_str(".?"),
        }
    }
    let message = without_position(e);
    // serde reports a missing field at its parent; name the field itself.
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return InputError::new(field, "missing field").prefixed(&path);
    }
    InputError::new(path, echo_safely(&message))
}

fn without_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Longest part of the input an error message repeats.
const ECHO_CHARS: usize = 60;

/// `text` quoted for an error message: control, bidi and invisible characters escaped, and
/// cut to [`ECHO_CHARS`], so that a message cannot carry a terminal escape, reorder a log line
/// or repeat 64 KiB back.
pub fn echo(text: &str) -> String {
    let mut out = String::from("\"");
    for (i, c) in text.chars().enumerate() {
        if i == ECHO_CHARS {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || crate::text::is_ignorable(c) => {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A serde message made safe to show. serde quotes the offending value in full (`invalid
/// type: string "…"`), and a variant raw (``unknown variant `…` ``): escape what is invisible
/// or controls a terminal, and shorten each quoted value to [`ECHO_CHARS`].
fn echo_safely(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(512));
    let mut quote: Option<char> = None;
    let (mut quoted, mut prev) = (0, ' ');
    for c in message.chars() {
        match quote {
            Some(q) if c == q && prev != '\\' => {
                if quoted > ECHO_CHARS {
                    out.push('…');
                }
                quote = None;
            }
            Some(_) => {
                quoted += 1;
                prev = c;
                if quoted > ECHO_CHARS {
                    continue;
                }
            }
            None if c == '`' || c == '"' => {
                quote = Some(c);
                quoted = 0;
                prev = c;
            }
            None => {}
        }
        if c.is_control() || crate::text::is_ignorable(c) {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Describes a JSON value's type for error messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Turns a JSON syntax error into an [`InputError`] that says where it is.
pub fn json_syntax_error(path: &str, e: &serde_json::Error) -> InputError {
    InputError::new(
        if path.is_empty() { "body" } else { path },
        format!(
            "invalid JSON at line {} column {}: {}",
            e.line(),
            e.column(),
            without_position(e)
        ),
    )
}

/// An event object presented as an externally tagged enum: its `type` as the variant, the
/// object itself as the variant's fields (keys the variant does not know, `type`, `id` and
/// `at` among them, are ignored as everywhere on the wire).
struct Tagged<'a> {
    ty: &'a str,
    object: &'a Value,
}

impl<'de> Deserializer<'de> for Tagged<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de> EnumAccess<'de> for Tagged<'de> {
    type Error = serde_json::Error;
    type Variant = Fields<'de>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Fields<'de>), Self::Error> {
        let variant = seed.deserialize(BorrowedStrDeserializer::new(self.ty))?;
        Ok((variant, Fields(self.object)))
    }
}

/// The fields of a [`Tagged`] event.
struct Fields<'a>(&'a Value);

impl<'de> VariantAccess<'de> for Fields<'de> {
    type Error = serde_json::Error;

    fn unit_variant(self) -> Result<(), Self::Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        seed.deserialize(self.0)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_struct("event", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_are_safe_and_short() {
        assert_eq!(echo("a\u{1b}[31mb"), r#""a\u{001b}[31mb""#);
        assert_eq!(echo("市\u{202e}局安公"), r#""市\u{202e}局安公""#);
        assert_eq!(echo("x".repeat(100).as_str()).chars().count(), 63);
        let m = echo_safely("unknown variant `fa\u{7}x`, expected one of `video_call`");
        assert_eq!(
            m,
            r"unknown variant `fa\u{0007}x`, expected one of `video_call`"
        );
        let long = format!(
            "invalid type: string \"{}\", expected a number",
            "y".repeat(70_000)
        );
        assert_eq!(
            echo_safely(&long),
            format!(
                "invalid type: string \"{}…\", expected a number",
                "y".repeat(60)
            )
        );
    }
}
