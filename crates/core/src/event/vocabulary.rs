//! The macro that declares the event vocabulary once.

/// Declares [`EventKind`](super::EventKind) from one list of variants, each with its wire name,
/// its fields and their attributes, and derives from that list:
///
/// - `EventKind`, serialised and described (OpenAPI) in the wire's flat form
///   `{"type": "speech", "speaker": …, "text": …}`;
/// - `EventKind::TYPE_NAMES` and `EventKind::type_name`;
/// - `KindFields`, serde's `remote` twin of `EventKind` with the same variants and fields but
///   externally tagged, through which [`wire::read_kind`](super::wire::read_kind) reads an
///   event's fields once its type is known. serde reads an internally tagged enum through a
///   buffer and loses the field path inside it (dtolnay/path-to-error#1); read through the twin,
///   a bad field is named (`events[3].text`).
///
/// Names and doc comments are matched as `tt`, not `literal`: a `literal` fragment reaches
/// derive macros wrapped in an invisible group, which utoipa does not look into (it would
/// describe `CallOffer` instead of `call_offer`).
///
/// A field's attributes come in this order: doc comments, `#[serde(…)]` (given to both enums:
/// defaults and the `limits` readers), then `#[schema(…)]` (given to `EventKind` only, under the
/// `openapi` feature).
macro_rules! event_kinds {
    (
        $(#[doc = $doc:tt])*
        pub enum EventKind {
            $(
                $(#[doc = $vdoc:tt])*
                $variant:ident = $wire:tt $({
                    $(
                        $(#[doc = $fdoc:tt])*
                        $(#[serde($($fserde:tt)*)])*
                        $(#[schema($($fschema:tt)*)])*
                        $field:ident: $fty:ty
                    ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "type")]
        pub enum EventKind {
            $(
                $(#[doc = $vdoc])*
                #[serde(rename = $wire)]
                $variant $({
                    $(
                        $(#[doc = $fdoc])*
                        $(#[serde($($fserde)*)])*
                        $(#[cfg_attr(feature = "openapi", schema($($fschema)*))])*
                        $field: $fty
                    ),*
                })?,
            )*
        }

        impl EventKind {
            /// Every event type's wire name, in declaration order.
            pub const TYPE_NAMES: &'static [&'static str] = &[$($wire),*];

            /// The wire name of this event type.
            pub fn type_name(&self) -> &'static str {
                match self {
                    $(EventKind::$variant { .. } => $wire,)*
                }
            }
        }

        /// [`EventKind`]'s twin for reading: the same variants and fields, externally tagged.
        /// Never built: serde's `remote` derive reads straight into `EventKind`.
        #[allow(dead_code)]
        #[derive(Deserialize)]
        #[serde(remote = "EventKind")]
        enum KindFields {
            $(
                #[serde(rename = $wire)]
                $variant $({
                    $(
                        $(#[serde($($fserde)*)])*
                        $field: $fty
                    ),*
                })?,
            )*
        }
    };
}
