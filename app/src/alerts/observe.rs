//! Measures a rule's metric over its window: from this process's recent answers
//! (`platform::request_window`), the database (outbox, jobs, sign-in failures, refused attempts),
//! launch readiness and the data directory's file system.

use crate::domain::alerts::{error_percent, p99_ms, Metric};
use crate::error::{AppError, Context};
use crate::platform::request_window::RECENT;
use crate::platform::state::AppState;

/// `metric` over the `window_minutes` up to now.
pub async fn measure(state: &AppState, metric: Metric, window_minutes: i64) -> Result<i64, AppError> {
    let now = state.now_ms();
    let since = now - window_minutes * 60_000;
    let db = state.db.read();
    let count = |sql: &'static str, arg: i64| async move {
        sqlx::query_scalar::<_, i64>(sql).bind(arg).fetch_one(db).await.context("measuring an alert metric")
    };
    Ok(match metric {
        Metric::P99LatencyMs => p99_ms(&RECENT.sums(now, window_minutes).latency).unwrap_or(0),
        Metric::ServerErrorPercent => {
            let s = RECENT.sums(now, window_minutes);
            error_percent(s.errors, s.answers)
        }
        Metric::OutboxFailures => {
            count("SELECT COUNT(*) FROM outbox WHERE status IN ('failed', 'exhausted') AND updated_at >= $1", since)
                .await?
        }
        Metric::OutboxBacklog => {
            count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND created_at <= $1", now).await?
        }
        Metric::JobLagSeconds => {
            let due: Option<i64> =
                sqlx::query_scalar("SELECT MIN(due_at) FROM jobs WHERE status = 'pending' AND due_at <= $1")
                    .bind(now)
                    .fetch_one(db)
                    .await
                    .context("measuring job lag")?;
            due.map_or(0, |due| (now - due) / 1000)
        }
        Metric::FailedSignIns => count("SELECT COUNT(*) FROM sign_in_failures WHERE at >= $1", since).await?,
        Metric::RefusedAttempts => {
            count(
                "SELECT COUNT(*) FROM audit_log WHERE result = 'refused' AND at >= $1 \
                 AND action IN ('access.refused', 'protected.refused')",
                since,
            )
            .await?
        }
        Metric::ReadinessBlockers => crate::readiness::service::summary(state).await?.blockers,
        Metric::DiskFreePercent => disk_free_percent(state.settings().uploads_dir.clone()).await,
    })
}

/// Free space of the data directory (where uploads are kept) in whole percent; 100 when it cannot be
/// read (a missing directory is the readiness checks' business, not a disk alarm).
async fn disk_free_percent(dir: std::path::PathBuf) -> i64 {
    tokio::task::spawn_blocking(move || {
        let dir = std::iter::successors(Some(dir.as_path()), |d| d.parent()).find(|d| d.exists())?.to_path_buf();
        let s = rustix::fs::statvfs(&dir).ok()?;
        (s.f_blocks > 0).then(|| (s.f_bavail.saturating_mul(100) / s.f_blocks) as i64)
    })
    .await
    .ok()
    .flatten()
    .unwrap_or(100)
}
