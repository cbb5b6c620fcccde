//! The domain: plain Rust with no leptos, axum or sqlx in it. Money, state machines, permission checks,
//! validation. Everything here is unit-tested without HTTP, a database or a browser.

pub mod account;
pub mod audit;
pub mod category;
pub mod checks;
pub mod listing;
pub mod money;
pub mod page;
pub mod password;
pub mod permissions;
pub mod reason;
pub mod review;
pub mod report;
pub mod seller;
pub mod session;
pub mod throttle;
pub mod upload;
pub mod order;
pub mod commission;
pub mod ledger;
pub mod address;
pub mod cart;
pub mod payment;
