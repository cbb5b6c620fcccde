//! Dispute pages by audience: `buyer` (`/orders/:number/dispute`, opening a dispute), `parties`
//! (`/disputes/:id`, the buyer's and the seller's page), `console`; `body` holds what they share
//! (the summary, the outcome, the conversation), `badge` the status badge.
mod badge;
mod body;
mod buyer;
pub mod console;
mod parties;

pub use badge::DisputeStatusBadge;
pub use body::{Conversation, DisputeSummary};
pub use buyer::OpenDisputePage;
pub use parties::DisputePage;
