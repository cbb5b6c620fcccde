//! What the account page and the console read of deletion requests.

pub use crate::domain::account_deletion::{Blocker, DeletionStatus};
use serde::{Deserialize, Serialize};

/// One request, as the owner and the operators see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletionRow {
    pub id: i64,
    pub user_id: i64,
    /// The account's address (anonymized once purged).
    pub email: String,
    pub status: DeletionStatus,
    /// The owner's words; may be empty.
    pub reason: String,
    pub requested_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    /// Why an operator approved, rejected or restored.
    pub decision_reason: String,
    /// Approved: when the personal data goes for good (until then it can be restored).
    pub purge_at_ms: Option<i64>,
}

/// What asking gave: the request is waiting for an operator, or it was refused for these reasons
/// (nothing was recorded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RequestOutcome {
    Requested,
    Refused(Vec<Blocker>),
}

/// The queue's status filter: one status, `requested` when not given.
pub fn parse_status_filter(input: Option<&str>) -> Result<DeletionStatus, crate::error::AppError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(DeletionStatus::Requested),
        Some(s) => {
            DeletionStatus::parse(s).ok_or_else(|| crate::error::AppError::invalid("status", "deletion.bad_filter"))
        }
    }
}
