//! Links: every link in a text, judged one by one.

use crate::lexicon::Lexicons;
use crate::signal::SignalSet;
use crate::url::{analyse_url, find_links};

/// Finds and judges the links in `text`; returns how many there were.
pub fn detect_links(text: &str, lex: &Lexicons, out: &mut SignalSet) -> usize {
    let links = find_links(text);
    for l in &links {
        out.merge(&analyse_url(&l.url, l.obfuscated, lex).signals);
    }
    links.len()
}

/// Judges one link the user opened or an app was downloaded from.
pub fn detect_link(url: &str, lex: &Lexicons, out: &mut SignalSet) {
    out.merge(&analyse_url(url, false, lex).signals);
}
