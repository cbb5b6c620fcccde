//! Payout accounts and payout requests in the seller center.

pub mod messages;
pub mod pages;
