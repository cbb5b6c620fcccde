//! The KPI rollups (server only): a worker appends each summed figure's settled quarter hours to
//! `kpi_buckets` with running totals, and `sums` reads any range as whole buckets (two running
//! totals) plus its ragged ends from the stored rows. The arithmetic and why it is exact: the
//! `domain::rollup` module.

use super::figures::{self, Accounts, Summed};
use crate::domain::rollup::{self, cover, running_totals, Cover};
use crate::error::{AppError, Context};
use crate::platform::sql::{Arg, Sql};
use crate::platform::state::AppState;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;

/// How often the worker looks for a newly settled quarter hour.
const WORKER_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);
/// Bucket rows per INSERT statement (4 parameters each).
const INSERT_ROWS: usize = 500;

/// Where the rollup ends; `None` before the first step.
async fn rolled_until(db: &AnyPool) -> Result<Option<i64>, AppError> {
    sqlx::query_scalar("SELECT rolled_until FROM kpi_rollup WHERE id = 1")
        .fetch_one(db)
        .await
        .context("reading where the KPI rollup ends")
}

/// One step of the rollup: at most `rollup::MAX_STEP_MS` of settled time. Returns whether settled
/// time is still waiting (the caller steps again at once).
pub async fn step(state: &AppState) -> Result<bool, AppError> {
    let db = state.db.read();
    let now = state.now_ms();
    let rolled = rolled_until(db).await?;
    let earliest = match rolled {
        Some(_) => None,
        None => figures::earliest(db).await?,
    };
    let Some((from, until)) = rollup::next_step(rolled, earliest, now) else { return Ok(false) };
    // The buckets are read before the transaction: settled rows never change, so only the
    // compare-and-set below decides who appends them, and the write lock is held for the inserts only.
    let mut conn = db.acquire().await.context("reading the KPI rollup")?;
    let accounts = Accounts::find(&mut conn, state.settings().currency).await?;
    drop(conn);
    let mut buckets = Vec::with_capacity(Summed::ALL.len());
    for figure in Summed::ALL {
        buckets.push((figure, figures::raw_buckets(db, figure, accounts, from, until).await?));
    }
    let mut tx = state.db.begin().await.context("starting a KPI rollup step")?;
    let moved = match rolled {
        Some(r) => sqlx::query("UPDATE kpi_rollup SET rolled_until = $1 WHERE id = 1 AND rolled_until = $2")
            .bind(until)
            .bind(r),
        None => {
            sqlx::query("UPDATE kpi_rollup SET rolled_until = $1 WHERE id = 1 AND rolled_until IS NULL").bind(until)
        }
    }
    .execute(&mut *tx)
    .await
    .context("moving the KPI rollup")?
    .rows_affected();
    if moved == 0 {
        // Another server took this step.
        return Ok(false);
    }
    for (figure, values) in buckets {
        let before: Option<i64> =
            sqlx::query_scalar("SELECT running FROM kpi_buckets WHERE figure = $1 ORDER BY bucket_at DESC LIMIT 1")
                .bind(figure.key())
                .fetch_optional(&mut *tx)
                .await
                .context("reading a KPI's running total")?;
        let rows = running_totals(before.unwrap_or(0), &values);
        for chunk in rows.chunks(INSERT_ROWS) {
            let mut sql =
                Sql::new(state.db.backend, "INSERT INTO kpi_buckets (figure, bucket_at, value, running) VALUES ");
            for &(bucket, value, running) in chunk {
                sql.values_row(vec![figure.key().into(), bucket.into(), value.into(), Arg::Int(running)]);
            }
            sql.query().execute(&mut *tx).await.context("appending KPI buckets")?;
        }
    }
    tx.commit().await.context("committing a KPI rollup step")?;
    Ok(until < rollup::settled_until(now))
}

/// Steps until the rollup has caught up with settled time.
pub async fn catch_up(state: &AppState) -> Result<(), AppError> {
    while step(state).await? {}
    Ok(())
}

/// Keeps the rollup caught up, beside the server (every server may run one: see `step`).
pub async fn run_worker(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    loop {
        if let Err(e) = catch_up(&state).await {
            tracing::error!(error = %e, "KPI rollup failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(WORKER_INTERVAL) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Each figure's sum over each of `ranges` (`[from, until)`), in the order given: whole rolled-up
/// buckets from the running totals, the rest from the stored rows.
pub async fn sums(
    state: &AppState,
    wanted: &[Summed],
    ranges: &[(i64, i64)],
) -> Result<HashMap<Summed, Vec<i64>>, AppError> {
    let db = state.db.read();
    let rolled = rolled_until(db).await?;
    let covers: Vec<Cover> = ranges.iter().map(|&(a, b)| cover(a, b, rolled)).collect();
    let mut conn = db.acquire().await.context("reading KPIs")?;
    let accounts = Accounts::find(&mut conn, state.settings().currency).await?;
    drop(conn);
    let running = running_at(state, wanted, &covers).await?;
    let mut out = HashMap::new();
    for &figure in wanted {
        let mut values = Vec::with_capacity(ranges.len());
        for c in &covers {
            let mut sum = match c.buckets {
                Some((a, b)) => running[&(figure, b)] - running[&(figure, a)],
                None => 0,
            };
            for &(a, b) in &c.raw {
                sum += figures::raw_sum(db, figure, accounts, a, b).await?;
            }
            values.push(sum);
        }
        out.insert(figure, values);
    }
    Ok(out)
}

/// The running total of each figure just before each bucket boundary the covers need, in one query:
/// one index seek each.
async fn running_at(
    state: &AppState,
    wanted: &[Summed],
    covers: &[Cover],
) -> Result<HashMap<(Summed, i64), i64>, AppError> {
    let mut bounds: Vec<i64> = covers.iter().filter_map(|c| c.buckets).flat_map(|(a, b)| [a, b]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let keys: Vec<(Summed, i64)> = wanted.iter().flat_map(|&f| bounds.iter().map(move |&b| (f, b))).collect();
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(state.db.backend, "SELECT ");
    for (i, &(figure, bound)) in keys.iter().enumerate() {
        let (f, b) = (sql.arg(figure.key()), sql.arg(bound));
        let sep = if i == 0 { "" } else { ", " };
        sql.push(&format!(
            "{sep}COALESCE((SELECT running FROM kpi_buckets WHERE figure = {f} AND bucket_at < {b} \
             ORDER BY bucket_at DESC LIMIT 1), 0)"
        ));
    }
    let row = sql.query().fetch_one(state.db.read()).await.context("reading KPI running totals")?;
    keys.into_iter().enumerate().map(|(i, key)| Ok((key, row.try_get::<i64, _>(i)?))).collect()
}
