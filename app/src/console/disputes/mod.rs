//! The console's dispute queue and dispute detail with the decision.

pub mod api;
pub mod messages;
pub mod pages;
