//! The text normaliser on arbitrary text: every form the detectors and the console use.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scamguard_core::text::{compact, display_form, visual_order, Normalised};

fuzz_target!(|text: &str| {
    let plain = Normalised::new(text);
    let placed = Normalised::with_positions(text);
    assert_eq!(plain.compact, placed.compact, "positions change the text");
    let _ = plain.has_cjk();
    let _ = compact(text);
    let _ = visual_order(text);
    let shown = display_form(text);
    // What a phone shows has no direction controls left to reorder it.
    assert!(
        !shown.chars().any(|c| ('\u{202a}'..='\u{202e}').contains(&c)),
        "{shown:?}"
    );
});
