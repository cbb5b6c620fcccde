//! Large exports in the background (server only). `exports.build` writes the file a page at a time
//! under the uploads dir, recording progress as it goes, then marks the export ready, tells the
//! requester and schedules `exports.expire` 24 hours later, which deletes the file. Both handlers
//! re-read the export first: a job that runs twice, or after its reason has gone, does nothing.

use super::model::ExportSpec;
use super::rows;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::export::{ExportStatus, FILE_TTL_MS};
use crate::error::{AppError, Context};
use crate::platform::caller::new_token;
use crate::platform::change::{Audit, Change};
use crate::platform::jobs;
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use serde_json::json;
use std::path::PathBuf;

pub const JOB_BUILD: &str = "exports.build";
pub const JOB_EXPIRE: &str = "exports.expire";

/// Progress is written every this many pages (and at the end): the page shows it moving without a
/// write per thousand rows.
const PROGRESS_EVERY_PAGES: u32 = 10;

/// The stored export a job works on.
pub struct Stored {
    pub requested_by: i64,
    pub status: ExportStatus,
    pub spec: ExportSpec,
    pub file_name: String,
    pub expires_at: Option<i64>,
}

pub async fn load(state: &AppState, id: i64) -> Result<Option<Stored>, AppError> {
    let row: Option<(i64, String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT requested_by, status, filters_json, file_name, expires_at FROM data_exports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await
    .context("reading an export")?;
    let Some((requested_by, status, filters_json, file_name, expires_at)) = row else { return Ok(None) };
    let status =
        ExportStatus::parse(&status).ok_or_else(|| AppError::internal(format!("export {id}: status {status}")))?;
    let spec: ExportSpec =
        serde_json::from_str(&filters_json).map_err(|e| AppError::internal(format!("export {id}: spec: {e}")))?;
    Ok(Some(Stored { requested_by, status, spec, file_name, expires_at }))
}

/// Where export files live: a folder of their own under the uploads dir.
pub fn path_of(state: &AppState, file_name: &str) -> PathBuf {
    state.settings.uploads_dir.join("exports").join(file_name)
}

/// `exports.build`: writes the file, then marks the export ready and tells the requester.
pub async fn build(state: &AppState, id: i64) -> Result<(), AppError> {
    let Some(export) = load(state, id).await? else { return Ok(()) };
    if !matches!(export.status, ExportStatus::Queued | ExportStatus::Running) {
        return Ok(());
    }
    progress(state, id, ExportStatus::Running, 0).await?;
    let file_name = format!("export-{id}-{}.csv", &new_token()[..16]);
    let path = path_of(state, &file_name);
    let written = match write_file(state, id, &export.spec, path.clone()).await {
        Ok(written) => written,
        Err(e) => {
            // A retry starts a new file: this one is incomplete.
            let _ = tokio::fs::remove_file(&path).await;
            return Err(e);
        }
    };
    finish(state, id, &export, &file_name, written).await
}

/// Rows and bytes written.
struct Written {
    rows: i64,
    bytes: i64,
}

async fn write_file(state: &AppState, id: i64, spec: &ExportSpec, path: PathBuf) -> Result<Written, AppError> {
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await.map_err(|e| AppError::internal(format!("export dir: {e}")))?;
    }
    let mut written = Written { rows: 0, bytes: 0 };
    // A byte-order mark so spreadsheets read the UTF-8 (Chinese names) correctly, then the header.
    written.bytes += append(path.clone(), format!("\u{feff}{}", rows::header(spec)), true).await?;
    // The next page is read by another task while this one is formatted and written: SQLite reads
    // on its own thread, so on two cores the export takes about the longer of the two, not the sum.
    let mut rows = rows::fetch(&state.db, spec, None).await?;
    let mut pages = 0u32;
    loop {
        let next = rows::next_cursor(&rows)?.map(|cursor| {
            let (state, spec) = (state.clone(), spec.clone());
            tokio::spawn(async move { rows::fetch(&state.db, &spec, Some(cursor)).await })
        });
        let chunk = rows::format(spec, &rows)?;
        written.rows += chunk.rows;
        written.bytes += append(path.clone(), chunk.csv, false).await?;
        pages += 1;
        let Some(next) = next else { break };
        rows = next.await.map_err(|e| AppError::internal(format!("export read task: {e}")))??;
        if pages.is_multiple_of(PROGRESS_EVERY_PAGES) {
            progress(state, id, ExportStatus::Running, written.rows).await?;
        }
    }
    Ok(written)
}

