//! Audit log server functions: the filtered list, one entry with its diff and hashes, and the chain
//! check. Reading needs `audit.view`, checking the chain `audit.verify`. The CSV export is a plain HTTP
//! endpoint (`export.rs`), since it answers with a file rather than data.

use super::filter::RawFilter;
use crate::domain::audit::{ChainBreak, FieldChange};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::domain::permissions::{AUDIT_VERIFY, AUDIT_VIEW};
#[cfg(feature = "ssr")]
use crate::platform::caller::require;

/// One line of the list. `reason` is cut to a preview; the entry's page has it whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// A page of entries, newest first. `actor` is an email, a user id or `system`; `action` is exact
/// (`users.ban`) or a category ending in a dot (`users.`); `from`/`to` are UTC dates, both inclusive.
#[server(prefix = "/api", endpoint = "list_audit")]
pub async fn list_audit(
    actor: Option<String>,
    action: Option<String>,
    target_type: Option<String>,
    target_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
) -> Result<Page<AuditRow>, AppError> {
    let ctx = require(AUDIT_VIEW).await?;
    let filter = super::filter::AuditFilter::parse(&RawFilter { actor, action, target_type, target_id, from, to })?;
    let before = crate::domain::page::parse_id_cursor(cursor.as_deref());
    super::service::list(&ctx.state.db, &filter, before, crate::domain::page::page_size(None)).await
}

#[server(prefix = "/api", endpoint = "get_audit_entry")]
pub async fn get_audit_entry(id: i64) -> Result<AuditDetail, AppError> {
    let ctx = require(AUDIT_VIEW).await?;
    super::service::entry(&ctx.state.db, id).await?.ok_or(AppError::NotFound)
}

/// Re-hashes every entry. Reads only, so it is not itself audited.
#[server(prefix = "/api", endpoint = "verify_audit_chain")]
pub async fn verify_audit_chain() -> Result<ChainCheck, AppError> {
    let ctx = require(AUDIT_VERIFY).await?;
    super::service::check_chain(&ctx.state.db).await
}

/// Calls `list_audit` with a filter as the page holds it.
pub async fn list_filtered(f: RawFilter, cursor: Option<String>) -> Result<Page<AuditRow>, AppError> {
    list_audit(f.actor, f.action, f.target_type, f.target_id, f.from, f.to, cursor).await
}
