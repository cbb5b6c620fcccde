//! The finance payout queue and payout detail.

pub mod messages;
pub mod pages;