/// Appends `text` to the file (creating it when `create`), off the async threads.
async fn append(path: PathBuf, text: String, create: bool) -> Result<i64, AppError> {
    let len = text.len() as i64;
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        use std::io::Write;
        let mut file =
            std::fs::OpenOptions::new().create(true).append(!create).write(true).truncate(create).open(&path)?;
        file.write_all(text.as_bytes())
    })
    .await
    .map_err(|e| AppError::internal(format!("export write task: {e}")))?
    .map_err(|e| AppError::internal(format!("export write: {e}")))?;
    Ok(len)
}

/// Progress is bookkeeping (the requester's progress bar), not a decision: not audited.
async fn progress(state: &AppState, id: i64, status: ExportStatus, done: i64) -> Result<(), AppError> {
    let mut c = Change::unaudited(state, "an export's progress").await?;
    let now = c.now_ms();
    sqlx::query("UPDATE data_exports SET status = $1, rows_done = $2, updated_at = $3 WHERE id = $4")
        .bind(status.as_str())
        .bind(done)
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await
        .context("recording an export's progress")?;
    c.commit().await
}

async fn finish(state: &AppState, id: i64, export: &Stored, file_name: &str, written: Written) -> Result<(), AppError> {
    let mut c = Change::system(state, "exports").await?;
    let now = c.now_ms();
    let expires_at = now + FILE_TTL_MS;
    sqlx::query(
        "UPDATE data_exports SET status = $1, rows_done = $2, rows_total = $2, file_name = $3, file_bytes = $4, \
         completed_at = $5, updated_at = $5, expires_at = $6 WHERE id = $7",
    )
    .bind(ExportStatus::Ready.as_str())
    .bind(written.rows)
    .bind(file_name)
    .bind(written.bytes)
    .bind(now)
    .bind(expires_at)
    .bind(id)
    .execute(c.conn())
    .await
    .context("marking an export ready")?;
    jobs::schedule(c.conn(), now, JOB_EXPIRE, id, expires_at).await.context("scheduling an export's expiry")?;
    c.audit(Audit::new(AuditAction::ExportsComplete, AuditTarget::Export(id)).after(json!({
        "dataset": export.spec.dataset.as_str(),
        "rows": written.rows,
        "bytes": written.bytes,
        "expires_at": expires_at,
    })))
    .await?;
    let payload = json!({ "dataset": export.spec.dataset.as_str(), "rows": written.rows.to_string() });
    c.notify(OutboxEvent::notify(export.requested_by, "exports.ready", payload)).await?;
    c.commit().await
}

/// `exports.expire`: deletes a ready export's file once its time is up.
pub async fn expire(state: &AppState, id: i64) -> Result<(), AppError> {
    let Some(export) = load(state, id).await? else { return Ok(()) };
    let due = export.expires_at.is_some_and(|at| at <= state.now_ms());
    if export.status != ExportStatus::Ready || !due {
        return Ok(());
    }
    match tokio::fs::remove_file(path_of(state, &export.file_name)).await {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(AppError::internal(format!("deleting export {id}: {e}"))),
    }
    // The file's end was fixed (and audited) when it was written; this only carries it out.
    let mut c = Change::unaudited(state, "an export's file expired").await?;
    let now = c.now_ms();
    sqlx::query("UPDATE data_exports SET status = $1, file_name = '', updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(ExportStatus::Expired.as_str())
        .bind(now)
        .bind(id)
        .bind(ExportStatus::Ready.as_str())
        .execute(c.conn())
        .await
        .context("marking an export expired")?;
    c.commit().await
}
