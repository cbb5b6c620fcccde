//! Refunds: the buyer's request, the seller's answer, the escalation timer, and the console's refund queue.

pub mod api;
pub mod console_messages;
#[cfg(feature = "ssr")]
pub mod evidence;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod timers;
