//! The domain: plain Rust with no leptos, axum or sqlx in it. Money, state machines, permission checks,
//! validation. Everything here is unit-tested without HTTP, a database or a browser.

pub mod account;
pub mod account_deletion;
pub mod account_token;
pub mod address;
pub mod analytics;
pub mod audit;
pub mod ban;
pub mod cart;
pub mod category;
pub mod checks;
pub mod commission;
pub mod curation;
pub mod delivery;
pub mod dispute;
pub mod export;
pub mod flags;
pub mod idempotency;
pub mod kpi;
pub mod ledger;
pub mod listing;
pub mod maintenance;
pub mod money;
pub mod order;
pub mod page;
pub mod password;
pub mod payment;
pub mod payout;
pub mod period;
pub mod permissions;
pub mod phone;
// The server alone counts requests.
#[cfg(feature = "ssr")]
pub mod rate_limit;
pub mod readiness;
pub mod reason;
pub mod refund;
pub mod report;
pub mod review;
pub mod roles;
pub mod rollup;
pub mod search;
pub mod seller;
pub mod session;
pub mod settings;
pub mod sign_in_provider;
pub mod template;
pub mod throttle;
// The server alone checks codes: the browser build carries no SHA-1.
#[cfg(feature = "ssr")]
pub mod totp;
pub mod trust_judgment;
pub mod upload;
pub mod user_record;
pub mod webhook;
