//! Links: finding them in text and judging where they really go.

mod analyse;
mod extract;

pub use analyse::{analyse_url, borrows_named_brand, LinkReport};
pub use extract::{find_links, FoundLink, MAX_LINKS};

/// Whether `host` is `domain` or a host under it (`mail.hmrc.gov.uk` under `gov.uk`), both
/// lower case; `evilgov.uk` is not.
pub fn is_within(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|h| h.is_empty() || h.ends_with('.'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_host_is_within_its_domain_and_its_subdomains_only() {
        assert!(super::is_within("gov.uk", "gov.uk"));
        assert!(super::is_within("mail.hmrc.gov.uk", "gov.uk"));
        assert!(!super::is_within("evilgov.uk", "gov.uk"));
        assert!(!super::is_within("gov.uk.example.com", "gov.uk"));
    }
}
