//! Audit log server functions: the filtered list, one entry with its diff and hashes, and the chain
//! check. Reading needs `audit.view`, checking the chain `audit.verify`. The CSV export is a plain HTTP
//! endpoint (`export.rs`), since it answers with a file rather than data.

use super::filter::RawFilter;
// The types live in model.rs (the service returns them); kept nameable here as before.
pub use super::model::{AuditDetail, AuditRow, ChainCheck};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::permissions::{AUDIT_VERIFY, AUDIT_VIEW};
#[cfg(feature = "ssr")]
use crate::platform::guard::require;

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
