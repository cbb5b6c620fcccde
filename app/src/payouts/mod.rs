//! Payout accounts and payout requests in the seller center (`/seller/payouts`,
//! `/seller/payouts/accounts`), and the server side of finance's payout queue (the console pages are
//! `console::payouts`).

#[cfg(feature = "ssr")]
mod accounts;
pub mod api;
#[cfg(feature = "ssr")]
mod decisions;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod requests;
#[cfg(feature = "ssr")]
mod rows;
#[cfg(feature = "ssr")]
pub mod service;
