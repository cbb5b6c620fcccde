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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

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
    state.settings().uploads_dir.join("exports").join(file_name)
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
#[derive(Default)]
struct Written {
    rows: i64,
    bytes: i64,
}

/// Slices read at once. Each reader holds a read connection and about two pages; the rest of the
/// pool and of the cores stays with the requests.
const READERS: usize = 2;

/// The file: a byte-order mark and the header, then the export's key range in slices. Readers take
/// the slices in order, each writing its own part file beside the export's, and the parts are then
/// joined in order, so the file holds the rows in key order whichever reader finished first.
async fn write_file(state: &AppState, id: i64, spec: &ExportSpec, path: PathBuf) -> Result<Written, AppError> {
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await.map_err(|e| AppError::internal(format!("export dir: {e}")))?;
    }
    let mut written = Written::default();
    // A byte-order mark so spreadsheets read the UTF-8 (Chinese names) correctly, then the header.
    written.bytes += append(path.clone(), format!("\u{feff}{}", rows::header(spec)), true).await?;
    // An export asked for before slices were stored reads its whole range as one.
    let slices = match spec.slices.is_empty() {
        true => vec![(spec.first, spec.head)],
        false => spec.slices.clone(),
    };
    let slices = Arc::new(slices);
    let parts: Vec<PathBuf> = (0..slices.len()).map(|i| part_path(&path, i)).collect();
    let result = read_slices(state, id, spec, &slices, &parts).await;
    let joined = match result {
        Ok(rows) => join_parts(path.clone(), parts.clone()).await.map(|bytes| (rows, bytes)),
        Err(e) => Err(e),
    };
    for part in &parts {
        let _ = tokio::fs::remove_file(part).await;
    }
    let (rows, bytes) = joined?;
    written.rows += rows;
    written.bytes += bytes;
    Ok(written)
}

/// Where slice `i` is written until the parts are joined.
fn part_path(path: &std::path::Path, i: usize) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".part{i}"));
    path.with_file_name(name)
}

/// Runs the readers over the slices; records progress as their pages come in. Returns the rows read.
async fn read_slices(
    state: &AppState,
    id: i64,
    spec: &ExportSpec,
    slices: &Arc<Vec<(i64, i64)>>,
    parts: &[PathBuf],
) -> Result<i64, AppError> {
    let next = Arc::new(AtomicUsize::new(0));
    // Each reader reports the rows of every page it writes; the channel closes when all are done.
    let (pages_tx, mut pages_rx) = tokio::sync::mpsc::unbounded_channel::<i64>();
    let readers: Vec<_> = (0..READERS.min(slices.len()))
        .map(|_| {
            let (state, spec, slices, next, parts, pages) =
                (state.clone(), spec.clone(), slices.clone(), next.clone(), parts.to_vec(), pages_tx.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&keys) = slices.get(i) else { return Ok::<(), AppError>(()) };
                    if let Err(e) = write_slice(&state, &spec, keys, parts[i].clone(), &pages).await {
                        // The export has failed: the other readers stop after their slice.
                        next.store(slices.len(), Ordering::Relaxed);
                        return Err(e);
                    }
                }
            })
        })
        .collect();
    drop(pages_tx);
    let (mut done, mut pages, mut failed) = (0i64, 0u32, None);
    while let Some(rows) = pages_rx.recv().await {
        done += rows;
        pages += 1;
        if pages.is_multiple_of(PROGRESS_EVERY_PAGES) && failed.is_none() {
            if let Err(e) = progress(state, id, ExportStatus::Running, done).await {
                // Stop the readers, and let them finish before their part files are removed.
                next.store(slices.len(), Ordering::Relaxed);
                failed = Some(e);
            }
        }
    }
    for reader in readers {
        reader.await.map_err(|e| AppError::internal(format!("export read task: {e}")))??;
    }
    failed.map_or(Ok(done), Err)
}

/// One slice into its part file, a page at a time. The next page is read by another task while this
/// one is formatted and written: SQLite reads on its own thread, so a page costs about the longer of
/// the two, not the sum.
async fn write_slice(
    state: &AppState,
    spec: &ExportSpec,
    keys: (i64, i64),
    part: PathBuf,
    pages: &UnboundedSender<i64>,
) -> Result<(), AppError> {
    let mut rows = rows::fetch(&state.db, spec, keys, None).await?;
    let mut create = true;
    loop {
        let next = rows::next_cursor(&rows)?.map(|cursor| {
            let (state, spec) = (state.clone(), spec.clone());
            tokio::spawn(async move { rows::fetch(&state.db, &spec, keys, Some(cursor)).await })
        });
        let chunk = rows::format(spec, &rows)?;
        append(part.clone(), chunk.csv, create).await?;
        create = false;
        // The receiver only goes away when the export has failed already.
        let _ = pages.send(chunk.rows);
        let Some(next) = next else { return Ok(()) };
        rows = next.await.map_err(|e| AppError::internal(format!("export read task: {e}")))??;
    }
}

/// Appends the parts to the file in order (a copy inside the kernel). Returns the bytes appended.
async fn join_parts(path: PathBuf, parts: Vec<PathBuf>) -> Result<i64, AppError> {
    tokio::task::spawn_blocking(move || -> std::io::Result<i64> {
        let mut file = std::fs::OpenOptions::new().append(true).open(&path)?;
        let mut bytes = 0;
        for part in &parts {
            bytes += std::io::copy(&mut std::fs::File::open(part)?, &mut file)?;
        }
        Ok(bytes as i64)
    })
    .await
    .map_err(|e| AppError::internal(format!("export join task: {e}")))?
    .map_err(|e| AppError::internal(format!("export join: {e}")))
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
