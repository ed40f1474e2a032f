//! Detectors: small pure functions from what happened to signals.
//!
//! Each detector reads one kind of input (a display name, the calling party, a text, a link,
//! a behavioural event) and writes named signals into a [`crate::signal::SignalSet`]. None of
//! them decides anything, touches storage or the network, or knows the policy's weights.

pub mod identity;
pub mod links;
pub mod model;
pub mod party;
pub mod script;
pub mod session;

pub use identity::{detect_name, NameClaim};
pub use model::{detect_model, detect_model_normalised};
pub use party::{classify_handle, detect_party, HandleKind};
pub use script::{detect_script, detect_script_normalised, TextSource};
pub use session::{detect_behaviour, CallState};
