//! Refunds: the buyer's request, the seller's answer, the escalation timer, and the console's refund queue.

pub mod api;
#[cfg(feature = "ssr")]
pub mod evidence;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod timers;
