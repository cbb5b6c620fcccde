//! Payout accounts and payout requests in the seller center (`/seller/payouts`,
//! `/seller/payouts/accounts`), and the server side of finance's payout queue (the console pages are
//! `payouts::pages::console`).

pub mod api;
pub mod console_messages;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
