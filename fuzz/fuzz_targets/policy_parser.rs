//! The policy parser on arbitrary text: a rule's condition alone, and a whole policy file
//! (which parses every condition it holds).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scamguard_core::policy::expr::Expr;
use scamguard_core::policy::Policy;

fuzz_target!(|text: &str| {
    if let Ok(expr) = Expr::parse(text) {
        let (mut signals, mut groups) = (Vec::new(), Vec::new());
        expr.names(&mut signals, &mut groups);
    }
    let _ = Policy::from_toml(text, "fuzz.toml");
});
