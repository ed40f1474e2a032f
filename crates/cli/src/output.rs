//! Printing verdicts: JSON for programs, plain text for people.

use scamguard_core::event::InputError;
use scamguard_core::{Directive, Verdict};
use std::fmt::Write as _;

/// The field an input error names, as the API's `field` names it; `None` when the error is
/// about the whole input (its JSON syntax, or that it is not an object), which the core calls
/// `body` after the API's request body.
pub fn field(e: &InputError) -> Option<&str> {
    match e.path.as_str() {
        "" | "." | "body" => None,
        path => Some(path),
    }
}

/// An input error as one line: `events[3].text: missing field`, or the message alone when
/// it is about the whole input.
pub fn input_error(e: &InputError) -> String {
    match field(e) {
        Some(f) => format!("{f}: {}", e.message),
        None => e.message.clone(),
    }
}

/// An input error as the JSON the API answers in `error`: `{"field": …, "message": …}`.
pub fn input_error_json(e: &InputError) -> serde_json::Value {
    let mut v = serde_json::json!({ "message": e.message });
    if let Some(f) = field(e) {
        v["field"] = f.into();
    }
    v
}

/// A verdict as a person reads it.
pub fn human(v: &Verdict) -> String {
    let mut s = String::new();
    let action = v.action.as_str().to_uppercase();
    let _ = write!(s, "{action}  (score {:.1})", v.score);
    if let Some(c) = &v.claimed_identity {
        let _ = write!(s, "  claims: {} [{}, tier {}]", c.name, c.category, c.tier);
    }
    if let Some(vi) = &v.verified_identity {
        let _ = write!(s, "  verified: {} ({})", vi.name, vi.org);
    }
    s.push('\n');
    let _ = writeln!(s, "{}\n{}", v.headline, v.explanation);
    if !v.signals.is_empty() {
        s.push_str("signals:\n");
        for sig in &v.signals {
            let _ = writeln!(
                s,
                "  {:+6.2}  {:<34} {}",
                sig.weight,
                sig.code,
                sig.evidence.join("; ")
            );
        }
    }
    if !v.rules.is_empty() {
        s.push_str("rules:\n");
        for r in &v.rules {
            let _ = writeln!(s, "  {} -> {}", r.name, r.action.as_str());
        }
    }
    if !v.directives.is_empty() {
        s.push_str("directives:\n");
        for d in &v.directives {
            let detail = match d {
                Directive::LabelCaller { label, .. } => label.clone(),
                Directive::HoldPayment { minutes } => format!("{minutes} minutes"),
                Directive::OfferOfficialCallback {
                    identity,
                    number,
                    domain,
                } => {
                    format!(
                        "{} ({identity})",
                        number.as_deref().or(domain.as_deref()).unwrap_or("")
                    )
                }
                _ => String::new(),
            };
            let _ = writeln!(s, "  {:<24} {}", d.code(), detail);
        }
    }
    // Columns are padded for the evidence or detail after them; a line without any ends at
    // its last word.
    s.lines()
        .fold(String::with_capacity(s.len()), |mut out, line| {
            out.push_str(line.trim_end());
            out.push('\n');
            out
        })
}
