//! Disputes: opening one, both sides' messages and evidence, and the decision.

pub mod api;
pub mod components;
pub mod console_api;
pub mod console_messages;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
