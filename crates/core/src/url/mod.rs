//! Links: finding them in text and judging where they really go.

mod analyse;
mod extract;

pub use analyse::{analyse_url, LinkReport};
pub use extract::{find_links, FoundLink, MAX_LINKS};
