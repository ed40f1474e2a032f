//! The phone mock-up's small pictures, drawn as inline SVG.
//!
//! Emoji and symbol glyphs (🔋 ⛔ 📞 ⏭ ✉) render as empty boxes where no emoji font is
//! installed, as in Debian's Chromium; a few lines of SVG look the same everywhere. Every icon
//! takes the colour of the text around it (`currentColor`) and is hidden from screen readers,
//! since the words beside it say the same.

use maud::{html, Markup, PreEscaped};

/// One icon: its SVG body in a 16×16 box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// Mobile signal bars.
    Signal,
    /// A battery.
    Battery,
    /// Stop: a blocked verdict or a step refused.
    Stop,
    /// A warning triangle.
    Warning,
    /// A tick: verified.
    Check,
    /// A telephone handset: the official call-back.
    Phone,
    /// A chain link: the official website.
    Link,
    /// An envelope: a text message.
    Mail,
    /// A speech bubble: a chat message.
    Chat,
    /// A speaking head's sound waves: a caption of the caller's speech.
    Speech,
    /// A filled dot: something is live (screen sharing).
    Live,
    /// A right-pointing triangle: play the next step.
    Play,
    /// Play to the end.
    SkipToEnd,
}

impl Icon {
    /// The SVG elements inside the 16×16 view box.
    fn body(self) -> &'static str {
        match self {
            Icon::Signal => {
                r#"<rect x="1" y="10" width="3" height="5" rx="0.5"/><rect x="6" y="7" width="3" height="8" rx="0.5"/><rect x="11" y="3" width="3" height="12" rx="0.5"/>"#
            }
            Icon::Battery => {
                r#"<rect x="1" y="4.5" width="12" height="7" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.2"/><rect x="2.6" y="6.1" width="7.5" height="3.8" rx="0.6"/><rect x="13.6" y="6.5" width="1.6" height="3" rx="0.6"/>"#
            }
            Icon::Stop => {
                r#"<circle cx="8" cy="8" r="6.4" fill="none" stroke="currentColor" stroke-width="1.7"/><rect x="4.2" y="7" width="7.6" height="2" rx="0.5"/>"#
            }
            Icon::Warning => {
                r#"<path d="M8 1.8 14.6 13.6H1.4Z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><rect x="7.25" y="5.6" width="1.5" height="4.4" rx="0.5"/><circle cx="8" cy="11.7" r="0.85"/>"#
            }
            Icon::Check => {
                r#"<path d="M2.5 8.5 6.2 12 13.5 4" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>"#
            }
            Icon::Phone => {
                r#"<path d="M4.3 1.5 6.4 4.4c.3.4.2 1-.1 1.3L5.2 6.8a9 9 0 0 0 4 4l1.1-1.1c.4-.3.9-.4 1.3-.1l2.9 2.1c.4.3.5.9.2 1.3l-1 1.4c-.4.5-1.1.8-1.7.6C6.5 13.8 2.2 9.5.9 4c-.2-.6.1-1.3.6-1.7l1.4-1c.4-.3 1-.2 1.4.2Z"/>"#
            }
            Icon::Link => {
                r#"<path d="M6.6 9.4a3 3 0 0 0 4.2 0l2.6-2.6a3 3 0 0 0-4.2-4.2L8 3.8M9.4 6.6a3 3 0 0 0-4.2 0L2.6 9.2a3 3 0 0 0 4.2 4.2L8 12.2" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>"#
            }
            Icon::Mail => {
                r#"<rect x="1" y="3" width="14" height="10" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.3"/><path d="M1.8 4 8 9l6.2-5" fill="none" stroke="currentColor" stroke-width="1.3"/>"#
            }
            Icon::Chat => {
                r#"<path d="M2.5 2h11A1.5 1.5 0 0 1 15 3.5v7a1.5 1.5 0 0 1-1.5 1.5H7l-3.5 3v-3h-1A1.5 1.5 0 0 1 1 10.5v-7A1.5 1.5 0 0 1 2.5 2Z"/>"#
            }
            Icon::Speech => {
                r#"<circle cx="5" cy="6" r="3"/><path d="M0.5 15c.5-3 2.3-4.5 4.5-4.5S9 12 9.5 15Z"/><path d="M11 4a4 4 0 0 1 0 5M13 2a7 7 0 0 1 0 9" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/>"#
            }
            Icon::Live => r#"<circle cx="8" cy="8" r="5"/>"#,
            Icon::Play => r#"<path d="M4 2.5v11l9-5.5Z"/>"#,
            Icon::SkipToEnd => {
                r#"<path d="M2 2.5v11l7-5.5Z"/><path d="M8 2.5v11l6-5.5Z"/><rect x="13.5" y="2.5" width="1.6" height="11"/>"#
            }
        }
    }
}

/// An icon inline with text, in the text's colour.
pub fn icon(i: Icon) -> Markup {
    html! {
        svg.icon viewBox="0 0 16 16" width="1em" height="1em" fill="currentColor"
            aria-hidden="true" focusable="false" {
            (PreEscaped(i.body()))
        }
    }
}

/// Whether `c` is a pictograph or symbol that a platform without an emoji font may lack: the
/// console's own words and markup use none of them (tested).
#[cfg(test)]
pub fn is_risky_glyph(c: char) -> bool {
    matches!(c as u32,
        0x2300..=0x23FF // technical (⏭ ⌛)
        | 0x25A0..=0x25FF // geometric shapes (▮ ▶)
        | 0x2600..=0x27BF // miscellaneous symbols and dingbats (⚠ ⛔ ✉ ✓)
        | 0x2B00..=0x2BFF // arrows and shapes
        | 0x1F000..=0x1FAFF // emoji
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_are_svg_without_risky_glyphs() {
        for i in [
            Icon::Signal,
            Icon::Battery,
            Icon::Stop,
            Icon::Warning,
            Icon::Check,
            Icon::Phone,
            Icon::Link,
            Icon::Mail,
            Icon::Chat,
            Icon::Speech,
            Icon::Live,
            Icon::Play,
            Icon::SkipToEnd,
        ] {
            let m = icon(i).into_string();
            assert!(m.starts_with("<svg") && m.ends_with("</svg>"), "{m}");
            assert!(m.contains("aria-hidden=\"true\""));
            assert!(!m.chars().any(is_risky_glyph), "{i:?}");
        }
        assert!("🔋⛔📞⏭✉✓⚠▮▶".chars().all(is_risky_glyph));
        assert!(!"通话已结束 Call ended · …".chars().any(is_risky_glyph));
    }
}
