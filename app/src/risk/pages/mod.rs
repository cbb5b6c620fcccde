//! The risk desk's pages: the queue of signals (`/console/risk`) and one signal
//! (`/console/risk/:id`) with what an operator does on it.

mod forms;
mod queue;
mod signal;

pub use queue::RiskPage;
pub use signal::SignalPage;
