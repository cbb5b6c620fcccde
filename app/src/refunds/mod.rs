//! Refunds: the buyer's request, the seller's answer, the escalation timer, and the console's refund queue.

pub mod messages;
pub mod pages;
