//! The URL extractor on arbitrary text and the analyser on each link it finds and on the raw
//! input itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scamguard_core::lexicon::Lexicons;
use scamguard_core::url::{analyse_url, find_links, MAX_LINKS};
use std::sync::OnceLock;

fn lexicons() -> &'static Lexicons {
    static L: OnceLock<Lexicons> = OnceLock::new();
    L.get_or_init(|| Lexicons::builtin().expect("the built-in lexicons load"))
}

fuzz_target!(|text: &str| {
    let links = find_links(text);
    assert!(links.len() <= MAX_LINKS);
    for link in &links {
        let _ = analyse_url(&link.url, link.obfuscated, lexicons());
    }
    let _ = analyse_url(text, false, lexicons());
});
