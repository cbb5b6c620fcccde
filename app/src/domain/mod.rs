//! The domain: plain Rust with no leptos, axum or sqlx in it. Money, state machines, permission checks,
//! validation. Everything here is unit-tested without HTTP, a database or a browser.

pub mod account;
pub mod account_token;
pub mod address;
pub mod audit;
pub mod cart;
pub mod category;
pub mod checks;
pub mod commission;
pub mod curation;
pub mod delivery;
pub mod dispute;
pub mod idempotency;
pub mod ledger;
pub mod listing;
pub mod money;
pub mod order;
pub mod page;
pub mod password;
pub mod payment;
pub mod payout;
pub mod period;
pub mod permissions;
pub mod reason;
pub mod refund;
pub mod report;
pub mod review;
pub mod search;
pub mod seller;
pub mod session;
pub mod template;
pub mod throttle;
pub mod upload;
pub mod webhook;
