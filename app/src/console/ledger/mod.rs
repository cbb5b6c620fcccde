//! The ledger console: accounts with balances grouped by kind, the trial balance (which must read
//! zero), postings with their entries, and the commission rules page (`crate::commission`).

pub mod api;
pub mod controls;
pub mod controls_api;
pub mod controls_model;
#[cfg(feature = "ssr")]
pub mod controls_service;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
