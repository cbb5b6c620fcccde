//! The review queue's queries and decisions, in three parts: `queue` (the list and its counters),
//! `detail` (one version's evidence, diff and the seller's history) and `decisions` (approve, reject,
//! block: each one `platform::change::Change`); `rows` reads the versions they share.

pub use super::decisions::{approve, block, reject};
pub use super::detail::get_review;
pub use super::queue::{counters, list_queue};
