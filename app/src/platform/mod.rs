//! Server-side plumbing shared by every feature: database, clock, settings, the caller of a request,
//! audit records and the outbox. Compiled only with the `ssr` feature.

pub mod audit_log;
pub mod cache;
pub mod caller;
pub mod cases;
pub mod change;
pub mod channel;
pub mod clock;
pub mod csv;
pub mod db;
pub mod email;
pub mod errors;
pub mod guard;
pub mod idempotency;
pub mod jobs;
pub mod ledger;
pub mod maintenance;
pub mod outbox;
pub mod passwords;
pub mod period;
pub mod rate_counters;
pub mod request_window;
pub mod sealed;
pub mod search_index;
pub mod secrets;
pub mod seller_access;
pub mod sql;
pub mod state;
pub mod uploads;
