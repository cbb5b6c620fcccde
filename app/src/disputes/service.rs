//! Disputes behind the server functions, in parts: `opening` (the buyer opens one, idempotent by key;
//! refunds' escalation and timer open one through `open_in` in their change), `messages_service` (the
//! conversation), `decisions` (the console page, the preview and the operator's decision, which moves
//! money only through `finance::settlement::settle`) and `queue` (the console's list and counters);
//! `queries` holds what they share and what refunds read. Every mutation is one
//! `platform::change::Change`. This file only re-exports, so `disputes::service::*` keeps working.

pub use super::decisions::{console_detail, decide, preview, Decided, DecisionInput};
pub use super::messages_service::{add_message, view};
pub use super::opening::{
    new_idempotency_key, open_by_buyer, open_form, open_in, order_link, parse_key, BuyerClaim, OpenDisputeInput,
};
pub use super::queries::{open_dispute_of, Scope};
pub use super::queue::{counters, queue};
