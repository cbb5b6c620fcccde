//! The users & organisations directory: search and filter users, open one, ban or unban them, assign
//! operator roles; list organisations. Protected actions take a reason and the operator's password,
//! and are audited in the same transaction as the change.

pub mod api;
pub mod detail;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
