//! The case and event parser on arbitrary bytes: a case (or event) that parses is then run
//! through the built-in engine, so every detector sees whatever the parser lets through.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scamguard_core::{Case, Engine, Event};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::builtin().expect("the built-in engine builds"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(case) = Case::from_json(text) {
        let report = engine().check_case(&case);
        // A verdict always serialises: it is what the API answers.
        serde_json::to_string(&report.verdict).expect("a verdict serialises");
    }
    if let Ok(event) = Event::from_json(text) {
        let json = serde_json::to_string(&event).expect("an event serialises");
        // What the store keeps of an event reads back as the same event.
        let again = Event::from_json(&json).expect("a serialised event parses");
        assert_eq!(
            serde_json::to_string(&again).unwrap(),
            json,
            "an event changed on a round trip"
        );
    }
});
