//! The exports page's reads and the download of a background export's file (server only).

use super::job::{load, path_of};
use super::model::ExportRow;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::export::{downloadable, ExportStatus};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, Ctx, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::sql::{after_id, order_limit, Order, Sql};
use crate::platform::state::AppState;
use serde_json::json;
use std::path::PathBuf;

#[derive(sqlx::FromRow)]
struct ExportRecord {
    id: i64,
    dataset: String,
    status: String,
    rows_total: i64,
    rows_done: i64,
    created_at: i64,
    expires_at: Option<i64>,
    filters_json: String,
}

impl ExportRecord {
    fn row(self, now: i64) -> Result<ExportRow, AppError> {
        let status = ExportStatus::parse(&self.status)
            .ok_or_else(|| AppError::internal(format!("export {}: status {}", self.id, self.status)))?;
        let spec: super::model::ExportSpec = serde_json::from_str(&self.filters_json)
            .map_err(|e| AppError::internal(format!("export {}: spec: {e}", self.id)))?;
        Ok(ExportRow {
            id: self.id,
            dataset: self.dataset,
            status,
            rows_total: self.rows_total,
            rows_done: self.rows_done,
            created_at_ms: self.created_at,
            expires_at_ms: self.expires_at,
            from: spec.from,
            to: spec.to,
            downloadable: downloadable(status, self.expires_at, now).is_ok(),
        })
    }
}

/// The caller's own exports, newest first.
pub async fn mine(ctx: &Ctx, cursor: Option<String>) -> Result<Page<ExportRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(
        ctx.state.db.backend,
        "SELECT id, dataset, status, rows_total, rows_done, created_at, expires_at, filters_json FROM data_exports \
         WHERE 1 = 1",
    );
    let me = sql.arg(ctx.caller.user_id);
    sql.push(&format!(" AND requested_by = {me}"));
    after_id(&mut sql, "id", Order::Desc, parse_id_cursor(cursor.as_deref()));
    order_limit(&mut sql, "id DESC", size);
    let records: Vec<ExportRecord> =
        sql.query_as().fetch_all(ctx.state.db.read()).await.context("listing the caller's exports")?;
    let now = ctx.state.now_ms();
    let rows = records.into_iter().map(|r| r.row(now)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

/// A ready file to send, after the download is on record.
pub struct Download {
    pub path: PathBuf,
    pub name: String,
    pub bytes: i64,
}

/// Opens export `id`'s file for its requester: still allowed to read the dataset, the file ready
/// and not expired. Someone else's export does not exist for the caller.
pub async fn download(state: &AppState, caller: &Caller, meta: &RequestMeta, id: i64) -> Result<Download, AppError> {
    let export = load(state, id).await?.filter(|e| e.requested_by == caller.user_id).ok_or(AppError::NotFound)?;
    if !caller.can(export.spec.dataset.permission()) {
        return Err(AppError::Forbidden);
    }
    downloadable(export.status, export.expires_at, state.now_ms()).map_err(AppError::conflict)?;
    let path = path_of(state, &export.file_name);
    let bytes =
        tokio::fs::metadata(&path).await.map(|m| m.len() as i64).map_err(|_| AppError::conflict("exports.expired"))?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.audit(Audit::new(AuditAction::ExportsDownload, AuditTarget::Export(id)).after(json!({
        "dataset": export.spec.dataset.as_str(),
        "bytes": bytes,
    })))
    .await?;
    c.commit().await?;
    Ok(Download { path, name: file_name(export.spec.dataset.as_str(), &export.spec.to), bytes })
}

/// `agora-orders-2026-01-31.csv`: the dataset and the period's last day.
pub fn file_name(dataset: &str, to: &str) -> String {
    format!("agora-{dataset}-{to}.csv")
}
