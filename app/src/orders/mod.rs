//! Orders: the state machine's effects, durable timers, and the buyer's and seller's order pages.

pub mod api;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;

#[cfg(feature = "ssr")]
pub mod detail;
#[cfg(feature = "ssr")]
pub mod flow;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod timers;
