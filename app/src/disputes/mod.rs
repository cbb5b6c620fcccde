//! Disputes: opening one, both sides' messages and evidence, and the decision.

pub mod messages;
pub mod pages;
