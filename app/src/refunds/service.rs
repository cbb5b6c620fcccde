//! Refund requests behind the server functions, in parts: `requests` (the buyer asks, idempotent by
//! key, or withdraws), `answers` (the seller accepts, settling through `finance::settlement`, or
//! refuses), `escalation` (the buyer or the `refund.escalate` timer turns a refund into a dispute),
//! `queue` (lists and counters) and `detail` (one refund's page); `locked` is what the changes share
//! and `queries` what other capabilities read. Every mutation is one `platform::change::Change` that
//! locks the order, then the refund, and re-reads the refund's status under the locks, so a second
//! answer is a named conflict. This file only re-exports, so `refunds::service::*` keeps working.

pub use super::answers::{accept, parse_response, refuse, RESPONSE_MIN_CHARS};
pub use super::detail::detail;
pub use super::escalation::{escalate, escalate_silent};
pub use super::locked::JOB_ESCALATE;
pub use super::queries::open_refund_of;
pub use super::queue::{counters, list_console, list_seller, order_refunds, ConsoleFilter, Scope};
pub use super::requests::{form, new_idempotency_key, request, withdraw, RequestInput};
