//! Paying for a checkout: bank transfer with proof, or the sandbox card.

pub mod api;
pub mod messages;
pub mod model;
pub mod pages;
pub mod providers;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
