//! Orders: the state machine's effects, durable timers, and the buyer's and seller's order pages.

pub mod pages;
