//! The CSV export's data side (server only). `start` records the export in the audit log and fixes
//! what it covers; `page` then reads that range in keyset pages for the HTTP handler to stream
//! (`server/src/http/audit_export.rs`).
//!
//! Limits: at most `MAX_ROWS` entries, newest first. More matching entries are cut off, and the record
//! of the export says so (`capped`); narrow the filters (e.g. by date) to export the rest.

use super::filter::{AuditFilter, RawFilter};
use super::service::{content_of, filtered, ALL_COLUMNS};
use crate::components::states::format_utc;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::csv;
use crate::platform::db::Db;
use crate::platform::sql::Sql;
use crate::platform::state::AppState;
use serde_json::{json, Map, Value};
use sqlx::Row;

/// One export's ceiling. 100,000 entries of a few hundred bytes each is tens of megabytes: about what
/// a spreadsheet opens comfortably, and a bound on the work one click can cause.
pub const MAX_ROWS: i64 = 100_000;

/// Rows read per query while streaming: bounds memory, whatever the export's size.
pub const PAGE_ROWS: i64 = 500;

/// The columns, in order. The hashes are included so a copy can be checked against the chain later.
#[rustfmt::skip]
pub const HEADER: [&str; 17] = [
    "id", "seq", "time_utc", "actor_id", "actor_email", "actor_roles", "action", "target_type", "target_id",
    "result", "reason", "ip", "user_agent", "before", "after", "prev_hash", "hash",
];

/// What an export covers, fixed before the first byte is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportPlan {
    /// The newest entry included. Entries are only ever appended, so `id <= through_id` plus the
    /// filter names the same rows for the whole download, however long it takes.
    pub through_id: i64,
    /// How many rows the file holds: the matching entries, at most `MAX_ROWS`.
    pub rows: i64,
    pub capped: bool,
}

/// `SELECT <columns>` of the entries the export covers: the filter's, up to `through_id`.
fn covered(db: &Db, columns: &str, filter: &AuditFilter, through_id: i64) -> Sql {
    let mut sql = filtered(db, columns, filter);
    let p = sql.arg(through_id);
    sql.push(&format!(" AND a.id <= {p}"));
    sql
}

/// Fixes the range and writes the `audit.export` entry (filters, row count) in one `Change`, before
/// any data leaves: an export that is not on record does not happen.
pub async fn start(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    raw: &RawFilter,
    filter: &AuditFilter,
) -> Result<ExportPlan, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let through_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM audit_log")
        .fetch_one(c.conn())
        .await
        .context("finding the newest audit entry")?;
    let count = covered(&state.db, "COUNT(*)", filter, through_id);
    let matching: i64 = count.query_scalar().fetch_one(c.conn()).await.context("counting the entries to export")?;
    let plan = ExportPlan { through_id, rows: matching.min(MAX_ROWS), capped: matching > MAX_ROWS };
    let filters: Map<String, Value> = raw.pairs().into_iter().map(|(k, v)| (k.to_string(), Value::String(v))).collect();
    c.audit(Audit::new(AuditAction::AuditExport, AuditTarget::AuditLog(through_id)).before(json!({})).after(json!({
        "format": "csv",
        "filters": filters,
        "rows": plan.rows,
        "matching": matching,
        "capped": plan.capped,
        "through_id": through_id,
    })))
    .await?;
    c.commit().await?;
    Ok(plan)
}

/// A run of CSV records and where the next one starts.
pub struct Chunk {
    pub csv: String,
    pub rows: i64,
    /// The oldest id in this chunk: the next chunk reads entries before it.
    pub last_id: Option<i64>,
}

/// The next CSV records of an export: up to `limit` entries older than `before` (exclusive), newest
/// first.
pub async fn page(
    db: &Db,
    filter: &AuditFilter,
    plan: &ExportPlan,
    before: i64,
    limit: i64,
) -> Result<Chunk, AppError> {
    let mut sql = covered(db, ALL_COLUMNS, filter, plan.through_id);
    let (before, limit) = (sql.arg(before), sql.arg(limit));
    sql.push(&format!(" AND a.id < {before} ORDER BY a.id DESC LIMIT {limit}"));
    let rows = sql.query().fetch_all(db.read()).await.context("reading audit entries to export")?;
    let mut chunk = Chunk { csv: String::new(), rows: rows.len() as i64, last_id: None };
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let e = content_of(r).context("reading an audit entry to export")?;
        let actor_email: Option<String> = r.try_get("actor_email")?;
        let (prev_hash, hash): (String, String) = (r.try_get("prev_hash")?, r.try_get("hash")?);
        chunk.csv.push_str(&csv::record(&[
            id.to_string(),
            e.seq.to_string(),
            format_utc(e.at_ms),
            e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
            actor_email.unwrap_or_default(),
            e.actor_roles,
            e.action,
            e.target_type,
            e.target_id,
            e.result,
            e.reason,
            e.ip,
            e.user_agent,
            e.before,
            e.after,
            prev_hash,
            hash,
        ]));
        chunk.last_id = Some(id);
    }
    Ok(chunk)
}

/// `agora-audit-2026-01-31.csv`, dated by the server's clock in UTC.
pub fn file_name(now_ms: i64) -> String {
    format!("agora-audit-{}.csv", &format_utc(now_ms)[..10])
}
