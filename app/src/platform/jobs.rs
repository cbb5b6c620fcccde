//! Durable timers: a `jobs` row per future action (cancel an unpaid order at its deadline, flag an
//! overdue one, complete a shipped one, release held earnings). Written in the same transaction as
//! the change that schedules them; a worker claims due rows with a lease (safe with several servers
//! on one PostgreSQL), runs the handler for the row's kind, and marks it done or retries it later.
//! Time is the injectable clock's, so tests move time and call `run_due` instead of sleeping.
//!
//! Handlers must be idempotent and check the current state: a timer whose reason has gone (the order
//! was paid before its deadline) finishes without doing anything.

use super::db::Backend;
use super::sql::{Arg, Sql};
use super::state::AppState;
use crate::error::AppError;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub const LEASE_MS: i64 = 60_000;
pub const BATCH: i64 = 50;
/// Retry delays after a failed run, in seconds; after the last the job is marked failed.
pub const RETRY_S: [i64; 5] = [5, 60, 300, 1_800, 7_200];

#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub target_id: i64,
    pub due_at: i64,
    pub attempts: i64,
}

pub type JobFuture = Pin<Box<dyn Future<Output = Result<(), AppError>> + Send>>;
pub type JobHandler = Arc<dyn Fn(AppState, Job) -> JobFuture + Send + Sync>;

