//! Paying for a checkout: bank transfer with proof, or the sandbox card.

pub mod api;
#[cfg(feature = "ssr")]
mod approvals;
#[cfg(feature = "ssr")]
mod bank_transfer;
pub mod messages;
pub mod model;
pub mod pages;
pub mod providers;
pub mod routes;
#[cfg(feature = "ssr")]
mod rows;
#[cfg(feature = "ssr")]
pub mod service;
