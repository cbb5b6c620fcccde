//! What the audit pages show: a list row, an entry with its diff and hashes, the chain check. Shared by
//! the server functions (api.rs) and the queries (service.rs), which must not import each other.

use crate::domain::audit::{ChainBreak, FieldChange};
use serde::{Deserialize, Serialize};

/// One line of the list. `reason` is cut to a preview; the entry's page has it whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditRow {
    pub id: i64,
    pub at_ms: i64,
    /// `None` when the system acted (CLI, workers, the service token).
    pub actor_id: Option<i64>,
    /// The actor's current email, when the account still exists.
    pub actor_email: Option<String>,
    /// Roles at the time, as recorded: `super_admin,finance`, `buyer`, `system:cli`.
    pub actor_roles: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub result: String,
    pub reason: String,
}

/// Everything an entry records, what changed, and whether the entry itself is still intact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditDetail {
    pub row: AuditRow,
    pub seq: i64,
    pub ip: String,
    pub user_agent: String,
    pub before_json: String,
    pub after_json: String,
    pub changes: Vec<FieldChange>,
    pub prev_hash: String,
    pub hash: String,
    /// The stored hash is the hash of the stored fields: false means the entry was edited.
    pub hash_matches: bool,
    /// `prev_hash` is the hash of the entry stored before it: false means entries were removed,
    /// inserted or reordered around it.
    pub linked: bool,
}

/// The outcome of re-hashing the whole chain, as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainCheck {
    Intact {
        entries: u64,
    },
    Broken {
        entries_checked: u64,
        at: ChainBreak,
    },
    /// The newest entries were deleted: what is left is consistent but ends before the recorded head.
    Truncated {
        entries: u64,
    },
}