/// Handlers by job kind. Built once (see `crate::timers::handlers`).
#[derive(Clone, Default)]
pub struct Handlers(Arc<HashMap<&'static str, JobHandler>>);

impl Handlers {
    pub fn new(map: HashMap<&'static str, JobHandler>) -> Handlers {
        Handlers(Arc::new(map))
    }
}

/// Schedules `kind` for `target_id` at `due_at`, inside the caller's transaction.
pub async fn schedule(
    conn: &mut AnyConnection,
    now: i64,
    kind: &str,
    target_id: i64,
    due_at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO jobs (kind, target_id, due_at, status, attempts, created_at) VALUES ($1, $2, $3, 'pending', 0, $4) \
         RETURNING id",
    )
    .bind(kind)
    .bind(target_id)
    .bind(due_at)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// Schedules `kind` for several `(target_id, due_at)` in one statement, inside the caller's
/// transaction (a checkout's payment timers, one per order).
pub async fn schedule_many(
    conn: &mut AnyConnection,
    backend: Backend,
    now: i64,
    kind: &str,
    timers: &[(i64, i64)],
) -> Result<(), sqlx::Error> {
    if timers.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(backend, "INSERT INTO jobs (kind, target_id, due_at, status, attempts, created_at) VALUES ");
    for (target_id, due_at) in timers {
        sql.values_row(vec![
            kind.into(),
            (*target_id).into(),
            (*due_at).into(),
            "pending".into(),
            Arg::Int(0),
            now.into(),
        ]);
    }
    sql.query().execute(&mut *conn).await?;
    Ok(())
}

/// Cancels pending jobs of `kind` for `target_id` (their reason has gone), inside the caller's
/// transaction. Handlers check state anyway; this keeps the queue honest.
pub async fn cancel(conn: &mut AnyConnection, now: i64, kind: &str, target_id: i64) -> Result<u64, sqlx::Error> {
    cancel_many(conn, now, kind, &[target_id]).await
}

/// `cancel` for several targets in one statement (the unpaid timers of every order an approval pays).
pub async fn cancel_many(
    conn: &mut AnyConnection,
    now: i64,
    kind: &str,
    target_ids: &[i64],
) -> Result<u64, sqlx::Error> {
    if target_ids.is_empty() {
        return Ok(0);
    }
    let mut sql = Sql::new(Backend::of_conn(conn), "UPDATE jobs SET status = 'cancelled', done_at = ");
    let (at, kind) = (sql.arg(now), sql.arg(kind));
    let targets = sql.list(target_ids.iter().copied());
    sql.push(&format!("{at} WHERE kind = {kind} AND target_id IN ({targets}) AND status = 'pending'"));
    Ok(sql.query().execute(&mut *conn).await?.rows_affected())
}

/// One round: claim due jobs, run each, record the outcome. Returns how many ran.
pub async fn run_due(state: &AppState, handlers: &Handlers, worker_id: &str) -> Result<usize, sqlx::Error> {
    let now = state.now_ms();
    let lease_until = now + LEASE_MS;
    // As in the outbox: the outer conditions repeat the inner ones so racing workers split the rows.
    let claim = sqlx::query(
        "UPDATE jobs SET lease_owner = $1, lease_until = $2 \
         WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND due_at <= $3 \
                      AND (lease_until IS NULL OR lease_until < $3) ORDER BY due_at, id LIMIT $4) \
         AND status = 'pending' AND (lease_until IS NULL OR lease_until < $3)",
    )
    .bind(worker_id)
    .bind(lease_until)
    .bind(now)
    .bind(BATCH);
    state.db.execute_write(claim).await?;
    let rows = sqlx::query(
        "SELECT id, kind, target_id, due_at, attempts FROM jobs \
         WHERE lease_owner = $1 AND lease_until = $2 AND status = 'pending' ORDER BY due_at, id",
    )
    .bind(worker_id)
    .bind(lease_until)
    .fetch_all(state.db.read())
    .await?;
    let mut ran = 0;
    for row in rows {
        let job = Job {
            id: row.try_get("id")?,
            kind: row.try_get("kind")?,
            target_id: row.try_get("target_id")?,
            due_at: row.try_get("due_at")?,
            attempts: row.try_get("attempts")?,
        };
        let outcome = match handlers.0.get(job.kind.as_str()) {
            Some(handler) => handler(state.clone(), job.clone()).await.map_err(|e| e.to_string()),
            None => Err(format!("no handler for job kind {}", job.kind)),
        };
        record_outcome(state, &job, outcome).await?;
        ran += 1;
    }
    Ok(ran)
}

async fn record_outcome(state: &AppState, job: &Job, outcome: Result<(), String>) -> Result<(), sqlx::Error> {
    let now = state.now_ms();
    let attempts = job.attempts + 1;
    let q = match outcome {
        Ok(()) => sqlx::query(
            "UPDATE jobs SET status = 'done', attempts = $1, done_at = $2, lease_owner = NULL, lease_until = NULL, \
             last_error = NULL WHERE id = $3",
        )
        .bind(attempts)
        .bind(now)
        .bind(job.id),
        Err(error) => {
            tracing::warn!(job_id = job.id, kind = %job.kind, attempts, %error, "job failed");
            let error: String = error.chars().take(1000).collect();
            match RETRY_S.get(job.attempts as usize) {
                Some(delay_s) => sqlx::query(
                    "UPDATE jobs SET attempts = $1, due_at = $2, last_error = $3, lease_owner = NULL, lease_until = NULL \
                     WHERE id = $4",
                )
                .bind(attempts)
                .bind(now + delay_s * 1000)
                .bind(error)
                .bind(job.id),
                None => sqlx::query(
                    "UPDATE jobs SET status = 'failed', attempts = $1, last_error = $2, lease_owner = NULL, \
                     lease_until = NULL WHERE id = $3",
                )
                .bind(attempts)
                .bind(error)
                .bind(job.id),
            }
        }
    };
    state.db.execute_write(q).await?;
    Ok(())
}

/// Runs until `shutdown` fires, every `interval`. Errors are logged and retried next round.
pub async fn run_worker(
    state: AppState,
    handlers: Handlers,
    worker_id: String,
    interval: std::time::Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match run_due(&state, &handlers, &worker_id).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "jobs round failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Jobs not yet run (the test harness checks none is left due).
pub async fn due_count(state: &AppState) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status = 'pending' AND due_at <= $1")
        .bind(state.now_ms())
        .fetch_one(state.db.read())
        .await
}
