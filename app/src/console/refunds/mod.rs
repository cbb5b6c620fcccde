//! The console's refund queue and refund detail.

pub mod messages;
pub mod pages;
