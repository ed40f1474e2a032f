//! scamguard core
pub mod event;
pub mod policy;
pub mod signal;
pub mod text;
pub mod verdict;
