//! The delivery desk's server side: reads in `queries`, operator actions in `replay`.

pub use super::queries::{counters, detail, list, suppressions};
pub use super::replay::{clear_suppression, replay_matching, replay_one};
