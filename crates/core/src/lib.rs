//! scamguard core
pub mod assertion;
pub mod detect;
pub mod engine;
pub mod eval;
pub mod event;
pub mod explain;
pub mod intel;
pub mod lexicon;
pub mod model;
pub mod passport;
pub mod policy;
pub mod samples;
pub mod signal;
pub mod text;
pub mod url;
pub mod verdict;

pub use engine::{CallSession, CaseReport, Engine, EngineBuilder, EngineError, SessionContext};
pub use event::{Case, Event, EventKind, InputError, Locale, Opening, Party};
pub use verdict::{Action, Class, Directive, DirectiveCode, Verdict};
